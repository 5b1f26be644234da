import XCTest
import Imaging
import Plots

final class TextPlotTests: XCTestCase {
    func testBitGridIsExact() {
        let bits = [true, false, true, true, false, false, false, true]
        XCTAssertEqual(TextPlot.bitGrid(bits: bits, width: 4), "█·██\n···█\n")
        XCTAssertEqual(TextPlot.bitGrid(bits: bits, width: 3), "█·█\n█··\n·█\n")
        let grid = TextPlot.bitGrid(bits: (0..<64).map { $0 % 9 == 0 }, width: 8)
        let lines = grid.split(separator: "\n")
        XCTAssertEqual(lines.count, 8)
        XCTAssertTrue(lines.allSatisfy { $0.count == 8 })
        XCTAssertEqual(lines[0], "█·······")   // bit 0 set, bit 9 is row 1 column 1
        XCTAssertEqual(lines[1], "·█······")
    }

    func testBitDifferenceMarksChangedBits() {
        let text = TextPlot.bitDifference([true, false, true, false], [true, true, true, true], width: 2)
        XCTAssertEqual(text, "█·   ██   ·✕\n█·   ██   ·✕\n")
    }

    func testBarLengthsAreProportional() {
        let text = TextPlot.bars(labels: ["a", "bb", "c"], values: [1, 2, 4], width: 8)
        let lines = text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.map { $0.filter { $0 == "█" }.count }, [2, 4, 8])
        XCTAssertEqual(lines[0], "a  │██       1")
        XCTAssertEqual(lines[2], "c  │████████ 4")
        // 1 of 3 over 4 cells = 10⅔ eighths → 11 = one full block and a ⅜ block.
        let fractional = TextPlot.bars(labels: ["x", "y"], values: [1, 3], width: 4).split(separator: "\n")
        XCTAssertEqual(fractional[0], "x │█▍   1")
        XCTAssertEqual(fractional[1], "y │████ 3")
    }

    func testHistogramBinsAndTextHistogram() {
        let bins = HistogramBins(values: [0, 0.5, 1, 2, .nan, 3], bins: 2, range: 0...2)
        XCTAssertEqual(bins.counts, [2, 2])
        XCTAssertEqual(bins.outside, 2)
        XCTAssertEqual(bins.edges, [0, 1, 2])
        let text = TextPlot.histogram(bins, width: 4)
        XCTAssertEqual(text, "[0, 1) │████ 2\n[1, 2] │████ 2\n(2 values outside the range)\n")
        let auto = HistogramBins(values: [5, 5, 5], bins: 3)
        XCTAssertEqual(auto.counts.reduce(0, +), 3)
        XCTAssertEqual(auto.lowerBound, 4.5)
    }

    func testColumnsUseEighthBlocks() {
        let text = TextPlot.columns(values: [1, 2, 4], height: 2)
        // Heights in eighths of 2 rows (16): 4, 8, 16.
        XCTAssertEqual(text, "max 4\n│  █\n│▄██\n└───\n")
    }

    func testSparkline() {
        XCTAssertEqual(TextPlot.sparkline([0, 7, 3.5, 1]), "▁█▅▂")
        XCTAssertEqual(TextPlot.sparkline([2, 2]), "▄▄")
        XCTAssertEqual(TextPlot.sparkline([1, .nan, 2]), "▁ █")
    }

    func testTableAlignsColumns() {
        let text = TextPlot.table(header: ["method", "bits", "mAP"],
                                  rows: [["DSH", "12", "0.656"], ["DPSH+BN", "48", "0.4"]])
        XCTAssertEqual(text, """
        method   bits    mAP
        ───────  ────  ─────
        DSH        12  0.656
        DPSH+BN    48    0.4

        """)
        let left = TextPlot.table(header: ["n"], rows: [["1"], ["22"]], alignments: [.left])
        XCTAssertEqual(left, "n\n──\n1\n22\n")
    }

    func testLineChartDrawsBrailleAndLabels() {
        let rising = Series(name: "up", values: [0, 1, 2, 3])
        let text = TextPlot.lineChart([rising], width: 4, height: 2)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("3 ┤"))
        XCTAssertTrue(lines[1].hasPrefix("0 ┤"))
        // Dots go from the bottom-left dot (0, 7) to the top-right dot (7, 0): the diagonal of a 8 × 8 dot grid.
        // Cell (row 1, column 0) holds dots (0,7),(1,6) → left column bottom dot 0x40, right column third dot 0x20…
        let bottomLeft = lines[1].dropFirst(3).first!
        XCTAssertEqual(bottomLeft.unicodeScalars.first!.value, 0x2800 + 0x40 + 0x20)
        XCTAssertTrue(lines[2].hasPrefix("  └────"))
        XCTAssertTrue(lines[3].contains("0") && lines[3].hasSuffix("3"))
        XCTAssertTrue(lines[4].contains("up"))

        let two = TextPlot.lineChart([rising, Series(name: "flat", values: [1, 1, 1, 1])], width: 10, height: 4)
        XCTAssertTrue(two.contains("•") && two.contains("×"))
        let coloured = TextPlot.lineChart([rising], width: 10, height: 4, color: true)
        XCTAssertTrue(coloured.contains("\u{1B}[38;2;31;119;180m"))
    }

    /// `plot sweep`'s noise (0.1211…0.1261) on an axis from 0 is a flat line near the top, not a climb over
    /// the whole height; `pr` in text spans 0…1 as its chart does.
    func testTextChartsStartAtZeroWhenAsked() {
        let noise = Series(name: "s", x: [1, 2, 3, 4], y: [0.1211, 0.1250, 0.1230, 0.1261])
        let zoomed = TextPlot.lineChart([noise], width: 20, height: 10)
        let fromZero = TextPlot.lineChart([noise], width: 20, height: 10, yFromZero: true)
        func inkedRows(_ text: String) -> [Int] {
            text.split(separator: "\n").prefix(10).enumerated()
                .filter { $0.element.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } }.map(\.offset)
        }
        XCTAssertGreaterThan(inkedRows(zoomed).count, 5, zoomed)
        XCTAssertEqual(inkedRows(fromZero), [0], fromZero)
        XCTAssertTrue(fromZero.split(separator: "\n")[9].hasPrefix("     0 ┤"), fromZero)
        let pr = TextPlot.lineChart([Series(name: "dsh", x: [0.1, 0.5], y: [0.113, 0.076])], width: 20, height: 5,
                                    xRange: 0...1, yRange: 0...1)
        let lines = pr.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("1 ┤") && lines[4].hasPrefix("0 ┤"), pr)
    }

    /// α = 0, 0.001, 0.01, 0.1 in equal slots, each labelled under its column.
    func testTextChartCategoricalAxisLabelsEachValue() {
        let sweep = Series(name: "s", x: [0, 0.001, 0.01, 0.1], y: [0.5, 0.6, 0.55, 0.7])
        let text = TextPlot.lineChart([sweep], width: 40, height: 4, yFromZero: true)
        let labels = text.split(separator: "\n")[5]
        XCTAssertEqual(labels.split(separator: " "), ["0", "0.001", "0.01", "0.1"], text)
        // Each label is centred on its column: the centres are equally spaced.
        let centres = ["0.001", "0.01", "0.1"].map { label in
            labels.range(of: " \(label)")!.lowerBound.utf16Offset(in: labels) + 1 + label.count / 2
        }
        XCTAssertEqual(centres[1] - centres[0], centres[2] - centres[1], accuracy: 1, "\(centres)")
    }

    func testColourPreviewEmitsHalfBlocks() {
        let image = Image(width: 1, height: 2, channels: 3, samples: [255, 0, 0, 0, 0, 255])
        XCTAssertEqual(TextPlot.preview(image, width: 1, color: true),
                       "\u{1B}[38;2;255;0;0m\u{1B}[48;2;0;0;255m▀\u{1B}[0m\n")
    }

    func testAsciiPreviewUsesShadingRamp() {
        let image = Image(width: 2, height: 1, channels: 1, samples: [0, 255])
        XCTAssertEqual(TextPlot.preview(image, width: 2, color: false), " @\n")
        // 60%-opaque white over black reads as gray 153: 153/256 of the 10-step ramp → index 5.
        let translucent = Image(width: 2, height: 1, channels: 2, samples: [255, 153, 255, 153])
        XCTAssertEqual(TextPlot.preview(translucent, width: 2, color: false), "++\n")
    }

    func testAreaAverageDownscale() {
        // 4 × 2 gray image → 2 × 1: each output pixel averages a 2 × 2 block.
        let image = Image(width: 4, height: 2, channels: 1, samples: [0, 100, 200, 200, 100, 200, 50, 50])
        let small = TextPlot.areaAverage(image, width: 2, height: 1)
        XCTAssertEqual(small.map { $0.red }, [100, 125])
        // 3 → 2 columns: weights 1 and ½, then ½ and 1.
        let row = Image(width: 3, height: 1, channels: 1, samples: [0, 30, 90])
        XCTAssertEqual(TextPlot.areaAverage(row, width: 2, height: 1).map { $0.red }, [10, 70])
    }
}
