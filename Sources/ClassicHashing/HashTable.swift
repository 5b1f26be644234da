import Foundation

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
