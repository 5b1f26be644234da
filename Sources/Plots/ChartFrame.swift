import Foundation

/// Font sizes of the charts, in pixels.
enum FontSize {
    static let title = 15.0
    static let label = 13.0
    static let tick = 12.0
    static let legend = 12.0
    static let caption = 12.0
}

/// A rectangle on a figure, in pixels.
struct Box {
    var left: Double, top: Double, width: Double, height: Double
    var right: Double { left + width }
    var bottom: Double { top + height }
}

/// A plot's two axes and the rectangle they span: maps data to pixels and draws grid, axes, ticks and labels.
struct PlotArea {
    var box: Box
    var x: Axis, y: Axis

    var left: Double { box.left }
    var right: Double { box.right }
    var top: Double { box.top }
    var bottom: Double { box.bottom }

    /// Pixel column of data x.
    func column(_ value: Double) -> Double { box.left + x.fraction(value) * box.width }
    /// Pixel row of data y (y grows upwards in data, downwards on the figure).
    func row(_ value: Double) -> Double { box.bottom - y.fraction(value) * box.height }

    /// Lays the axes out inside `bounds`, leaving room on the left for the y tick labels and below for the x
    /// tick labels (when drawn).
    init(bounds: Box, x: Axis, y: Axis, xTickLabels: Bool = true) {
        self.x = x
        self.y = y
        let labelWidth = y.ticks.map { Figure.textWidth(formatNumber($0), size: FontSize.tick) }.max() ?? 0
        let left = bounds.left + labelWidth + 10
        let lastHalf = xTickLabels ? Figure.textWidth(formatNumber(x.ticks.last ?? 0), size: FontSize.tick) / 2 : 0
        let right = bounds.right - max(lastHalf, 6)
        let top = bounds.top + FontSize.tick / 2
        let bottom = bounds.bottom - (xTickLabels ? FontSize.tick + 10 : 6)
        box = Box(left: left, top: top, width: max(right - left, 10), height: max(bottom - top, 10))
    }

    /// Grid lines at the ticks, the axis lines, tick marks and tick labels (an x label is left out where it would
    /// overlap one already placed; those at `priority` values are placed first).
    func draw(on figure: inout Figure, style: ChartStyle, xTickLabels: Bool = true, priority: [Double] = []) {
        for tick in y.ticks {
            let row = self.row(tick)
            figure.hairline(from: (left, row), to: (right, row), color: style.gridColor)
            figure.hairline(from: (left - 4, row), to: (left, row), color: style.foreground)
            figure.text(formatNumber(tick), x: left - 6, y: row + FontSize.tick * Figure.capitalHeight / 2,
                        size: FontSize.tick, color: style.foreground, anchor: .end)
        }
        for tick in x.ticks {
            let column = self.column(tick)
            figure.hairline(from: (column, top), to: (column, bottom), color: style.gridColor)
            figure.hairline(from: (column, bottom), to: (column, bottom + 4), color: style.foreground)
        }
        // Labels first at the `priority` ticks (a threshold before its targets), then at the others, each only
        // where it keeps clear of the labels already placed.
        var placed: [ClosedRange<Double>] = []
        let ordered = priority.filter { x.ticks.contains($0) } + x.ticks.filter { !priority.contains($0) }
        for tick in ordered where xTickLabels {
            let column = self.column(tick)
            let label = formatNumber(tick)
            let half = Figure.textWidth(label, size: FontSize.tick) / 2
            let span = (column - half - 4)...(column + half + 4)
            guard !placed.contains(where: { $0.overlaps(span) }) else { continue }
            figure.text(label, x: column, y: bottom + 6 + FontSize.tick * Figure.capitalHeight + 1,
                        size: FontSize.tick, color: style.foreground, anchor: .middle)
            placed.append(span)
        }
        figure.hairline(from: (left, top), to: (left, bottom + 0.5), color: style.foreground)
        figure.hairline(from: (left - 0.5, bottom), to: (right, bottom), color: style.foreground)
    }

    /// Horizontal or vertical reference lines (a threshold, targets, a chance level), each labelled at its end
    /// inside the plot.
    func draw(_ lines: [ReferenceLine], on figure: inout Figure) {
        for line in lines {
            if line.vertical {
                guard x.fraction(line.value) >= -1e-9, x.fraction(line.value) <= 1 + 1e-9 else { continue }
                let column = self.column(line.value)
                figure.hairline(from: (column, top), to: (column, bottom), color: line.color, width: line.width,
                                dash: line.dash)
                let atRight = column < left + box.width * 0.8
                figure.text(line.label, x: column + (atRight ? 4 : -4), y: top + FontSize.legend + 2,
                            size: FontSize.legend, color: line.color, anchor: atRight ? .start : .end)
            } else {
                guard y.fraction(line.value) >= -1e-9, y.fraction(line.value) <= 1 + 1e-9 else { continue }
                let row = self.row(line.value)
                figure.hairline(from: (left, row), to: (right, row), color: line.color, width: line.width,
                                dash: line.dash)
                figure.text(line.label, x: left + 4, y: row - 4, size: FontSize.legend, color: line.color)
            }
        }
    }
}

/// The title, the y label (written horizontally above the axis), the x label and the caption lines; returns the
/// rectangle left for the plot itself, after drawing those texts.
func drawTitles(on figure: inout Figure, style: ChartStyle) -> Box {
    var top = 8.0
    if !style.title.isEmpty {
        top += FontSize.title * Figure.capitalHeight + 2
        figure.text(style.title, x: Double(figure.width) / 2, y: top, size: FontSize.title, color: style.foreground,
                    anchor: .middle, bold: true)
        top += 10
    }
    if !style.yLabel.isEmpty {
        top += FontSize.label * Figure.capitalHeight + 2
        figure.text(style.yLabel, x: 8, y: top, size: FontSize.label, color: style.labelColor)
        top += 8
    }
    var bottom = Double(figure.height) - 6
    for line in style.caption.reversed() {
        figure.text(line, x: Double(figure.width) / 2, y: bottom - 3, size: FontSize.caption, color: style.labelColor,
                    anchor: .middle)
        bottom -= FontSize.caption + 4
    }
    if !style.xLabel.isEmpty {
        figure.text(style.xLabel, x: Double(figure.width) / 2, y: bottom - 3, size: FontSize.label,
                    color: style.labelColor, anchor: .middle)
        bottom -= FontSize.label + 4
    }
    return Box(left: 8, top: top, width: Double(figure.width) - 16, height: bottom - top)
}

/// One entry of a legend: a line and/or a marker in the series' colour, and its name.
struct LegendEntry {
    var name: String
    var color: PlotColor
    var marker: MarkerShape?
    var line: Bool
}

/// A legend box in the corner of `area` that covers the fewest of `occupied` points (the data drawn), so that
/// it hides as little of the data as it can.
func drawLegend(on figure: inout Figure, entries: [LegendEntry], area: PlotArea, occupied: [(x: Double, y: Double)],
                style: ChartStyle) {
    guard style.showLegend, !entries.isEmpty else { return }
    let line = FontSize.legend + 5
    let swatch = 22.0
    let textWidth = entries.map { Figure.textWidth($0.name, size: FontSize.legend) }.max() ?? 0
    let width = 6 + swatch + 6 + textWidth + 8, height = Double(entries.count) * line + 8
    let corners = [(area.right - width - 6, area.top + 6), (area.left + 6, area.top + 6),
                   (area.right - width - 6, area.bottom - height - 6), (area.left + 6, area.bottom - height - 6)]
    func covered(_ corner: (Double, Double)) -> Int {
        occupied.filter { $0.x >= corner.0 - 4 && $0.x <= corner.0 + width + 4
            && $0.y >= corner.1 - 4 && $0.y <= corner.1 + height + 4 }.count
    }
    let (left, top) = corners.min { covered($0) < covered($1) }!
    figure.rectangle(x: left, y: top, width: width, height: height, fill: style.background, crisp: false)
    figure.add(.polyline(points: [(left, top), (left + width, top), (left + width, top + height), (left, top + height),
                                  (left, top)], color: style.gridColor, width: 1, dash: []))
    for (index, entry) in entries.enumerated() {
        let middle = top + 4 + Double(index) * line + line / 2
        if entry.line {
            figure.add(.polyline(points: [(left + 6, middle), (left + 6 + swatch, middle)], color: entry.color,
                                 width: style.lineWidth, dash: []))
        }
        if let marker = entry.marker {
            figure.add(.marker(x: left + 6 + swatch / 2, y: middle, size: style.markerSize, shape: marker,
                               color: entry.color))
        } else if !entry.line {
            figure.rectangle(x: left + 6 + swatch / 2 - 5, y: middle - 5, width: 10, height: 10, fill: entry.color)
        }
        figure.text(entry.name, x: left + 6 + swatch + 6, y: middle + FontSize.legend * Figure.capitalHeight / 2,
                    size: FontSize.legend, color: style.foreground)
    }
}

/// Points every `step` pixels along a polyline: what the legend placement counts as covered.
func samples(along points: [(x: Double, y: Double)], step: Double = 4) -> [(x: Double, y: Double)] {
    guard points.count > 1 else { return points }
    var result = [(x: Double, y: Double)]()
    for (a, b) in zip(points, points.dropFirst()) {
        let length = hypot(b.x - a.x, b.y - a.y)
        let count = max(Int(length / step), 1)
        for i in 0...count {
            let t = Double(i) / Double(count)
            result.append((a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
        }
    }
    return result
}
