import Codes
import Foundation
import Learning
import Shell
import XCTest

/// HashNet, GreedyHash, CSQ and the classifier baseline in the shell: `model`, `set`, `train`, `eval`, `explain`,
/// `hist`, `save`/`load model` (checkpoint and safetensors), `compare` and `sweep`.
final class SuccessorModelCommandTests: XCTestCase {
    private let methods = ["hashnet", "greedyhash", "csq", "classifier"]
    private let sets = "query p.query database p.database"

    /// A session with a small synthetic set split into training, query and database images.
    private func makeSession() -> CommandSession {
        let shell = CommandSession()
        shell.run("data synthetic per-class 12 size 16 seed 3 as d")
        shell.run("split d query 2 train 6 seed 1 as p")
        return shell
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-successor-\(UUID().uuidString)-\(name)").path
    }

    func testEachMethodTrainsEvaluatesAndExplainsItself() throws {
        for method in methods {
            let shell = makeSession()
            XCTAssertTrue(shell.run("model \(method) bits 16 net mlp as g").contains("g: \(method) 16 bits, mlp, untrained"))
            shell.run("set g.batch 16")
            let trained = shell.run("train g on p.train epochs 2")
            XCTAssertTrue(trained.contains("epoch 2/2: loss"), trained)
            let metrics = shell.run("eval g \(sets)")
            XCTAssertTrue(metrics.contains("mAP"), metrics)
            let explained = shell.run("explain g")
            XCTAssertTrue(explained.contains("g: \(method), 16 bits, net mlp+\(method)"), explained)
            XCTAssertTrue(explained.contains("trained 2 epochs"), explained)
            XCTAssertTrue(explained.contains("Paper: "), explained)
            let shown = shell.run("show g")
            XCTAssertTrue(shown.contains("← code layer"), shown)
            let histogram = shell.run("hist g on p.query")
            XCTAssertFalse(histogram.isEmpty)
            let model = try shell.session.value(named: "g", as: ModelValue.self).model
            XCTAssertEqual(model.classCount, 10, method)
        }
    }

    /// The knobs of the new methods: each with its current value in `explain`, set by `set`, and refused (with the
    /// method's own knob for the same part of the loss) by a model that does not read it.
    func testTheirKnobsAreSetShownAndRefusedWhereUnread() throws {
        let shell = makeSession()
        shell.run("model hashnet bits 12 net mlp as h; model greedyhash bits 12 net mlp as g; model csq bits 16 net mlp as c")
        XCTAssertTrue(shell.run("explain h").contains("Θᵢⱼ = 0.8333·hᵢᵀhⱼ"))
        shell.run("set h.sigmoid-alpha 0.5; set h.continuation 0.01; set h.balance 0")
        let hashnet = shell.run("explain h")
        XCTAssertTrue(hashnet.contains("Θᵢⱼ = 0.5·hᵢᵀhⱼ"), hashnet)
        XCTAssertTrue(hashnet.contains("√(1 + 0.01·step)"), hashnet)
        XCTAssertFalse(hashnet.contains("wᵢⱼ·("), "balance 0 weighs every pair alike\n\(hashnet)")
        shell.run("set g.penalty 0.25")
        XCTAssertTrue(shell.run("explain g").contains("+ 0.25·(1/(N·12))"))
        shell.run("set c.lambda 0.05")
        let csq = shell.run("explain c")
        XCTAssertTrue(csq.contains("+ 0.05·(1/(N·16))"), csq)
        XCTAssertTrue(csq.contains("rows of the 16 × 16 Hadamard matrix"), csq)
        XCTAssertEqual(shell.failure("set g.lambda 0.1"),
                       "set g.lambda: greedyhash does not read lambda (CSQ only); its quantisation weight is penalty")
        XCTAssertEqual(shell.failure("set c.eta 1"),
                       "set c.eta: csq does not read eta (DPSH only); its quantisation weight is lambda")
        XCTAssertTrue(shell.failure("set h.penalty 1").contains("hashnet does not read penalty (GreedyHash only)"))
    }

    /// `save` and `load model` keep every new method: a checkpoint, and HashLab's safetensors file.
    func testSaveAndLoadKeepTheirCodes() throws {
        for method in methods {
            let shell = makeSession()
            shell.run("model \(method) bits 16 net mlp as g; set g.batch 16; train g on p.train epochs 1")
            let checkpoint = temporaryPath("\(method).ckpt"), weights = temporaryPath("\(method).safetensors")
            defer {
                try? FileManager.default.removeItem(atPath: checkpoint)
                try? FileManager.default.removeItem(atPath: weights)
            }
            shell.run("save g to \(checkpoint); save g to \(weights)")
            shell.run("load model \(checkpoint) as fromCheckpoint; load model \(weights) as fromWeights")
            shell.run("encode p.database with g as original")
            shell.run("encode p.database with fromCheckpoint as restored; encode p.database with fromWeights as imported")
            let original = try shell.session.value(named: "original", as: CodeSet.self)
            XCTAssertEqual(try shell.session.value(named: "restored", as: CodeSet.self), original, method)
            XCTAssertEqual(try shell.session.value(named: "imported", as: CodeSet.self), original, method)
        }
    }

    /// `compare` puts the new methods in one table beside the old ones; `sweep` trains one per setting of their knobs.
    func testCompareAndSweep() throws {
        let shell = makeSession()
        for method in methods + ["dsh"] {
            shell.run("model \(method) bits 16 net mlp as \(method); set \(method).batch 16")
            shell.run("train \(method) on p.train epochs 1")
        }
        shell.run("compare hashnet greedyhash csq classifier dsh \(sets) as c")
        let table = try shell.session.value(named: "c", as: ComparisonTable.self)
        XCTAssertEqual(table.entries.map(\.method), methods + ["dsh"])
        let swept = shell.run("sweep greedyhash.penalty 0,0.1 on p.train epochs 1 \(sets) as s")
        XCTAssertTrue(swept.contains("2 runs"), swept)
        XCTAssertEqual(try shell.session.value(named: "s", as: SweepTable.self).runs.map(\.values), [["0"], ["0.1"]])
        shell.run("sweep hashnet.continuation 0,0.05 hashnet.balance 0,1 on p.train epochs 1 \(sets) as s2")
        XCTAssertEqual(try shell.session.value(named: "s2", as: SweepTable.self).runs.count, 4)
        shell.run("sweep csq.lambda 0,0.01 on p.train epochs 1 \(sets) as s3")
    }

    /// Issue 18's table: the whole line in one `compare` — shallow (LSH, ITQ, SH, SDH), the three papers, the methods
    /// after them and a classic hash — each row evaluated on the same queries and database.
    func testTheWholeLineInOneTable() throws {
        let shell = makeSession()
        let shallow = ["lsh", "itq", "sh", "sdh"], deep = ["dlbhc", "dsh", "dpsh", "greedyhash", "csq", "hashnet"]
        for method in shallow {
            shell.run("model \(method) bits 16 as \(method)")
            if method == "sdh" { shell.run("set sdh.anchors 40") }
            shell.run("train \(method) on p.train")
        }
        for method in deep {
            shell.run("model \(method) bits 16 net mlp as \(method); set \(method).batch 16")
            shell.run("train \(method) on p.train epochs 1")
        }
        let names = shallow + deep + ["phash"]
        let printed = shell.run("compare \(names.joined(separator: " ")) \(sets) as line")
        let table = try shell.session.value(named: "line", as: ComparisonTable.self)
        XCTAssertEqual(table.entries.map(\.method), shallow + deep + ["classic"])
        XCTAssertEqual(table.entries.map(\.name), names)
        for name in names { XCTAssertTrue(printed.contains(name), "\(name) missing: \(printed)") }
    }
}
