import ClassicHashing
import Plots

extension ColorHistogram: ShellValue {
    public static let typeName = "histogram"

    /// "joint HSV 8×8×8 (512 bins, 37 used)".
    public var summary: String {
        let used = values.filter { $0 > 0 }.count
        return "\(layout) (\(values.count) bins, \(used) used)"
    }

    /// The summary and the bins as text bars (see `textBars`).
    public func render(in context: RenderContext) -> String {
        summary + ", " + barsCaption + "\n" + textBars(width: max(10, min(40, context.width - 30)))
    }

    /// What the bars measure, for the line above them.
    var barsCaption: String {
        if case .perChannel = layout, colorChannels > 1 { return "bars in % of the pixels, per channel" }
        return "bars in % of the pixels"
    }

    /// Each bin's share of the pixels: the values themselves, except for per-channel histograms of colour images,
    /// whose three channel histograms share one normalisation (each sums to ⅓) and are scaled back to 1 each.
    var pixelShares: [Double] {
        if case .perChannel = layout { return values.map { $0 * Double(colorChannels) } }
        return values
    }

    /// A name for each bin: "R 0–15" for a channel's bin; "r2 g5 b1" / "h3 s1 v2" for the cell of a joint grid
    /// (0-based indices along each axis, 0 the darkest / least saturated / reddest).
    public var binLabels: [String] {
        switch layout {
        case .perChannel(let bins):
            let names = colorChannels == 1 ? ["L"] : ["R", "G", "B"]
            return names.flatMap { name in
                (0..<bins).map { bin in
                    // Sample v lands in bin ⌊v·bins/256⌋: the bin's first and last samples.
                    let first = (bin * 256 + bins - 1) / bins, last = ((bin + 1) * 256 + bins - 1) / bins - 1
                    return "\(name) \(first)–\(last)"
                }
            }
        case .jointRGB(let n):
            return (0..<(n * n * n)).map { "r\($0 / (n * n)) g\($0 / n % n) b\($0 % n)" }
        case .jointHSV(let h, let s, let v):
            _ = h
            return values.indices.map { "h\($0 / (s * v)) s\($0 / v % s) v\($0 % v)" }
        }
    }

    /// Horizontal bars, one per bin, as percentages of the pixels (`pixelShares`). Histograms of more than 48 bins
    /// show only their 24 fullest bins (in bin order) and say how much the others hold, so a 512-bin joint
    /// histogram stays readable. No trailing newline.
    public func textBars(width: Int = 40) -> String {
        let shares = pixelShares
        var indices = Array(values.indices)
        var note = ""
        if values.count > 48 {
            indices = Array(values.indices.sorted { (shares[$0], $1) > (shares[$1], $0) }.prefix(24)).sorted()
            let shown = indices.reduce(0) { $0 + values[$1] }, total = values.reduce(0, +)
            note = "\n(the 24 fullest of \(values.count) bins; the other bins hold "
                + formatPercent(total > 0 ? max(0, 1 - shown / total) : 0) + " of the counts)"
        }
        let labels = binLabels
        var text = TextPlot.bars(labels: indices.map { labels[$0] }, values: indices.map { shares[$0] * 100 },
                                 width: width)
        if text.hasSuffix("\n") { text.removeLast() }
        return text + note
    }
}

/// "12.5%" with one decimal.
func formatPercent(_ fraction: Double) -> String {
    String(format: "%.1f%%", fraction * 100)
}
