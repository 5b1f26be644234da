import Imaging

/// PNG charts rendered into RGB `Image`s (save them with Imaging's PNG writer). White background, distinct
/// colours from `ChartStyle.palette`, a 5 × 7 bitmap font scaled by `ChartStyle.textScale`, no anti-aliasing.
public enum Chart {
    /// A line chart of several named series on shared axes: grid, ticks at "nice" values, tick labels, a legend
    /// (when more than one series, or the series has a name), title and axis labels from `style`.
    /// Ranges are fitted to the data unless `style.xRange`/`style.yRange` fix them; points outside a fixed
    /// range are clipped at the frame.
    public static func line(_ series: [Series], style: ChartStyle = ChartStyle()) -> Image {
        var canvas = Canvas(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &canvas, style: style)
        let allPoints = series.flatMap { $0.finitePoints }
        let x = style.xRange.map { ($0.lowerBound, $0.upperBound) } ?? dataRange(allPoints.map { $0.x })
        let y = style.yRange.map { ($0.lowerBound, $0.upperBound) } ?? dataRange(allPoints.map { $0.y })
        let frame = PlotFrame(bounds: bounds, x: x, y: y, extendX: false,
                              extendY: style.yRange == nil, scale: style.textScale)
        frame.draw(on: &canvas, style: style)
        canvas.clip = (frame.area.left, frame.area.top, frame.area.right, frame.area.bottom)
        for (index, one) in series.enumerated() {
            let color = style.color(index)
            let points = one.finitePoints.map { (frame.column($0.x), frame.row($0.y)) }
            for (a, b) in zip(points, points.dropFirst()) {
                canvas.drawLine(fromX: a.0, y: a.1, toX: b.0, y: b.1, color: color, thickness: style.lineThickness)
            }
            if style.showMarkers || points.count == 1 {
                let size = 2 * style.lineThickness + 3
                for p in points { canvas.fillRectangle(x: p.0 - size / 2, y: p.1 - size / 2, width: size, height: size, color: color) }
            }
        }
        canvas.clip = nil
        let named = series.enumerated().filter { !$0.element.name.isEmpty }
        if series.count > 1 || !named.isEmpty {
            drawLegend(on: &canvas, entries: named.map { ($0.element.name, style.color($0.offset)) },
                       area: frame.area, style: style)
        }
        return canvas.image
    }

    /// A precision–recall chart: recall on x and precision on y, both fixed to [0, 1], square by default,
    /// one line per series (e.g. one per hashing method).
    public static func precisionRecall(_ series: [Series], style: ChartStyle = defaultPrecisionRecallStyle) -> Image {
        var style = style
        style.xRange = 0...1
        style.yRange = 0...1
        return line(series, style: style)
    }

    /// 480 × 480 with "recall" and "precision" axis labels.
    public static var defaultPrecisionRecallStyle: ChartStyle {
        ChartStyle(title: "precision-recall", xLabel: "recall", yLabel: "precision", width: 480, height: 480)
    }
}
