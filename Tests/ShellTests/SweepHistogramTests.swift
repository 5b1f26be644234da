import Foundation
import Imaging
import Learning
import Plots
import Shell
import XCTest

/// `hist S on DATA` for a sweep S: one panel per run, in the terminal and as a PNG of small multiples.
final class SweepHistogramTests: XCTestCase {
    private let setup = ["data synthetic per-class 20 size 16 seed 3 as d", "split d query 3 train 10 seed 1 as p",
                         "model dsh bits 12 net small-conv seed 2 as m", "set m.batch 16"]
    private let tail = "on p.train epochs 1 query p.query database p.database"

    private func makeShell() -> CommandSession {
        let shell = CommandSession()
        for line in setup { shell.run(line) }
        return shell
    }

    /// The columns (x) where `image` has pixels of `color`, or nil when it has none.
    private func columns(of color: PlotColor, in image: Image) -> ClosedRange<Int>? { extent(of: color, in: image)?.x }

    /// The columns (x) and rows (y) where `image` has pixels of `color`, or nil when it has none.
    private func extent(of color: PlotColor, in image: Image) -> (x: ClosedRange<Int>, y: ClosedRange<Int>)? {
        var (left, right, top, bottom) = (Int.max, Int.min, Int.max, Int.min)
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y, 0] == color.red
                && image[x, y, 1] == color.green && image[x, y, 2] == color.blue {
                (left, right, top, bottom) = (min(left, x), max(right, x), min(top, y), max(bottom, y))
            }
        }
        return left <= right ? (left...right, top...bottom) : nil
    }

    func testHistOfASweepDrawsEveryRunOnSharedBinsAndAPanelPerRun() throws {
        let shell = makeShell()
        shell.run("sweep m.alpha 0,0.1,1 \(tail) as s")
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("figures/alpha.png").path
        let text = shell.run("hist s on p.query to \(path)")
        XCTAssertTrue(text.contains("s: outputs before binarising of 3 runs on 30 images × 12 bits (threshold 0)"), text)
        let lines = text.components(separatedBy: "\n")
        // One compact histogram per setting, each titled on its first row, all on the same 24 bins.
        for title in ["alpha=0 ", "alpha=0.1", "alpha=1 "] {
            XCTAssertEqual(lines.filter { $0.hasPrefix(title) && $0.contains("│") }.count, 1, "\(title): \(text)")
        }
        let axes = lines.filter { $0.contains("└") }
        XCTAssertEqual(axes.count, 3, text)
        XCTAssertEqual(Set(axes).count, 1, "the panels' axes differ: \(axes)")
        XCTAssertEqual(axes[0].split(separator: "└").last?.count, 24, axes[0])

        // One height scale: a panel's top row reaches a full block only where its tallest bin is (nearly) the
        // tallest of all panels — counted here with the same bins over the range of all outputs.
        let table = try shell.session.value(named: "s", as: SweepTable.self)
        let query = try shell.session.value(named: "p.query", as: LabeledImages.self)
        let outputs = try table.runs.map { try XCTUnwrap($0.model).outputs(for: query).storage.map(Double.init) }
        let all = outputs.flatMap { $0 }
        let tallest = outputs.map { HistogramBins(values: $0, bins: 24, range: all.min()!...all.max()!).counts.max()! }
        var fullTops = 0
        for (run, count) in zip(table.runs, tallest) {
            let top = try XCTUnwrap(lines.first { $0.hasPrefix("alpha=\(run.values[0]) ") && $0.contains("│") })
            let reachesTop = (Double(count) / Double(tallest.max()!) * 32).rounded() >= 32
            XCTAssertEqual(top.contains("█"), reachesTop, "\(top) with tallest bins \(tallest)")
            if reachesTop { fullTops += 1 }
        }
        XCTAssertLessThan(fullTops, 3, "every panel reaches the top, as with a scale per panel: \(tallest)")

        // One statistics line per run, with its mean distance to ±1, computed here from the run's model.
        var gaps: [Double] = []
        for (run, outputs) in zip(table.runs, outputs) {
            let gap = outputs.map { min(abs($0 - 1), abs($0 + 1)) }.reduce(0, +) / Double(outputs.count)
            gaps.append(gap)
            let row = try XCTUnwrap(lines.first { $0.hasPrefix("alpha=\(run.values[0]) ") && $0.contains("±1") })
            XCTAssertEqual(row.split(separator: " ").dropFirst().first.map(String.init), String(format: "%.4f", gap), row)
        }
        XCTAssertGreaterThan(gaps[0], gaps[2], "α = 1 should pull the outputs towards ±1: \(gaps)")

        // The PNG: one panel per run, left to right in the sweep's order, each in its own colour.
        let image = try Image.read(pngAt: path)
        XCTAssertEqual(image.width, 900)
        let panels = try (0..<3).map { try XCTUnwrap(columns(of: PlotColor.palette[$0], in: image), "panel \($0)") }
        XCTAssertNil(columns(of: PlotColor.palette[3], in: image), "a fourth panel")
        for index in 0..<3 {
            XCTAssertGreaterThanOrEqual(panels[index].lowerBound, index * 300, "panel \(index): \(panels)")
            XCTAssertLessThan(panels[index].upperBound, (index + 1) * 300, "panel \(index): \(panels)")
        }
    }

    /// A diverged run of a two-parameter grid keeps its place as an empty panel: the runs that trained stay in
    /// their own row of the PNG instead of moving up into the diverged runs' places.
    func testHistOfAGridWithDivergedRunsKeepsEveryRunInItsPlace() throws {
        let shell = makeShell()
        shell.run("set m.optimizer sgd")
        shell.run("sweep m.learning-rate 1e30,0.001 m.alpha 0,0.1 \(tail) as s")
        let table = try shell.session.value(named: "s", as: SweepTable.self)
        XCTAssertEqual(table.runs.map(\.diverged), [true, true, false, false])
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("grid.png").path
        let text = shell.run("hist s on p.query to \(path)")
        XCTAssertTrue(text.contains("left out, diverged: learning-rate=1e30 alpha=0, learning-rate=1e30 alpha=0.1"), text)
        let image = try Image.read(pngAt: path)
        // Panels 0 and 1 (the diverged row) have no bars; panels 2 and 3 are drawn in the bottom row, the second
        // to the right of the first.
        func rows(of color: PlotColor) -> ClosedRange<Int>? { extent(of: color, in: image)?.y }
        XCTAssertNil(rows(of: PlotColor.palette[0]))
        XCTAssertNil(rows(of: PlotColor.palette[1]))
        for index in [2, 3] {
            let drawn = try XCTUnwrap(rows(of: PlotColor.palette[index]), "panel \(index)")
            XCTAssertGreaterThan(drawn.lowerBound, image.height / 2, "panel \(index) is not in the bottom row: \(drawn)")
        }
        let left = try XCTUnwrap(columns(of: PlotColor.palette[2], in: image))
        let right = try XCTUnwrap(columns(of: PlotColor.palette[3], in: image))
        XCTAssertLessThan(left.upperBound, right.lowerBound)
    }

    /// The model a sweep keeps for a run gives the same outputs, bit for bit, as the same run made by hand.
    func testTheKeptModelIsTheRunsTrainedModel() throws {
        let shell = makeShell()
        shell.run("sweep m.alpha 0,0.1 \(tail) as s")
        shell.run("model dsh bits 12 net small-conv seed 2 as r")
        shell.run("set r.batch 16")
        shell.run("set r.alpha 0.1")
        shell.run("train r on p.train epochs 1")
        let query = try shell.session.value(named: "p.query", as: LabeledImages.self)
        let byHand = try shell.session.value(named: "r", as: ModelValue.self).model
        let kept = try XCTUnwrap(try shell.session.value(named: "s", as: SweepTable.self).runs[1].model)
        XCTAssertEqual(try kept.outputs(for: query).storage, try byHand.outputs(for: query).storage)
        XCTAssertEqual(kept.history.map(\.loss), byHand.history.map(\.loss))
        // And `hist` of the model prints the same distance as the sweep's line for that run.
        let single = shell.run("hist r on p.query")
        let sweep = shell.run("hist s on p.query")
        let gap = try XCTUnwrap(single.components(separatedBy: "\n")
            .first { $0.hasPrefix("mean distance to the nearer of ±1: ") }?.split(separator: " ").last)
        XCTAssertTrue(sweep.components(separatedBy: "\n").contains { $0.hasPrefix("alpha=0.1 ") && $0.contains(" \(gap) ") },
                      "\(gap) not in \(sweep)")
    }

    /// Two parameters: a grid with a column per value of the second, one panel per run.
    func testTwoParametersGiveAGridOfPanels() throws {
        let shell = makeShell()
        shell.run("sweep m.alpha 0,1 m.m 4,24 \(tail) as s")
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("grid.png").path
        let text = shell.run("hist s on p.database bins 10 to \(path)")
        for title in ["alpha=0 m=4 ", "alpha=0 m=24", "alpha=1 m=4 ", "alpha=1 m=24"] {
            XCTAssertEqual(text.components(separatedBy: "\n").filter { $0.hasPrefix(title) && $0.contains("│") }.count,
                           1, "\(title): \(text)")
        }
        let axes = text.components(separatedBy: "\n").filter { $0.contains("└") }
        XCTAssertEqual(axes.count, 4, text)
        XCTAssertTrue(axes.allSatisfy { $0.split(separator: "└").last?.count == 10 }, "10 bins: \(axes)")
        let image = try Image.read(pngAt: path)
        let panels = (0..<4).compactMap { columns(of: PlotColor.palette[$0], in: image) }
        XCTAssertEqual(panels.count, 4, "one colour per run")
        XCTAssertNil(columns(of: PlotColor.palette[4], in: image))
        // Two columns: runs 1 and 3 (m = 4) on the left half, runs 2 and 4 (m = 24) on the right.
        let half = image.width / 2
        XCTAssertTrue(panels[0].upperBound < half && panels[2].upperBound < half, "\(panels)")
        XCTAssertTrue(panels[1].lowerBound >= half && panels[3].lowerBound >= half, "\(panels)")
    }

    func testHistOfALoadedSweepOrOfAnEmptyOneFailsClearly() throws {
        let shell = makeShell()
        let folder = try TemporaryFolder()
        let path = try folder.write("alpha,final_loss,map,p_at_100,p_within_radius_2,seconds\n0,1,0.5,0.4,0.3,2\n",
                                    to: "s.csv").path
        shell.run("load sweep \(path) as s")
        XCTAssertEqual(shell.failure("hist s on p.query"),
                       "hist: sweep `s` was loaded from \(path) and has no models; run the sweep to draw its outputs")
        try folder.write("alpha,final_loss,map,p_at_100,p_within_radius_2,seconds\n", to: "none.csv")
        shell.run("load sweep \(folder.url.appendingPathComponent("none.csv").path) as none")
        XCTAssertTrue(shell.failure("hist none on p.query").contains("has no"))
        XCTAssertTrue(shell.failure("hist d on p.query").contains("a model or a sweep"))
    }
}
