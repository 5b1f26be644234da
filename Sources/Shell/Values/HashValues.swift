import ClassicHashing
import Plots

extension ImageHash: ShellValue {
    public static let typeName = "hash"

    /// "phash c2924c5532bddfc8 (64 bits)".
    public var summary: String { "\(kind.rawValue) \(hexString) (\(bits.count) bits)" }

    /// The summary and the bits as a grid: █ for 1, · for 0, in imagehash's row-major order.
    public func render(in context: RenderContext) -> String {
        summary + "\n" + bitGridText
    }

    /// The bits as a `gridWidth`-wide grid of █ and ·, without a trailing newline.
    var bitGridText: String {
        var text = TextPlot.bitGrid(bits: bits, width: gridWidth)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

/// Hashes of several images (a folder) or several kinds of one image: what `hash all` and `hash KIND FOLDER` keep,
/// and what `save` writes as TSV (the layout of imagehash's golden `expected.tsv`: `file <kinds…>`).
///
/// A table of one row (one image) has each kind as a member, so `hs.phash` is that image's pHash.
public struct HashTable: ShellValue, Sendable, Equatable {
    public static let typeName = "hashes"

    /// What was hashed: a folder's path, an image value's name, or the TSV file it was loaded from.
    public var source: String
    public var kinds: [HashKind]
    /// One row per image, failed rows included (they are left out of the TSV).
    public var rows: [Row]

    /// The hashes of one image, or why it could not be hashed.
    public struct Row: Sendable, Equatable {
        /// The file's path relative to the hashed folder (or the image value's name).
        public var file: String
        /// One hash per kind of the table, in its order; empty when `failure` is set.
        public var hashes: [ImageHash]
        /// A one-line error, or nil.
        public var failure: String?

        public init(file: String, hashes: [ImageHash], failure: String? = nil) {
            self.file = file
            self.hashes = hashes
            self.failure = failure
        }
    }

    public init(source: String, kinds: [HashKind], rows: [Row]) {
        self.source = source
        self.kinds = kinds
        self.rows = rows
    }

    /// Rows that were hashed.
    public var hashedRows: [Row] { rows.filter { $0.failure == nil } }

    public var summary: String {
        let count = hashedRows.count
        return "\(count) image\(count == 1 ? "" : "s") × \(kinds.map(\.rawValue).joined(separator: " ")) from \(source)"
    }

    /// The table as imagehash's hex strings, one row per image.
    public func render(in context: RenderContext) -> String {
        var text = TextPlot.table(header: ["file"] + kinds.map(\.rawValue),
                                  rows: hashedRows.map { [$0.file] + $0.hashes.map(\.hexString) },
                                  alignments: [.left] + kinds.map { _ in .left })
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The TSV text `save` writes: the header `file <kinds…>`, then one line per hashed image with imagehash's hex
    /// strings (the layout of `hashTableTSV` and of imagehash's golden `expected.tsv`).
    public var tsv: String {
        var text = (["file"] + kinds.map(\.rawValue)).joined(separator: "\t") + "\n"
        for row in hashedRows {
            text += ([row.file] + row.hashes.map(\.hexString)).joined(separator: "\t") + "\n"
        }
        return text
    }

    public var memberNames: [String] { rows.count == 1 && rows[0].failure == nil ? kinds.map(\.rawValue) : [] }

    public func member(named name: String) -> (any ShellValue)? {
        guard rows.count == 1, rows[0].failure == nil, let kind = HashKind(rawValue: name),
              let index = kinds.firstIndex(of: kind) else { return nil }
        return rows[0].hashes[index]
    }
}
