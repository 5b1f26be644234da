import Foundation
import Learning
import Plots

// `hist S on DATA`: the real outputs of every run of a sweep, side by side — the DSH paper's figure on m and α in
// one command. Every run's histogram uses the SAME bins (the range of all runs' outputs together, cut into equal
// widths), so a column or a PNG x position means the same output range in every panel, and the same count scale,
// so heights compare across panels too (every run sees the same images and bits, so the totals are equal unless a
// sweep changes bits).

/// Draws the output distributions of every run of `table` on `images`: compact text histograms (one per run, on
/// shared bins and one count scale), one line of statistics per run, and — with `path` — a PNG of small multiples.
func histogramOfSweep(_ table: SweepTable, named name: String, on images: LabeledImages, bins: Int, path: String?,
                      output: Output) throws {
    if let source = table.source {
        throw ShellError.message("hist: sweep `\(name)` was loaded from \(source) and has no models; "
                                 + "run the sweep to draw its outputs")
    }
    guard !table.runs.isEmpty else { throw ShellError.message("hist: sweep `\(name)` has no finished runs") }
    // Diverged runs have no model: the panels are the others'.
    let drawn = table.runs.filter { $0.model != nil }
    guard !drawn.isEmpty else { throw ShellError.message("hist: every run of sweep `\(name)` diverged") }
    let models = drawn.compactMap(\.model)
    let distributions = try prefixingErrors("hist") { try models.map { try OutputDistribution(of: $0, on: images) } }
    let finite = distributions.flatMap { $0.values.filter(\.isFinite) }
    let range = (finite.min() ?? 0)...(finite.max() ?? 1)
    // One threshold for every run (a sweep does not change the method): the shared bins have it as an edge.
    let histograms = distributions.map { $0.bins(bins, over: range) }
    let titles = drawn.map(table.label(of:))
    let first = histograms[0]
    let thresholds = Set(distributions.map(\.threshold)), bitCounts = Set(models.map(\.bits))
    output.line("\(name): outputs before binarising of \(drawn.count) run\(drawn.count == 1 ? "" : "s") "
                + "on \(images.count) images × " + (bitCounts.count == 1 ? "\(models[0].bits)" : "K") + " bits ("
                + (thresholds.count == 1 ? "threshold \(formatNumber(distributions[0].threshold))" : "thresholds per run")
                + ")")
    output.line("shared bins of width \(formatNumber(first.binWidth)) over [\(formatNumber(first.lowerBound)), "
                + "\(formatNumber(first.upperBound))], one height scale (tallest bin "
                + "\(histograms.flatMap(\.counts).max() ?? 0))")
    let left = table.runs.filter { $0.model == nil }
    if !left.isEmpty { output.line("left out, diverged: " + left.map(table.label(of:)).joined(separator: ", ")) }
    // The thresholds first: when labels collide, the earlier marks keep theirs.
    var marks: [Double] = []
    for mark in distributions.map(\.threshold) + distributions.flatMap(\.targets) where !marks.contains(mark) {
        marks.append(mark)
    }
    output.write(TextPlot.compactHistograms(histograms, titles: titles, marks: marks))
    let rows = zip(titles, distributions).map { title, distribution in
        let statistics = distribution.statistics
        return [title, String(format: "%.4f", statistics.meanQuantizationGap), distribution.targetsDescription,
                String(format: "%.3f", statistics.meanBalance), String(format: "%.3f", statistics.balance.min() ?? 0),
                String(format: "%.3f", statistics.balance.max() ?? 0),
                String(format: "%.3f", statistics.meanAbsoluteCorrelation)]
    }
    output.write(TextPlot.table(header: ["run", "mean distance", "to", "balance", "min", "max", "|correlation|"],
                                rows: rows, alignments: [.left, .right, .left, .right, .right, .right, .right]))
    if let path {
        // One panel per run in the sweep's order, so that a grid of m × α keeps its rows and columns: a diverged
        // run keeps its place as an empty panel that says so.
        let marks = outputMarks(threshold: distributions[0].threshold, targets: distributions[0].targets)
        var drawnPanels = zip(titles, histograms).map { HistogramPanel(title: $0, bins: $1, referenceLines: marks) }
            .makeIterator()
        let empty = HistogramBins(lowerBound: first.lowerBound, upperBound: first.upperBound,
                                  counts: [Int](repeating: 0, count: first.counts.count))
        let panels = table.runs.compactMap { run in
            run.model == nil ? HistogramPanel(title: table.label(of: run) + " (diverged)", bins: empty, referenceLines: marks)
                             : drawnPanels.next()
        }
        let columns = smallMultipleColumns(table)
        let rowCount = (panels.count + columns - 1) / columns
        // Wide enough for the longest title over each panel (about 8 px a character in bold 13 px DejaVu Sans,
        // the y axis takes about 50 px of a panel).
        let panelWidth = max(300, 8 * (panels.map(\.title.count).max() ?? 0) + 70)
        var style = ChartStyle(title: "\(name): outputs before binarising", xLabel: "output", yLabel: "count",
                               width: max(640, panelWidth * columns), height: max(400, 80 + 240 * rowCount))
        style.showLegend = false
        style.caption = ["the solid line is the threshold \(formatNumber(distributions[0].threshold)), the dashed lines "
                         + "the targets \(distributions[0].targetsDescription); one count scale for every panel"]
        try writeChart(Chart.smallMultiples(panels, columns: columns, sharedYAxis: true, style: style), to: path,
                       command: "hist", output: output)
        output.line("wrote \(path)")
    }
}

/// Panels per row of a sweep's small multiples: one row per value of the first parameter when a second one is
/// swept (up to 4 values of the second across, as in the DSH paper's grid of m × α), else up to 3 across.
func smallMultipleColumns(_ table: SweepTable) -> Int {
    if table.parameters.count == 2 {
        let seconds = Set(table.runs.map { $0.values[1] }).count
        if seconds <= 4 { return max(seconds, 1) }
    }
    return min(table.runs.count, 3)
}

extension TextPlot {
    /// Histograms stacked one above the other, one column per bin and `height` rows each (in eighths of a row),
    /// every panel on the SAME count scale — the largest count of all panels fills the height — and the same bins
    /// (they must have equal bounds and bin counts), so that columns line up across panels. A non-empty bin is at
    /// least ⅛ row high, so that tails stay visible. Each panel is titled on its top row and ends on an axis line
    /// with `┴` at each of `marks` (e.g. the threshold and the targets ±1); the last is labelled with the bounds
    /// and the marks.
    static func compactHistograms(_ histograms: [HistogramBins], titles: [String], height: Int = 4,
                                  marks: [Double] = []) -> String {
        guard let first = histograms.first else { return "" }
        let top = max(histograms.flatMap(\.counts).max() ?? 0, 1)
        let binCount = first.counts.count
        let titleWidth = titles.map(\.count).max() ?? 0
        let eighths = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        func padded(_ title: String) -> String {
            title + String(repeating: " ", count: max(0, titleWidth - title.count))
        }
        let indent = String(repeating: " ", count: titleWidth + 1)
        func column(_ value: Double) -> Int? {
            guard value >= first.lowerBound, value <= first.upperBound else { return nil }
            return min(Int((value - first.lowerBound) / first.binWidth), binCount - 1)
        }
        let markColumns = Set(marks.compactMap(column))
        let axis = String((0..<binCount).map { markColumns.contains($0) ? "┴" : "─" })
        var text = ""
        for (index, histogram) in histograms.enumerated() {
            let levels = histogram.counts.map { count in
                count == 0 ? 0 : max(1, Int((Double(count) / Double(top) * Double(height * 8)).rounded()))
            }
            for row in (0..<height).reversed() {
                let label = row == height - 1 && index < titles.count ? padded(titles[index]) + " "
                    : indent
                let cells = levels.map { level -> String in
                    let filled = level - row * 8
                    return filled >= 8 ? "█" : filled <= 0 ? " " : eighths[filled]
                }
                text += label + "│" + cells.joined() + "\n"
            }
            text += indent + "└" + axis + "\n"
        }
        // Labels under the last axis: the bounds at both ends, then the marks in the order given at their columns,
        // each only where it leaves a blank between itself and the labels already placed.
        var line = [Character](repeating: " ", count: binCount + 12)
        var occupied = [Bool](repeating: false, count: line.count)
        func place(_ label: String, at start: Int) {
            let start = max(start, 0), end = start + label.count
            guard end <= line.count,
                  !occupied[max(start - 1, 0)..<min(end + 1, line.count)].contains(true) else { return }
            for (offset, character) in label.enumerated() { line[start + offset] = character }
            for index in start..<end { occupied[index] = true }
        }
        let lower = formatNumber(first.lowerBound), upper = formatNumber(first.upperBound)
        place(lower, at: 0)
        place(upper, at: binCount + 1 - upper.count)
        for mark in marks {
            let label = formatNumber(mark)
            guard let index = column(mark), label != lower, label != upper else { continue }
            place(label, at: index + 1 - label.count / 2)
        }
        text += indent + String(line).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        return text
    }
}
