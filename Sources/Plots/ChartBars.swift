import Foundation

extension Chart {
    /// A bar chart of one value per labelled category (e.g. mAP per method). The value axis always includes 0;
    /// bars rise from 0 (or hang from it for negative values), each in `colors[i]` when given, else in the
    /// palette's colours. Labels too wide for their slot are cut short with "…".
    public static func bars(labels: [String], values: [Double], colors: [PlotColor]? = nil,
                            style: ChartStyle = ChartStyle()) -> Figure {
        var figure = Figure(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &figure, style: style)
        let finite = values.filter { $0.isFinite }
        let yAxis = Axis.linear(finite + [0], fixed: style.yRange, fromZero: true)
        let count = max(values.count, 1)
        let xAxis = Axis(low: 0, high: Double(count), scale: .linear, ticks: [])
        let area = PlotArea(bounds: bounds, x: xAxis, y: yAxis, xTickLabels: true)
        area.draw(on: &figure, style: style, xTickLabels: false)
        let slot = area.box.width / Double(count)
        let zero = area.row(0)
        for (index, value) in values.enumerated() where value.isFinite {
            let color = colors.map { $0[index % $0.count] } ?? style.color(values.count <= style.palette.count ? index : 0)
            let top = area.row(min(max(value, yAxis.low), yAxis.high))
            figure.rectangle(x: area.left + Double(index) * slot + slot * 0.15, y: min(top, zero),
                             width: max(slot * 0.7, 1), height: abs(zero - top), fill: color)
        }
        for (index, label) in labels.prefix(values.count).enumerated() {
            let text = fitted(label, width: slot - 2, size: FontSize.tick)
            figure.text(text, x: area.left + (Double(index) + 0.5) * slot,
                        y: area.bottom + 6 + FontSize.tick * Figure.capitalHeight + 1, size: FontSize.tick,
                        color: style.foreground, anchor: .middle)
        }
        return figure
    }

    /// A histogram of binned values: contiguous bars over a numeric x axis from the bins' lower to upper bound,
    /// the count axis from 0, and `style.referenceLines` (e.g. `.threshold(0)`, `.target(-1)`, `.target(1)`)
    /// drawn over the bars.
    public static func histogram(_ bins: HistogramBins, style: ChartStyle = ChartStyle()) -> Figure {
        var figure = Figure(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &figure, style: style)
        drawHistogram(HistogramPanel(title: "", bins: bins, referenceLines: style.referenceLines), on: &figure,
                      bounds: bounds, xRange: (bins.lowerBound, bins.upperBound), yMaximum: nil,
                      color: style.color(0), style: style)
        return figure
    }

    /// Draws axes, the bars of `panel` and its reference lines inside `bounds`, on the x range given (which may
    /// be wider than the panel's own, for panels sharing one axis). Returns the plot area used.
    @discardableResult
    static func drawHistogram(_ panel: HistogramPanel, on figure: inout Figure, bounds: Box, xRange: (Double, Double),
                              yMaximum: Double?, color: PlotColor, style: ChartStyle, xTicks: [Double]? = nil,
                              labelLines: Bool = true) -> PlotArea {
        let top = yMaximum ?? panel.heights.filter(\.isFinite).max() ?? 1
        var xAxis = Axis.linear([xRange.0, xRange.1], fixed: xRange.0...xRange.1, target: 5)
        if let xTicks { xAxis.ticks = xTicks }
        // Ticks at every reference line too, so that the threshold and the targets are labelled on the axis.
        for line in panel.referenceLines where line.vertical && !xAxis.ticks.contains(where: { abs($0 - line.value) < 1e-9 })
            && line.value >= xRange.0 && line.value <= xRange.1 {
            xAxis.ticks.append(line.value)
        }
        xAxis.ticks.sort()
        let yAxis = Axis.linear([0, top > 0 ? top : 1], fromZero: true, target: 4)
        let area = PlotArea(bounds: bounds, x: xAxis, y: yAxis)
        area.draw(on: &figure, style: style, priority: panel.referenceLines.filter(\.vertical).map(\.value))
        let zero = area.row(0)
        let edges = panel.edges
        for (index, height) in panel.heights.enumerated() where height > 0 && height.isFinite {
            let left = area.column(edges[index]).rounded(), right = area.column(edges[index + 1]).rounded()
            let gap = right - left >= 4 ? 1.0 : 0
            let rowTop = area.row(height)
            figure.rectangle(x: left, y: rowTop, width: max(right - left - gap, 1), height: zero - rowTop, fill: color)
        }
        area.draw(panel.referenceLines.map { line in
            var line = line
            if line.vertical && !labelLines { line.label = "" }    // small panels: the axis' ticks say it
            return line
        }, on: &figure)
        return area
    }

    /// `text` cut with "…" to fit `width` pixels at `size`.
    static func fitted(_ text: String, width: Double, size: Double) -> String {
        guard Figure.textWidth(text, size: size) > width else { return text }
        var cut = text
        while !cut.isEmpty, Figure.textWidth(cut + "…", size: size) > width { cut.removeLast() }
        return cut.isEmpty ? "" : cut + "…"
    }
}
