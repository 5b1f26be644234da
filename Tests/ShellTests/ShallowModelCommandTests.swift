import Codes
import Foundation
import Learning
import Shell
import ShallowHashing
import XCTest

/// The shallow methods (LSH, PCAH, ITQ, SH, KSH, SDH) wherever a method works: `model`, `train` in one pass, `encode`, `eval`,
/// `compare`, `sweep`, `hist`, `explain`, `save`/`load` — and the settings they refuse.
final class ShallowModelCommandTests: XCTestCase {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-shallow-\(UUID().uuidString)-\(name)").path
    }

    /// A session with a small synthetic set split into train / query / database.
    private func makeSession() -> (Session, CapturingSink) {
        let (session, sink) = Session.capturing()
        session.execute(line: "data synthetic per-class 12 size 16 seed 3 as d")
        session.execute(line: "split d query 2 train 6 seed 1 as p")
        XCTAssertEqual(sink.error, "")
        return (session, sink)
    }

    private func model(_ session: Session, _ name: String) throws -> HashingModel {
        try session.value(named: name, as: ModelValue.self).model
    }

    private func images(_ session: Session, _ part: String) throws -> LabeledImages {
        try session.value(named: "p", as: DataSplit.self).part(named: part)!
    }

    /// The shell's codes are the library's: the method trained directly on the pixel features of the same images,
    /// with the same seed, encodes the database to the same bits.
    func testEveryShallowMethodEncodesAsTheLibraryDoes() throws {
        let (session, sink) = makeSession()
        let training = try FeatureSet(pixelsOf: try images(session, "train"))
        let database = try FeatureSet(pixelsOf: try images(session, "database"))
        for method in ShallowMethod.allCases {
            session.execute(line: "model \(method) bits 16 as m")
            session.execute(line: "train m on p.train")
            session.execute(line: "encode p.database with m as codes")
            XCTAssertEqual(sink.error, "", "\(method)")
            let hasher = try method.train(on: training, bitCount: 16, seed: 1)
            let expected = try hasher.encode(database)
            XCTAssertEqual(try session.value(named: "codes", as: CodeSet.self).words, expected.words, "\(method)")
            XCTAssertTrue(sink.standard.contains("trained in one pass on"), sink.standard)
            sink.clear()
        }
    }

    func testShallowModelsRefuseWhatTheyDoNotRead() throws {
        let (session, sink) = makeSession()
        session.execute(line: "model itq bits 12 as q")
        XCTAssertEqual(sink.error, "")
        let refusals: [(String, String)] = [
            ("train q on p.train epochs 3", "train: itq trains in one pass; leave out epochs"),
            ("set q.learning-rate 0.1", "itq does not read learning-rate (deep methods only)"),
            ("set q.net mlp", "itq does not read net"),
            ("model pcah bits 12 seed 3 as r", "model: pcah does not read seed (not PCAH and SH, which are deterministic)"),
            ("model sh bits 12 net mlp as r", "model: sh does not read net"),
            ("model dsh bits 12 features pixels as r", "model: dsh does not read features (shallow methods only)"),
            ("encode p.database with q as c", "itq has not trained yet"),
            ("set q.m 4", "itq does not read m (DSH only)"),
        ]
        for (line, message) in refusals {
            sink.clear()
            XCTAssertEqual(session.execute(line: line).failures, 1, line)
            XCTAssertTrue(sink.error.contains(message), "\(line): \(sink.error)")
            XCTAssertFalse(sink.error.dropLast().contains("\n"), sink.error)
        }
        XCTAssertEqual(try model(session, "q").hyperparameters.learningRate, 1e-3)
        // A deep model still needs its epochs.
        session.execute(line: "model dsh bits 12 net small-conv as m")
        sink.clear()
        XCTAssertEqual(session.execute(line: "train m on p.train").failures, 1)
        XCTAssertTrue(sink.error.contains("give epochs N"), sink.error)
    }

    func testTrainingAgainChangesNothingUnlessASettingChanged() throws {
        let (session, sink) = makeSession()
        session.execute(line: "model itq bits 12 as q")
        session.execute(line: "train q on p.train")
        session.execute(line: "encode p.database with q as first")
        let losses = try XCTUnwrap(try model(session, "q").shallowHasher as? IterativeQuantization).quantizationLosses
        XCTAssertEqual(losses.count, 51)
        session.execute(line: "train q on p.train")
        session.execute(line: "encode p.database with q as again")
        XCTAssertEqual(try session.value(named: "first", as: CodeSet.self), try session.value(named: "again", as: CodeSet.self))
        session.execute(line: "set q.iterations 3")
        session.execute(line: "train q on p.train")
        XCTAssertEqual(sink.error, "")
        let retrained = try XCTUnwrap(try model(session, "q").shallowHasher as? IterativeQuantization)
        XCTAssertEqual(retrained.quantizationLosses.count, 4)
        // What shapes the codes is fixed once trained, as a net's architecture is.
        sink.clear()
        XCTAssertEqual(session.execute(line: "set q.bits 16").failures, 1)
        XCTAssertTrue(sink.error.contains("fixed once a model has trained"), sink.error)
    }

    func testCompareSweepHistAndExplainTakeShallowModels() throws {
        let (session, sink) = makeSession()
        for method in ["lsh", "pcah", "itq", "sh"] {
            session.execute(line: "model \(method) bits 16 as \(method)")
            session.execute(line: "train \(method) on p.train")
        }
        session.execute(line: "compare lsh pcah itq sh phash query p.query database p.database as c")
        XCTAssertEqual(sink.error, "")
        let table = try session.value(named: "c", as: ComparisonTable.self)
        XCTAssertEqual(table.entries.map(\.method), ["lsh", "pcah", "itq", "sh", "classic"])
        XCTAssertTrue(table.entries.allSatisfy { $0.metrics.mapAll > 0 && $0.metrics.mapAll <= 1 })

        session.execute(line: "sweep itq.bits 8,16 on p.train query p.query database p.database as s")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("2 runs of one pass"), sink.standard)
        let sweep = try session.value(named: "s", as: SweepTable.self)
        XCTAssertEqual(sweep.runs.count, 2)
        XCTAssertTrue(sweep.runs.allSatisfy { !$0.diverged && $0.meanAveragePrecision > 0 }, "\(sweep.runs)")
        XCTAssertEqual(sweep.runs.map { $0.model?.bits }, [8, 16])
        // A sweep over a setting no shallow model reads would give identical rows: refused.
        sink.clear()
        XCTAssertEqual(session.execute(line: "sweep pcah.seed 1,2 on p.train query p.query database p.database as s2").failures, 1)
        XCTAssertTrue(sink.error.contains("pcah does not read seed"), sink.error)
        sink.clear()
        XCTAssertEqual(session.execute(line: "sweep itq.bits 8,16 on p.train epochs 2 query p.query database p.database as s3").failures, 1)
        XCTAssertTrue(sink.error.contains("itq trains in one pass"), sink.error)

        sink.clear()
        session.execute(line: "hist itq on p.query")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("outputs of 20 images × 16 bits (threshold 0)"), sink.standard)
        sink.clear()
        session.execute(line: "explain itq")
        XCTAssertTrue(sink.standard.contains("Gong & Lazebnik") && sink.standard.contains("Objective"), sink.standard)
        session.execute(line: "show itq")
        XCTAssertTrue(sink.standard.contains("trained in one pass"), sink.standard)
        XCTAssertFalse(sink.standard.contains("learning-rate"), "a shallow model lists no training settings")
        XCTAssertEqual(sink.error, "")
    }

    /// Saved and loaded (as safetensors whatever the extension), a shallow model encodes to the same bits.
    func testSaveAndLoadGiveIdenticalCodes() throws {
        let (session, sink) = makeSession()
        for method in ShallowMethod.allCases {
            session.execute(line: "model \(method) bits 24 as m")
            session.execute(line: "train m on p.train")
            for name in ["m.safetensors", "m.model"] {
                let path = temporaryPath(name)
                defer { try? FileManager.default.removeItem(atPath: path) }
                session.execute(line: "save m to \(path)")
                session.execute(line: "load model \(path) as m2")
                session.execute(line: "encode p.database with m as a")
                session.execute(line: "encode p.database with m2 as b")
                XCTAssertEqual(sink.error, "", "\(method) \(name)")
                XCTAssertEqual(try session.value(named: "a", as: CodeSet.self), try session.value(named: "b", as: CodeSet.self))
                XCTAssertEqual(try model(session, "m2").hyperparameters, try model(session, "m").hyperparameters)
                XCTAssertEqual(try model(session, "m2").onePassTraining, try model(session, "m").onePassTraining)
            }
        }
        sink.clear()
        XCTAssertEqual(session.execute(line: "save m to \(temporaryPath("m.py"))").failures, 1)
        XCTAssertTrue(sink.error.contains("no PyTorch module"), sink.error)
        session.execute(line: "model lsh bits 12 as fresh")
        sink.clear()
        XCTAssertEqual(session.execute(line: "save fresh to \(temporaryPath("f.safetensors"))").failures, 1)
        XCTAssertTrue(sink.error.contains("has not trained yet"), sink.error)
    }

    /// KSH through the shell: model, one-pass training, eval, hist of its kernel projections, explain, save/load.
    func testKSHThroughTheShell() throws {
        let (session, sink) = makeSession()
        // Not `k`: that is eval's keyword for mAP@k.
        session.execute(line: "model ksh bits 16 as kh")
        XCTAssertEqual(try model(session, "kh").hyperparameters.anchors, 300, "KSH's own default, not SDH's 1,000")
        XCTAssertEqual(try model(session, "kh").hyperparameters.iterations, 500)
        session.execute(line: "train kh on p.train")
        session.execute(line: "eval kh query p.query database p.database as r")
        XCTAssertEqual(sink.error, "")
        let hasher = try XCTUnwrap(try model(session, "kh").shallowHasher as? KernelSupervisedHashing)
        XCTAssertEqual(hasher.objectives.count, 17)
        XCTAssertLessThan(hasher.objectives.last!, hasher.objectives.first!)
        sink.clear()
        session.execute(line: "hist kh on p.query")
        XCTAssertTrue(sink.standard.contains("outputs of 20 images × 16 bits (threshold 0)"), sink.standard)
        session.execute(line: "explain ksh")
        XCTAssertTrue(sink.standard.contains("Liu, Wang, Ji, Jiang & Chang"), sink.standard)
        XCTAssertEqual(sink.error, "")
        let path = temporaryPath("kh.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "save kh to \(path)")
        session.execute(line: "load model \(path) as k2")
        session.execute(line: "encode p.database with kh as a")
        session.execute(line: "encode p.database with k2 as b")
        XCTAssertEqual(sink.error, "")
        XCTAssertEqual(try session.value(named: "a", as: CodeSet.self), try session.value(named: "b", as: CodeSet.self))
        XCTAssertEqual(try model(session, "k2").shallowHasher as? KernelSupervisedHashing, hasher)
        sink.clear()
        XCTAssertEqual(session.execute(line: "set kh.m 4").failures, 1)
        XCTAssertTrue(sink.error.contains("ksh does not read m"), sink.error)
    }

    /// GIST gives 512 numbers whatever the image size, so a GIST model checks the images' shape itself: trained on
    /// 16×16 images, it refuses 32×32 ones in one line, also after saving and loading.
    func testGISTModelsRefuseImagesOfAnotherSize() throws {
        let (session, sink) = makeSession()
        session.execute(line: "model itq bits 16 features gist as g")
        session.execute(line: "train g on p.train")
        session.execute(line: "data synthetic per-class 2 size 32 seed 4 as big")
        XCTAssertEqual(sink.error, "")
        let path = temporaryPath("g.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "save g to \(path)")
        session.execute(line: "load model \(path) as g2")
        for name in ["g", "g2"] {
            sink.clear()
            XCTAssertEqual(session.execute(line: "encode big with \(name) as codes").failures, 1)
            XCTAssertTrue(sink.error.contains("images are 3x32x32 but the model learnt on 3x16x16"), sink.error)
            XCTAssertEqual(sink.error.split(separator: "\n").count, 1, sink.error)
        }
        XCTAssertEqual(try model(session, "g2").hyperparameters.features, .gist)
    }

    /// "Deep features + ITQ": ITQ on the activations entering a trained deep model's code layer. The shallow
    /// model's codes are ITQ trained directly on those features; it keeps a copy of the deep model (training the
    /// deep model further changes nothing), saves and loads with it, and sweeps with it; the wrong combinations
    /// are refused in one line.
    func testShallowMethodsOnADeepModelsPenultimateLayer() throws {
        let (session, sink) = makeSession()
        session.execute(line: "model dsh bits 16 net mlp as deep")
        session.execute(line: "train deep on p.train epochs 2")
        session.execute(line: "model itq bits 16 features penultimate from deep as m")
        session.execute(line: "train m on p.train")
        session.execute(line: "encode p.database with m as codes")
        XCTAssertEqual(sink.error, "")
        let deep = try model(session, "deep")
        let features = try deep.penultimateFeatures(for: try images(session, "train"))
        XCTAssertEqual(features.dimension, 64, "mlp's hidden layer")
        XCTAssertEqual(features.kind, "penultimate")
        let hasher = try ShallowMethod.itq.train(on: features, bitCount: 16, seed: 1)
        let expected = try hasher.encode(try deep.penultimateFeatures(for: try images(session, "database")))
        XCTAssertEqual(try session.value(named: "codes", as: CodeSet.self).words, expected.words)

        session.execute(line: "train deep on p.train epochs 1")
        session.execute(line: "encode p.database with m as after")
        let path = temporaryPath("m.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "save m to \(path)")
        session.execute(line: "load model \(path) as loaded")
        session.execute(line: "encode p.database with loaded as reloaded")
        session.execute(line: "sweep m.bits 8,16 on p.train query p.query database p.database as s")
        session.execute(line: "show m")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("features: the penultimate layer of a dsh 16-bit mlp model"), sink.standard)
        for name in ["after", "reloaded"] {
            XCTAssertEqual(try session.value(named: name, as: CodeSet.self).words, expected.words, name)
        }
        XCTAssertEqual(try session.value(named: "s", as: SweepTable.self).runs.map { $0.model?.bits }, [8, 16])

        for (line, message) in [
            ("model itq bits 16 features penultimate as x", "features penultimate need `from MODEL`"),
            ("model itq bits 16 from deep as x", "from MODEL goes with features penultimate"),
            ("model itq bits 16 features penultimate from m as x", "itq is shallow"),
            ("model dsh bits 16 features penultimate from deep as x", "dsh does not read features"),
            ("set m.features pixels", "fixed once"),
        ] {
            sink.clear()
            XCTAssertEqual(session.execute(line: line).failures, 1, line)
            XCTAssertTrue(sink.error.contains(message), "\(line): \(sink.error)")
            XCTAssertEqual(sink.error.split(separator: "\n").count, 1, sink.error)
        }
        session.execute(line: "model dsh bits 16 net mlp as untrained")
        sink.clear()
        XCTAssertEqual(session.execute(line: "model itq bits 16 features penultimate from untrained as x").failures, 1)
        XCTAssertTrue(sink.error.contains("has not trained"), sink.error)
    }
}
