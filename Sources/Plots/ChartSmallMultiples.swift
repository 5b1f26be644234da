import Foundation

/// One panel of a small-multiples figure: a title (e.g. "m=24 α=0.01"), bars over bins given by their edges,
/// an optional colour of its own, and lines at fixed x values (the threshold, the targets).
public struct HistogramPanel: Sendable {
    public var title: String
    /// counts.count + 1 increasing values: bar i covers [edges[i], edges[i + 1]).
    public var edges: [Double]
    public var heights: [Double]
    /// The bars' colour; nil takes the palette's colour of the panel's index.
    public var color: PlotColor?
    public var referenceLines: [ReferenceLine]

    public init(title: String, edges: [Double], heights: [Double], color: PlotColor? = nil,
                referenceLines: [ReferenceLine] = []) {
        precondition(edges.count == heights.count + 1, "a histogram panel needs one edge more than bars")
        self.title = title
        self.edges = edges
        self.heights = heights
        self.color = color
        self.referenceLines = referenceLines
    }

    /// The bars of `bins`, their counts as heights.
    public init(title: String, bins: HistogramBins, color: PlotColor? = nil, referenceLines: [ReferenceLine] = []) {
        self.init(title: title, edges: bins.edges, heights: bins.counts.map(Double.init), color: color,
                  referenceLines: referenceLines)
    }
}

extension Chart {
    /// "Small multiples": a grid of histogram panels sharing one x axis (the union of the panels' ranges), each
    /// with its title — e.g. DSH's figure of the network's real-valued outputs for several settings of m and α,
    /// where the eye compares shapes across panels. `columns` defaults to up to 3; the figure's size is
    /// `style.width` × `style.height` (make it larger for many panels). With `sharedYAxis`, every panel uses the
    /// largest height, so heights compare across panels too. `xTicks` replaces the automatic x ticks (e.g. every
    /// bin edge, so that each bar reads as a range).
    public static func smallMultiples(_ panels: [HistogramPanel], columns: Int? = nil, sharedYAxis: Bool = false,
                                      xTicks: [Double]? = nil, style: ChartStyle = ChartStyle()) -> Figure {
        var figure = Figure(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &figure, style: style)
        guard !panels.isEmpty else { return figure }
        let columnCount = max(1, min(columns ?? min(panels.count, 3), panels.count))
        let rowCount = (panels.count + columnCount - 1) / columnCount
        let low = panels.compactMap(\.edges.first).min()!, high = panels.compactMap(\.edges.last).max()!
        let shared = sharedYAxis ? panels.flatMap(\.heights).filter(\.isFinite).max() ?? 1 : nil
        let cellWidth = bounds.width / Double(columnCount), cellHeight = bounds.height / Double(rowCount)
        for (index, panel) in panels.enumerated() {
            let cell = Box(left: bounds.left + Double(index % columnCount) * cellWidth,
                           top: bounds.top + Double(index / columnCount) * cellHeight,
                           width: cellWidth - 8, height: cellHeight - 6)
            let titleHeight = FontSize.label + 6
            let area = drawHistogram(panel, on: &figure,
                                     bounds: Box(left: cell.left, top: cell.top + titleHeight, width: cell.width,
                                                 height: cell.height - titleHeight),
                                     xRange: (low, high), yMaximum: shared, color: panel.color ?? style.color(index),
                                     style: style, xTicks: xTicks, labelLines: false)
            let title = fitted(panel.title, width: area.box.width, size: FontSize.label)
            figure.text(title, x: area.left + area.box.width / 2, y: cell.top + FontSize.label * Figure.capitalHeight + 2,
                        size: FontSize.label, color: style.foreground, anchor: .middle, bold: true)
        }
        return figure
    }
}

/// One heat map of a figure of heat maps: `values` on a grid of `rows` × `columns` cells (row 0 at the bottom),
/// with labels along each axis.
public struct HeatMapPanel: Sendable {
    public var title: String
    public var columns: Int
    public var rows: Int
    /// Row-major, row 0 first (drawn at the bottom).
    public var values: [Double]
    public var columnLabels: [String]
    public var rowLabels: [String]
    /// Colours drawn as a strip under the columns (e.g. each hue bin's colour); empty for none.
    public var columnColors: [PlotColor]

    public init(title: String, columns: Int, rows: Int, values: [Double], columnLabels: [String] = [],
                rowLabels: [String] = [], columnColors: [PlotColor] = []) {
        precondition(values.count == columns * rows, "a heat map needs columns × rows values")
        self.title = title
        self.columns = columns
        self.rows = rows
        self.values = values
        self.columnLabels = columnLabels
        self.rowLabels = rowLabels
        self.columnColors = columnColors
    }
}

extension Chart {
    /// A row of heat maps on one colour scale (white for 0, then light yellow to dark blue up to the largest
    /// value of all panels), with a colour bar on the right labelled in `unit` — e.g. a joint HSV histogram as
    /// hue × saturation, one panel per band of value (brightness). Empty cells stay white, so that what is
    /// absent reads as absent. Colour follows the square root of the value (the colour bar's ticks say where each
    /// value lies), so that a bin holding 1% stands out from an empty one beside a bin holding 30%.
    public static func heatMaps(_ panels: [HeatMapPanel], xLabel: String, yLabel: String, unit: String,
                                style: ChartStyle = ChartStyle()) -> Figure {
        var figure = Figure(width: style.width, height: style.height, background: style.background)
        var titles = style
        titles.xLabel = xLabel
        titles.yLabel = ""
        let bounds = drawTitles(on: &figure, style: titles)
        guard !panels.isEmpty else { return figure }
        let largest = max(panels.flatMap(\.values).filter(\.isFinite).max() ?? 1, 1e-12)
        let barWidth = 16.0, barLabels = 46.0
        let rowLabelWidth = panels.flatMap(\.rowLabels).map { Figure.textWidth($0, size: FontSize.tick) }.max() ?? 0
        let left = bounds.left + max(rowLabelWidth + 8, Figure.textWidth(yLabel, size: FontSize.label) * 0)
        let available = bounds.right - left - barWidth - barLabels - 16
        let gap = 14.0
        let panelWidth = (available - gap * Double(panels.count - 1)) / Double(panels.count)
        let top = bounds.top + FontSize.label + 8 + (yLabel.isEmpty ? 0 : FontSize.label + 6)
        let hasStrip = panels.contains { !$0.columnColors.isEmpty }
        let bottom = bounds.bottom - FontSize.tick - 10 - (hasStrip ? 10 : 0)
        if !yLabel.isEmpty {
            figure.text(yLabel, x: bounds.left, y: bounds.top + FontSize.label * Figure.capitalHeight + 2,
                        size: FontSize.label, color: style.labelColor)
        }
        for (index, panel) in panels.enumerated() {
            let x0 = left + Double(index) * (panelWidth + gap)
            let cellWidth = panelWidth / Double(panel.columns), cellHeight = (bottom - top) / Double(panel.rows)
            figure.text(fitted(panel.title, width: panelWidth, size: FontSize.label), x: x0 + panelWidth / 2,
                        y: top - 6, size: FontSize.label, color: style.foreground, anchor: .middle, bold: true)
            for row in 0..<panel.rows {
                for column in 0..<panel.columns {
                    let value = panel.values[row * panel.columns + column]
                    let y = bottom - Double(row + 1) * cellHeight
                    figure.rectangle(x: x0 + Double(column) * cellWidth, y: y, width: cellWidth, height: cellHeight,
                                     fill: heatColor((value / largest).squareRoot()))
                }
            }
            figure.add(.polyline(points: [(x0, top), (x0 + panelWidth, top), (x0 + panelWidth, bottom), (x0, bottom),
                                          (x0, top)].map { ($0.0.rounded() + 0.5, $0.1.rounded() + 0.5) },
                                 color: style.gridColor, width: 1, dash: []))
            if !panel.columnColors.isEmpty {
                for (column, color) in panel.columnColors.prefix(panel.columns).enumerated() {
                    figure.rectangle(x: x0 + Double(column) * cellWidth, y: bottom + 3, width: cellWidth, height: 7,
                                     fill: color)
                }
            }
            // Column labels where they fit without overlapping; row labels on the first panel only.
            var lastEnd = -Double.infinity
            for (column, label) in panel.columnLabels.prefix(panel.columns).enumerated() {
                let centre = x0 + (Double(column) + 0.5) * cellWidth
                let half = Figure.textWidth(label, size: FontSize.tick) / 2
                guard centre - half > lastEnd + 3 else { continue }
                figure.text(label, x: centre, y: bottom + (hasStrip ? 13 : 3) + FontSize.tick, size: FontSize.tick,
                            color: style.foreground, anchor: .middle)
                lastEnd = centre + half
            }
            if index == 0 {
                var lastTop = Double.infinity
                for (row, label) in panel.rowLabels.prefix(panel.rows).enumerated() {
                    let middle = bottom - (Double(row) + 0.5) * cellHeight + FontSize.tick * Figure.capitalHeight / 2
                    guard middle < lastTop - FontSize.tick else { continue }
                    figure.text(label, x: x0 - 5, y: middle, size: FontSize.tick, color: style.foreground, anchor: .end)
                    lastTop = middle
                }
            }
        }
        // The colour bar: the scale from 0 to the largest value, in `unit`.
        let barLeft = bounds.right - barWidth - barLabels
        let steps = 64
        for step in 0..<steps {
            let fraction = (Double(step) + 0.5) / Double(steps)
            let y = bottom - Double(step + 1) * (bottom - top) / Double(steps)
            figure.rectangle(x: barLeft, y: y, width: barWidth, height: (bottom - top) / Double(steps) + 0.5,
                             fill: heatColor(fraction), crisp: false)
        }
        var lastY = Double.infinity
        for tick in niceTicks(low: 0, high: largest, target: 6, extend: false).ticks {
            let y = bottom - (tick / largest).squareRoot() * (bottom - top)
            guard lastY - y >= FontSize.tick || tick == 0 else { continue }
            lastY = y
            figure.hairline(from: (barLeft + barWidth, y), to: (barLeft + barWidth + 4, y), color: style.foreground)
            figure.text(formatNumber(tick), x: barLeft + barWidth + 6, y: y + FontSize.tick * Figure.capitalHeight / 2,
                        size: FontSize.tick, color: style.foreground)
        }
        figure.text(unit, x: barLeft + barWidth / 2, y: top - 6, size: FontSize.tick, color: style.labelColor,
                    anchor: .middle)
        return figure
    }

    /// The heat maps' colour for `t` in (0, 1]: white at 0, then from light yellow through
    /// green and blue to dark navy at 1 (ColorBrewer's YlGnBu, light to dark as the value grows).
    static func heatColor(_ t: Double) -> PlotColor {
        guard t > 0 else { return .white }
        let stops: [(Double, Double, Double)] = [(237, 248, 177), (199, 233, 180), (127, 205, 187), (65, 182, 196),
                                                 (29, 145, 192), (34, 94, 168), (12, 44, 132)]
        let position = min(max(t, 0), 1) * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2), f = position - Double(index)
        let (a, b) = (stops[index], stops[index + 1])
        func mix(_ x: Double, _ y: Double) -> UInt8 { UInt8((x + (y - x) * f).rounded()) }
        return PlotColor(red: mix(a.0, b.0), green: mix(a.1, b.1), blue: mix(a.2, b.2))
    }
}
