import XCTest
import Learning
import Seeding

final class TrainingTests: XCTestCase {
    private func makeTrainer(images: LabeledImages, spec: NetSpec, epochs: Int = 4, seed: UInt64 = 3,
                             optimizer: OptimizerSpec = .adam(), rate: Float = 3e-3) throws -> Trainer {
        let network = try Network(spec: spec, seed: seed)
        return try Trainer(network: network, loss: SoftmaxCrossEntropy(), images: images,
                           normalization: Normalization(measuring: images),
                           configuration: TrainingConfiguration(epochs: epochs, batchSize: 32, optimizer: optimizer,
                                                                schedule: .cosine(base: rate, minimum: rate / 10, epochs: epochs),
                                                                augmentation: Augmentation(cropPadding: 0, mirror: true),
                                                                seed: seed))
    }

    private func accuracy(_ network: Network, _ images: LabeledImages, _ normalization: Normalization) throws -> Double {
        let outputs = try network.outputs(for: images, normalization: normalization, batchSize: 50)
        let predicted = SoftmaxCrossEntropy.predictions(outputs)
        return Double(zip(predicted, images.labels).filter { $0 == $1 }.count) / Double(images.count)
    }

    func testSmallConvNetLearnsSeparablePatterns() throws {
        let train = bandImages(count: 512, seed: 1), test = bandImages(count: 200, seed: 2)
        let trainer = try makeTrainer(images: train, spec: .smallConvNet(inputShape: [3, 8, 8], outputs: 4))
        let before = try accuracy(trainer.network, test, trainer.batcher.normalization)
        var reports = 0
        let outcome = try trainer.train(progress: { progress in
            reports += 1
            XCTAssertTrue(progress.loss.isFinite)
            XCTAssertGreaterThan(progress.imagesPerSecond, 0)
        })
        XCTAssertEqual(outcome, .finished)
        XCTAssertEqual(reports, 4 * 16)
        XCTAssertEqual(trainer.history.count, 4)
        XCTAssertLessThan(trainer.history.last!.loss, trainer.history.first!.loss * 0.5, "\(trainer.history)")
        let after = try accuracy(trainer.network, test, trainer.batcher.normalization)
        XCTAssertLessThan(before, 0.6)
        XCTAssertGreaterThan(after, 0.95, "accuracy \(before) → \(after)")
    }

    func testMLPWithSGDLearnsToo() throws {
        let train = bandImages(count: 512, seed: 4), test = bandImages(count: 200, seed: 5)
        let trainer = try makeTrainer(images: train, spec: .smallMLP(inputShape: [3, 8, 8], hidden: 32, outputs: 4),
                                      epochs: 5, optimizer: .sgd(momentum: 0.9, weightDecay: 1e-4), rate: 0.05)
        try trainer.train()
        XCTAssertGreaterThan(try accuracy(trainer.network, test, trainer.batcher.normalization), 0.95)
    }

    func testSameSeedGivesIdenticalWeightsAndDifferentSeedDoesNot() throws {
        let images = bandImages(count: 160, size: 16, seed: 6)
        func run(_ seed: UInt64) throws -> [[Float]] {
            let trainer = try makeTrainer(images: images, spec: .dshCIFAR(bits: 4, inputShape: [3, 16, 16]), epochs: 1, seed: seed)
            try trainer.train()
            return trainer.network.parameters.map(\.value.storage)
        }
        let first = try run(9), second = try run(9), other = try run(10)
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first, other)
    }

    /// Stopping after a batch and calling train again gives exactly the uninterrupted result; so does stopping,
    /// saving a checkpoint and resuming in a fresh trainer.
    func testStopAndResumeIsBitIdentical() throws {
        let images = bandImages(count: 200, seed: 7)
        let spec = NetSpec.smallConvNet(inputShape: [3, 8, 8], outputs: 4)
        let reference = try makeTrainer(images: images, spec: spec, epochs: 2)
        try reference.train()

        let interrupted = try makeTrainer(images: images, spec: spec, epochs: 2)
        var batches = 0
        let outcome = try interrupted.train(shouldStop: { batches += 1; return batches == 3 })
        XCTAssertEqual(outcome, .stopped)
        XCTAssertEqual(interrupted.epoch, 0)
        XCTAssertEqual(interrupted.batch, 3)
        // The model stays usable while stopped.
        XCTAssertEqual(try interrupted.network.outputs(for: images, normalization: interrupted.batcher.normalization).shape,
                       [200, 4])
        let path = NSTemporaryDirectory() + "hashlab-resume-\(ProcessInfo.processInfo.processIdentifier).ckpt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Checkpoint(trainer: interrupted).write(to: path)

        XCTAssertEqual(try interrupted.train(), .finished)
        XCTAssertTrue(interrupted.isFinished)
        XCTAssertEqual(try interrupted.train(), .finished)   // nothing left to do: no change
        XCTAssertEqual(interrupted.network.parameters.map(\.value), reference.network.parameters.map(\.value))
        XCTAssertEqual(interrupted.history.map(\.loss), reference.history.map(\.loss))

        let restored = try Checkpoint.read(from: path)
        let fresh = try Trainer(network: try restored.makeNetwork(), loss: SoftmaxCrossEntropy(), images: images,
                                normalization: restored.header.normalization!, configuration: restored.header.training!)
        try restored.restore(into: fresh)
        XCTAssertEqual(fresh.batch, 3)
        try fresh.train()
        XCTAssertEqual(fresh.network.parameters.map(\.value), reference.network.parameters.map(\.value))
        // Training further continues from where it stands.
        fresh.setEpochs(3)
        XCTAssertFalse(fresh.isFinished)
        try fresh.train()
        XCTAssertEqual(fresh.history.count, 3)
        XCTAssertNotEqual(fresh.network.parameters.map(\.value), reference.network.parameters.map(\.value))
    }

    /// A loss that records which items each batch held (softmax underneath).
    private final class RecordingLoss: Loss, @unchecked Sendable {
        var batches: [(items: [Int], labels: [Int32])] = []
        var name: String { "recording" }
        func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
            SoftmaxCrossEntropy().evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        }
        func evaluate(outputs: Tensor, labels: [Int32], items: ArraySlice<Int>, gradient: inout Tensor) -> Double {
            batches.append((Array(items), labels))
            return evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        }
    }

    func testLossesAreToldWhichItemsEachBatchHolds() throws {
        let images = bandImages(count: 70, seed: 8)
        let loss = RecordingLoss()
        let trainer = try Trainer(network: try Network(spec: .smallMLP(inputShape: [3, 8, 8], outputs: 4), seed: 1),
                                  loss: loss, images: images, normalization: Normalization(measuring: images),
                                  configuration: TrainingConfiguration(epochs: 2, batchSize: 32))
        try trainer.train()
        XCTAssertEqual(loss.batches.count, 6)
        for epoch in 0..<2 {
            let items = loss.batches[(3 * epoch)..<(3 * epoch + 3)].flatMap(\.items)
            XCTAssertEqual(items.sorted(), Array(0..<70))
        }
        for batch in loss.batches { XCTAssertEqual(batch.labels, batch.items.map { images.labels[$0] }) }
        XCTAssertNotEqual(loss.batches[0].items, loss.batches[3].items)
    }

    func testOptimizerStepsFollowTheirFormulas() throws {
        // 16 395 weights: the optimiser's 8-lane loop split over the cores, and its scalar tail of 3.
        let count = 16_395
        let spec = NetSpec(name: "one", inputShape: [count], layers: [.linear(outputs: 1)])
        let g = (0..<count).map { Double($0 % 23) * 0.37 - 4 }
        for optimizerSpec in [OptimizerSpec.sgd(momentum: 0.5, weightDecay: 0.1), .adam(weightDecay: 0)] {
            let network = try Network(spec: spec, seed: 1)
            let weight = network.parameters[0]
            let w0 = weight.value.storage.map(Double.init)
            let optimizer = Optimizer(spec: optimizerSpec, network: network)
            weight.gradient = Tensor(shape: [1, count], values: g.map(Float.init))
            optimizer.step(learningRate: 0.1)
            optimizer.step(learningRate: 0.1)
            var worst = 0.0
            for i in 0..<count {
                let expected: Double
                switch optimizerSpec {
                case .sgd:
                    // v1 = lr(g + λw0); w1 = w0 − v1; v2 = μv1 + lr(g + λw1); w2 = w1 − v2
                    let v1 = 0.1 * (g[i] + 0.1 * w0[i]), w1 = w0[i] - v1
                    let v2 = 0.5 * v1 + 0.1 * (g[i] + 0.1 * w1)
                    expected = w1 - v2
                case .adam:
                    // With a constant gradient, m̂ = g and v̂ = g² at every step: each step moves lr·g/(|g| + ε).
                    expected = w0[i] - 2 * 0.1 * g[i] / (abs(g[i]) + 1e-8)
                }
                worst = max(worst, abs(Double(weight.value[i]) - expected))
            }
            XCTAssertLessThan(worst, 1e-5, "\(optimizerSpec)")
        }
    }

    func testLearningRateSchedules() {
        let cosine = LearningRateSchedule.cosine(base: 0.1, minimum: 0.001, epochs: 10)
        XCTAssertEqual(cosine.rate(atEpoch: 0), 0.1, accuracy: 1e-7)
        XCTAssertEqual(cosine.rate(atEpoch: 5), 0.0505, accuracy: 1e-6)
        XCTAssertEqual(cosine.rate(atEpoch: 10), 0.001, accuracy: 1e-7)
        let step = LearningRateSchedule.step(base: 0.1, factor: 0.5, every: 3)
        XCTAssertEqual(step.rate(atEpoch: 2.9), 0.1, accuracy: 1e-7)
        XCTAssertEqual(step.rate(atEpoch: 3), 0.05, accuracy: 1e-7)
        XCTAssertEqual(step.rate(atEpoch: 7), 0.025, accuracy: 1e-7)
    }

    func testNetSpecsBuildPrintAndRejectMisfits() throws {
        let dsh = try Network(spec: .dshCIFAR(bits: 12), seed: 1)
        XCTAssertEqual(dsh.outputShape, [12])
        // conv 3·25·32+32, 32·25·32+32, 32·25·64+64, 1024·500+500, 500·12+12
        XCTAssertEqual(dsh.trainableCount, 2432 + 25632 + 51264 + 512_500 + 6012)
        XCTAssertTrue(NetSpec.dshCIFAR(bits: 12).description.contains("max-pool 3/2"))
        let withLRN = try Network(spec: .dshCIFAR(bits: 48, localResponseNormalization: true), seed: 1)
        XCTAssertEqual(withLRN.outputShape, [48])
        XCTAssertThrowsError(try Network(spec: NetSpec(name: "bad", inputShape: [3, 4, 4],
                                                       layers: [.convolution(outputChannels: 2, kernel: 7)]), seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("kernel larger"), "\(error)")
        }
        XCTAssertThrowsError(try Network(spec: NetSpec(name: "flat", inputShape: [10], layers: [.maxPool(kernel: 2, stride: 2)]),
                                         seed: 1))
        XCTAssertThrowsError(try dsh.forward(Tensor(shape: [1, 3, 16, 16])))
        // Specs survive JSON (checkpoint headers).
        let data = try JSONEncoder().encode(NetSpec.dshCIFAR(bits: 12, localResponseNormalization: true))
        XCTAssertEqual(try JSONDecoder().decode(NetSpec.self, from: data), .dshCIFAR(bits: 12, localResponseNormalization: true))
        let torchData = try JSONEncoder().encode(NetSpec.dshTorch(bits: 24))
        XCTAssertEqual(try JSONDecoder().decode(NetSpec.self, from: torchData), .dshTorch(bits: 24))
    }

    func testDSHTorchNetHasPyTorchShapes() throws {
        let torch = try Network(spec: .dshTorch(bits: 12), seed: 1)
        XCTAssertEqual(torch.outputShape, [12])
        // The same convolutions; fc 500 on 64·3·3 = 576 inputs (floor mode) instead of 1,024.
        XCTAssertEqual(torch.trainableCount, 2432 + 25632 + 51264 + 576 * 500 + 500 + 6012)
        let description = NetSpec.dshTorch(bits: 12).description
        XCTAssertTrue(description.contains("glorot-normal init, floor-mode pooling"), description)
        XCTAssertTrue(NetSpec.dshCIFAR(bits: 12).description.contains("xavier init, ceil-mode pooling"))
        XCTAssertFalse(NetSpec.smallMLP(inputShape: [4], outputs: 8).description.contains("pooling"))
    }

    /// Checkpoints written before nets had a pooling rounding decode as ceil mode, which every net used then.
    func testNetSpecWithoutPoolingKeyDecodesAsCeilMode() throws {
        let old = #"{"name":"dsh-cifar","inputShape":[3,32,32],"initialization":"xavier","#
            + #""layers":[{"maxPool":{"kernel":3,"stride":2,"padding":0}},{"relu":{}},{"linear":{"outputs":12}}]}"#
        let spec = try JSONDecoder().decode(NetSpec.self, from: Data(old.utf8))
        XCTAssertEqual(spec.pooling, .ceil)
        XCTAssertEqual(spec.layers, [.maxPool(kernel: 3, stride: 2), .relu, .linear(outputs: 12)])
        XCTAssertEqual(try Network(spec: spec, seed: 1).layers[0].outputShape(for: [1, 3, 32, 32]), [1, 3, 16, 16])
    }
}
