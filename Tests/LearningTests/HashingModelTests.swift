import XCTest
import Codes
import Learning
import Seeding

/// The synthetic set at 16×16, made once: 200 training and 20 test images per class.
private let syntheticParts: TrainTestImages = {
    try! SyntheticLabeledSet.makeTrainingAndTest(trainingPerClass: 200, testPerClass: 20, seed: 5, size: 16)
}()

/// The number of different codes in a code set (1 means every image got the same code: collapse).
private func distinctCodes(_ codes: CodeSet) -> Int {
    Set((0..<codes.count).map { codes.string(ofCode: $0) }).count
}

/// mAP over the whole database of the test part's codes against the training part's codes.
private func meanAveragePrecision(_ model: HashingModel) throws -> Double {
    let queries = try model.encode(syntheticParts.test)
    let database = try model.encode(syntheticParts.training)
    return try evaluateRetrieval(queries: queries, database: database, k: 50).mapAll
}

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-\(name)-\(getpid()).ckpt").path
}

final class HashingModelTests: XCTestCase {
    // MARK: Hyperparameters

    func testHyperparametersHaveThePapersDefaults() throws {
        let dsh = try HashingHyperparameters(method: .dsh, bits: 12)
        XCTAssertEqual(dsh.effectivePairMargin, 24)
        XCTAssertEqual(dsh.alpha, 0.01)
        XCTAssertFalse(dsh.codeBatchNormalization)
        XCTAssertEqual(try dsh.value(of: "m"), "24")
        XCTAssertTrue(try HashingHyperparameters(method: .dpsh, bits: 12).codeBatchNormalization)
        XCTAssertEqual(dsh.entries.map(\.name), HashingHyperparameters.names)
        for name in HashingHyperparameters.names { XCTAssertNotNil(HashingHyperparameters.explanations[name], name) }
    }

    func testBadHyperparametersAreOneLineErrorsAndChangeNothing() throws {
        var h = try HashingHyperparameters(method: .triplet, bits: 16)
        let before = h
        let cases: [(String, String, String)] = [
            ("alpha", "nan", "finite"), ("alpha", "-1", "≥ 0"), ("margin", "-0.5", "margin must be"),
            ("eta", "inf", "finite"), ("balance", "1.5", "[0, 1]"), ("net", "resnet", "dsh-cifar, dsh-torch, small-conv, mlp"), ("bits", "4", "8…256"),
            ("bits", "twelve", "whole number"), ("mining", "easy", "all, hard, semi-hard"), ("batch", "1", "at least 2"),
            ("learning-rate", "0", "> 0"), ("momentum", "1", "[0, 1)"), ("colour", "red", "unknown hyperparameter"),
            ("batch-norm", "maybe", "on or off"), ("seed", "-3", "seed"),
        ]
        for (name, value, expected) in cases {
            XCTAssertThrowsError(try h.set(name, to: value), "\(name) \(value)") { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(expected), "\(name) \(value): \(text)")
                XCTAssertFalse(text.contains("\n"), text)
            }
            XCTAssertEqual(h, before)
        }
        try h.set("alpha", to: "0.1")
        try h.set("mining", to: "semi-hard")
        try h.set("m", to: "30")
        try h.set("batch-norm", to: "on")
        XCTAssertEqual(h.alpha, 0.1)
        XCTAssertEqual(h.mining, .semiHard)
        XCTAssertEqual(h.effectivePairMargin, 30)
        XCTAssertTrue(h.codeBatchNormalization)
        try h.set("m", to: "auto")
        XCTAssertEqual(h.effectivePairMargin, 32)
        try h.set("lrn", to: "on")
        let spec = try h.netSpec(inputShape: [3, 32, 32], classCount: 10).spec
        XCTAssertEqual(spec.layers.filter { if case .localResponseNormalizationWithinChannel = $0 { return true }; return false }.count, 2)
    }

    func testNetsPutTheCodeLayerWhereEachMethodBinarises() throws {
        for method in HashingMethod.allCases where !method.isShallow {  // (shallow models: ShallowHashingTests)
            for net in HashingNet.allCases {
                let model = try HashingModel(method: method, bits: 12, net: net, inputShape: [3, 32, 32], classCount: 7)
                let spec = model.network!.spec, code = model.codeLayerIndex!
                if method == .dlbhc {
                    XCTAssertEqual(spec.layers[code], .sigmoid)
                    XCTAssertEqual(spec.layers[code - 1], .linear(outputs: 12))
                    XCTAssertEqual(spec.layers.last, .linear(outputs: 7))
                    XCTAssertEqual(model.network!.outputShape, [7])
                } else if method == .greedyhash {
                    XCTAssertEqual(Array(spec.layers[code...]), [.linear(outputs: 12), .signStraightThrough,
                                                                 .linear(outputs: 7)])
                } else if method == .classifier {
                    // The class scores; `outputs` turns them into the predicted class's codeword.
                    XCTAssertEqual(code, spec.layers.count - 1)
                    XCTAssertEqual(spec.layers.last, .linear(outputs: 7))
                } else {
                    if method == .hashnet { XCTAssertEqual(spec.layers[code], .scaledTanh) }
                    if method == .csq { XCTAssertEqual(spec.layers[code], .tanh) }
                    XCTAssertEqual(code, spec.layers.count - 1)
                    XCTAssertEqual(model.network!.outputShape, [12])
                }
                XCTAssertEqual(spec.layers.contains(.batchNormalization()), method == .dpsh, "\(method) \(net)")
            }
        }
    }

    /// `init` replaces the net's own initialisation for every layer; `net` (the default) keeps it, so models made
    /// before the setting existed start from the same weights. Every scheme can be chosen.
    func testInitChoosesTheSchemeOrKeepsTheNets() throws {
        for scheme in Initialization.allCases {
            var hyperparameters = try HashingHyperparameters(method: .dsh, bits: 12)
            try hyperparameters.set("init", to: scheme.rawValue)
            XCTAssertEqual(try hyperparameters.netSpec(inputShape: [3, 32, 32], classCount: 10).spec.initialization, scheme)
        }
        for (net, own) in [(HashingNet.dshCIFAR, Initialization.xavier), (.dshTorch, .glorotNormal), (.mlp, .he)] {
            var hyperparameters = try HashingHyperparameters(method: .dsh, bits: 12)
            hyperparameters.net = net
            XCTAssertEqual(try hyperparameters.netSpec(inputShape: [3, 32, 32], classCount: 10).spec.initialization, own)
            try hyperparameters.set("init", to: "pytorch")
            XCTAssertEqual(try hyperparameters.netSpec(inputShape: [3, 32, 32], classCount: 10).spec.initialization, .pytorch)
        }
    }

    // MARK: End to end on the synthetic set

    func testDSHLearnsCodesFarAboveChanceOnTheSyntheticSet() throws {
        let model = try HashingModel(method: .dsh, bits: 16, net: .smallConv)
        try model.set("learning-rate", to: "0.003")
        let untrained = try meanAveragePrecision(model)
        var batches = 0
        try model.train(on: syntheticParts.training, epochs: 25, progress: { _ in batches += 1 })
        let trained = try meanAveragePrecision(model)
        print("DSH 16 bits small-conv 16x16, 25 epochs: mAP \(trained) (untrained \(untrained)); "
              + "losses \(model.history.map { String(format: "%.3f", $0.loss) })")
        XCTAssertEqual(model.history.count, 25)
        XCTAssertEqual(batches, 25 * 32)
        XCTAssertLessThan(model.history.last!.loss, model.history.first!.loss)
        XCTAssertGreaterThan(trained, 0.3)
        XCTAssertGreaterThan(trained, untrained + 0.15)
    }

    func testDPSHWithCodeBatchNormLearnsSeparableClasses() throws {
        // Six classes of horizontal bands (TestSupport's bandImages): chance mAP is about 1/6.
        let training = bandImages(count: 600, classes: 6, size: 12, seed: 3)
        let test = bandImages(count: 120, classes: 6, size: 12, seed: 4)
        let model = try HashingModel(method: .dpsh, bits: 16, net: .mlp)
        XCTAssertTrue(model.hyperparameters.codeBatchNormalization)
        // Batch norm alone, with the paper's unweighted pairs (pair balance is on by default).
        try model.set("balance", to: "0")
        try model.train(on: training, epochs: 10)
        let codes = try model.encode(test)
        let map = try evaluateRetrieval(queries: codes, database: try model.encode(training), k: 50).mapAll
        print("DPSH 16 bits mlp with code batch norm on 6 band classes, 10 epochs: mAP \(map), "
              + "\(distinctCodes(codes)) distinct test codes")
        XCTAssertGreaterThan(map, 0.9)
        XCTAssertGreaterThanOrEqual(distinctCodes(codes), 6)
    }

    /// The failure this guards against: on the synthetic shapes (10 classes, so 90 % of pairs dissimilar) DPSH
    /// from scratch shrank every Θ towards 0 (loss → log 2) and its mAP stayed at chance, 0.11. With balanced
    /// pairs it must learn: measured 0.185 here after 24 epochs (unbalanced, same settings: about 0.13).
    func testDPSHWithBalancedPairsLearnsTheSyntheticShapes() throws {
        let parts = try SyntheticLabeledSet.makeTrainingAndTest(trainingPerClass: 50, testPerClass: 10, seed: 1, size: 32)
        let model = try HashingModel(method: .dpsh, bits: 12, net: .smallConv)
        try model.set("batch", to: "128")
        XCTAssertEqual(model.hyperparameters.pairBalance, 1, "balanced pairs are DPSH's default")
        try model.train(on: parts.training, epochs: 24)
        let queries = try model.encode(parts.test), database = try model.encode(parts.training)
        let map = try evaluateRetrieval(queries: queries, database: database, k: 50).mapAll
        print("DPSH balanced 12 bits small-conv on the synthetic set, 24 epochs: mAP \(map); "
              + "losses \(model.history.map { String(format: "%.3f", $0.loss) })")
        XCTAssertGreaterThan(map, 0.16)
        XCTAssertLessThan(model.history.last!.loss, model.history.first!.loss)
    }

    func testTripletAndDLBHCTrainAboveChance() throws {
        for method in [HashingMethod.triplet, .dlbhc] {
            let model = try HashingModel(method: method, bits: 16, net: .smallConv)
            try model.set("learning-rate", to: "0.003")
            try model.train(on: syntheticParts.training, epochs: 15)
            let map = try meanAveragePrecision(model)
            print("\(method) 16 bits small-conv, 15 epochs: mAP \(map)")
            XCTAssertGreaterThan(map, 0.2, "\(method)")
        }
    }

    func testDLBHCOutputsAreTheLatentSigmoidLayer() throws {
        let images = try syntheticParts.test.taking(perClass: 3, seed: 1)
        let model = try HashingModel(method: .dlbhc, bits: 8, net: .mlp)
        try model.train(on: images, epochs: 1)
        let latent = try model.outputs(for: images)
        XCTAssertEqual(latent.shape, [30, 8])
        XCTAssertTrue(latent.storage.allSatisfy { $0 > 0 && $0 < 1 })
        // The classifier's logits are W·latent + b with the last layer's parameters.
        let network = model.network!
        let logits = try network.outputs(for: images, normalization: model.normalization!)
        let weight = network.parameters[network.parameters.count - 2].value, bias = network.parameters.last!.value
        XCTAssertEqual(weight.shape, [10, 8])
        for n in 0..<30 {
            for c in 0..<10 {
                var sum = Double(bias.storage[c])
                for j in 0..<8 { sum += Double(weight.storage[c * 8 + j]) * Double(latent.storage[n * 8 + j]) }
                XCTAssertEqual(Double(logits.storage[n * 10 + c]), sum, accuracy: 1e-4)
            }
        }
        let codes = try model.encode(images)
        for n in 0..<30 { for j in 0..<8 { XCTAssertEqual(codes.bit(j, ofCode: n), latent.storage[n * 8 + j] > 0.5) } }
        XCTAssertEqual(codes.labels, images.labels)
    }

    // MARK: Stop, resume, save, load

    func testStoppedTrainingContinuesExactlyWhereItStopped() throws {
        let images = try syntheticParts.training.taking(perClass: 10, seed: 2)
        for method in [HashingMethod.dsh, .dpsh] {
            let reference = try HashingModel(method: method, bits: 8, net: .mlp)
            try reference.train(on: images, epochs: 3)
            let interrupted = try HashingModel(method: method, bits: 8, net: .mlp)
            var seen = 0
            let outcome = try interrupted.train(on: images, epochs: 3, shouldStop: { seen += 1; return seen == 3 })
            XCTAssertEqual(outcome, .stopped)
            XCTAssertTrue(interrupted.position == (1, 1), "\(interrupted.position)")
            try interrupted.train(on: images, epochs: 3)
            XCTAssertEqual(interrupted.history.count, 3)
            XCTAssertEqual(interrupted.network!.parameters.map(\.value), reference.network!.parameters.map(\.value),
                           "\(method)")
            XCTAssertEqual(try interrupted.encode(images), try reference.encode(images))
        }
    }

    func testSaveAndLoadGiveIdenticalCodesAndResumeIdentically() throws {
        let images = try syntheticParts.training.taking(perClass: 10, seed: 3)
        for method in HashingMethod.allCases where !method.isShallow {  // (shallow models: ShallowHashingTests)
            let model = try HashingModel(method: method, bits: 12, net: .smallConv)
            try model.set("alpha", to: "0.05")
            try model.train(on: images, epochs: 1)
            let path = temporaryPath("\(method)")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try model.save(to: path)
            let memory = try model.checkpoint().tensors.first { $0.name == "dpsh/memory" }
            XCTAssertEqual(memory != nil, method == .dpsh, "\(method)")
            if let memory {
                // After one epoch the trainer has told the loss every item, so every row of U holds an output.
                XCTAssertEqual(memory.tensor.shape, [images.count, 12])
                for row in 0..<images.count {
                    XCTAssertTrue(memory.tensor.storage[(row * 12)..<(row * 12 + 12)].contains { $0 != 0 }, "row \(row)")
                }
            }
            let loaded = try HashingModel.load(from: path)
            XCTAssertEqual(loaded.hyperparameters, model.hyperparameters)
            XCTAssertEqual(loaded.history, model.history)
            XCTAssertEqual(loaded.codeLayerIndex, model.codeLayerIndex)
            XCTAssertEqual(loaded.normalization, model.normalization)
            XCTAssertEqual(try loaded.outputs(for: syntheticParts.test), try model.outputs(for: syntheticParts.test))
            XCTAssertEqual(try loaded.encode(syntheticParts.test), try model.encode(syntheticParts.test))
            // Training on after loading matches training on without the round trip.
            try model.train(on: images, epochs: 2)
            try loaded.train(on: images, epochs: 2)
            XCTAssertEqual(loaded.network!.parameters.map(\.value), model.network!.parameters.map(\.value), "\(method)")
            XCTAssertThrowsError(try loaded.set("bits", to: "16")) { error in
                XCTAssertTrue("\(error)".contains("fixed once a model has trained"), "\(error)")
            }
        }
    }

    /// A diverging run (a learning rate far too high) must not leave NaN weights in the user's model: it goes back
    /// to where that `train` started, and training on from there equals a run that never diverged — for DPSH too,
    /// whose memory of training outputs is part of the state.
    func testDivergedTrainingPutsTheModelBackAsItWas() throws {
        let images = try syntheticParts.training.taking(perClass: 10, seed: 4)
        for method in [HashingMethod.dsh, .dpsh] {
            let reference = try HashingModel(method: method, bits: 8, net: .mlp)
            try reference.train(on: images, epochs: 1)
            try reference.train(on: images, epochs: 2)

            let model = try HashingModel(method: method, bits: 8, net: .mlp)
            try model.train(on: images, epochs: 1)
            let weights = model.network!.parameters.map(\.value)
            try model.set("optimizer", to: "sgd")
            try model.set("learning-rate", to: "1e30")
            XCTAssertThrowsError(try model.train(on: images, epochs: 3)) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains("diverged"), text)
                XCTAssertTrue(text.contains("back as it was before this training (1 epoch)"), text)
            }
            XCTAssertEqual(model.network!.parameters.map(\.value), weights, "\(method)")
            XCTAssertEqual(model.completedEpochs, 1)
            XCTAssertTrue(try model.outputs(for: images).storage.allSatisfy(\.isFinite))
            try model.set("optimizer", to: "adam")
            try model.set("learning-rate", to: "0.001")
            try model.train(on: images, epochs: 2)
            XCTAssertEqual(try model.encode(images), try reference.encode(images), "\(method)")
            XCTAssertEqual(model.network!.parameters.map(\.value), reference.network!.parameters.map(\.value),
                           "\(method)")
        }
        // An untrained model goes back to untrained.
        let fresh = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        try fresh.set("optimizer", to: "sgd")
        try fresh.set("learning-rate", to: "1e30")
        XCTAssertThrowsError(try fresh.train(on: images, epochs: 2))
        XCTAssertFalse(fresh.hasTrained)
        XCTAssertNil(fresh.normalization)
    }

    func testChangedHyperparametersApplyFromWhereTrainingStands() throws {
        let images = try syntheticParts.training.taking(perClass: 10, seed: 4)
        let model = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        XCTAssertFalse(model.hasTrained)
        try model.train(on: images, epochs: 1)
        try model.set("alpha", to: "0.5")
        try model.set("learning-rate", to: "0.01")
        try model.train(on: images, epochs: 3)
        XCTAssertEqual(model.history.map(\.epoch), [0, 1, 2])
        XCTAssertEqual(try model.checkpoint().header.position?.optimizerSteps, 3 * 2)
        XCTAssertEqual(try model.train(on: images, epochs: 2), .finished)
        XCTAssertEqual(model.history.count, 3)
        XCTAssertEqual(model.hyperparameters.alpha, 0.5)
        XCTAssertEqual(model.completedEpochs, 3)
    }

    func testLoadingSomethingElseIsAClearError() throws {
        let network = try Network(spec: .smallMLP(inputShape: [3, 8, 8], outputs: 4), seed: 1)
        let path = temporaryPath("plain")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint(network: network).write(to: path)
        XCTAssertThrowsError(try HashingModel.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("no hashing model"), "\(error)")
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
        XCTAssertThrowsError(try HashingModel.load(from: path + ".missing"))
    }

    func testImagesOfAnotherShapeAreRejected() throws {
        let model = try HashingModel(method: .dsh, bits: 8, net: .mlp, inputShape: [3, 32, 32])
        XCTAssertThrowsError(try model.train(on: syntheticParts.test, epochs: 1)) { error in
            XCTAssertTrue("\(error)".contains("3x16x16"), "\(error)")
        }
    }
}
