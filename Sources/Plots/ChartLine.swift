import Foundation

/// Charts as `Figure`s, drawn by Cairo: write one with `figure.write(to: "x.png")` or `"x.svg"`, or take its
/// pixels with `figure.image()`. White background, distinct colours from `ChartStyle.palette`, DejaVu Sans.
public enum Chart {
    /// A line chart of several named series on shared axes: grid, ticks at round values, a marker at every point
    /// (a series of one point is a marker alone), a legend (when more than one series, or the series has a name)
    /// in the corner that hides least, title and axis labels from `style`.
    ///
    /// The x axis follows `style.xScale`, or the data (`AxisScale.fitting`): a parameter that spans decades gets a
    /// log axis, or a categorical one when it includes 0. Whole-number x values (epochs, bits) get whole-number
    /// ticks. With `style.yFromZero` the y axis starts at 0. Ranges are fitted unless `style.xRange`/`yRange` fix
    /// them; points outside a fixed range are drawn at its edge.
    public static func line(_ series: [Series], style: ChartStyle = ChartStyle()) -> Figure {
        var figure = Figure(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &figure, style: style)
        let points = series.flatMap { $0.finitePoints }
        let xs = points.map(\.x), ys = points.map(\.y) + style.referenceLines.filter { !$0.vertical }.map(\.value)
        let xScale = style.xRange == nil ? (style.xScale ?? .fitting(xs)) : .linear
        let wholeNumbers = !xs.isEmpty && xs.allSatisfy { $0 == $0.rounded() }
        let xAxis = Axis.make(xScale, values: xs, fixed: style.xRange, fromZero: false, wholeNumbers: wholeNumbers,
                              target: 6)
        let yAxis = Axis.linear(ys, fixed: style.yRange, fromZero: style.yFromZero)
        let area = PlotArea(bounds: bounds, x: xAxis, y: yAxis)
        area.draw(on: &figure, style: style)
        area.draw(style.referenceLines, on: &figure)
        func clamp(_ v: Double, _ a: Double, _ b: Double) -> Double { min(max(v, a), b) }
        var occupied: [(x: Double, y: Double)] = []
        for (index, one) in series.enumerated() {
            let color = style.color(index)
            let pixels = one.finitePoints.map { p in
                (x: clamp(area.column(p.x), area.left, area.right), y: clamp(area.row(p.y), area.top, area.bottom))
            }
            if pixels.count > 1 {
                figure.add(.polyline(points: pixels, color: color, width: style.lineWidth, dash: []))
            }
            occupied += samples(along: pixels)
            if style.showMarkers || pixels.count == 1 {
                let size = pixels.count == 1 ? style.markerSize + 3 : style.markerSize
                for p in pixels { figure.add(.marker(x: p.x, y: p.y, size: size, shape: style.marker(index), color: color)) }
            }
        }
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        if series.count > 1 || !named.isEmpty {
            let entries = named.map { index, one in
                LegendEntry(name: one.name, color: style.color(index),
                            marker: style.showMarkers || one.finitePoints.count == 1 ? style.marker(index) : nil,
                            line: one.finitePoints.count > 1)
            }
            drawLegend(on: &figure, entries: entries, area: area, occupied: occupied, style: style)
        }
        return figure
    }

    /// A precision–recall chart: recall on x and precision on y, both fixed to [0, 1], square by default, one
    /// line per series (e.g. one per hashing method), and the precision of a random ranking as a dotted line when
    /// `chance` is given (the share of the database relevant to a query, 1/classes for balanced classes).
    public static func precisionRecall(_ series: [Series], chance: Double? = nil,
                                       style: ChartStyle = defaultPrecisionRecallStyle) -> Figure {
        var style = style
        style.xRange = 0...1
        style.yRange = 0...1
        if let chance, chance.isFinite, chance > 0 { style.referenceLines.append(.chance(chance)) }
        return line(series, style: style)
    }

    /// 480 × 480 with "recall" and "precision" axis labels.
    public static var defaultPrecisionRecallStyle: ChartStyle {
        ChartStyle(title: "precision-recall", xLabel: "recall", yLabel: "precision", width: 480, height: 480)
    }
}
