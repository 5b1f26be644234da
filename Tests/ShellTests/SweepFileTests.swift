import Foundation
import Shell
import XCTest

/// `load sweep FILE.csv as S` reads what `save S to FILE.csv` writes; bad files fail in one line and keep the
/// session's values.
final class SweepFileTests: XCTestCase {
    private let header = "alpha,final_loss,map,p_at_100,p_within_radius_2,seconds"

    func testSaveLoadSaveGivesTheSameFileAndTheSameTable() throws {
        let shell = CommandSession()
        for line in ["data synthetic per-class 20 size 16 seed 3 as d", "split d query 3 train 10 seed 1 as p",
                     "model dsh bits 12 net small-conv seed 2 as m", "set m.batch 16",
                     "sweep m.alpha 0,0.1 m.batch 8,16 on p.train epochs 1 query p.query database p.database k 50 radius 1 as s"] {
            shell.run(line)
        }
        let folder = try TemporaryFolder()
        let first = folder.url.appendingPathComponent("s.csv").path
        let second = folder.url.appendingPathComponent("again/s.csv").path
        shell.run("save s to \(first)")
        XCTAssertEqual(shell.run("load sweep \(first) as t"), "t: 4 runs over alpha × batch (loaded from \(first))\n")
        shell.run("save t to \(second)")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: first)), try Data(contentsOf: URL(fileURLWithPath: second)))

        let saved = try shell.session.value(named: "s", as: SweepTable.self)
        let loaded = try shell.session.value(named: "t", as: SweepTable.self)
        XCTAssertEqual(loaded.parameters, ["alpha", "batch"])
        XCTAssertEqual(loaded.k, 50)
        XCTAssertEqual(loaded.radius, 1)
        XCTAssertEqual(loaded.runs, saved.runs, "every number bit for bit")
        XCTAssertTrue(loaded.runs.allSatisfy { $0.model == nil })
        XCTAssertTrue(saved.runs.allSatisfy { $0.model != nil })

        // show and plot sweep work on the loaded value as on the original.
        let shownSaved = shell.run("show s").components(separatedBy: "\n").dropFirst()
        let shownLoaded = shell.run("show t").components(separatedBy: "\n").dropFirst()
        XCTAssertEqual(Array(shownLoaded), Array(shownSaved))
        XCTAssertTrue(shownLoaded.joined().contains("P@50"))
        let plot = folder.url.appendingPathComponent("t.png").path
        XCTAssertTrue(shell.run("plot sweep t column precision to \(plot)").contains("t: precision against alpha"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: plot))
    }

    /// Hand-written files: numbers in other spellings, CRLF line ends and a blank line are read; NaN survives.
    func testAHandWrittenFileLoads() throws {
        let shell = CommandSession()
        let folder = try TemporaryFolder()
        let path = try folder.write("m,alpha,final_loss,map,p_at_10,p_within_radius_0,seconds\r\n"
                                    + "24,0.01,nan,0.5,.25,1e-1,3\r\n\r\n12,0,1.5,0.75,0.5,0,4\r\n", to: "h.csv").path
        shell.run("load sweep \(path) as h")
        let table = try shell.session.value(named: "h", as: SweepTable.self)
        XCTAssertEqual(table.parameters, ["m", "alpha"])
        XCTAssertEqual(table.k, 10)
        XCTAssertEqual(table.radius, 0)
        XCTAssertEqual(table.runs.map(\.values), [["24", "0.01"], ["12", "0"]])
        XCTAssertTrue(table.runs[0].finalLoss.isNaN)
        XCTAssertEqual(table.runs[0].precisionAtK, 0.25)
        XCTAssertEqual(table.runs[0].precisionWithinRadius, 0.1)
        XCTAssertEqual(table.runs[1].seconds, 4)
        XCTAssertEqual(table.csv, "m,alpha,final_loss,map,p_at_10,p_within_radius_0,seconds\n"
                       + "24,0.01,nan,0.5,0.25,0.10000000000000001,3\n12,0,1.5,0.75,0.5,0,4\n")
    }

    func testBadFilesFailInOneLineAndKeepTheValues() throws {
        let shell = CommandSession()
        let folder = try TemporaryFolder()
        let good = try folder.write("\(header)\n0,1,0.5,0.4,0.3,2\n", to: "good.csv").path
        shell.run("load sweep \(good) as s")
        let cases: [(name: String, text: String, message: String)] = [
            ("empty.csv", "", "empty.csv: the file is empty"),
            ("blank.csv", "\n\n", "blank.csv: the file is empty"),
            ("no-seconds.csv", "alpha,final_loss,map,p_at_100,p_within_radius_2\n0,1,0.5,0.4,0.3\n",
             "no-seconds.csv:1: no column seconds"),
            ("no-map.csv", "alpha,final_loss,p_at_100,p_within_radius_2,seconds\n0,1,0.4,0.3,2\n",
             "no-map.csv:1: no column map"),
            ("no-k.csv", "alpha,final_loss,map,p_at_k,p_within_radius_2,seconds\n", "no-k.csv:1: no column p_at_K"),
            ("no-parameter.csv", "final_loss,map,p_at_100,p_within_radius_2,seconds\n1,0.5,0.4,0.3,2\n",
             "no-parameter.csv:1: the header should be"),
            ("order.csv", "alpha,map,final_loss,p_at_100,p_within_radius_2,seconds\n", "order.csv:1: the header should be"),
            ("unknown.csv", "alhpa,final_loss,map,p_at_100,p_within_radius_2,seconds\n",
             "unknown.csv:1: column `alhpa` is not a model hyperparameter"),
            ("twice.csv", "alpha,alpha,final_loss,map,p_at_100,p_within_radius_2,seconds\n",
             "twice.csv:1: column `alpha` appears twice"),
            ("short.csv", "\(header)\n0,1,0.5,0.4,0.3,2\n0.1,1,0.5,0.4,0.3\n",
             "short.csv:3: 5 fields, but the header has 6 columns"),
            ("long.csv", "\(header)\n0,1,0.5,0.4,0.3,2,7\n", "long.csv:2: 7 fields, but the header has 6 columns"),
            ("word.csv", "\(header)\n0,1,0.5,0.4,0.3,2\n0.1,1,high,0.4,0.3,2\n",
             "word.csv:3: `high` in column map is not a number"),
            ("blank-number.csv", "\(header)\n0,1,0.5,0.4,,2\n",
             "blank-number.csv:2: the p_within_radius_2 field is empty"),
            ("blank-value.csv", "\(header)\n,1,0.5,0.4,0.3,2\n", "blank-value.csv:2: the alpha field is empty"),
        ]
        for (name, text, message) in cases {
            let path = try folder.write(text, to: name).path
            let error = shell.failure("load sweep \(path) as s")
            XCTAssertTrue(error.hasPrefix("load sweep: \(folder.url.path)/\(message)"), "\(name): \(error)")
        }
        XCTAssertEqual(try shell.summary("s"), "1 run over alpha (loaded from \(good))")
        XCTAssertTrue(shell.failure("load sweep \(folder.url.path)/absent.csv as s").contains("absent.csv"))
    }
}
