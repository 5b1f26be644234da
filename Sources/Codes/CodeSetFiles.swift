/// Reading and writing code sets by file extension: `.npy` (packed bits, numpy.packbits layout, labels optionally in
/// a second `.npy`) or anything else as TSV (`label`, `code`, `name` columns).
extension CodeSet {
    /// Reads `path`: `.npy` through `NumpyFiles.readCodes` (with `bitCount` and `labelsPath`), otherwise TSV.
    public static func read(from path: String, bitCount: Int? = nil, labelsPath: String? = nil) throws -> CodeSet {
        if path.lowercased().hasSuffix(".npy") {
            return try NumpyFiles.readCodes(from: path, bitCount: bitCount, labelsPath: labelsPath)
        }
        let codes = try readTSV(from: path)
        if let bitCount, bitCount != codes.bitCount {
            throw CodesError.malformedFile(path: path, reason: "\(codes.bitCount)-bit codes, expected \(bitCount)")
        }
        return codes
    }

    /// Writes to `path`: `.npy` as packed codes (labels to `labelsPath` when given and the set has labels),
    /// otherwise TSV with labels and names.
    public func write(to path: String, labelsPath: String? = nil) throws {
        if path.lowercased().hasSuffix(".npy") {
            try NumpyFiles.writeCodes(self, to: path)
            if let labelsPath {
                guard let labels else { throw CodesError.missingLabels("the code set written to \(path)") }
                try NumpyFiles.writeLabels(labels, to: labelsPath)
            }
        } else {
            try writeTSV(to: path)
        }
    }
}
