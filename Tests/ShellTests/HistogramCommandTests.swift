import Foundation
import Imaging
import Shell
import XCTest

/// `histogram`, `match`, `distance` of histograms and `plot hist`, run in process.
final class HistogramCommandTests: XCTestCase {
    /// The bin fractions as `save` writes them (`bin label fraction`).
    private func savedBins(_ shell: CommandSession, _ name: String) throws -> [(label: String, fraction: Double)] {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("\(name).tsv").path
        shell.run("save \(name) to \(path)")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "bin\tlabel\tfraction")
        return lines.dropFirst().map { line in
            let cells = line.split(separator: "\t").map(String.init)
            return (cells[1], Double(cells[2])!)
        }
    }

    func testHistogramsCountFractionsOfPixels() throws {
        let shell = CommandSession()
        // Four pixels: red, red, dark blue, white.
        let image = Image(width: 2, height: 2, channels: 3, samples: [255, 0, 0, 255, 0, 0, 0, 0, 100, 255, 255, 255])
        try shell.session.store(image, as: "four")
        shell.run("histogram four bins 2 as perChannel")
        XCTAssertEqual(try shell.summary("perChannel"), "per-channel 2 bins (6 bins, 6 used)")
        let channels = try savedBins(shell, "perChannel")
        XCTAssertEqual(channels.map(\.label), ["R 0–127", "R 128–255", "G 0–127", "G 128–255", "B 0–127", "B 128–255"])
        // R: red ×2 and white high, blue low → [1, 3] samples; G: [3, 1]; B: [3, 1] — of 12 samples in all (the
        // three channels' histograms side by side sum to 1 together, which is what `match` compares).
        XCTAssertEqual(channels.map(\.fraction), [1, 3, 3, 1, 3, 1].map { Double($0) / 12 })
        // The bars show each channel's share of the pixels: 25% and 75%.
        let bars = shell.run("show perChannel").split(separator: "\n").dropFirst().map { $0.split(separator: " ").last! }
        XCTAssertEqual(bars, ["25", "75", "75", "25", "75", "25"])

        shell.run("histogram four space rgb bins 2 as joint")
        let joint = try savedBins(shell, "joint")
        XCTAssertEqual(joint.count, 8)
        // Cells (r, g, b): red → (1,0,0) = index 4; dark blue → (0,0,0) = 0; white → (1,1,1) = 7.
        XCTAssertEqual(joint.map(\.fraction), [0.25, 0, 0, 0, 0.5, 0, 0, 0.25])
        XCTAssertEqual(joint[4].label, "r1 g0 b0")

        shell.run("histogram four space hsv bins 3 as hsv")
        let hsv = try savedBins(shell, "hsv")
        XCTAssertEqual(hsv.count, 27)
        // red: hue 0, saturation 1, value 1 → (0, 2, 2) = 8; blue: hue 240° → bin 2, s 1, v 100/255 → bin 1:
        // (2, 2, 1) = 25; white: hue 0, s 0, v 1 → (0, 0, 2) = 2.
        XCTAssertEqual(hsv[8].fraction, 0.5)
        XCTAssertEqual(hsv[25].fraction, 0.25)
        XCTAssertEqual(hsv[2].fraction, 0.25)
        XCTAssertEqual(hsv.map(\.fraction).reduce(0, +), 1)
    }

    /// Hand-computed measures for H₁ = [0.75, 0.25] and H₂ = [0.25, 0.75].
    func testMatchGivesOpenCVsFourMeasures() throws {
        let shell = CommandSession()
        try shell.session.store(Image(width: 4, height: 1, channels: 1, samples: [0, 0, 0, 255]), as: "dark")
        try shell.session.store(Image(width: 4, height: 1, channels: 1, samples: [0, 255, 255, 255]), as: "light")
        let printed = shell.run("match dark light bins 2").split(separator: "\n").map {
            $0.split(separator: " ").map(String.init)
        }
        XCTAssertEqual(printed.map { $0[0] }, ["correlation", "chisquare", "intersection", "bhattacharyya"])
        // correlation: deviations ±0.25 against ∓0.25 → −1. chi-square: 0.5²/0.75 + 0.5²/0.25 = 4/3.
        // intersection: 0.25 + 0.25. Bhattacharyya: √(1 − 2·√(0.75·0.25)) = √(1 − √0.75).
        let expected = [-1, 4.0 / 3, 0.5, (1 - 0.75.squareRoot()).squareRoot()]
        for (row, value) in zip(printed, expected) {
            XCTAssertEqual(Double(row[1])!, value, accuracy: 5e-7, row[0])
        }
        XCTAssertEqual(printed[0].dropFirst(2).joined(separator: " "), "(similarity, higher = closer)")
        XCTAssertEqual(printed[1].dropFirst(2).joined(separator: " "), "(distance, lower = closer)")

        shell.run("histogram dark bins 2 as h1")
        shell.run("histogram light bins 2 as h2")
        shell.run("match h2 h1 method chisquare as reverse")
        // This pair is a mirror image of itself, so both orders give 4/3; the lopsided pair below shows that
        // chi-square is not symmetric.
        XCTAssertEqual(Double(try shell.summary("reverse"))!, 4.0 / 3, accuracy: 1e-12)
        try shell.session.store(Image(width: 4, height: 1, channels: 1, samples: [0, 0, 0, 0]), as: "black")
        shell.run("match black dark bins 2 method chisquare as forward")
        // H₁ = [1, 0], H₂ = [0.75, 0.25]: only bins with H₁ > 0 count: 0.25²/1.
        XCTAssertEqual(Double(try shell.summary("forward"))!, 0.0625, accuracy: 1e-12)
        shell.run("match dark black bins 2 method chisquare as backward")
        // H₁ = [0.75, 0.25], H₂ = [1, 0]: 0.25²/0.75 + 0.25²/0.25.
        XCTAssertEqual(Double(try shell.summary("backward"))!, 0.0625 / 0.75 + 0.25, accuracy: 1e-12)

        let euclidean = shell.run("distance h1 h2 as e")
        XCTAssertTrue(euclidean.hasPrefix("euclidean distance 0.707107 "), euclidean)
        XCTAssertEqual(Double(try shell.summary("e"))!, 0.5.squareRoot(), accuracy: 1e-12)
    }

    func testMirrorKeepsTheHistogramAndHueChangesIt() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo")
        shell.run("mirror photo as mirrored")
        shell.run("match photo mirrored space hsv method bhattacharyya as same")
        XCTAssertEqual(try shell.summary("same"), "0")
        shell.run("hue photo 120 as recoloured")
        shell.run("match photo recoloured space hsv method bhattacharyya as apart")
        XCTAssertGreaterThan(Double(try shell.summary("apart"))!, 0.5)
    }

    func testPlotHistDrawsBarsAndWritesAPNGChart() throws {
        let folder = try TemporaryFolder()
        let shell = CommandSession()
        shell.run("picture shapes size 48 seed 2 as shapes")
        shell.run("histogram shapes bins 8 as h")
        let path = folder.url.appendingPathComponent("charts/h.png").path
        let printed = shell.run("plot hist h to \(path)").split(separator: "\n").map(String.init)
        XCTAssertTrue(printed.first!.hasPrefix("h: per-channel 8 bins (24 bins, "), printed.first!)
        XCTAssertEqual(printed.filter { $0.contains("│") }.count, 24)
        XCTAssertEqual(printed.last, "wrote \(path)")
        let chart = try Image.read(pngAt: path)
        XCTAssertGreaterThanOrEqual(chart.width, 640)
        XCTAssertEqual(chart.height, 580, "three channel panels, one above the other")
        // Joint histograms with many bins list their 24 fullest.
        shell.run("histogram shapes space rgb bins 8 as joint")
        let joint = shell.run("plot hist joint")
        XCTAssertEqual(joint.split(separator: "\n").filter { $0.contains("│") }.count, 24)
        XCTAssertTrue(joint.contains("(the 24 fullest of 512 bins; the other bins hold "), joint)
    }

    func testHistogramErrorsAreOneLine() throws {
        let shell = CommandSession()
        shell.run("picture scene size 32 seed 1 as photo")
        shell.run("gray photo as plain")
        XCTAssertEqual(shell.failure("histogram photo bins 0 as h"), "histogram: bins must be between 1 and 256, not 0")
        XCTAssertEqual(shell.failure("histogram photo bins 257 as h"),
                       "histogram: bins must be between 1 and 256, not 257")
        XCTAssertEqual(shell.failure("histogram photo space lab as h"),
                       "histogram space: `lab` is not one of channels, rgb, hsv")
        XCTAssertTrue(shell.failure("match photo plain").contains("use space rgb or hsv"))
        shell.run("match photo plain space rgb")
        shell.run("histogram photo as h1")
        shell.run("histogram photo space rgb as h2")
        XCTAssertEqual(shell.failure("match h1 h2"),
                       "match: `h1` is per-channel 16 bins, `h2` is joint RGB 8×8×8; make both with the same space and bins")
        XCTAssertEqual(shell.failure("match h1 h1 bins 4"),
                       "match: `h1` is already a histogram; space and bins apply to images")
        XCTAssertEqual(shell.failure("match h1 h1 as m"), "match: choose one method to keep the result with `as`")
        XCTAssertEqual(shell.failure("match h1 h1 method cosine"),
                       "match method: `cosine` is not one of correlation, chisquare, intersection, bhattacharyya, all")
        shell.run("hash phash photo as p")
        XCTAssertEqual(shell.failure("distance h1 p"),
                       "distance: `h1` is a histogram and `p` a hash; give two hashes or two histograms")
    }
}
