import Codes
import Foundation
import Learning
import Shell
import XCTest

/// Raises the session's Ctrl-C flag at the first transient progress line (during the first run's training).
/// Presses Ctrl-C (raises the flag) as the second run trains.
private final class SecondRunInterrupter: OutputSink {
    let flag: InterruptFlag
    init(flag: InterruptFlag) { self.flag = flag }
    func write(_ text: String, to channel: OutputChannel) {}
    func progress(_ line: String, isFinal: Bool) { if !isFinal && line.hasPrefix("run 2/") { flag.raise() } }
}

/// `sweep`, its table value, `save S to FILE.csv` and `plot sweep`.
final class SweepCommandTests: XCTestCase {
    private let setup = ["data synthetic per-class 20 size 16 seed 3 as d", "split d query 3 train 10 seed 1 as p",
                         "model dsh bits 12 net small-conv seed 2 as m", "set m.batch 16"]
    private let tail = "on p.train epochs 1 query p.query database p.database"

    private func makeSession() -> (Session, CapturingSink) {
        let (session, sink) = Session.capturing()
        for line in setup { session.execute(line: line) }
        XCTAssertEqual(sink.error, "")
        return (session, sink)
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-sweep-\(UUID().uuidString)-\(name)").path
    }

    /// The sweep's numbers are those of the same runs made one by one with model/set/train/eval, exactly.
    func testSweepEqualsTheRunsMadeOneByOne() throws {
        let (session, sink) = makeSession()
        session.execute(line: "sweep m.alpha 0,0.1 \(tail) as s")
        XCTAssertEqual(sink.error, "")
        let table = try session.value(named: "s", as: SweepTable.self)
        XCTAssertEqual(table.parameters, ["alpha"])
        XCTAssertEqual(table.runs.map(\.values), [["0"], ["0.1"]])
        XCTAssertEqual(try session.value(named: "m", as: ModelValue.self).model.history.count, 0,
                       "the swept model itself is not trained")
        for (index, alpha) in ["0", "0.1"].enumerated() {
            session.execute(line: "model dsh bits 12 net small-conv seed 2 as r\(index)")
            session.execute(line: "set r\(index).batch 16")
            session.execute(line: "set r\(index).alpha \(alpha)")
            session.execute(line: "train r\(index) \(tail.components(separatedBy: " query").first!)")
            session.execute(line: "eval r\(index) query p.query database p.database as e\(index)")
            XCTAssertEqual(sink.error, "")
            let metrics = try session.value(named: "e\(index)", as: RetrievalMetrics.self)
            let model = try session.value(named: "r\(index)", as: ModelValue.self).model
            let run = table.runs[index]
            XCTAssertEqual(run.finalLoss, model.history.last!.loss)
            XCTAssertEqual(run.meanAveragePrecision, metrics.mapAll)
            XCTAssertEqual(run.precisionAtK, metrics.precisionAtK)
            XCTAssertEqual(run.precisionWithinRadius, metrics.precisionWithinRadius)
        }
        XCTAssertNotEqual(table.runs[0].finalLoss, table.runs[1].finalLoss, "alpha changes the loss")
    }

    /// A learning rate that diverges costs only its own run: it is kept as diverged (no numbers, no model), the
    /// other runs finish, and the table, its CSV, plot sweep and hist of the sweep work on the rest.
    func testADivergedRunIsKeptAsDivergedAndTheOthersFinish() throws {
        let (session, sink) = makeSession()
        session.execute(line: "set m.optimizer sgd")
        sink.clear()
        session.execute(line: "sweep m.learning-rate 0.001,1e30,0.002 \(tail) as s")
        XCTAssertEqual(sink.error, "")
        let table = try session.value(named: "s", as: SweepTable.self)
        XCTAssertEqual(table.runs.map(\.diverged), [false, true, false])
        XCTAssertNil(table.runs[1].model)
        XCTAssertTrue(table.runs[0].meanAveragePrecision.isFinite && table.runs[2].meanAveragePrecision.isFinite)
        XCTAssertTrue(sink.standard.contains("learning-rate=1e30: diverged"), sink.standard)
        XCTAssertEqual(table.rows[1][1], "diverged")
        let csv = temporaryPath("diverged.csv"), png = temporaryPath("diverged.png")
        defer { for file in [csv, png] { try? FileManager.default.removeItem(atPath: file) } }
        session.execute(line: "save s to \(csv)")
        session.execute(line: "load sweep \(csv) as loaded")
        XCTAssertEqual(try session.value(named: "loaded", as: SweepTable.self).runs.map(\.diverged), [false, true, false])
        sink.clear()
        session.execute(line: "plot sweep s to \(png)")
        session.execute(line: "hist s on p.query")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("left out, diverged: learning-rate=1e30"), sink.standard)
    }

    func testTwoParametersSweepTheirProductAndTheCSVMatchesTheRows() throws {
        let (session, sink) = makeSession()
        session.execute(line: "set m.learning-rate 0.002")
        session.execute(line: "sweep m.alpha 0,0.1 m.batch 8,16 \(tail) as s")
        XCTAssertEqual(sink.error, "")
        let table = try session.value(named: "s", as: SweepTable.self)
        XCTAssertEqual(table.parameters, ["alpha", "batch"])
        XCTAssertEqual(table.runs.map(\.values), [["0", "8"], ["0", "16"], ["0.1", "8"], ["0.1", "16"]])
        let path = temporaryPath("s.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "save s to \(path)")
        XCTAssertEqual(sink.error, "")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "alpha,batch,final_loss,map,p_at_100,p_within_radius_2,seconds")
        XCTAssertEqual(lines.count, 5)
        for (line, run) in zip(lines.dropFirst(), table.runs) {
            let cells = line.split(separator: ",").map(String.init)
            XCTAssertEqual(Array(cells[0..<2]), run.values)
            XCTAssertEqual(Double(cells[2]), run.finalLoss)
            XCTAssertEqual(Double(cells[3]), run.meanAveragePrecision)
            XCTAssertEqual(Double(cells[4]), run.precisionAtK)
            XCTAssertEqual(Double(cells[5]), run.precisionWithinRadius)
        }
        sink.clear()
        session.execute(line: "show s")
        XCTAssertTrue(sink.standard.contains("4 runs over alpha × batch"), sink.standard)
        XCTAssertTrue(sink.standard.contains("P(r≤2)"), sink.standard)
    }

    /// Every kind of invalid sweep fails before any run trains (no run line, no value kept).
    func testValidationHappensBeforeTraining() throws {
        let (session, sink) = makeSession()
        let cases: [(String, String)] = [
            ("sweep m.alpah 0,0.1 \(tail) as s", "did you mean `alpha`"),
            ("sweep m.alpha 0,x \(tail) as s", "expected a number"),
            ("sweep m.alpha 0,-1 \(tail) as s", "alpha"),              // the first value is fine, the second not
            ("sweep m.alpha 0,,1 \(tail) as s", "none empty"),
            ("sweep m.optimizer adam,adamw \(tail) as s", "adamw"),
            ("sweep m.alpha 1,2,3,4 m.batch 4,8,16,32 \(tail) as s", "add force"),
            ("sweep m.alpha 0 m.alpha 1 \(tail) as s", "twice"),
            ("sweep alpha 0,1 \(tail) as s", "MODEL.PARAMETER"),
        ]
        for (line, message) in cases {
            sink.clear()
            session.execute(line: line)
            XCTAssertTrue(sink.error.contains(message), "\(line): \(sink.error)")
            XCTAssertFalse(sink.all.contains("run 1/"), "\(line) trained: \(sink.all)")
            XCTAssertThrowsError(try session.value(named: "s"), line)
        }
    }

    /// Ctrl-C during the second run stops it at its next batch; the first run is kept, the second dropped.
    func testCtrlCStopsTheCurrentRunAndKeepsTheFinishedOnes() throws {
        let flag = InterruptFlag()
        let capture = CapturingSink()
        let session = Session(output: Output(sinks: [capture, SecondRunInterrupter(flag: flag)]),
                              interruptFlag: flag)
        for line in setup { session.execute(line: line) }
        session.execute(line: "sweep m.alpha 0,0.1,0.2 \(tail) as s")
        XCTAssertTrue(capture.all.contains("stopped after 1 of 3 runs"), capture.all)
        let table = try session.value(named: "s", as: SweepTable.self)
        XCTAssertEqual(table.runs.map(\.values), [["0"]])
    }

    func testPlotSweepDrawsTheColumnAndWritesAPNG() throws {
        let (session, sink) = makeSession()
        session.execute(line: "sweep m.alpha 0,0.1 \(tail) as s")
        let path = temporaryPath("s.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        sink.clear()
        session.execute(line: "plot sweep s column loss to \(path)")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("s: loss against alpha"), sink.standard)
        let png = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        session.execute(line: "plot loss m column map")
        XCTAssertTrue(sink.error.contains("plot loss: column goes with plot sweep"), sink.error)
        // Tab offers column after plot sweep only.
        let completer = Completer(session: session)
        XCTAssertEqual(completer.complete("plot sweep s c").candidates, ["column"])
        XCTAssertEqual(completer.complete("plot loss m c").candidates, [])
    }
}
