import Foundation
import Imaging
import Shell
import XCTest

/// `plot map`: mAP against code length, its points taken from sweeps over bits and from comparisons.
final class PlotMapTests: XCTestCase {
    private func makeShell() -> CommandSession {
        let shell = CommandSession()
        for line in ["data synthetic per-class 20 size 16 seed 3 as d", "split d query 3 train 10 seed 1 as p",
                     "model dsh bits 8 net small-conv seed 2 as m", "set m.batch 16",
                     "sweep m.bits 8,16 on p.train epochs 1 query p.query database p.database as s",
                     "train m on p.train epochs 1",
                     "compare m phash query p.query database p.database as c"] {
            shell.run(line)
        }
        return shell
    }

    /// The printed table holds exactly the sweep's runs and the comparison's entries, a line per method.
    func testPointsComeFromTheSweepAndTheComparison() throws {
        let shell = makeShell()
        let sweep = try shell.session.value(named: "s", as: SweepTable.self)
        let comparison = try shell.session.value(named: "c", as: ComparisonTable.self)
        let folder = try TemporaryFolder()
        let png = folder.url.appendingPathComponent("map.png").path
        let printed = shell.run("plot map s c to \(png)")
        let rows = printed.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .filter { $0.count == 3 && Int($0[1]) != nil }
        var expected = sweep.runs.map { ["s", $0.values[0], String(format: "%.4f", $0.meanAveragePrecision)] }
        expected.append(["dsh", "8", String(format: "%.4f", comparison.entries[0].metrics.mapAll)])
        expected.append(["phash", "64", String(format: "%.4f", comparison.entries[1].metrics.mapAll)])
        XCTAssertEqual(rows, expected, printed)
        let image = try Image.read(pngAt: png)
        XCTAssertGreaterThan(image.width, 100)
    }

    func testWrongValuesAreOneLineErrors() throws {
        let shell = makeShell()
        shell.run("sweep m.alpha 0,0.1 on p.train epochs 1 query p.query database p.database as a")
        XCTAssertEqual(shell.failure("plot map a"),
                       "plot map: `a` sweeps alpha, not bits; sweep M.bits 12,24,48 … for plot map (plot sweep draws any parameter)")
        XCTAssertTrue(shell.failure("plot map m").contains("`m` is a model"))
    }

    /// `plot pr` of a comparison draws its entries' curves under their names.
    func testPlotPrOfAComparison() throws {
        let shell = makeShell()
        let printed = shell.run("plot pr c")
        XCTAssertTrue(printed.contains("• m") && printed.contains("× phash"), printed)
    }
}
