extension TextPlot {
    /// Eighth blocks, for bar ends with ⅛-character resolution: index k draws k/8 of a cell.
    static let horizontalEighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
    static let verticalEighths = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// A horizontal bar per label: `label │█████▍ value`. Bar length ∝ value, the largest value filling `width`
    /// cells, in eighths of a cell (rounded to the nearest eighth). Negative and non-finite values draw no bar.
    public static func bars(labels: [String], values: [Double], width: Int = 40) -> String {
        let labelWidth = labels.map { $0.count }.max() ?? 0
        let largest = values.filter { $0.isFinite }.max() ?? 0
        var text = ""
        for (index, value) in values.enumerated() {
            let label = index < labels.count ? labels[index] : ""
            let eighths = largest > 0 && value.isFinite && value > 0 ? Int((value / largest * Double(width * 8)).rounded()) : 0
            let bar = String(repeating: "█", count: eighths / 8) + horizontalEighths[eighths % 8]
            let padding = String(repeating: " ", count: width - (eighths + 7) / 8)
            text += pad(label, labelWidth) + " │" + bar + padding + " " + formatNumber(value) + "\n"
        }
        return text
    }

    /// A histogram of binned values as horizontal bars, one per bin, labelled with the bin's range and its count.
    public static func histogram(_ bins: HistogramBins, width: Int = 40) -> String {
        let edges = bins.edges
        let labels = bins.counts.indices.map { i in
            "[\(formatNumber(edges[i])), \(formatNumber(edges[i + 1]))\(i == bins.counts.count - 1 ? "]" : ")")"
        }
        var text = bars(labels: labels, values: bins.counts.map(Double.init), width: width)
        if bins.outside > 0 { text += "(\(bins.outside) values outside the range)\n" }
        return text
    }

    /// Vertical columns, one per value, `height` rows tall with ⅛-row resolution, the largest value reaching
    /// the top; labels (first character of each, or the whole label when all fit in one column) underneath.
    /// The largest value is written above, 0 below on the left.
    public static func columns(values: [Double], height: Int = 8, labels: [String] = []) -> String {
        let largest = values.filter { $0.isFinite }.max() ?? 0
        let levels = values.map { v in largest > 0 && v.isFinite && v > 0 ? Int((v / largest * Double(height * 8)).rounded()) : 0 }
        var text = "max " + formatNumber(largest) + "\n"
        for row in (0..<height).reversed() {
            var line = ""
            for level in levels {
                let filled = level - row * 8
                line += filled >= 8 ? "█" : filled <= 0 ? " " : verticalEighths[filled]
            }
            text += "│" + line + "\n"
        }
        text += "└" + String(repeating: "─", count: values.count) + "\n"
        if !labels.isEmpty { text += " " + labels.map { $0.first.map(String.init) ?? " " }.joined() + "\n" }
        return text
    }

    /// `text` padded with spaces to `width` characters on the right (or cut to it).
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
