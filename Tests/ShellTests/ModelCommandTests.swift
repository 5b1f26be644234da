import ClassicHashing
import Codes
import Foundation
import Learning
import Shell
import XCTest

/// Raises the session's Ctrl-C flag at the first progress line, as a user pressing Ctrl-C during training would.
private final class InterruptingSink: OutputSink {
    let flag: InterruptFlag
    private(set) var progressLines = 0
    init(flag: InterruptFlag) { self.flag = flag }
    func write(_ text: String, to channel: OutputChannel) {}
    func progress(_ line: String, isFinal: Bool) {
        if !isFinal {
            progressLines += 1
            flag.raise()
        }
    }
}

/// Keeps every progress line, transient ones included.
private final class ProgressRecorder: OutputSink {
    private(set) var transient: [String] = []
    private(set) var final: [String] = []
    func write(_ text: String, to channel: OutputChannel) {}
    func progress(_ line: String, isFinal: Bool) {
        if isFinal { final.append(line) } else { transient.append(line) }
    }
}

/// `model`, `set M.FIELD`, `show`, `train`, `encode`, `eval MODEL …`, `hist`, `plot loss`, `save`/`load model`.
final class ModelCommandTests: XCTestCase {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-model-\(UUID().uuidString)-\(name)").path
    }

    /// A session with a small synthetic set split into train / query / database and an untrained DSH model.
    private func makeSession(method: String = "dsh") -> (Session, CapturingSink) {
        let (session, sink) = Session.capturing()
        session.execute(line: "data synthetic per-class 12 size 16 seed 3 as d")
        session.execute(line: "split d query 2 train 6 seed 1 as p")
        session.execute(line: "model \(method) bits 12 net small-conv seed 2 as m")
        session.execute(line: "set m.batch 16")
        XCTAssertEqual(sink.error, "")
        return (session, sink)
    }

    private func model(_ session: Session, _ name: String = "m") throws -> HashingModel {
        try session.value(named: name, as: ModelValue.self).model
    }

    func testModelSetAndShow() throws {
        let (session, sink) = makeSession()
        session.execute(line: "set m.alpha 0.1")
        session.execute(line: "set m.m 20")
        session.execute(line: "set m.learning-rate 0.002")
        XCTAssertEqual(sink.error, "")
        let hyperparameters = try model(session).hyperparameters
        XCTAssertEqual(hyperparameters.alpha, 0.1)
        XCTAssertEqual(hyperparameters.effectivePairMargin, 20)
        XCTAssertEqual(hyperparameters.learningRate, 0.002)
        // Long lines wrap to the terminal (80 columns here): the data's summary (ten classes and their counts) too.
        XCTAssertTrue(sink.standard.contains("classes: disc 12,"), sink.standard)
        XCTAssertEqual(sink.standard.split(separator: "\n").filter { $0.count > 80 }, [])
        sink.clear()
        session.execute(line: "show m")
        XCTAssertEqual(sink.standard.split(separator: "\n").filter { $0.count > 80 }, [], "show wraps the meanings")
        XCTAssertTrue(sink.standard.contains("dsh 12 bits, small-conv, untrained"), sink.standard)
        XCTAssertTrue(sink.standard.contains("← code layer"), sink.standard)
        XCTAssertTrue(sink.standard.contains("alpha"), sink.standard)
        XCTAssertTrue(sink.standard.contains("history: not trained"), sink.standard)
        // The table lists what DSH on small-conv with Adam reads; the rest is named once, with who reads it.
        let shown = sink.standard.components(separatedBy: "\n")
        let start = try XCTUnwrap(shown.firstIndex { $0.hasPrefix("not read by this model: ") }, sink.standard)
        let table = shown[..<start]
        XCTAssertTrue(table.contains { $0.hasPrefix("  alpha ") && $0.contains("0.1") }, sink.standard)
        XCTAssertFalse(table.contains { $0.hasPrefix("  eta ") || $0.hasPrefix("  momentum ") }, sink.standard)
        // The line and its continuations, indented deeper than the table's rows (it wraps at the terminal's width).
        let continued = shown[(start + 1)...].prefix { $0.hasPrefix("    ") }
        let unused = ([shown[start]] + continued).joined(separator: " ")
        for part in ["eta ", "(DPSH only)", "margin ", "(triplet only)", "lrn ", "(dsh-cifar net only)",
                     "momentum ", "(SGD only)", "step-every ", "(step schedule only)"] {
            XCTAssertTrue(unused.contains(part), "\(part) in \(unused)")
        }
        // DSH's own alpha is read (HashNet's sigmoid-alpha is not: a different knob).
        let entries = unused.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertFalse(entries.contains(": alpha ") || entries.contains(", alpha "), unused)
    }

    func testInvalidSettingsFailWithOneLineAndLeaveTheModelUnchanged() throws {
        let (session, sink) = makeSession(method: "triplet")
        let before = try model(session).hyperparameters
        for (line, expected) in [("set m.margin -1", "set m.margin: margin must be a finite number ≥ 0"),
                                 ("set m.margin nan", "set m.margin: expected a number"),
                                 ("set m.marjin 2", "margin"),
                                 ("set m.bits 7", "set m.bits: bits must be in 8…256"),
                                 ("set m.mining hardest", "hard")] {
            sink.clear()
            XCTAssertEqual(session.execute(line: line).failures, 1, line)
            XCTAssertTrue(sink.error.contains(expected), "\(line): \(sink.error)")
            XCTAssertEqual(sink.error.split(separator: "\n").count, 1, sink.error)
        }
        XCTAssertEqual(try model(session).hyperparameters, before)
        sink.clear()
        XCTAssertEqual(session.execute(line: "model dhs bits 12 as x").failures, 1)
        XCTAssertTrue(sink.error.contains("dsh"), sink.error)
        sink.clear()
        XCTAssertEqual(session.execute(line: "model dsh bits 7 as x").failures, 1)
        XCTAssertTrue(sink.error.contains("bits must be in 8…256"), sink.error)
    }

    func testTrainEncodeEvalHistAndPlotLoss() throws {
        let (session, sink) = makeSession()
        session.execute(line: "train m on p.train epochs 2")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("epoch 1/2: loss"), sink.standard)
        XCTAssertTrue(sink.standard.contains("epoch 2/2: loss"), sink.standard)
        XCTAssertEqual(try model(session).completedEpochs, 2)
        // N means N more.
        session.execute(line: "train m on p.train epochs 1")
        XCTAssertEqual(try model(session).completedEpochs, 3)
        XCTAssertTrue(sink.standard.contains("epoch 3/3: loss"), sink.standard)

        session.execute(line: "encode p.query with m as qc")
        session.execute(line: "encode p.database with m as dbc")
        XCTAssertEqual(sink.error, "")
        let queries = try session.value(named: "qc", as: CodeSet.self)
        let split = try session.value(named: "p", as: DataSplit.self)
        XCTAssertEqual(queries.count, split.query.count)
        XCTAssertEqual(queries.bitCount, 12)
        XCTAssertEqual(queries.labels, split.query.labels)
        // The codes are the signs of the real outputs.
        let outputs = try model(session).outputs(for: split.query)
        for row in 0..<queries.count {
            for bit in 0..<12 {
                XCTAssertEqual(queries.bit(bit, ofCode: row), outputs.storage[row * 12 + bit] > 0)
            }
        }

        // Both forms of eval agree.
        session.execute(line: "eval qc dbc k 10 as fromCodes")
        session.execute(line: "eval m query p.query database p.database k 10 as fromModel")
        XCTAssertEqual(sink.error, "")
        let fromCodes = try session.value(named: "fromCodes", as: RetrievalMetrics.self)
        let fromModel = try session.value(named: "fromModel", as: RetrievalMetrics.self)
        XCTAssertEqual(fromCodes.json, fromModel.json)
        sink.clear()
        XCTAssertEqual(session.execute(line: "eval m query p.query").failures, 1)
        XCTAssertTrue(sink.error.contains("both query DATA and database DATA"), sink.error)
        sink.clear()
        XCTAssertEqual(session.execute(line: "eval qc").failures, 1)
        XCTAssertTrue(sink.error.contains("DATABASE_CODES"), sink.error)

        // hist: statistics and a PNG.
        sink.clear()
        let png = temporaryPath("hist.png")
        defer { try? FileManager.default.removeItem(atPath: png) }
        session.execute(line: "hist m on p.query to \(png)")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("bit balance (share of 1s): mean"), sink.standard)
        XCTAssertTrue(sink.standard.contains("mean |correlation| between bits"), sink.standard)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
        // The per-bit balance printed is the share of 1-bits in the codes.
        let perBit = (0..<12).map { bit in
            String(format: "%.2f", Double((0..<queries.count).filter { queries.bit(bit, ofCode: $0) }.count)
                   / Double(queries.count))
        }
        XCTAssertTrue(sink.standard.contains("per bit: " + perBit.joined(separator: " ")), sink.standard)

        // plot loss: the history's losses, as text and PNG.
        sink.clear()
        let lossPNG = temporaryPath("loss.png")
        defer { try? FileManager.default.removeItem(atPath: lossPNG) }
        session.execute(line: "plot loss m to \(lossPNG)")
        XCTAssertEqual(sink.error, "")
        let losses = try model(session).history.map(\.loss)
        XCTAssertEqual(losses.count, 3)
        XCTAssertTrue(sink.standard.contains("m: " + losses.map { String(format: "%.4f", $0) }.joined(separator: " ")),
                      sink.standard)
        XCTAssertTrue(FileManager.default.fileExists(atPath: lossPNG))
        session.execute(line: "model dsh bits 12 as fresh")
        sink.clear()
        XCTAssertEqual(session.execute(line: "plot loss fresh").failures, 1)
        XCTAssertTrue(sink.error.contains("not trained"), sink.error)
    }

    func testSaveAndLoadGiveIdenticalCodes() throws {
        let (session, sink) = makeSession(method: "dpsh")
        session.execute(line: "train m on p.train epochs 1")
        let path = temporaryPath("model.ckpt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "save m to \(path)")
        session.execute(line: "load model \(path) as m2")
        session.execute(line: "encode p.database with m as a")
        session.execute(line: "encode p.database with m2 as b")
        XCTAssertEqual(sink.error, "")
        XCTAssertEqual(try session.value(named: "a", as: CodeSet.self), try session.value(named: "b", as: CodeSet.self))
        XCTAssertEqual(try model(session, "m2").history, try model(session).history)
        XCTAssertEqual(try model(session, "m2").hyperparameters, try model(session).hyperparameters)
    }

    func testTrainingErrors() throws {
        let (session, sink) = makeSession()
        session.execute(line: "split d query 1 train 0 database 0 as empty")
        sink.clear()
        XCTAssertEqual(session.execute(line: "train m on empty.train epochs 1").failures, 1)
        XCTAssertTrue(sink.error.contains("training needs at least 2"), sink.error)
        sink.clear()
        XCTAssertEqual(session.execute(line: "train m on p.train epochs 0").failures, 1)
        XCTAssertTrue(sink.error.contains("epochs must be 1 or more"), sink.error)
        sink.clear()
        XCTAssertEqual(session.execute(line: "train d on p.train epochs 1").failures, 1)
        XCTAssertEqual(try model(session).completedEpochs, 0)
        // Once trained, the architecture is fixed.
        session.execute(line: "train m on p.train epochs 1")
        sink.clear()
        XCTAssertEqual(session.execute(line: "set m.bits 16").failures, 1)
        XCTAssertTrue(sink.error.contains("fixed once a model has trained"), sink.error)
        XCTAssertEqual(try model(session).bits, 12)
        // A diverging run is a one-line error and leaves the model as it was, still encoding.
        session.execute(line: "encode p.database with m as before")
        session.execute(line: "set m.optimizer sgd")
        session.execute(line: "set m.learning-rate 1e30")
        sink.clear()
        XCTAssertEqual(session.execute(line: "train m on p.train epochs 3").failures, 1)
        XCTAssertTrue(sink.error.contains("diverged") && sink.error.contains("back as it was"), sink.error)
        XCTAssertFalse(sink.error.dropLast().contains("\n"), sink.error)
        XCTAssertEqual(try model(session).completedEpochs, 1)
        session.execute(line: "encode p.database with m as after")
        XCTAssertEqual(try session.value(named: "after", as: CodeSet.self),
                       try session.value(named: "before", as: CodeSet.self))
    }

    func testCtrlCStopsAfterTheCurrentBatchAndTrainingContinues() throws {
        let flag = InterruptFlag()
        let capture = CapturingSink()
        let interrupter = InterruptingSink(flag: flag)
        let session = Session(output: Output(sinks: [capture, interrupter]), interruptFlag: flag)
        session.execute(line: "data synthetic per-class 12 size 16 seed 3 as d")
        session.execute(line: "split d query 2 train 6 seed 1 as p")
        session.execute(line: "model dsh bits 12 net small-conv seed 2 as m")
        session.execute(line: "set m.batch 8")
        XCTAssertEqual(capture.error, "")
        session.execute(line: "train m on p.train epochs 2")
        XCTAssertEqual(interrupter.progressLines, 1)
        let model = try session.value(named: "m", as: ModelValue.self).model
        XCTAssertEqual(model.completedEpochs, 0)
        XCTAssertEqual(model.position.epoch, 0)
        XCTAssertEqual(model.position.batch, 1, "stopped after the first batch")
        XCTAssertTrue(capture.standard.contains("stopped in epoch 1 after batch 1"), capture.standard)
        // Still usable.
        flag.lower()
        session.execute(line: "encode p.query with m as qc")
        XCTAssertEqual(capture.error, "")
        XCTAssertEqual(try session.value(named: "qc", as: CodeSet.self).count, 20)
        // Training again continues to the end (the sink keeps raising the flag, so lower it by not interrupting).
        let quiet = Session(output: Output(sinks: [capture]), interruptFlag: InterruptFlag())
        try quiet.store(session.value(named: "m"), as: "m")
        try quiet.store(session.value(named: "p"), as: "p")
        quiet.execute(line: "train m on p.train epochs 2")
        XCTAssertEqual(capture.error, "")
        XCTAssertEqual(model.completedEpochs, 2)
    }

    func testInterruptedThenResumedEqualsUninterrupted() throws {
        let (reference, _) = makeSession()
        reference.execute(line: "train m on p.train epochs 1")
        reference.execute(line: "encode p.database with m as codes")

        let flag = InterruptFlag()
        let capture = CapturingSink()
        let session = Session(output: Output(sinks: [capture, InterruptingSink(flag: flag)]), interruptFlag: flag)
        for line in ["data synthetic per-class 12 size 16 seed 3 as d", "split d query 2 train 6 seed 1 as p",
                     "model dsh bits 12 net small-conv seed 2 as m", "set m.batch 16", "train m on p.train epochs 1"] {
            session.execute(line: line)
        }
        let model = try session.value(named: "m", as: ModelValue.self).model
        XCTAssertEqual(model.completedEpochs, 0)
        let quiet = Session(output: Output(sinks: [capture]), interruptFlag: InterruptFlag())
        try quiet.store(session.value(named: "m"), as: "m")
        try quiet.store(session.value(named: "p"), as: "p")
        quiet.execute(line: "train m on p.train epochs 1")
        quiet.execute(line: "encode p.database with m as codes")
        XCTAssertEqual(capture.error, "")
        XCTAssertEqual(try quiet.value(named: "codes", as: CodeSet.self),
                       try reference.value(named: "codes", as: CodeSet.self))
    }

    /// `train … query Q database D every N`: the pauses to measure leave the weights of an uninterrupted run; each
    /// measurement equals `eval` of the model at that epoch; they survive save/load and draw with plot learning.
    func testMeasuringWhileTrainingLeavesTheRunUnchangedAndMatchesEval() throws {
        let (reference, referenceSink) = makeSession()
        reference.execute(line: "set m.schedule step")
        reference.execute(line: "set m.step-every 2")
        reference.execute(line: "train m on p.train epochs 2")
        reference.execute(line: "eval m query p.query database p.database as after2")
        reference.execute(line: "train m on p.train epochs 1")
        reference.execute(line: "eval m query p.query database p.database as after3")
        XCTAssertEqual(referenceSink.error, "")

        let (session, sink) = makeSession()
        session.execute(line: "set m.schedule step")
        session.execute(line: "set m.step-every 2")
        sink.clear()
        session.execute(line: "train m on p.train epochs 3 query p.query database p.database every 2")
        XCTAssertEqual(sink.error, "")
        let measured = try model(session).evaluations
        // After epoch 2 (a multiple of every) and after the last epoch, 3.
        XCTAssertEqual(measured.map(\.epochs), [2, 3])
        for (record, name) in zip(measured, ["after2", "after3"]) {
            let expected = try reference.value(named: name, as: RetrievalMetrics.self)
            XCTAssertEqual(record.meanAveragePrecision, expected.mapAll, accuracy: 1e-12)
            XCTAssertEqual(record.precisionAtK, expected.precisionAtK, accuracy: 1e-12)
            XCTAssertEqual(record.precisionWithinRadius, expected.precisionWithinRadius, accuracy: 1e-12)
            XCTAssertEqual(record.query, "p.query")
            XCTAssertEqual(record.database, "p.database")
        }
        XCTAssertTrue(sink.standard.contains("epoch 2/3: mAP "), sink.standard)
        XCTAssertTrue(sink.standard.contains("epoch 3/3: mAP "), sink.standard)
        // The weights are the uninterrupted run's (one `train … epochs 3`), bit for bit.
        let (plain, _) = makeSession()
        plain.execute(line: "set m.schedule step")
        plain.execute(line: "set m.step-every 2")
        plain.execute(line: "train m on p.train epochs 3")
        plain.execute(line: "encode p.database with m as codes")
        session.execute(line: "encode p.database with m as codes")
        XCTAssertEqual(try session.value(named: "codes", as: CodeSet.self),
                       try plain.value(named: "codes", as: CodeSet.self))
        XCTAssertEqual(try model(session).history.map(\.loss), try model(plain).history.map(\.loss))

        // Shown in the history, kept by save/load, drawn by plot learning.
        sink.clear()
        session.execute(line: "show m")
        XCTAssertTrue(sink.standard.contains("epoch 2: loss "), sink.standard)
        XCTAssertTrue(sink.standard.contains(", mAP "), sink.standard)
        let path = temporaryPath("measured.ckpt"), png = temporaryPath("learning.png")
        defer { for file in [path, png] { try? FileManager.default.removeItem(atPath: file) } }
        session.execute(line: "save m to \(path)")
        session.execute(line: "load model \(path) as m2")
        XCTAssertEqual(try model(session, "m2").evaluations, measured)
        sink.clear()
        session.execute(line: "plot learning m m2 to \(png)")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("mAP on the held-out queries"), sink.standard)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png))
    }

    func testMeasuringWhileTrainingRejectsBadInputAndKeepsTheModel() throws {
        let (session, sink) = makeSession()
        session.execute(line: "data synthetic per-class 2 size 8 seed 1 as small")
        for (line, expected) in [("train m on p.train epochs 2 query p.query", "give both query DATA and database DATA"),
                                 ("train m on p.train epochs 2 every 2", "every goes with query"),
                                 ("train m on p.train epochs 2 query p.query database p.database every 0",
                                  "every must be 1 or more"),
                                 ("train m on p.train epochs 2 query small database p.database", "8x8")] {
            sink.clear()
            XCTAssertEqual(session.execute(line: line).failures, 1, line)
            XCTAssertTrue(sink.error.contains(expected), "\(line): \(sink.error)")
            XCTAssertFalse(sink.error.dropLast().contains("\n"), sink.error)
        }
        XCTAssertEqual(try model(session).completedEpochs, 0)
        XCTAssertEqual(try model(session).evaluations, [])
        sink.clear()
        XCTAssertEqual(session.execute(line: "plot learning m").failures, 1)
        XCTAssertTrue(sink.error.contains("no measurements"), sink.error)
    }

    func testProgressLinesShowEpochBatchLossSpeedAndTimeLeft() throws {
        let recorder = ProgressRecorder()
        let session = Session(output: Output(sinks: [recorder]))
        for line in ["data synthetic per-class 12 size 16 seed 3 as d", "model dsh bits 12 net small-conv as m",
                     "set m.batch 16", "train m on d epochs 2"] {
            XCTAssertEqual(session.execute(line: line).failures, 0, line)
        }
        // 120 images in batches of 16: 8 batches an epoch; the first batch's line always shows.
        let first = try XCTUnwrap(recorder.transient.first)
        XCTAssertTrue(first.hasPrefix("epoch 1/2 "), first)
        XCTAssertTrue(first.contains("batch 1/8 loss "), first)
        XCTAssertTrue(first.contains(" img/s ETA "), first)
        XCTAssertEqual(recorder.final.count, 2)
        XCTAssertTrue(recorder.final[1].hasPrefix("epoch 2/2: loss "), recorder.final[1])
        let history = try session.value(named: "m", as: ModelValue.self).model.history
        XCTAssertTrue(recorder.final[1].contains(String(format: "%.4f", history[1].loss)), recorder.final[1])
    }

    func testClassicHashCodesAndTheResultsTable() throws {
        let (session, sink) = makeSession()
        session.execute(line: "encode p.query with phash as qp")
        session.execute(line: "encode p.database with phash as dbp")
        XCTAssertEqual(sink.error, "")
        let codes = try session.value(named: "qp", as: CodeSet.self)
        let split = try session.value(named: "p", as: DataSplit.self)
        XCTAssertEqual(codes.bitCount, 64)
        for index in [0, codes.count - 1] {
            let expected = try ImageHash(of: split.query.image(at: index), kind: .phash).bits
            XCTAssertEqual((0..<64).map { codes.bit($0, ofCode: index) }, expected)
        }
        session.execute(line: "eval qp dbp k 5 as a")
        session.execute(line: "eval qp dbp k 5 radius 3 as b")
        sink.clear()
        session.execute(line: "results a b")
        XCTAssertEqual(sink.error, "")
        let metrics = try session.value(named: "a", as: RetrievalMetrics.self)
        XCTAssertTrue(sink.standard.contains("mAP@5"), sink.standard)
        XCTAssertTrue(sink.standard.contains(String(format: "%.4f", metrics.mapAll)), sink.standard)
        XCTAssertTrue(sink.standard.contains("different k or radius"), sink.standard)
    }
}
