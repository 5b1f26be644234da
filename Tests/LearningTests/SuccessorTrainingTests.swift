import Codes
import Foundation
import Learning
import XCTest

/// The synthetic shapes at 16×16: 200 training and 20 test images per class (10 classes, chance mAP about 0.1).
private let parts: TrainTestImages = {
    try! SyntheticLabeledSet.makeTrainingAndTest(trainingPerClass: 200, testPerClass: 20, seed: 5, size: 16)
}()

private let successors: [HashingMethod] = [.hashnet, .greedyhash, .csq, .classifier]

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-successor-\(name)-\(getpid())").path
}

/// HashNet, GreedyHash, CSQ and the classifier baseline learn on the synthetic set, and save, load and resume as the
/// other deep methods do.
final class SuccessorTrainingTests: XCTestCase {
    /// mAP over the whole database of the test images' codes against the training images' codes.
    private func meanAveragePrecision(_ model: HashingModel) throws -> Double {
        try evaluateRetrieval(queries: try model.encode(parts.test), database: try model.encode(parts.training),
                              k: 50).mapAll
    }

    /// A few epochs of small-conv lift each method well above chance. (Measured: HashNet 0.21, GreedyHash 0.44, CSQ
    /// 0.41, the classifier 0.47 after 10 epochs; DSH 0.20 with the same settings.)
    func testEachMethodLearnsCodesAboveChanceOnTheSyntheticSet() throws {
        for method in successors {
            let model = try HashingModel(method: method, bits: 16, net: .smallConv)
            try model.set("learning-rate", to: "0.003")
            let untrained = try meanAveragePrecision(model)
            try model.train(on: parts.training, epochs: 10)
            let trained = try meanAveragePrecision(model)
            print("\(method) 16 bits small-conv 16x16, 10 epochs: mAP \(trained) (untrained \(untrained)); "
                  + "losses \(model.history.map { String(format: "%.3f", $0.loss) })")
            XCTAssertLessThan(model.history.last!.loss, model.history.first!.loss, "\(method)")
            XCTAssertGreaterThan(trained, 0.17, "\(method)")
            XCTAssertGreaterThan(trained, untrained + 0.05, "\(method)")
            XCTAssertEqual(model.classCount, 10, "\(method)")
        }
    }

    /// Checkpoints: the same outputs and codes after a load, and the same weights after training on from it as
    /// without the stop. CSQ's centres are not stored but regenerated from the seed, bits and classes: the same.
    func testCheckpointsRestoreOutputsCentresAndTraining() throws {
        let images = try parts.training.taking(perClass: 10, seed: 3)
        for method in successors {
            let reference = try HashingModel(method: method, bits: 12, net: .smallConv)
            try reference.train(on: images, epochs: 2)

            let model = try HashingModel(method: method, bits: 12, net: .smallConv)
            try model.train(on: images, epochs: 1)
            let path = temporaryPath("\(method).ckpt")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try model.save(to: path)
            let loaded = try HashingModel.load(from: path)
            XCTAssertEqual(loaded.hyperparameters, model.hyperparameters, "\(method)")
            XCTAssertEqual(try loaded.outputs(for: images), try model.outputs(for: images), "\(method)")
            XCTAssertEqual(try loaded.encode(images), try model.encode(images), "\(method)")
            XCTAssertEqual(loaded.hashCenters, model.hashCenters, "\(method)")
            XCTAssertEqual(loaded.hashCenters != nil, method == .csq, "\(method)")
            try loaded.train(on: images, epochs: 2)
            XCTAssertEqual(loaded.network!.parameters.map(\.value), reference.network!.parameters.map(\.value),
                           "\(method): resumed training differs")
        }
        // 12 bits is not a power of two: CSQ's centres are Bernoulli draws, fixed by the seed.
        let csq = try HashingModel(method: .csq, bits: 12, net: .mlp)
        try csq.train(on: images, epochs: 1)
        XCTAssertEqual(csq.hashCenters, HashCenters.make(classes: 10, bits: 12, seed: 1))
        XCTAssertFalse(HashCenters.usesHadamard(classes: 10, bits: 12))
    }

    /// Safetensors: HashLab's own file gives the same outputs (HashNet's β travels as a tensor), and the PyTorch
    /// module source defines the modules PyTorch has not.
    func testSafetensorsRoundTripAndPyTorchSource() throws {
        let images = try parts.training.taking(perClass: 6, seed: 2)
        for method in successors {
            let model = try HashingModel(method: method, bits: 16, net: .mlp)
            try model.set("batch", to: "16")
            try model.train(on: images, epochs: 2)
            let path = temporaryPath("\(method).safetensors")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try model.saveSafetensors(to: path)
            let loaded = try HashingModel.loadSafetensors(from: path)
            XCTAssertEqual(loaded.method, method)
            XCTAssertEqual(try loaded.outputs(for: images), try model.outputs(for: images), "\(method)")
            XCTAssertEqual(loaded.hashCenters, model.hashCenters, "\(method)")
            let source = try model.torchModuleSource()
            XCTAssertEqual(source.contains("class SignStraightThrough(nn.Module)"), method == .greedyhash, method.rawValue)
            XCTAssertEqual(source.contains("class ScaledTanh(nn.Module)"), method == .hashnet, method.rawValue)
            if method == .hashnet {
                let names = try SafetensorsFile.read(from: path).entries.map(\.name)
                XCTAssertTrue(names.contains { $0.hasSuffix(".beta") }, "\(names)")
                let beta = model.network!.parameters.first { $0.name.hasSuffix("/beta") }!.value.storage[0]
                XCTAssertGreaterThan(beta, 1, "β grew during training")
            }
            if method == .classifier { XCTAssertTrue(source.contains("net(x).argmax(1)"), source) }
        }
    }

    /// The classifier's codes are the codewords of its predicted classes: equal exactly when the predictions are.
    func testClassifierCodesFollowItsPredictions() throws {
        let images = try parts.test.taking(perClass: 5, seed: 1)
        let model = try HashingModel(method: .classifier, bits: 8, net: .mlp)
        try model.train(on: try parts.training.taking(perClass: 20, seed: 1), epochs: 3)
        let network = model.network!
        let scores = try network.outputs(for: images, normalization: model.normalization!)
        let predicted = SoftmaxCrossEntropy.predictions(scores)
        let codes = try model.encode(images)
        for i in 0..<images.count { for j in 0..<images.count where j > i {
            XCTAssertEqual(codes[i].distance(to: codes[j]) == 0, predicted[i] == predicted[j], "\(i), \(j)")
        } }
        // With 8 bits and 10 classes: codewords 4 bits apart, a class and its opposite (0 and 8, 1 and 9) 8 apart.
        XCTAssertEqual(try model.classCodewords()?.words.count, 10)
        XCTAssertThrowsError(try HashingModel(method: .classifier, bits: 8, net: .mlp, inputShape: [3, 16, 16],
                                              classCount: 17))
    }
}
