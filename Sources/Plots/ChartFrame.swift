import Foundation

/// A rectangle of pixels on a canvas.
struct PixelRectangle {
    var left: Int, top: Int, width: Int, height: Int
    var right: Int { left + width }
    var bottom: Int { top + height }
}

/// Tick values for an axis: "nice" steps of 1, 2 or 5 × 10ᵏ, about `target` of them.
///
/// The raw step (high − low)/target is rounded up to the next nice number, so tick labels stay short
/// (0, 0.2, 0.4 … rather than 0, 0.1734 …). With `extend`, the range grows to whole steps (auto-fitted axes);
/// otherwise only ticks inside [low, high] are returned (fixed axes).
func niceTicks(low: Double, high: Double, target: Int = 5, extend: Bool) -> (ticks: [Double], low: Double, high: Double) {
    guard high > low, low.isFinite, high.isFinite else { return ([low], low, high) }
    let raw = (high - low) / Double(max(target, 1))
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let fraction = raw / magnitude
    let step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
    var first = (low / step).rounded(.up) * step
    var last = (high / step).rounded(.down) * step
    var (newLow, newHigh) = (low, high)
    if extend {
        first = (low / step + 1e-9).rounded(.down) * step
        last = (high / step - 1e-9).rounded(.up) * step
        (newLow, newHigh) = (first, last)
    }
    var ticks = [Double]()
    var value = first
    let tolerance = step * 1e-9
    while value <= last + tolerance && ticks.count < 100 {
        ticks.append(abs(value) < tolerance ? 0 : value)
        value += step
    }
    return (ticks, newLow, newHigh)
}

/// The range covered by `values`, widened when degenerate; (0, 1) when empty.
func dataRange(_ values: [Double]) -> (low: Double, high: Double) {
    let finite = values.filter { $0.isFinite }
    guard var low = finite.min(), var high = finite.max() else { return (0, 1) }
    if high == low {
        let pad = low == 0 ? 1 : abs(low) * 0.1
        low -= pad
        high += pad
    }
    return (low, high)
}

/// Axes of one plot: the data ranges, the pixel rectangle they map to, and the ticks.
struct PlotFrame {
    var area: PixelRectangle
    var xLow: Double, xHigh: Double, yLow: Double, yHigh: Double
    var xTicks: [Double], yTicks: [Double]

    /// Pixel column of data x (not clamped beyond a generous margin, so that lines leave the frame naturally).
    func column(_ x: Double) -> Int {
        let t = (x - xLow) / (xHigh - xLow)
        return Int((Double(area.left) + t * Double(area.width - 1)).rounded().clamped(-100_000, 100_000))
    }

    /// Pixel row of data y (y grows upwards in data, downwards on the image).
    func row(_ y: Double) -> Int {
        let t = (y - yLow) / (yHigh - yLow)
        return Int((Double(area.bottom - 1) - t * Double(area.height - 1)).rounded().clamped(-100_000, 100_000))
    }

    /// Lays out axes inside `bounds` for the given ranges, leaving room for tick labels; `extendX`/`extendY`
    /// round auto-fitted ranges out to whole tick steps.
    init(bounds: PixelRectangle, x: (Double, Double), y: (Double, Double), extendX: Bool, extendY: Bool,
         scale: Int, xTickTarget: Int = 6, yTickTarget: Int = 5) {
        let xAxis = niceTicks(low: x.0, high: x.1, target: xTickTarget, extend: extendX)
        let yAxis = niceTicks(low: y.0, high: y.1, target: yTickTarget, extend: extendY)
        let labelWidth = yAxis.ticks.map { BitmapFont.width(of: formatNumber($0), scale: scale) }.max() ?? 0
        let left = bounds.left + labelWidth + 4 * scale + 4
        let bottomSpace = BitmapFont.lineHeight * scale + 6
        let lastLabelHalf = BitmapFont.width(of: formatNumber(xAxis.ticks.last ?? 0), scale: scale) / 2
        let right = bounds.right - max(lastLabelHalf, 4)
        area = PixelRectangle(left: left, top: bounds.top + BitmapFont.glyphHeight * scale / 2,
                              width: max(right - left, 10),
                              height: max(bounds.bottom - bottomSpace - bounds.top - BitmapFont.glyphHeight * scale / 2, 10))
        (xLow, xHigh, yLow, yHigh) = (xAxis.low, xAxis.high, yAxis.low, yAxis.high)
        xTicks = xAxis.ticks
        yTicks = yAxis.ticks
    }

    /// Grid lines, the axis lines, tick marks and tick labels.
    func draw(on canvas: inout Canvas, style: ChartStyle, xTickLabels: Bool = true) {
        let scale = style.textScale
        for tick in yTicks {
            let y = row(tick)
            canvas.fillRectangle(x: area.left, y: y, width: area.width, height: 1, color: style.gridColor)
            canvas.fillRectangle(x: area.left - 4, y: y, width: 4, height: 1, color: style.foreground)
            let label = formatNumber(tick)
            canvas.drawText(label, x: area.left - 6 - BitmapFont.width(of: label, scale: scale),
                            y: y - BitmapFont.glyphHeight * scale / 2, color: style.foreground, scale: scale)
        }
        for tick in xTicks {
            let x = column(tick)
            canvas.fillRectangle(x: x, y: area.top, width: 1, height: area.height, color: style.gridColor)
            canvas.fillRectangle(x: x, y: area.bottom, width: 1, height: 4, color: style.foreground)
            if xTickLabels {
                let label = formatNumber(tick)
                canvas.drawText(label, x: x - BitmapFont.width(of: label, scale: scale) / 2, y: area.bottom + 6,
                                color: style.foreground, scale: scale)
            }
        }
        canvas.fillRectangle(x: area.left - 1, y: area.top, width: 1, height: area.height + 1, color: style.foreground)
        canvas.fillRectangle(x: area.left - 1, y: area.bottom, width: area.width + 1, height: 1, color: style.foreground)
    }
}

extension Double {
    func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}

/// Space for the title, the y label (written horizontally above the axis) and the x label; returns the
/// rectangle left for the plot itself, after drawing those texts.
func drawTitles(on canvas: inout Canvas, style: ChartStyle) -> PixelRectangle {
    let scale = style.textScale
    let line = BitmapFont.lineHeight * scale
    var top = 8
    if !style.title.isEmpty {
        canvas.drawText(style.title, x: (canvas.width - BitmapFont.width(of: style.title, scale: scale)) / 2, y: top,
                        color: style.foreground, scale: scale)
        top += line + 4
    }
    if !style.yLabel.isEmpty {
        canvas.drawText(style.yLabel, x: 8, y: top, color: style.darkGrayOrForeground, scale: scale)
        top += line + 2 * scale
    }
    var bottom = canvas.height - 8
    if !style.xLabel.isEmpty {
        bottom -= line
        canvas.drawText(style.xLabel, x: (canvas.width - BitmapFont.width(of: style.xLabel, scale: scale)) / 2,
                        y: bottom + 2, color: style.darkGrayOrForeground, scale: scale)
    }
    return PixelRectangle(left: 8, top: top, width: canvas.width - 16, height: bottom - top)
}

extension ChartStyle {
    var darkGrayOrForeground: PlotColor { foreground == .black ? .darkGray : foreground }
}

/// A legend box in the top-right corner of `area`: a colour swatch and the name of each entry.
func drawLegend(on canvas: inout Canvas, entries: [(name: String, color: PlotColor)], area: PixelRectangle,
                style: ChartStyle) {
    guard style.showLegend, !entries.isEmpty else { return }
    let scale = style.textScale
    let line = BitmapFont.lineHeight * scale
    let swatch = 8 * scale
    let textWidth = entries.map { BitmapFont.width(of: $0.name, scale: scale) }.max() ?? 0
    let boxWidth = swatch + 3 * scale + textWidth + 4 * scale
    let boxHeight = entries.count * line + 2 * scale
    let left = area.right - boxWidth - 4, top = area.top + 4
    canvas.fillRectangle(x: left, y: top, width: boxWidth, height: boxHeight, color: style.background)
    canvas.strokeRectangle(x: left, y: top, width: boxWidth, height: boxHeight, color: style.gridColor)
    for (index, entry) in entries.enumerated() {
        let y = top + scale + index * line
        canvas.fillRectangle(x: left + 2 * scale, y: y + BitmapFont.glyphHeight * scale / 2 - scale / 2 - 1,
                             width: swatch, height: max(scale, 2) + 1, color: entry.color)
        canvas.drawText(entry.name, x: left + 2 * scale + swatch + 3 * scale, y: y, color: style.foreground, scale: scale)
    }
}
