import Imaging

extension Chart {
    /// A bar chart of one value per labelled category (e.g. mAP per method). The value axis always includes 0;
    /// bars rise from 0 (or hang from it for negative values). Labels too wide for their slot are cut short.
    public static func bars(labels: [String], values: [Double], style: ChartStyle = ChartStyle()) -> Image {
        var canvas = Canvas(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &canvas, style: style)
        let finite = values.filter { $0.isFinite }
        var low = min(0, finite.min() ?? 0), high = max(0, finite.max() ?? 1)
        if let fixed = style.yRange { (low, high) = (fixed.lowerBound, fixed.upperBound) }
        if high == low { high = low + 1 }
        var frame = PlotFrame(bounds: bounds, x: (0, Double(max(values.count, 1))), y: (low, high),
                              extendX: false, extendY: style.yRange == nil, scale: style.textScale)
        frame.xTicks = []
        frame.draw(on: &canvas, style: style)
        let count = max(values.count, 1)
        let slot = Double(frame.area.width) / Double(count)
        let scale = style.textScale
        canvas.clip = (frame.area.left, frame.area.top, frame.area.right, frame.area.bottom)
        let zero = frame.row(0)
        for (index, value) in values.enumerated() where value.isFinite {
            let left = frame.area.left + Int(Double(index) * slot + slot * 0.15)
            let width = max(Int(slot * 0.7), 1)
            let top = frame.row(value)
            canvas.fillRectangle(x: left, y: min(top, zero), width: width, height: abs(zero - top) + 1,
                                 color: style.color(values.count <= style.palette.count ? index : 0))
        }
        canvas.clip = nil
        let characters = max(Int(slot) / (BitmapFont.advance * scale), 1)
        for (index, label) in labels.prefix(values.count).enumerated() {
            let text = String(label.prefix(characters))
            let centre = frame.area.left + Int(Double(index) * slot + slot / 2)
            canvas.drawText(text, x: centre - BitmapFont.width(of: text, scale: scale) / 2, y: frame.area.bottom + 6,
                            color: style.foreground, scale: scale)
        }
        return canvas.image
    }

    /// A histogram of binned values: contiguous bars over a numeric x axis from the bins' lower to upper bound.
    public static func histogram(_ bins: HistogramBins, style: ChartStyle = ChartStyle()) -> Image {
        var canvas = Canvas(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &canvas, style: style)
        drawHistogram(bins, on: &canvas, bounds: bounds, xRange: (bins.lowerBound, bins.upperBound),
                      yMaximum: nil, color: style.color(0), style: style)
        return canvas.image
    }

    /// Draws axes and the bars of `bins` inside `bounds`, on the x range given (which may be wider than the
    /// bins' own, for panels sharing one axis). Returns the plot frame used.
    @discardableResult
    static func drawHistogram(_ bins: HistogramBins, on canvas: inout Canvas, bounds: PixelRectangle,
                              xRange: (Double, Double), yMaximum: Double?, color: PlotColor,
                              style: ChartStyle) -> PlotFrame {
        let top = yMaximum ?? Double(bins.counts.max() ?? 1)
        let frame = PlotFrame(bounds: bounds, x: xRange, y: (0, max(top, 1)), extendX: false, extendY: true,
                              scale: style.textScale, xTickTarget: 4, yTickTarget: 4)
        frame.draw(on: &canvas, style: style)
        canvas.clip = (frame.area.left, frame.area.top, frame.area.right, frame.area.bottom)
        let edges = bins.edges
        let zero = frame.row(0)
        for (index, count) in bins.counts.enumerated() where count > 0 {
            let left = frame.column(edges[index]), right = frame.column(edges[index + 1])
            let gap = right - left >= 4 ? 1 : 0
            let top = frame.row(Double(count))
            canvas.fillRectangle(x: left, y: top, width: max(right - left - gap, 1), height: zero - top + 1, color: color)
        }
        canvas.clip = nil
        return frame
    }
}
