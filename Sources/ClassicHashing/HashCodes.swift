import Codes

// Classic hashes as codes. A hash's bits already are a `BitCode` (`ImageHash.code`, in imagehash's row-major
// order), so a list of hashes packs into a `CodeSet` with nothing converted: Hamming distances, search, the
// retrieval metrics and near-duplicate groups then treat classic hashes and learned codes alike.

extension CodeSet {
    /// The hashes as one code set, code i being hash i's bits, with optional labels and names (`bitCount` is
    /// needed when `hashes` is empty).
    ///
    /// The hashes must be of one kind and size: a 64-bit aHash and a 64-bit dHash have the same length, but their
    /// bits mean different things, and distances between them would mean nothing.
    public init(hashes: [ImageHash], bitCount: Int? = nil, labels: [Int32]? = nil, names: [String]? = nil) throws {
        if let first = hashes.first,
           let other = hashes.first(where: { $0.kind != first.kind || $0.bitCount != first.bitCount }) {
            throw HashError("one code set cannot hold a \(first.bitCount)-bit \(first.kind.rawValue) and a "
                            + "\(other.bitCount)-bit \(other.kind.rawValue)")
        }
        try self.init(codes: hashes.map(\.code), bitCount: bitCount, labels: labels, names: names)
    }
}
