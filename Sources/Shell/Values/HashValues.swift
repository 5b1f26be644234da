import ClassicHashing
import Plots

extension ImageHash: ShellValue {
    public static let typeName = "hash"

    /// "phash c2924c5532bddfc8 (64 bits)".
    public var summary: String { "\(kind.rawValue) \(hexString) (\(bitCount) bits)" }

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

/// A table of hashes (ClassicHashing's `HashTable`: a row per image, a column per kind), as `hash all` and
/// `hash KIND FOLDER` keep it and `save` writes it as TSV.
///
/// A table of one row (one image) has each kind as a member, so `hs.phash` is that image's pHash.
extension HashTable: ShellValue {
    public static let typeName = "hashes"

    public var summary: String {
        let count = hashedRows.count
        let empty = hashedRows.reduce(0) { $0 + $1.cellFailures.count }
        return "\(count) image\(count == 1 ? "" : "s") × \(kinds.map(\.rawValue).joined(separator: " ")) from \(source)"
            + (empty > 0 ? " (\(empty) empty cell\(empty == 1 ? "" : "s"))" : "")
    }

    /// The table as imagehash's hex strings, one row per image, `-` for an empty cell.
    public func render(in context: RenderContext) -> String {
        var text = TextPlot.table(header: ["file"] + kinds.map(\.rawValue),
                                  rows: hashedRows.map { [$0.file] + $0.hashes.map { $0?.hexString ?? "-" } },
                                  alignments: [.left] + kinds.map { _ in .left })
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    public var memberNames: [String] {
        guard rows.count == 1, rows[0].wasRead else { return [] }
        return zip(kinds, rows[0].hashes).compactMap { kind, hash in hash == nil ? nil : kind.rawValue }
    }

    public func member(named name: String) -> (any ShellValue)? {
        guard rows.count == 1, rows[0].wasRead, let kind = HashKind(rawValue: name),
              let index = kinds.firstIndex(of: kind) else { return nil }
        return rows[0].hashes[index]
    }
}
