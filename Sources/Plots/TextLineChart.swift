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
    public static func lineChart(_ series: [Series], width: Int = 60, height: Int = 12, color: Bool = false,
                                 palette: [PlotColor] = PlotColor.palette) -> String {
        precondition(width > 1 && height > 1, "a chart needs at least 2 × 2 cells")
        let points = series.flatMap { $0.finitePoints }
        let (xLow, xHigh) = dataRange(points.map { $0.x })
        let (yLow, yHigh) = dataRange(points.map { $0.y })
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
                (Int(((p.x - xLow) / (xHigh - xLow) * Double(dotWidth - 1)).rounded()),
                 Int(((yHigh - p.y) / (yHigh - yLow) * Double(dotHeight - 1)).rounded()))
            }
            if mapped.count == 1 { plot(mapped[0].0, mapped[0].1, index) }
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
        let left = formatNumber(xLow), right = formatNumber(xHigh)
        text += String(repeating: " ", count: labelWidth + 2) + left
            + String(repeating: " ", count: max(1, width - left.count - right.count)) + right + "\n"
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
