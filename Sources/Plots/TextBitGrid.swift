/// Plots drawn with text characters for the terminal (and for transcripts and notebooks). Every function
/// returns a String whose lines end with "\n".
public enum TextPlot {
    /// A code's bits as a grid, row by row, `width` bits a row: █ for 1 and · for 0 (e.g. 8 × 8 for a 64-bit
    /// hash, read left to right, top to bottom, like imagehash's boolean matrix). A last, shorter row is kept.
    public static func bitGrid(bits: [Bool], width: Int) -> String {
        precondition(width > 0, "a bit grid needs a positive width")
        var text = ""
        for start in stride(from: 0, to: bits.count, by: width) {
            for bit in bits[start..<min(start + width, bits.count)] { text += bit ? "█" : "·" }
            text += "\n"
        }
        return text
    }

    /// Two codes' grids side by side with a third grid marking where they differ (✕) — what `distance` shows.
    public static func bitDifference(_ first: [Bool], _ second: [Bool], width: Int) -> String {
        precondition(first.count == second.count, "codes of different lengths")
        let a = bitGrid(bits: first, width: width).split(separator: "\n")
        let b = bitGrid(bits: second, width: width).split(separator: "\n")
        let difference = zip(first, second).map { $0 != $1 }
        var d = [String]()
        for start in stride(from: 0, to: difference.count, by: width) {
            d.append(difference[start..<min(start + width, difference.count)].map { $0 ? "✕" : "·" }.joined())
        }
        var text = ""
        for i in 0..<a.count { text += "\(a[i])   \(b[i])   \(d[i])\n" }
        return text
    }
}
