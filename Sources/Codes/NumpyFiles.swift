import Foundation

/// Code sets as NumPy `.npy` files, laid out exactly as `numpy.packbits(codes, axis=1)` packs a 0/1 array, which is
/// also what FAISS's binary indexes take.
///
/// Codes: a 2-D `uint8` array of shape (n, ⌈bits/8⌉), C order; bit j of a code is bit 7 − (j mod 8) of byte
/// ⌊j/8⌋ (the first bit is the most significant bit of the first byte: packbits' default "big" bit order), and the
/// padding bits of the last byte are 0. The file is NPY format 1.0: the magic `\x93NUMPY`, version 1 0, a
/// little-endian 16-bit header length, and the header dict `{'descr': '|u1', 'fortran_order': False,
/// 'shape': (n, b), }` padded with spaces and a final newline so that the data starts at a multiple of 64 bytes
/// (with numpy.save's 21 − digits(n) spaces of growth room first, so the bytes equal numpy's).
/// The bit count is not stored: a reader is told it, or takes 8·b.
///
/// Labels go in a separate `.npy` file: a 1-D `int32` array (`'<i4'`) of n labels, as `numpy.save(path,
/// labels.astype(np.int32))` writes it. Reading also accepts the other little-endian integer types numpy writes
/// (`int64` is its default), as long as every value fits in 32 bits. Names are not stored in `.npy` (use TSV).
public enum NumpyFiles {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The bytes of a `.npy` file (format 1.0) holding `payload` with dtype `descr` and `shape`.
    static func fileBytes(descr: String, shape: [Int], payload: [UInt8]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        // numpy ≥ 1.24 leaves room for the first dimension to grow to 21 digits; doing the same makes the files
        // byte-identical to numpy.save's.
        header += String(repeating: " ", count: max(0, 21 - String(shape.first ?? 0).count))
        let unpadded = magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = header.utf8.count
        var bytes = magic + [1, 0, UInt8(length & 0xff), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes += payload
        return bytes
    }

    /// The codes packed as `numpy.packbits(axis=1)` would: n rows of ⌈bits/8⌉ bytes.
    public static func packedBytes(of codes: CodeSet) -> [UInt8] {
        let rowBytes = (codes.bitCount + 7) / 8
        var bytes = [UInt8](repeating: 0, count: codes.count * rowBytes)
        for i in 0..<codes.count {
            for j in 0..<codes.bitCount where codes.bit(j, ofCode: i) {
                bytes[i * rowBytes + j / 8] |= 0x80 >> UInt8(j % 8)
            }
        }
        return bytes
    }

    /// The `.npy` file bytes of `codes` (see the type's documentation).
    public static func codesFileBytes(_ codes: CodeSet) -> [UInt8] {
        fileBytes(descr: "|u1", shape: [codes.count, (codes.bitCount + 7) / 8], payload: packedBytes(of: codes))
    }

    /// Writes `codes` to `path` as packed uint8 `.npy` (labels and names are not written: see `writeLabels`).
    public static func writeCodes(_ codes: CodeSet, to path: String) throws {
        try writeAtomically(Data(codesFileBytes(codes)), to: path)
    }

    /// Writes `labels` to `path` as a 1-D int32 `.npy`.
    public static func writeLabels(_ labels: [Int32], to path: String) throws {
        var payload: [UInt8] = []
        payload.reserveCapacity(labels.count * 4)
        for label in labels {
            let bits = UInt32(bitPattern: label)
            payload += [UInt8(bits & 0xff), UInt8(bits >> 8 & 0xff), UInt8(bits >> 16 & 0xff), UInt8(bits >> 24)]
        }
        try writeAtomically(Data(fileBytes(descr: "<i4", shape: [labels.count], payload: payload)), to: path)
    }

    /// Reads packed codes from a `.npy` file of shape (n, b) and dtype uint8. `bitCount` must satisfy
    /// ⌈bitCount/8⌉ = b (nil: 8·b), and the padding bits past it must be 0. Labels come from `labelsPath`, if given.
    public static func readCodes(from path: String, bitCount: Int? = nil, labelsPath: String? = nil) throws
        -> CodeSet {
        let array = try NumpyArray(bytes: [UInt8](try readFile(path)), path: path)
        guard ["|u1", "<u1", ">u1", "u1", "|b1"].contains(array.descr) else {
            throw CodesError.malformedFile(path: path, reason: "dtype '\(array.descr)' is not uint8 (packed bits)")
        }
        guard array.shape.count == 2 else {
            throw CodesError.malformedFile(path: path, reason:
                "shape \(array.shape) is not 2-D (codes × bytes) as numpy.packbits(axis=1) makes it")
        }
        let (n, rowBytes) = (array.shape[0], array.shape[1])
        let bits = bitCount ?? 8 * rowBytes
        guard bits >= 1 else {
            throw CodesError.malformedFile(path: path, reason: "\(bits)-bit codes: a code needs at least 1 bit")
        }
        guard (bits + 7) / 8 == rowBytes else {
            throw CodesError.malformedFile(path: path, reason:
                "\(rowBytes) bytes a code cannot hold exactly \(bits) bits (needs \((bits + 7) / 8) bytes)")
        }
        let width = BitCode.wordCount(forBits: bits)
        var words = [UInt64](repeating: 0, count: n * width)
        let payload = array.payload
        for i in 0..<n {
            for byteIndex in 0..<rowBytes {
                let byte = payload[array.payloadStart + i * rowBytes + byteIndex]
                guard byte != 0 else { continue }
                for b in 0..<8 where byte & (0x80 >> UInt8(b)) != 0 {
                    let j = byteIndex * 8 + b
                    guard j < bits else {
                        throw CodesError.malformedFile(path: path, reason:
                            "code \(i) has bit \(j) set, past its \(bits) bits (padding must be 0)")
                    }
                    words[i * width + j >> 6] |= 1 << UInt64(j & 63)
                }
            }
        }
        let labels = try labelsPath.map { try readLabels(from: $0) }
        if let labels, let labelsPath, labels.count != n {
            throw CodesError.malformedFile(path: labelsPath, reason: "\(labels.count) labels for \(n) codes in \(path)")
        }
        return try CodeSet(bitCount: bits, words: words, labels: labels)
    }

    /// Reads a 1-D `.npy` of little-endian integers (int8…int64, uint8…uint64) whose values fit in Int32.
    public static func readLabels(from path: String) throws -> [Int32] {
        let array = try NumpyArray(bytes: [UInt8](try readFile(path)), path: path)
        let types: [String: (size: Int, signed: Bool)] = [
            "|i1": (1, true), "|u1": (1, false), "<i2": (2, true), "<u2": (2, false),
            "<i4": (4, true), "<u4": (4, false), "<i8": (8, true), "<u8": (8, false),
        ]
        guard let type = types[array.descr] else {
            throw CodesError.malformedFile(path: path, reason: "dtype '\(array.descr)' is not a little-endian integer")
        }
        guard array.shape.count == 1 else {
            throw CodesError.malformedFile(path: path, reason: "labels must be 1-D, not shape \(array.shape)")
        }
        let n = array.shape[0]
        guard array.payload.count - array.payloadStart == n * type.size else {
            throw CodesError.malformedFile(path: path, reason:
                "\(array.payload.count - array.payloadStart) data bytes, expected \(n * type.size)")
        }
        var labels: [Int32] = []
        labels.reserveCapacity(n)
        for i in 0..<n {
            var raw: UInt64 = 0
            for b in 0..<type.size {
                raw |= UInt64(array.payload[array.payloadStart + i * type.size + b]) << UInt64(8 * b)
            }
            var value: Int64
            if type.signed && type.size < 8 && raw >> UInt64(8 * type.size - 1) & 1 == 1 {
                value = Int64(bitPattern: raw | ~((1 << UInt64(8 * type.size)) - 1))
            } else {
                value = Int64(bitPattern: raw)
            }
            if !type.signed && type.size == 8 && raw > UInt64(Int64.max) { value = Int64.max }
            guard let label = Int32(exactly: value) else {
                throw CodesError.malformedFile(path: path, reason: "label \(i) (\(value)) does not fit in 32 bits")
            }
            labels.append(label)
        }
        return labels
    }
}

/// A parsed `.npy` header (formats 1.0, 2.0 and 3.0) with the file's bytes; only C-order arrays are accepted.
struct NumpyArray {
    let descr: String
    let shape: [Int]
    let payload: [UInt8]
    let payloadStart: Int

    init(bytes: [UInt8], path: String) throws {
        func fail(_ reason: String) -> CodesError { .malformedFile(path: path, reason: reason) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == NumpyFiles.magic else {
            throw fail("not a .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        default:
            throw fail("unsupported .npy format version \(major).\(bytes[7])")
        }
        guard bytes.count >= headerStart + headerLength else { throw fail("truncated .npy header") }
        guard let header = String(bytes: bytes[headerStart..<headerStart + headerLength], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw fail("unreadable .npy header")
        }
        func value(of key: String) throws -> Substring {
            guard let keyRange = header.range(of: "'\(key)'") else { throw fail("header has no '\(key)'") }
            var rest = header[keyRange.upperBound...].drop(while: { $0 == " " })
            guard rest.first == ":" else { throw fail("header: no ':' after '\(key)'") }
            rest = rest.dropFirst().drop(while: { $0 == " " })
            return rest
        }
        let descrText = try value(of: "descr")
        guard descrText.first == "'", let close = descrText.dropFirst().firstIndex(of: "'") else {
            throw fail("header: 'descr' is not a simple dtype string")
        }
        descr = String(descrText[descrText.index(after: descrText.startIndex)..<close])
        let order = try value(of: "fortran_order")
        guard order.hasPrefix("False") else {
            throw fail(order.hasPrefix("True") ? "Fortran-order arrays are not supported" : "header: bad fortran_order")
        }
        let shapeText = try value(of: "shape")
        guard shapeText.first == "(", let end = shapeText.firstIndex(of: ")") else {
            throw fail("header: 'shape' is not a tuple")
        }
        var dimensions: [Int] = []
        for part in shapeText[shapeText.index(after: shapeText.startIndex)..<end].split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let dimension = Int(trimmed), dimension >= 0 else { throw fail("header: bad shape entry '\(trimmed)'") }
            dimensions.append(dimension)
        }
        shape = dimensions
        payload = bytes
        payloadStart = headerStart + headerLength
        let itemSize = Int(descr.drop(while: { !$0.isNumber })) ?? 1
        let expected = dimensions.reduce(1, *) * itemSize
        guard bytes.count - payloadStart == expected else {
            throw fail("\(bytes.count - payloadStart) data bytes, shape \(dimensions) of '\(descr)' needs \(expected)")
        }
    }
}
