import Foundation
import Learning
import XCTest

/// The hyperparameters as checkpoints hold them: the JSON keys and values written before the declarations existed
/// (`hashing-hyperparameters` in a checkpoint's or safetensors file's metadata) still decode, and are still written.
final class HyperparameterCheckpointTests: XCTestCase {
    /// DSH at 12 bits with its defaults, as `HashingModel.save` writes them (sorted keys; m = auto is absent).
    private let defaultDSH = """
        {"alpha":0.01,"anchors":1000,"augmentation":"none","batchSize":64,"bits":12,"codeBatchNormalization":false,\
        "continuation":0.005,"csqLambda":0.0001,"eta":10,"features":"pixels","greedyPenalty":0.1,\
        "initialization":"net","iterations":50,\
        "learningRate":0.001,"localResponseNormalization":false,"method":"dsh","mining":"all","momentum":0.9,\
        "net":"dsh-cifar","optimizer":"adam","schedule":"constant","seed":1,"stepEvery":20,"stepFactor":0.1,\
        "storedPairBalance":1,"tripletMargin":6,"weightDecay":0}
        """
    /// The same, as checkpoints were written before the shallow methods, the methods after DPSH and `init` existed.
    private let earlierDSH = """
        {"alpha":0.01,"augmentation":"none","batchSize":64,"bits":12,"codeBatchNormalization":false,"eta":10,\
        "learningRate":0.001,"localResponseNormalization":false,"method":"dsh","mining":"all","momentum":0.9,\
        "net":"dsh-cifar","optimizer":"adam","schedule":"constant","seed":1,"stepEvery":20,"stepFactor":0.1,\
        "storedPairBalance":1,"tripletMargin":6,"weightDecay":0}
        """

    private func encoded(_ hyperparameters: HashingHyperparameters) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(hyperparameters), as: UTF8.self)
    }

    private func decoded(_ json: String) throws -> HashingHyperparameters {
        try JSONDecoder().decode(HashingHyperparameters.self, from: Data(json.utf8))
    }

    func testTheDefaultsAreWrittenWithTheKeysOfEarlierCheckpoints() throws {
        XCTAssertEqual(try encoded(try HashingHyperparameters(method: .dsh, bits: 12)), defaultDSH)
        XCTAssertEqual(try decoded(defaultDSH), try HashingHyperparameters(method: .dsh, bits: 12))
        // A checkpoint from before the new methods' keys reads as the same defaults.
        XCTAssertEqual(try decoded(earlierDSH), try HashingHyperparameters(method: .dsh, bits: 12))
    }

    func testEveryChangedSettingIsWrittenAndReadBack() throws {
        var h = try HashingHyperparameters(method: .triplet, bits: 16)
        for (name, value) in [("net", "small-conv"), ("batch-norm", "on"), ("m", "30"), ("alpha", "0.25"),
                              ("eta", "0.5"), ("balance", "0.5"), ("margin", "2.5"), ("mining", "semi-hard"),
                              ("learning-rate", "0.003"), ("batch", "32"), ("weight-decay", "0.0005"),
                              ("optimizer", "sgd"), ("momentum", "0.5"), ("schedule", "step"), ("step-every", "7"),
                              ("step-factor", "0.5"), ("augmentation", "standard"), ("seed", "18446744073709551615"),
                              ("sigmoid-alpha", "0.3"), ("continuation", "0.01"), ("penalty", "0.2"),
                              ("lambda", "0.001"), ("init", "pytorch")] {
            try h.set(name, to: value)
        }
        let json = try encoded(h)
        XCTAssertEqual(json, """
            {"alpha":0.25,"anchors":1000,"augmentation":"standard","batchSize":32,"bits":16,"codeBatchNormalization":true,\
            "continuation":0.01,"csqLambda":0.001,"eta":0.5,"features":"pixels","greedyPenalty":0.2,\
            "initialization":"pytorch","iterations":50,\
            "learningRate":0.003,"localResponseNormalization":false,"method":"triplet","mining":"semi-hard",\
            "momentum":0.5,"net":"small-conv","optimizer":"sgd","pairMargin":30,"schedule":"step",\
            "seed":18446744073709551615,"sigmoidAlpha":0.3,"stepEvery":7,"stepFactor":0.5,"storedPairBalance":0.5,\
            "tripletMargin":2.5,"weightDecay":0.0005}
            """)
        XCTAssertEqual(try decoded(json), h)
    }

    /// Checkpoints written before DPSH's pair balance existed have no `storedPairBalance`: they trained with the
    /// paper's loss, β = 0.
    func testACheckpointFromBeforePairBalanceReadsAsThePapersLoss() throws {
        let old = defaultDSH.replacingOccurrences(of: "\"method\":\"dsh\"", with: "\"method\":\"dpsh\"")
            .replacingOccurrences(of: "\"storedPairBalance\":1,", with: "")
        let h = try decoded(old)
        XCTAssertEqual(h.method, .dpsh)
        XCTAssertEqual(h.pairBalance, 0)
        XCTAssertNil(h.pairMargin)
    }

    /// Checkpoints written before HashNet, GreedyHash and CSQ have none of their keys: they read as the defaults.
    func testACheckpointFromBeforeTheMethodsAfterDPSHReadsTheirDefaults() throws {
        var old = defaultDSH
        for key in ["\"continuation\":0.005,", "\"csqLambda\":0.0001,", "\"greedyPenalty\":0.1,"] {
            XCTAssertTrue(old.contains(key), key)
            old = old.replacingOccurrences(of: key, with: "")
        }
        XCTAssertEqual(try decoded(old), try HashingHyperparameters(method: .dsh, bits: 12))
        XCTAssertNil(try decoded(old).sigmoidAlpha, "auto")
    }

    func testAMissingOrMalformedSettingIsAnError() throws {
        XCTAssertThrowsError(try decoded(defaultDSH.replacingOccurrences(of: "\"alpha\":0.01,", with: "")))
        XCTAssertThrowsError(try decoded(defaultDSH.replacingOccurrences(of: "\"dsh-cifar\"", with: "\"resnet\"")))
        XCTAssertThrowsError(try decoded(defaultDSH.replacingOccurrences(of: "\"bits\":12", with: "\"bits\":\"12\"")))
    }
}

/// Another value than `current` that `spec` accepts: a different word, or a different number within its range.
func anotherValue(of spec: HyperparameterSpec, than current: String) -> String {
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

/// Hyperparameters of a model that reads `spec`: the method, optimiser, schedule or net it needs.
func readingHyperparameters(_ spec: HyperparameterSpec) throws -> HashingHyperparameters {
    var hyperparameters = try HashingHyperparameters(method: .dsh, bits: 12)
    switch spec.readers {
    case .every, .deepMethods: break
    case .methods(let methods): hyperparameters = try HashingHyperparameters(method: methods[0], bits: 12)
    case .allMethodsBut(let methods, _):
        hyperparameters = try HashingHyperparameters(method: HashingMethod.allCases.first { !methods.contains($0) }!, bits: 12)
    case .shallowMethods: hyperparameters = try HashingHyperparameters(method: .itq, bits: 12)
    case .net(let net): hyperparameters.net = net
    case .optimizer(let optimizer): hyperparameters.optimizer = optimizer
    case .schedule(let schedule): hyperparameters.schedule = schedule
    }
    XCTAssertTrue(hyperparameters.applies(spec.name), spec.name)
    return hyperparameters
}

/// `HashingHyperparameters.specs`, the one declaration of every hyperparameter.
final class HyperparameterDeclarationTests: XCTestCase {
    private func storedProperties(_ hyperparameters: HashingHyperparameters) -> [String: String] {
        Dictionary(uniqueKeysWithValues: Mirror(reflecting: hyperparameters).children.map {
            ($0.label!, String(describing: $0.value))
        })
    }

    /// Each declaration sets exactly one stored property, and every stored property has its declaration: a new
    /// field cannot be left out of `set`, `show`, `explain`, `sweep`, checkpoints and the README.
    func testTheTableDeclaresEveryStoredPropertyOnce() throws {
        let specs = HashingHyperparameters.specs
        XCTAssertEqual(Set(specs.map(\.name)).count, specs.count, "a name declared twice")
        XCTAssertEqual(Set(specs.map(\.checkpointKey)).count, specs.count, "a checkpoint key declared twice")
        var declared: [String: String] = [:]
        for spec in specs {
            // A choice with a single value (none since features gained gist) cannot be changed to see which
            // property it sets: its checkpoint key is the property's name.
            if case .words(let words) = spec.values, words.count < 2 {
                declared[spec.checkpointKey] = spec.name
                continue
            }
            var hyperparameters = try readingHyperparameters(spec)
            let before = storedProperties(hyperparameters)
            try hyperparameters.set(spec.name, to: anotherValue(of: spec, than: try hyperparameters.value(of: spec.name)))
            let changed = storedProperties(hyperparameters).filter { before[$0.key] != $0.value }.map(\.key)
            XCTAssertEqual(changed.count, 1, "\(spec.name) changes \(changed)")
            for property in changed {
                XCTAssertNil(declared[property], "\(property) is declared by \(declared[property] ?? "") and \(spec.name)")
                declared[property] = spec.name
            }
        }
        let properties = Set(storedProperties(try HashingHyperparameters(method: .dsh, bits: 12)).keys)
        XCTAssertEqual(Set(declared.keys), properties, "stored properties without a declaration")
    }

    /// Every declared value survives a checkpoint: set, save, load, the same hyperparameters and the same text.
    func testEveryDeclaredFieldRoundTripsThroughACheckpoint() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-declared-\(getpid()).ckpt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        for spec in HashingHyperparameters.specs {
            // A choice with one value (none since features gained gist) has no other value to set.
            if case .words(let words) = spec.values, words.count < 2 { continue }
            var hyperparameters = try readingHyperparameters(spec)
            let text = anotherValue(of: spec, than: try hyperparameters.value(of: spec.name))
            try hyperparameters.set(spec.name, to: text)
            XCTAssertEqual(try hyperparameters.value(of: spec.name), text, spec.name)
            let model = try HashingModel(hyperparameters: hyperparameters, inputShape: [3, 32, 32], classCount: 4)
            // A shallow model saves what it learnt: it trains first, in one pass.
            if hyperparameters.method.isShallow {
                try model.train(on: try SyntheticLabeledSet.make(perClass: 4, seed: 1, size: 8), epochs: 1)
            }
            try model.save(to: path)
            let loaded = try HashingModel.load(from: path)
            XCTAssertEqual(loaded.hyperparameters, hyperparameters, spec.name)
            XCTAssertEqual(try loaded.hyperparameters.value(of: spec.name), text, spec.name)
        }
    }

    /// A fixed default is what a new model holds, for every method; the others are shown as their rule.
    func testTheDefaultsAreTheDeclaredOnes() throws {
        for method in HashingMethod.allCases {
            let hyperparameters = try HashingHyperparameters(method: method, bits: 24)
            for spec in HashingHyperparameters.specs {
                guard let text = spec.defaultText, spec.particularTo.isEmpty,
                      !["m", "margin", "sigmoid-alpha"].contains(spec.name)
                else { continue }
                XCTAssertEqual(try hyperparameters.value(of: spec.name), text, "\(method) \(spec.name)")
            }
            XCTAssertEqual(hyperparameters.codeBatchNormalization, method == .dpsh)
            XCTAssertEqual(hyperparameters.tripletMargin, 12)
            XCTAssertNil(hyperparameters.pairMargin)
        }
        XCTAssertEqual(HashingHyperparameters.spec(named: "batch-norm")?.defaultText, "on for dpsh, else off")
        XCTAssertEqual(HashingHyperparameters.spec(named: "margin")?.defaultText, "bits/2")
        XCTAssertEqual(HashingHyperparameters.explanations["alpha"], "DSH regulariser weight α: a number ≥ 0 (default 0.01)")
        XCTAssertEqual(HashingHyperparameters.architectureNames, ["method", "bits", "net", "init", "batch-norm", "lrn", "features", "seed"])
    }

    /// Why a setting changes nothing, said from the declarations: who reads it, and the method's own knob for the
    /// same part of the loss.
    func testUnreadSettingsAreExplained() throws {
        let dsh = try HashingHyperparameters(method: .dsh, bits: 12)
        XCTAssertEqual(dsh.unreadReason(for: "margin"), "dsh does not read margin (triplet only); its margin is m")
        XCTAssertEqual(dsh.unreadReason(for: "eta"),
                       "dsh does not read eta (DPSH only); its quantisation weight is alpha")
        XCTAssertEqual(dsh.unreadReason(for: "mining"), "dsh does not read mining (triplet only)")
        XCTAssertEqual(dsh.unreadReason(for: "momentum"),
                       "adam does not read momentum (SGD only); set the optimizer to sgd first")
        XCTAssertEqual(dsh.unreadReason(for: "step-factor"),
                       "the constant schedule does not read step-factor (step schedule only); set the schedule to step first")
        XCTAssertNil(dsh.unreadReason(for: "m"))
        XCTAssertNil(dsh.unreadReason(for: "learning-rate"))
        XCTAssertNil(dsh.unreadReason(for: "no-such-knob"))
        let triplet = try HashingHyperparameters(method: .triplet, bits: 12)
        XCTAssertEqual(triplet.unreadReason(for: "m"), "triplet does not read m (DSH only); its margin is margin")
        let dlbhc = try HashingHyperparameters(method: .dlbhc, bits: 12)
        XCTAssertEqual(dlbhc.unreadReason(for: "m"), "dlbhc does not read m (DSH only); it has no margin")
        var torch = dsh
        torch.net = .dshTorch
        XCTAssertEqual(torch.unreadReason(for: "lrn"), "the dsh-torch net does not read lrn (dsh-cifar net only)")
        // The library still sets what is not read (a sweep sets the optimiser and the momentum in either order).
        var adam = dsh
        try adam.set("momentum", to: "0.5")
        XCTAssertEqual(adam.momentum, 0.5)
    }
}
