import Learning
import Shell
import XCTest

/// `set M.NAME`, `show M`, `sweep M.NAME` and the reference, all from the hyperparameters' declarations
/// (`HashingHyperparameters.specs`): a setting the model does not read is refused with the reason.
final class HyperparameterCommandTests: XCTestCase {
    private let tail = "on d epochs 1 query d database d"

    private func hyperparameters(_ shell: CommandSession, _ name: String) throws -> HashingHyperparameters {
        try shell.session.value(named: name, as: ModelValue.self).model.hyperparameters
    }

    func testSettingWhatTheModelDoesNotReadIsRefusedWithTheReason() throws {
        let shell = CommandSession()
        shell.run("model dsh bits 12 net small-conv as m; model dlbhc bits 12 as c; model triplet bits 12 as t")
        let before = try hyperparameters(shell, "m")
        for (line, message) in [
            ("set m.margin 1", "set m.margin: dsh does not read margin (triplet only); its margin is m"),
            ("set m.eta 1", "set m.eta: dsh does not read eta (DPSH only); its quantisation weight is alpha"),
            ("set m.balance 0", "set m.balance: dsh does not read balance (DPSH and HashNet only)"),
            ("set m.mining hard", "set m.mining: dsh does not read mining (triplet only)"),
            ("set m.momentum 0.5", "set m.momentum: adam does not read momentum (SGD only); set the optimizer to sgd first"),
            ("set m.step-every 2",
             "set m.step-every: the constant schedule does not read step-every (step schedule only); set the schedule to step first"),
            ("set m.lrn on", "set m.lrn: the small-conv net does not read lrn (dsh-cifar net only)"),
            ("set m.margin -1", "set m.margin: dsh does not read margin (triplet only); its margin is m"),
            ("set c.m 4", "set c.m: dlbhc does not read m (DSH only); it has no margin"),
            ("set t.alpha 1", "set t.alpha: triplet does not read alpha (DSH only); it has no quantisation weight"),
            ("set t.m 4", "set t.m: triplet does not read m (DSH only); its margin is margin"),
        ] {
            XCTAssertEqual(shell.failure(line), message, line)
        }
        XCTAssertEqual(try hyperparameters(shell, "m"), before, "a refused setting changes nothing")
        // Once the model reads it, it is set.
        shell.run("set m.optimizer sgd; set m.momentum 0.5; set m.schedule step; set m.step-every 2")
        XCTAssertEqual(try hyperparameters(shell, "m").momentum, 0.5)
        XCTAssertEqual(try hyperparameters(shell, "m").stepEvery, 2)
        // Completion offers only what the model reads.
        let completions = Completer(session: shell.session).complete("set m.").candidates
        XCTAssertTrue(completions.contains("m.alpha") && completions.contains("m.momentum"), "\(completions)")
        XCTAssertFalse(completions.contains("m.margin") || completions.contains("m.eta"), "\(completions)")
    }

    func testSweepingWhatNoRunReadsIsRefusedBeforeTraining() throws {
        let shell = CommandSession()
        shell.run("data synthetic per-class 4 size 8 as d; model dsh bits 8 net mlp as m; set m.batch 8")
        XCTAssertEqual(shell.failure("sweep m.margin 1,6,24 \(tail) as s"),
                       "sweep m.margin: dsh does not read margin (triplet only); its margin is m")
        XCTAssertEqual(shell.failure("sweep m.batch 8,16 m.momentum 0.5,0.9 \(tail) as s"),
                       "sweep m.momentum: adam does not read momentum (SGD only); set the optimizer to sgd first")
        XCTAssertFalse(shell.sink.all.contains("run 1/"), shell.sink.all)
        // Read by some of the runs: sweeping the optimiser too, the SGD runs read the momentum.
        let output = shell.run("sweep m.optimizer adam,sgd m.momentum 0.5,0.9 \(tail) as s")
        XCTAssertTrue(output.contains("4 runs"), output)
    }

    /// Every declared field: `set` on a model that reads it, `show` prints the new value in its row, and `save` /
    /// `load model` keep it.
    func testEveryDeclaredFieldSetsShowsAndSurvivesSaveAndLoad() throws {
        let folder = try TemporaryFolder()
        for spec in HashingHyperparameters.specs {
            // A choice with one value (none since features gained gist) has no other value to set.
            if case .words(let words) = spec.values, words.count < 2 { continue }
            let shell = CommandSession()
            var shallow = false
            switch spec.readers {
            case .methods(let methods) where methods[0].isShallow:
                shell.run("model \(methods[0]) bits 12 as m")
                shallow = true
            case .shallowMethods:
                shell.run("model itq bits 12 as m")
                shallow = true
            case .methods(let methods): shell.run("model \(methods[0]) bits 12 net mlp as m")
            case .net(let net): shell.run("model dsh bits 12 net \(net) as m")
            default: shell.run("model dsh bits 12 net mlp as m")
            }
            if case .optimizer(let optimizer) = spec.readers { shell.run("set m.optimizer \(optimizer)") }
            if case .schedule(let schedule) = spec.readers { shell.run("set m.schedule \(schedule)") }
            let current = try hyperparameters(shell, "m").value(of: spec.name)
            let text = spec.name == "net" ? "small-conv" : anotherValue(of: spec, than: current)
            shell.run("set m.\(spec.name) \(text)")
            let row = shell.run("show m").components(separatedBy: "\n").first { $0.hasPrefix("  \(spec.name) ") }
            XCTAssertEqual(row?.split(separator: " ").dropFirst().first.map(String.init), text, "\(spec.name): \(row ?? "")")
            let path = folder.url.appendingPathComponent("\(spec.name).ckpt").path
            // A shallow model saves what it learnt, so it trains first (one pass); a deep one saves its new net.
            shell.run("data synthetic per-class 2 size 32 as d; " + (shallow ? "train m on d" : "encode d with m as codes")
                      + "; save m to \(path)")
            shell.run("load model \(path) as loaded")
            XCTAssertEqual(try hyperparameters(shell, "loaded"), try hyperparameters(shell, "m"), spec.name)
            XCTAssertEqual(try hyperparameters(shell, "loaded").value(of: spec.name), text, spec.name)
        }
    }

    func testTheReferenceListsEveryHyperparameterWithWhoReadsIt() {
        let markdown = CommandReference.markdown()
        for spec in HashingHyperparameters.specs {
            XCTAssertTrue(markdown.contains("\n- `\(spec.name)` — \(spec.explanation)"), spec.name)
        }
        XCTAssertTrue(markdown.contains("- `momentum` — SGD momentum: a number in [0, 1) (default 0.9); read by SGD only."),
                      markdown)
    }
}

/// Another value than `current` that `spec` accepts: a different word, or a different number within its range.
private func anotherValue(of spec: HyperparameterSpec, than current: String) -> String {
    func differing(_ candidates: [Double], in range: HyperparameterRange) -> String {
        let value = candidates.first { range.contains($0) && String($0) != current && String(Int($0)) != current }!
        return value == value.rounded() ? String(Int(value)) : String(value)
    }
    switch spec.values {
    case .words(let words): return words.first { $0 != current }!
    case .wholeNumber(let range): return differing([13, 3, 7, 100], in: range)
    case .number(let range), .numberOrAuto(let range): return differing([0.5, 0.25, 0.75, 2], in: range)
    }
}
