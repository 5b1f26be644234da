import Codes
import Foundation

/// The hashes of several images (the files of a folder) or of several kinds of one image: a row per image, a
/// column per kind. The shell's `hash all` and `hash KIND FOLDER` keep one, `save` writes it as TSV (the layout of
/// imagehash's golden `expected.tsv`), and `codes(of:)` gives a column as the code set that search, evaluation and
/// near-duplicate grouping read.
public struct HashTable: Sendable, Equatable {
    /// The hashes of one image (a cell per kind, empty where that kind failed).
    public typealias Row = HashRow

    /// What was hashed: a folder's path, an image value's name, or the TSV file it was loaded from.
    public var source: String
    public var kinds: [HashKind]
    /// One row per image, unreadable files included (they are left out of the TSV and of the codes).
    public var rows: [Row]

    public init(source: String, kinds: [HashKind], rows: [Row]) {
        self.source = source
        self.kinds = kinds
        self.rows = rows
    }

    /// Rows whose file was read (a row may still have empty cells).
    public var hashedRows: [Row] { rows.filter(\.wasRead) }

    /// The table as TSV text (`hashTableTSV`).
    public var tsv: String { hashTableTSV(rows, kinds: kinds) }

    /// The column of `kind` as codes: one per image whose cell holds a hash, in row order, named by its file.
    /// Code i is that image's hash bit for bit, so Hamming distances between codes are the hashes' distances.
    /// Throws when the table has no such column, when no image has a hash of that kind (a code set must know its
    /// length), or when the column mixes sizes (a table read from a file may).
    public func codes(of kind: HashKind) throws -> CodeSet {
        guard let column = kinds.firstIndex(of: kind) else {
            throw HashError("the hashes of \(source) have no \(kind.rawValue) column")
        }
        let cells = rows.compactMap { row in row.hashes[column].map { (file: row.file, hash: $0) } }
        guard !cells.isEmpty else { throw HashError("no image of \(source) has a \(kind.rawValue) hash") }
        return try CodeSet(hashes: cells.map(\.hash), names: cells.map(\.file))
    }
}

/// Hash rows as a tab-separated table like imagehash's golden `expected.tsv`: a header `file <kind> <kind>…`
/// (the kinds asked for, in order), then one line per hashed file with imagehash's hex strings, `-` for a kind
/// that failed for that file (as the golden files mark a cell imagehash refused). Files that could not be read are
/// left out (their errors are reported by whoever hashed them).
public func hashTableTSV(_ rows: [HashRow], kinds: [HashKind]) -> String {
    var text = (["file"] + kinds.map(\.rawValue)).joined(separator: "\t") + "\n"
    for row in rows where row.wasRead {
        text += ([row.file] + row.hashes.map { $0?.hexString ?? "-" }).joined(separator: "\t") + "\n"
    }
    return text
}

/// Writes `hashTableTSV(rows, kinds:)` to `path` atomically (a temporary file renamed over it).
public func writeHashTable(_ rows: [HashRow], kinds: [HashKind], to path: String) throws {
    do {
        try Data(hashTableTSV(rows, kinds: kinds).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw HashError("\(path): cannot write the table (\((error as NSError).localizedDescription))")
    }
}
