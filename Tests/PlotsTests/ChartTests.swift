import XCTest
import Imaging
import Plots

/// Pixels of `image` that have exactly `color`, as (x, y).
private func pixels(of color: PlotColor, in image: Image) -> [(x: Int, y: Int)] {
    var found = [(x: Int, y: Int)]()
    for y in 0..<image.height {
        for x in 0..<image.width where image[x, y, 0] == color.red && image[x, y, 1] == color.green
            && image[x, y, 2] == color.blue { found.append((x, y)) }
    }
    return found
}

final class ChartTests: XCTestCase {
    func testFontCoversPrintableASCII() {
        var seen = Set<[UInt8]>()
        for value in 0x20...0x7E {
            let character = Character(UnicodeScalar(UInt8(value)))
            guard let columns = BitmapFont.columns(for: character) else { return XCTFail("no glyph for \(character)") }
            XCTAssertEqual(columns.count, 5)
            XCTAssertTrue(columns.allSatisfy { $0 < 0x80 }, "glyph \(character) uses an eighth row")
            if character != " " { XCTAssertTrue(columns.contains { $0 != 0 }, "glyph \(character) is blank") }
            XCTAssertTrue(seen.insert(Array(columns)).inserted, "glyph \(character) duplicates another")
        }
        XCTAssertNil(BitmapFont.columns(for: "é"))
        XCTAssertEqual(BitmapFont.width(of: "abc", scale: 2), 34)
    }

    func testCanvasTextAndLines() {
        var canvas = Canvas(width: 20, height: 12)
        canvas.drawText("T", x: 1, y: 2, color: .black)
        // "T" is a full top bar (row 0, five columns) and a stem in column 2.
        for column in 0..<5 { XCTAssertEqual(canvas.pixel(x: 1 + column, y: 2), .black) }
        for row in 1..<7 { XCTAssertEqual(canvas.pixel(x: 3, y: 2 + row), .black) }
        XCTAssertEqual(canvas.pixel(x: 1, y: 3), .white)
        XCTAssertEqual(pixels(of: .black, in: canvas.image).count, 11)

        var lines = Canvas(width: 12, height: 6)
        let red = PlotColor(hex: 0xFF0000)
        lines.drawLine(fromX: 0, y: 0, toX: 9, y: 4, color: red)
        let drawn = pixels(of: red, in: lines.image)
        XCTAssertEqual(drawn.count, 10)             // one pixel per column along the longer axis
        XCTAssertTrue(drawn.contains { $0 == (0, 0) } && drawn.contains { $0 == (9, 4) })
        lines.drawLine(fromX: -5, y: 2, toX: 30, y: 2, color: .black)   // clipped, no crash
        XCTAssertEqual(lines.pixel(x: 11, y: 2), .black)
    }

    func testLineChartPlacesSeriesAndTitle() {
        var style = ChartStyle(title: "Loss", width: 320, height: 200)
        style.showLegend = false
        style.yRange = 0...10
        let high = Series(name: "high", values: [8, 8, 8, 8])
        let low = Series(name: "low", values: [2, 2, 2, 2])
        let image = Chart.line([high, low], style: style)
        XCTAssertEqual([image.width, image.height, image.channels], [320, 200, 3])
        let first = pixels(of: style.color(0), in: image), second = pixels(of: style.color(1), in: image)
        XCTAssertGreaterThan(first.count, 100)
        XCTAssertGreaterThan(second.count, 100)
        let firstRow = Double(first.map { $0.y }.reduce(0, +)) / Double(first.count)
        let secondRow = Double(second.map { $0.y }.reduce(0, +)) / Double(second.count)
        // y = 8 sits at 0.8 of the plot's height above y = 2's 0.2: the high line is far above the low one.
        XCTAssertLessThan(firstRow + 50, secondRow)
        // Title pixels: ink in the top band, centred.
        let titleInk = pixels(of: .black, in: image).filter { $0.y < 8 + 14 }
        XCTAssertFalse(titleInk.isEmpty)
        XCTAssertTrue(titleInk.allSatisfy { abs($0.x - 160) < 40 })
        var untitled = style
        untitled.title = ""
        XCTAssertTrue(pixels(of: .black, in: Chart.line([high], style: untitled)).allSatisfy { $0.y >= 8 })
    }

    func testLegendAppearsForNamedSeries() {
        let style = ChartStyle(width: 300, height: 200)
        let series = [Series(name: "a", values: [0, 1]), Series(name: "b", values: [1, 0])]
        var quiet = style
        quiet.showLegend = false
        let withLegend = pixels(of: style.color(1), in: Chart.line(series, style: style)).count
        let without = pixels(of: style.color(1), in: Chart.line(series, style: quiet)).count
        XCTAssertGreaterThan(withLegend, without)   // the swatch adds ink in the series' colour
    }

    func testPrecisionRecallChartIsSquareWithFixedAxes() {
        let curve = Series(name: "DSH", x: [0, 0.5, 1], y: [1, 0.8, 0.3])
        let image = Chart.precisionRecall([curve])
        XCTAssertEqual([image.width, image.height], [480, 480])
        let ink = pixels(of: PlotColor.palette[0], in: image)
        XCTAssertFalse(ink.isEmpty)
        // The curve spans the whole x range: from the left axis to the right edge of the frame.
        XCTAssertLessThan(ink.map { $0.x }.min()!, 100)
        XCTAssertGreaterThan(ink.map { $0.x }.max()!, 400)
    }

    func testBarAreasAreProportionalToValues() {
        var style = ChartStyle(width: 400, height: 300)
        style.yRange = 0...4
        let image = Chart.bars(labels: ["a", "b", "c"], values: [1, 2, 4], style: style)
        let areas = (0..<3).map { Double(pixels(of: style.color($0), in: image).count) }
        XCTAssertGreaterThan(areas[0], 100)
        XCTAssertEqual(areas[1] / areas[0], 2, accuracy: 0.1)
        XCTAssertEqual(areas[2] / areas[0], 4, accuracy: 0.2)
    }

    func testHistogramChartFillsOnlyOccupiedBins() {
        let bins = HistogramBins(lowerBound: 0, upperBound: 3, counts: [0, 5, 0])
        let style = ChartStyle(width: 300, height: 200)
        let image = Chart.histogram(bins, style: style)
        let ink = pixels(of: style.color(0), in: image)
        XCTAssertFalse(ink.isEmpty)
        let xs = ink.map { $0.x }
        // Only the middle third of the x axis holds the bar.
        let span = Double(xs.max()! - xs.min()!)
        XCTAssertGreaterThan(xs.min()!, 100)
        XCTAssertLessThan(xs.max()!, 230)
        XCTAssertGreaterThan(span, 50)
    }

    func testSmallMultiplesPutEachPanelInItsCell() {
        let panels = (0..<4).map { i in
            HistogramPanel(title: "m=\(i)", bins: HistogramBins(values: [Double](repeating: Double(i), count: 10) + [0, 3], bins: 6, range: 0...3))
        }
        let style = ChartStyle(title: "outputs", width: 600, height: 400)
        let image = Chart.smallMultiples(panels, columns: 2, style: style)
        XCTAssertEqual([image.width, image.height], [600, 400])
        for (index, _) in panels.enumerated() {
            let ink = pixels(of: style.color(index), in: image)
            XCTAssertFalse(ink.isEmpty, "panel \(index) drew nothing")
            let column = index % 2, row = index / 2
            XCTAssertTrue(ink.allSatisfy { ($0.x >= 300) == (column == 1) && ($0.y >= 200 + 10) == (row == 1) },
                          "panel \(index) leaves its cell")
        }
    }

    func testNumberFormatting() {
        XCTAssertEqual(formatNumber(0.5), "0.5")
        XCTAssertEqual(formatNumber(12), "12")
        XCTAssertEqual(formatNumber(0.65612), "0.6561")
        XCTAssertEqual(formatNumber(1e-7), "1e-07")
        XCTAssertEqual(formatNumber(.nan), "nan")
    }
}
