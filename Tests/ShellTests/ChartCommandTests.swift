import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Imaging
import Plots
import Shell
import XCTest

/// The `<text>` elements and stroked straight paths of an SVG chart, read with Foundation's XML parser (so that a
/// document that is not well-formed fails).
private final class SVGChart: NSObject, XMLParserDelegate {
    struct Text { var content: String; var x: Double; var y: Double; var anchor: String }
    var texts: [Text] = []
    /// Vertical segments `M x y0 L x y1` and the style they were drawn with.
    var verticals: [(x: Double, length: Double, style: String)] = []
    private var current: Text?

    init(path: String) throws {
        super.init()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.delegate = self
        guard parser.parse() else { throw parser.parserError ?? NSError(domain: "svg", code: 1) }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "text" {
            current = Text(content: "", x: Double(attributes["x"] ?? "") ?? .nan, y: Double(attributes["y"] ?? "") ?? .nan,
                           anchor: attributes["text-anchor"] ?? "start")
        } else if name == "path" {
            let parts = (attributes["d"] ?? "").split(separator: " ").compactMap { Double($0) }
            if parts.count == 4, parts[0] == parts[2] {
                verticals.append((parts[0], abs(parts[3] - parts[1]), attributes["style"] ?? ""))
            }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current?.content += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let current { texts.append(current) }
        current = nil
    }

    /// x tick labels (centred under their ticks) by their text.
    func xTick(_ label: String) -> Double? { texts.first { $0.content == label && $0.anchor == "middle" }?.x }
    /// y tick labels (right-aligned left of the axis) as numbers.
    var yTicks: [Double] { texts.filter { $0.anchor == "end" }.compactMap { Double($0.content) } }
}

/// The charts the commands draw, read back from their SVG (and PNG) files.
final class ChartCommandTests: XCTestCase {
    private let setup = ["data synthetic per-class 20 size 16 seed 3 as d", "split d query 3 train 10 seed 1 as p",
                         "model dsh bits 12 net small-conv seed 2 as m", "set m.batch 16"]

    private func makeShell() -> CommandSession {
        let shell = CommandSession()
        for line in setup { shell.run(line) }
        return shell
    }

    /// `hist M … to FILE.svg`: the threshold line at 0's tick, ±1 ticked, the printed numbers as the caption, and
    /// the text histogram's bins with 0 as an edge.
    func testHistMarksTheThresholdAndCaptionsTheNumbers() throws {
        let shell = makeShell()
        shell.run("train m on p.train epochs 1")
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("outputs.svg").path
        let text = shell.run("hist m on p.query to \(path)")
        XCTAssertTrue(text.contains("wrote \(path)"), text)
        let lines = text.components(separatedBy: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("[0, ") }, "0 starts a bin: \(text)")
        XCTAssertTrue(lines.contains { $0.contains(", 0) ") }, "0 ends a bin: \(text)")
        let svg = try SVGChart(path: path)
        let zero = try XCTUnwrap(svg.xTick("0"))
        XCTAssertNotNil(svg.xTick("-1"))
        XCTAssertNotNil(svg.xTick("1"))
        let threshold = svg.verticals.filter { $0.style.contains("stroke:rgb(0%,0%,0%)") && $0.length > 100 }
        XCTAssertTrue(threshold.contains { abs($0.x - zero) <= 0.6 }, "threshold lines \(threshold), 0 at \(zero)")
        let gap = try XCTUnwrap(lines.first { $0.hasPrefix("mean distance to the nearer of ±1: ") })
        let balance = try XCTUnwrap(lines.first { $0.hasPrefix("bit balance (share of 1s): ") })
        XCTAssertTrue(svg.texts.contains { $0.content.hasPrefix(gap) }, "caption: \(svg.texts.map(\.content))")
        XCTAssertTrue(svg.texts.contains { $0.content == balance })
        XCTAssertEqual(svg.yTicks.min(), 0)
    }

    /// `plot sweep` over α = 0, 0.001, 0.01, 0.1: one slot per value, equally spaced, mAP from 0, the line named
    /// by the model; the text chart starts at 0 too.
    func testPlotSweepOverDecadesHasEqualSlotsAndStartsAtZero() throws {
        let shell = makeShell()
        shell.run("sweep m.alpha 0,0.001,0.01,0.1 on p.train epochs 1 query p.query database p.database as s")
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("sweep.svg").path
        let text = shell.run("plot sweep s to \(path)")
        XCTAssertTrue(text.contains("\n     0 ┤") || text.contains("\n0 ┤"), text)
        let svg = try SVGChart(path: path)
        let xs = try ["0", "0.001", "0.01", "0.1"].map { try XCTUnwrap(svg.xTick($0), $0) }
        XCTAssertEqual(xs[1] - xs[0], xs[2] - xs[1], accuracy: 0.6, "\(xs)")
        XCTAssertEqual(xs[2] - xs[1], xs[3] - xs[2], accuracy: 0.6, "\(xs)")
        XCTAssertEqual(svg.yTicks.min(), 0, "mAP from 0: \(svg.yTicks)")
        XCTAssertTrue(svg.texts.contains { $0.content == "dsh 12 bits" }, "legend: \(svg.texts.map(\.content))")
        XCTAssertTrue(svg.texts.contains { $0.content == "alpha (one slot per value)" })
    }

    /// `pr` of a model's codes: the legend names the model, the chance level is drawn, the text spans 0…1.
    func testPrNamesTheModelAndSpansZeroToOne() throws {
        let shell = makeShell()
        shell.run("train m on p.train epochs 1")
        shell.run("encode p.query with m as qc")
        shell.run("encode p.database with m as dbc")
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("pr.svg").path
        let text = shell.run("pr qc dbc to \(path)")
        let lines = text.components(separatedBy: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("1 ┤") } && lines.contains { $0.hasPrefix("0 ┤") }, text)
        XCTAssertTrue(text.contains("dsh 12 bits"), text)
        let svg = try SVGChart(path: path)
        XCTAssertTrue(svg.texts.contains { $0.content == "dsh 12 bits" }, "\(svg.texts.map(\.content))")
        XCTAssertTrue(svg.texts.contains { $0.content == "chance 0.1" }, "10 balanced classes: \(svg.texts.map(\.content))")
        XCTAssertEqual(svg.yTicks.min(), 0)
        XCTAssertEqual(svg.yTicks.max(), 1)
    }

    /// Colour histograms: one panel per channel in its colour (red above green above blue), every bin edge
    /// ticked; a joint HSV histogram as heat maps of hue × saturation, one per band of value.
    func testColourHistogramsArePanelsPerChannelAndHeatMaps() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo")
        shell.run("histogram photo bins 8 as h")
        shell.run("histogram photo space hsv as hsv")
        let folder = try TemporaryFolder()
        let png = folder.url.appendingPathComponent("h.png").path
        shell.run("plot hist h to \(png)")
        let image = try Image.read(pngAt: png)
        func rows(of hex: UInt32) -> [Int] {
            let c = PlotColor(hex: hex)
            return (0..<image.height).filter { y in
                (0..<image.width).contains { x in image[x, y, 0] == c.red && image[x, y, 1] == c.green && image[x, y, 2] == c.blue }
            }
        }
        let (red, green, blue) = (rows(of: 0xD03030), rows(of: 0x2E9E3E), rows(of: 0x2F6FD0))
        XCTAssertFalse(red.isEmpty || green.isEmpty || blue.isEmpty)
        XCTAssertLessThan(red.max()!, green.min()!)
        XCTAssertLessThan(green.max()!, blue.min()!)
        let svgPath = folder.url.appendingPathComponent("h.svg").path
        shell.run("plot hist h to \(svgPath)")
        let bars = try SVGChart(path: svgPath)
        for edge in ["0", "32", "64", "96", "128", "160", "192", "224", "256"] {
            XCTAssertNotNil(bars.xTick(edge), "bin edge \(edge) is ticked")
        }
        let hsvPath = folder.url.appendingPathComponent("hsv.svg").path
        XCTAssertTrue(shell.run("plot hist hsv to \(hsvPath)").contains("wrote \(hsvPath)"))
        let heat = try SVGChart(path: hsvPath)
        XCTAssertEqual(heat.texts.filter { $0.content.hasPrefix("value ") }.count, 8, "\(heat.texts.map(\.content))")
        XCTAssertTrue(heat.texts.contains { $0.content == "saturation" })
        XCTAssertTrue(heat.texts.contains { $0.content == "180°" })
    }

    /// A chart file must end in .png or .svg; a failed save keeps the file that was there.
    func testChartFilesArePNGOrSVGAndAFailedSaveKeepsTheOldFile() throws {
        let shell = CommandSession()
        shell.run("picture scene size 32 seed 3 as photo")
        shell.run("histogram photo bins 4 as h")
        XCTAssertTrue(shell.failure("plot hist h to chart.jpg").contains("end the name with .png or .svg"))
        let folder = try TemporaryFolder()
        let path = try folder.write("old chart", to: "h.svg").path
        // A folder where the chart's temporary file would go cannot be written: the save fails as a whole.
        let blocked = folder.url.appendingPathComponent("blocked.svg").path
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        XCTAssertFalse(shell.failure("plot hist h to \(blocked)").isEmpty)
        XCTAssertTrue(FileManager.default.fileExists(atPath: blocked + "/inside"))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old chart")
        shell.run("plot hist h to \(path)")
        XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains("<svg"))
    }
}
