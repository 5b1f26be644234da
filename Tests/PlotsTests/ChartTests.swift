import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Imaging
import Plots
import XCTest

/// Pixels of `image` within `tolerance` (per channel) of `color`, as (x, y).
private func pixels(near color: PlotColor, in image: Image, tolerance: Int = 0) -> [(x: Int, y: Int)] {
    var found = [(x: Int, y: Int)]()
    for y in 0..<image.height {
        for x in 0..<image.width where abs(Int(image[x, y, 0]) - Int(color.red)) <= tolerance
            && abs(Int(image[x, y, 1]) - Int(color.green)) <= tolerance
            && abs(Int(image[x, y, 2]) - Int(color.blue)) <= tolerance { found.append((x, y)) }
    }
    return found
}

/// Pixels darker than `level` (text, axes) inside the rectangle.
private func ink(in image: Image, x: Range<Int>, y: Range<Int>, level: UInt8 = 128) -> [(x: Int, y: Int)] {
    var found = [(x: Int, y: Int)]()
    for row in y where row >= 0 && row < image.height {
        for column in x where column >= 0 && column < image.width
            && image[column, row, 0] < level && image[column, row, 1] < level && image[column, row, 2] < level {
            found.append((column, row))
        }
    }
    return found
}

/// The elements of an SVG document, in order, with their attributes and text: read by Foundation's XML parser,
/// so that a document that is not well-formed XML fails the test.
private final class SVGElements: NSObject, XMLParserDelegate {
    struct Element { var name: String; var attributes: [String: String]; var text: String }
    var elements: [Element] = []
    private var open: [Int] = []

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? NSError(domain: "svg", code: 1) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes, text: ""))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { elements[last].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    var texts: [Element] { elements.filter { $0.name == "text" } }

    /// The x of the first `<text>` whose content is exactly `content`, centred on x (an x axis' tick label).
    func x(ofText content: String) -> Double? {
        texts.first { $0.text == content && $0.attributes["text-anchor"] == "middle" }
            .flatMap { Double($0.attributes["x"] ?? "") }
    }

    /// Straight vertical segments Cairo wrote as `<path d="M x y0 L x y1 ">` with a stroke in `color` (Cairo
    /// writes colours as percentages): their x and length.
    func verticalLines(stroke color: String) -> [(x: Double, length: Double)] {
        elements.filter { $0.name == "path" && ($0.attributes["style"] ?? "").contains("stroke:\(color)") }
            .compactMap { element in
                let parts = (element.attributes["d"] ?? "").split(separator: " ").compactMap { Double($0) }
                guard parts.count == 4, parts[0] == parts[2] else { return nil }
                return (parts[0], abs(parts[3] - parts[1]))
            }
    }
}

final class ChartTests: XCTestCase {
    /// DejaVu Sans through Cairo: Greek letters and maths signs are drawn (each differently, none as a box
    /// shared with the others), and descenders reach below the baseline.
    func testTextRendersGreekLettersSignsAndDescenders() throws {
        func inkOf(_ text: String) -> [(x: Int, y: Int)] {
            var figure = Figure(width: 120, height: 40)
            figure.text(text, x: 10, y: 25, size: 20, color: .black)
            return ink(in: figure.image(), x: 0..<120, y: 0..<40)
        }
        var shapes = Set<[Int]>()
        for glyph in ["α", "β", "η", "≤", "±", "×"] {
            let drawn = inkOf(glyph)
            XCTAssertGreaterThan(drawn.count, 8, "\(glyph) drew nothing")
            XCTAssertTrue(shapes.insert(drawn.map { $0.y * 120 + $0.x }).inserted, "\(glyph) looks like another glyph")
        }
        // "g", "j", "p", "q", "y" go below the baseline at y = 25; "a" does not.
        XCTAssertGreaterThanOrEqual(inkOf("gjpqy").map(\.y).max()!, inkOf("ace").map(\.y).max()! + 3)
        XCTAssertLessThanOrEqual(inkOf("ace").map(\.y).max()!, 26)
        // Anti-aliased: edges have gray levels between ink and paper.
        var figure = Figure(width: 60, height: 60)
        figure.add(.polyline(points: [(5, 5), (55, 40)], color: .black, width: 2, dash: []))
        let levels = Set(figure.image().samples)
        XCTAssertGreaterThan(levels.count, 10, "a slanted line has gray edge pixels")
    }

    func testLineChartPlacesSeriesAndTitle() {
        var style = ChartStyle(title: "Loss", width: 320, height: 200)
        style.showLegend = false
        style.yRange = 0...10
        let high = Series(name: "high", values: [8, 8, 8, 8])
        let low = Series(name: "low", values: [2, 2, 2, 2])
        let image = Chart.line([high, low], style: style).image()
        XCTAssertEqual([image.width, image.height, image.channels], [320, 200, 3])
        let first = pixels(near: style.color(0), in: image, tolerance: 8)
        let second = pixels(near: style.color(1), in: image, tolerance: 8)
        XCTAssertGreaterThan(first.count, 100)
        XCTAssertGreaterThan(second.count, 100)
        let firstRow = Double(first.map { $0.y }.reduce(0, +)) / Double(first.count)
        let secondRow = Double(second.map { $0.y }.reduce(0, +)) / Double(second.count)
        // y = 8 sits at 0.8 of the plot's height above y = 2's 0.2: the high line is far above the low one.
        XCTAssertLessThan(firstRow + 50, secondRow)
        // Title: dark ink in the top band, centred.
        let title = ink(in: image, x: 0..<320, y: 0..<26)
        XCTAssertFalse(title.isEmpty)
        XCTAssertTrue(title.allSatisfy { abs($0.x - 160) < 40 })
    }

    /// Line charts mark every point; a series of one point is a marker and no line.
    func testPointsAreMarkedAndASinglePointIsAMarker() throws {
        var style = ChartStyle(width: 400, height: 300)
        style.showLegend = false
        let figure = Chart.line([Series(name: "dsh 12 bits", x: [12, 24, 48], y: [0.3, 0.4, 0.5]),
                                 Series(name: "phash 64 bits", x: [64], y: [0.2])], style: style)
        let lines = figure.items.filter {
            if case .polyline(_, let color, _, _) = $0 { return color == style.color(0) || color == style.color(1) }
            return false
        }
        XCTAssertEqual(lines.count, 1, "one line, for the series of three points")
        if case .polyline(_, let color, _, _) = lines[0] { XCTAssertEqual(color, style.color(0)) }
        let markers = figure.items.compactMap { item -> (Double, Double, PlotColor)? in
            if case .marker(let x, let y, _, _, let color) = item { return (x, y, color) }
            return nil
        }
        XCTAssertEqual(markers.filter { $0.2 == style.color(0) }.count, 3)
        XCTAssertEqual(markers.filter { $0.2 == style.color(1) }.count, 1)
        // In pixels: the lone point is a compact blob of its colour around the marker's centre.
        let image = figure.image()
        let blob = pixels(near: style.color(1), in: image, tolerance: 10)
        let (x, y) = (markers.last!.0, markers.last!.1)
        XCTAssertGreaterThan(blob.count, 20)
        XCTAssertTrue(blob.allSatisfy { abs(Double($0.x) - x) <= 7 && abs(Double($0.y) - y) <= 7 }, "\(blob)")
    }

    /// Precision in 0.1211…0.1261 on an axis from 0: the points sit close together near each other, not spread
    /// over the whole height as a steep climb.
    func testAnAxisFromZeroDoesNotZoomIntoNoise() throws {
        var style = ChartStyle(width: 400, height: 300)
        style.yFromZero = true
        let figure = Chart.line([Series(name: "s", x: [0, 1, 2], y: [0.1211, 0.1240, 0.1261])], style: style)
        let svg = try SVGElements(figure.svg())
        let yTicks = svg.texts.filter { $0.attributes["text-anchor"] == "end" }.compactMap { Double($0.text) }
        XCTAssertEqual(yTicks.min(), 0, "the y axis starts at 0: \(yTicks)")
        XCTAssertLessThan(yTicks.max()!, 0.2)
        let rows = figure.items.compactMap { item -> Double? in
            if case .marker(_, let y, _, _, _) = item { return y }
            return nil
        }.prefix(3)     // the points; the legend's marker follows
        let zeroRow = try XCTUnwrap(svg.texts.first { $0.text == "0" && $0.attributes["text-anchor"] == "end" })
        let zero = Double(zeroRow.attributes["y"]!)!
        // The three points differ by 0.005 of a 0.14 axis: a few pixels, far above the zero line.
        XCTAssertLessThan(rows.max()! - rows.min()!, 15, "\(rows)")
        XCTAssertGreaterThan(zero - rows.max()!, 150)
    }

    /// A parameter spanning decades: a log axis puts 0.001, 0.01 and 0.1 at equal distances; with 0 among the
    /// values, a categorical axis does (0 in its own slot).
    func testDecadesGetALogOrCategoricalAxis() throws {
        XCTAssertEqual(AxisScale.fitting([0.001, 0.01, 0.1]), .logarithmic)
        XCTAssertEqual(AxisScale.fitting([0, 0.001, 0.01, 0.1]), .categorical([0, 0.001, 0.01, 0.1]))
        XCTAssertEqual(AxisScale.fitting([1, 2, 3, 4]), .linear)
        for values in [[0.001, 0.01, 0.1], [0, 0.001, 0.01, 0.1]] {
            let figure = Chart.line([Series(name: "s", x: values, y: values.map { _ in 0.5 })])
            let svg = try SVGElements(figure.svg())
            let xs = try ["0.001", "0.01", "0.1"].map { try XCTUnwrap(svg.x(ofText: $0), "no tick \($0) in \(values)") }
            XCTAssertEqual(xs[1] - xs[0], xs[2] - xs[1], accuracy: 0.6, "\(values): \(xs)")
            XCTAssertGreaterThan(xs[1] - xs[0], 50)
            let markers = figure.items.compactMap { item -> Double? in
                if case .marker(let x, _, _, _, _) = item { return x }
                return nil
            }
            // Each point sits over its tick.
            for (index, label) in ["0.001", "0.01", "0.1"].enumerated() {
                XCTAssertEqual(markers[values.count - 3 + index], xs[index], accuracy: 0.6, label)
            }
        }
    }

    /// Ticks at round numbers: whole-number data (epochs) never gets a tick at 1.5.
    func testTicksAreRound() throws {
        let figure = Chart.line([Series(name: "loss", x: [1, 2, 3], y: [2.2, 1.66, 1.55])])
        let svg = try SVGElements(figure.svg())
        let xTicks = svg.texts.filter { $0.attributes["text-anchor"] == "middle" }.compactMap { Double($0.text) }
        XCTAssertEqual(xTicks, [1, 2, 3])
        let yTicks = svg.texts.filter { $0.attributes["text-anchor"] == "end" }.compactMap { Double($0.text) }
        XCTAssertGreaterThanOrEqual(yTicks.count, 3)
        for tick in yTicks { XCTAssertEqual((tick * 10).rounded(), tick * 10, accuracy: 1e-9, "\(yTicks)") }
    }

    /// The precision–recall chart is square, both axes 0…1, with the chance level as a line when known.
    func testPrecisionRecallChartIsSquareFromZeroWithChance() throws {
        let curve = Series(name: "dsh 12 bits", x: [0, 0.5, 1], y: [0.31, 0.2, 0.1])
        let figure = Chart.precisionRecall([curve], chance: 0.1)
        XCTAssertEqual([figure.width, figure.height], [480, 480])
        let svg = try SVGElements(figure.svg())
        let yTicks = svg.texts.filter { $0.attributes["text-anchor"] == "end" }.compactMap { Double($0.text) }
        XCTAssertEqual(yTicks.first, 0)
        XCTAssertEqual(yTicks.last, 1)
        XCTAssertTrue(svg.texts.contains { $0.text == "chance 0.1" })
        XCTAssertTrue(svg.texts.contains { $0.text == "dsh 12 bits" }, "the legend names the model")
        let ink = pixels(near: PlotColor.palette[0], in: figure.image(), tolerance: 8)
        XCTAssertLessThan(ink.map { $0.x }.min()!, 100)
        XCTAssertGreaterThan(ink.map { $0.x }.max()!, 400)
    }

    /// hist: the bins have the threshold as an edge, whatever the spread on each side.
    func testHistogramBinsHaveTheThresholdAsAnEdge() {
        let values = [-3.7, -1.2, -0.01, 0, 0.02, 0.4, 1.3, 2.05]
        for (edge, bins) in [(0.0, 24), (0.0, 7), (0.5, 10)] {
            let histogram = HistogramBins(values: values.map { $0 + edge }, bins: bins, edgeAt: edge)
            XCTAssertEqual(histogram.counts.count, bins)
            XCTAssertEqual(histogram.counts.reduce(0, +), values.count)
            let index = histogram.edges.firstIndex { abs($0 - edge) < 1e-9 }
            XCTAssertNotNil(index, "\(edge) is not an edge of \(histogram.edges)")
            if let index {
                XCTAssertEqual(histogram.counts[..<index].reduce(0, +), values.filter { $0 < 0 }.count,
                               "values below the threshold lie left of it")
            }
        }
    }

    /// The threshold line of a histogram chart is at x = 0's position (its tick label), and ±1 have ticks too.
    func testHistogramChartMarksTheThresholdAtZero() throws {
        let bins = HistogramBins(values: [-2.5, -1, -0.5, -0.2, 0.1, 0.3, 0.9, 1.1, 1.8], bins: 12, edgeAt: 0)
        var style = ChartStyle(title: "outputs", xLabel: "output", yLabel: "count")
        style.referenceLines = [.threshold(0), .target(-1), .target(1)]
        style.caption = ["mean distance to the nearer of ±1: 0.4321"]
        let figure = Chart.histogram(bins, style: style)
        let svg = try SVGElements(figure.svg())
        let zero = try XCTUnwrap(svg.x(ofText: "0"))
        let threshold = svg.verticalLines(stroke: "rgb(0%,0%,0%)").filter { $0.length > 100 }
        XCTAssertEqual(threshold.count, 2, "the threshold and the y axis: \(threshold)")
        XCTAssertTrue(threshold.contains { abs($0.x - zero) <= 0.6 }, "threshold at \(threshold), 0 at \(zero)")
        XCTAssertNotNil(svg.x(ofText: "-1"))
        XCTAssertNotNil(svg.x(ofText: "1"))
        XCTAssertTrue(svg.texts.contains { $0.text == "threshold 0" })
        XCTAssertTrue(svg.texts.contains { $0.text == "mean distance to the nearer of ±1: 0.4321" })
        // In pixels: the column at the threshold is dark from the top of the plot to the axis.
        let image = figure.image()
        let column = Int(zero)
        let dark = ink(in: image, x: column..<column + 1, y: 0..<image.height, level: 90)
        XCTAssertGreaterThan(dark.count, 200)
        // Bars: the count axis starts at 0.
        let yTicks = svg.texts.filter { $0.attributes["text-anchor"] == "end" }.compactMap { Double($0.text) }
        XCTAssertEqual(yTicks.min(), 0)
    }

    /// The SVG is well-formed XML from Cairo's SVG surface, with its text as `<text>` elements (α and all).
    func testSVGIsXMLWithTextElements() throws {
        var style = ChartStyle(title: "dsh: α = 0.01, η ≤ 0.1 × 2 ± 1", xLabel: "epoch", yLabel: "loss")
        style.showLegend = true
        let svg = Chart.line([Series(name: "m <dsh> & co", values: [3, 2, 1.5])], style: style).svg()
        XCTAssertTrue(svg.hasPrefix("<?xml"))
        let elements = try SVGElements(svg)
        XCTAssertEqual(elements.elements.first?.name, "svg")
        XCTAssertTrue(elements.texts.contains { $0.text == "dsh: α = 0.01, η ≤ 0.1 × 2 ± 1" })
        XCTAssertTrue(elements.texts.contains { $0.text == "m <dsh> & co" }, "escaped and read back")
        XCTAssertTrue(elements.texts.allSatisfy { $0.attributes["font-family"] == "DejaVu Sans" })
        XCTAssertGreaterThan(elements.elements.filter { $0.name == "path" }.count, 5, "Cairo drew the lines")
    }

    /// `write(to:)` picks the format by the name, and writing replaces a file whole (no temporary left beside it).
    func testWriteChoosesPNGOrSVGByName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("charts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let figure = Chart.line([Series(name: "a", values: [1, 2, 3])])
        let png = folder.appendingPathComponent("a.png").path, svg = folder.appendingPathComponent("a.svg").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: svg))
        try figure.write(to: png)
        try figure.write(to: svg)
        XCTAssertEqual(try Image.read(pngAt: png).width, 640)
        XCTAssertNoThrow(try SVGElements(String(contentsOfFile: svg, encoding: .utf8)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["a.png", "a.svg"])
        XCTAssertThrowsError(try figure.write(to: folder.appendingPathComponent("missing/b.svg").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["a.png", "a.svg"])
    }

    func testBarAreasAreProportionalToValues() {
        var style = ChartStyle(width: 400, height: 300)
        style.yRange = 0...4
        let image = Chart.bars(labels: ["a", "b", "c"], values: [1, 2, 4], style: style).image()
        let areas = (0..<3).map { Double(pixels(near: style.color($0), in: image).count) }
        XCTAssertGreaterThan(areas[0], 100)
        XCTAssertEqual(areas[1] / areas[0], 2, accuracy: 0.1)
        XCTAssertEqual(areas[2] / areas[0], 4, accuracy: 0.2)
    }

    func testHistogramChartFillsOnlyOccupiedBins() {
        let bins = HistogramBins(lowerBound: 0, upperBound: 3, counts: [0, 5, 0])
        let style = ChartStyle(width: 300, height: 200)
        let image = Chart.histogram(bins, style: style).image()
        let ink = pixels(near: style.color(0), in: image)
        XCTAssertFalse(ink.isEmpty)
        let xs = ink.map { $0.x }
        // Only the middle third of the x axis holds the bar.
        XCTAssertGreaterThan(xs.min()!, 100)
        XCTAssertLessThan(xs.max()!, 230)
        XCTAssertGreaterThan(xs.max()! - xs.min()!, 50)
    }

    /// Panels in their cells, each in its own colour (a colour histogram's channels: red, green, blue).
    func testSmallMultiplesPutEachPanelInItsCellInItsColour() {
        let colours = [PlotColor(hex: 0xD03030), PlotColor(hex: 0x2E9E3E), PlotColor(hex: 0x2F6FD0), PlotColor(hex: 0x9467BD)]
        let panels = (0..<4).map { i in
            HistogramPanel(title: "m=\(i)", bins: HistogramBins(values: [Double](repeating: Double(i), count: 10) + [0, 3],
                                                                bins: 6, range: 0...3), color: colours[i])
        }
        let style = ChartStyle(title: "outputs", width: 600, height: 400)
        let image = Chart.smallMultiples(panels, columns: 2, style: style).image()
        XCTAssertEqual([image.width, image.height], [600, 400])
        for index in panels.indices {
            let ink = pixels(near: colours[index], in: image)
            XCTAssertFalse(ink.isEmpty, "panel \(index) drew nothing")
            let column = index % 2, row = index / 2
            XCTAssertTrue(ink.allSatisfy { ($0.x >= 300) == (column == 1) && ($0.y >= 200 + 10) == (row == 1) },
                          "panel \(index) leaves its cell")
        }
    }

    /// Heat maps: an empty cell is white, the fullest the darkest, on one scale across panels.
    func testHeatMapsShadeByValueOnOneScale() {
        let panels = [HeatMapPanel(title: "value 0–0.5", columns: 2, rows: 2, values: [0, 1, 2, 8]),
                      HeatMapPanel(title: "value 0.5–1", columns: 2, rows: 2, values: [0, 0, 0, 4])]
        let figure = Chart.heatMaps(panels, xLabel: "hue", yLabel: "saturation", unit: "%",
                                    style: ChartStyle(width: 600, height: 300))
        let cells = figure.items.compactMap { item -> (Double, PlotColor)? in
            if case .rectangle(let x, _, let w, _, let fill) = item, w > 20 { return (x, fill) }
            return nil
        }
        XCTAssertEqual(cells.count, 8)
        func darkness(_ c: PlotColor) -> Int { 765 - Int(c.red) - Int(c.green) - Int(c.blue) }
        XCTAssertEqual(cells[0].1, .white, "an empty bin stays white")
        let first = cells.prefix(4).map { darkness($0.1) }, second = cells.suffix(4).map { darkness($0.1) }
        XCTAssertEqual(first, first.sorted(), "darker as the value grows: \(first)")
        XCTAssertGreaterThan(first[3], second[3], "8 is darker than 4 on the shared scale")
        XCTAssertGreaterThan(second[3], 0)
    }

    func testNumberFormatting() {
        XCTAssertEqual(formatNumber(0.5), "0.5")
        XCTAssertEqual(formatNumber(12), "12")
        XCTAssertEqual(formatNumber(0.65612), "0.6561")
        XCTAssertEqual(formatNumber(1e-7), "1e-07")
        XCTAssertEqual(formatNumber(.nan), "nan")
    }
}
