import Foundation

extension TextPlot {
    /// Markers that tell series apart when colour is off and several series share the chart.
    static let seriesMarkers: [Character] = ["•", "×", "+", "o", "*", "#", "%", "@"]

    /// A line chart of one or more series in `width` × `height` character cells, with the y range's maximum and
    /// minimum labelled on the left, the x range's ends underneath, and a legend line.
    ///
    /// Each cell is a Braille character holding 2 × 4 dots, so one series is drawn at twice the width and four
    /// times the height in dots; consecutive points are joined by Bresenham lines on that dot grid. With several
    /// series: in colour (24-bit ANSI) every cell takes the colour of the last series that passes through it;
    /// without colour, cells show the series' marker (•, ×, +, …) instead of Braille, which keeps them apart.
    ///
    /// The axes are fitted to the data unless `xRange`/`yRange` fix them; `yFromZero` starts the y axis at 0
    /// (precision, mAP, recall: a difference is drawn at its true size, not zoomed into noise). A log or
    /// categorical `xScale` (or one `AxisScale.fitting` picks for x values spanning decades) places x values by
    /// their ratios, or in equal slots, and labels its ticks underneath. A series of one point is a full cell.
    public static func lineChart(_ series: [Series], width: Int = 60, height: Int = 12, color: Bool = false,
                                 palette: [PlotColor] = PlotColor.palette, xRange: ClosedRange<Double>? = nil,
                                 yRange: ClosedRange<Double>? = nil, yFromZero: Bool = false,
                                 xScale: AxisScale? = nil) -> String {
        precondition(width > 1 && height > 1, "a chart needs at least 2 × 2 cells")
        let points = series.flatMap { $0.finitePoints }
        let xs = points.map { $0.x }
        let scale = xRange == nil ? (xScale ?? .fitting(xs)) : .linear
        var xAxis: Axis? = nil
        var (xLow, xHigh) = xRange.map { ($0.lowerBound, $0.upperBound) } ?? dataRange(xs)
        if scale != .linear {
            let axis = Axis.make(scale, values: xs, fixed: nil, fromZero: false, wholeNumbers: false, target: 5)
            xAxis = axis
            (xLow, xHigh) = (0, 1)
        }
        func xPosition(_ x: Double) -> Double { xAxis.map { $0.fraction(x) } ?? x }
        var (yLow, yHigh) = yRange.map { ($0.lowerBound, $0.upperBound) } ?? dataRange(points.map { $0.y })
        if yRange == nil, yFromZero {
            yLow = min(0, points.map { $0.y }.min() ?? 0)
            if yHigh <= yLow { yHigh = yLow + 1 }
        }
        let dotWidth = width * 2, dotHeight = height * 4
        var dots = [UInt8](repeating: 0, count: width * height)       // union of every series' dots
        var owner = [Int](repeating: -1, count: width * height)
        let dotBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]
        func plot(_ x: Int, _ y: Int, _ index: Int) {
            guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
            let cell = (y / 4) * width + x / 2
            dots[cell] |= dotBits[x % 2][y % 4]
            owner[cell] = index
        }
        for (index, one) in series.enumerated() {
            let mapped = one.finitePoints.map { p in
                (Int(((xPosition(p.x) - xLow) / (xHigh - xLow) * Double(dotWidth - 1)).rounded()),
                 Int(((yHigh - p.y) / (yHigh - yLow) * Double(dotHeight - 1)).rounded()))
            }
            if mapped.count == 1 {
                // A lone point fills its whole cell, so that it shows as a mark rather than one dot.
                let (x, y) = mapped[0]
                for dx in 0..<2 { for dy in 0..<4 { plot(x / 2 * 2 + dx, y / 4 * 4 + dy, index) } }
            }
            for (a, b) in zip(mapped, mapped.dropFirst()) {
                // Bresenham on the dot grid.
                var (x, y) = a
                let dx = abs(b.0 - a.0), dy = -abs(b.1 - a.1)
                let sx = a.0 < b.0 ? 1 : -1, sy = a.1 < b.1 ? 1 : -1
                var error = dx + dy
                while true {
                    plot(x, y, index)
                    if x == b.0 && y == b.1 { break }
                    let doubled = 2 * error
                    if doubled >= dy { error += dy; x += sx }
                    if doubled <= dx { error += dx; y += sy }
                }
            }
        }
        let top = formatNumber(yHigh), bottom = formatNumber(yLow)
        let labelWidth = max(top.count, bottom.count)
        let useMarkers = !color && series.count > 1
        var text = ""
        for row in 0..<height {
            let label = row == 0 ? top : row == height - 1 ? bottom : ""
            text += padLeft(label, labelWidth) + (row == 0 || row == height - 1 ? " ┤" : " │")
            for column in 0..<width {
                let cell = row * width + column
                guard dots[cell] != 0 else { text += " "; continue }
                let glyph = useMarkers ? String(seriesMarkers[owner[cell] % seriesMarkers.count])
                                       : String(UnicodeScalar(0x2800 + UInt32(dots[cell]))!)
                text += color ? ansiForeground(palette[owner[cell] % palette.count]) + glyph + ansiReset : glyph
            }
            text += "\n"
        }
        text += String(repeating: " ", count: labelWidth) + " └" + String(repeating: "─", count: width) + "\n"
        if let xAxis {
            // Tick labels under their columns, each where it leaves a blank after the previous one.
            var line = [Character](repeating: " ", count: width + 8)
            var end = -2
            for tick in xAxis.ticks {
                let label = Array(formatNumber(tick))
                let column = Int((xAxis.fraction(tick) * Double(dotWidth - 1)).rounded()) / 2
                let start = max(0, min(column - label.count / 2, line.count - label.count))
                guard start > end + 1 else { continue }
                for (offset, character) in label.enumerated() { line[start + offset] = character }
                end = start + label.count - 1
            }
            text += String(repeating: " ", count: labelWidth + 2)
                + String(line).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        } else {
            let left = formatNumber(xLow), right = formatNumber(xHigh)
            text += String(repeating: " ", count: labelWidth + 2) + left
                + String(repeating: " ", count: max(1, width - left.count - right.count)) + right + "\n"
        }
        let legend = series.enumerated().filter { !$0.element.name.isEmpty }.map { index, one in
            let mark = useMarkers ? String(seriesMarkers[index % seriesMarkers.count]) : "⣿"
            return (color ? ansiForeground(palette[index % palette.count]) + mark + ansiReset : mark) + " " + one.name
        }
        if !legend.isEmpty { text += String(repeating: " ", count: labelWidth + 2) + legend.joined(separator: "   ") + "\n" }
        return text
    }

    /// The escape sequence that sets a 24-bit foreground colour.
    static func ansiForeground(_ c: PlotColor) -> String { "\u{1B}[38;2;\(c.red);\(c.green);\(c.blue)m" }
    static func ansiBackground(_ c: PlotColor) -> String { "\u{1B}[48;2;\(c.red);\(c.green);\(c.blue)m" }
    static let ansiReset = "\u{1B}[0m"
}
