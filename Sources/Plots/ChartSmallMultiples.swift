import Imaging

/// One panel of a small-multiples figure: a title (e.g. "m=24 a=0.01") and its histogram.
public struct HistogramPanel: Sendable {
    public var title: String
    public var bins: HistogramBins

    public init(title: String, bins: HistogramBins) {
        self.title = title
        self.bins = bins
    }
}

extension Chart {
    /// "Small multiples": a grid of histogram panels sharing one x axis (the union of the panels' ranges), each
    /// with its title — e.g. DSH's figure of the network's real-valued outputs for several settings of m and α,
    /// where the eye compares shapes across panels. `columns` defaults to up to 3; the figure's size is
    /// `style.width` × `style.height` (make it larger for many panels). With `sharedYAxis`, every panel uses the
    /// largest count, so heights compare across panels too.
    public static func smallMultiples(_ panels: [HistogramPanel], columns: Int? = nil, sharedYAxis: Bool = false,
                                      style: ChartStyle = ChartStyle()) -> Image {
        var canvas = Canvas(width: style.width, height: style.height, background: style.background)
        let bounds = drawTitles(on: &canvas, style: style)
        guard !panels.isEmpty else { return canvas.image }
        let columnCount = max(1, min(columns ?? min(panels.count, 3), panels.count))
        let rowCount = (panels.count + columnCount - 1) / columnCount
        let low = panels.map { $0.bins.lowerBound }.min()!, high = panels.map { $0.bins.upperBound }.max()!
        let shared = sharedYAxis ? Double(panels.flatMap { $0.bins.counts }.max() ?? 1) : nil
        let scale = style.textScale
        let cellWidth = bounds.width / columnCount, cellHeight = bounds.height / rowCount
        for (index, panel) in panels.enumerated() {
            let cell = PixelRectangle(left: bounds.left + (index % columnCount) * cellWidth,
                                      top: bounds.top + (index / columnCount) * cellHeight,
                                      width: cellWidth - 6, height: cellHeight - 4)
            let titleHeight = BitmapFont.lineHeight * scale + 2
            let frame = drawHistogram(panel.bins, on: &canvas,
                                      bounds: PixelRectangle(left: cell.left, top: cell.top + titleHeight,
                                                             width: cell.width, height: cell.height - titleHeight),
                                      xRange: (low, high), yMaximum: shared, color: style.color(index), style: style)
            let title = String(panel.title.prefix(max(frame.area.width / (BitmapFont.advance * scale), 1)))
            canvas.drawText(title, x: frame.area.left + (frame.area.width - BitmapFont.width(of: title, scale: scale)) / 2,
                            y: cell.top + 1, color: style.foreground, scale: scale)
        }
        return canvas.image
    }
}
