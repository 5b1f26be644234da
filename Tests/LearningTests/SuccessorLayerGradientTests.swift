import Foundation
import Learning
import Seeding
import XCTest

/// The two layers the methods after DPSH add, as their models configure them: GreedyHash's straight-through sign
/// (with its penalty) and HashNet's tanh(β·z).
final class SuccessorLayerGradientTests: XCTestCase {
    /// The layer of `method`'s net (mlp, 12 bits, 16 features in) that `matches`, configured by the model.
    private func layer(of model: HashingModel, where matches: (LayerSpec) -> Bool) throws -> Layer {
        let network = try XCTUnwrap(model.network)
        let index = try XCTUnwrap(network.spec.layers.firstIndex(where: matches))
        return network.layers[index]
    }

    /// Inputs in (−2, 2) kept 0.05 away from the penalty's kink at 0 and from ±1 (where |(|h| − 1)|³ is smooth but
    /// its sign flips; nothing to avoid there really, but the finite differences are cleaner).
    private func codeLayerOutputs(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        var values: [Float] = []
        while values.count < shape.reduce(1, *) {
            let value = Float(generator.nextUnitDouble() * 4 - 2)
            if [-1, 0, 1].allSatisfy({ abs(value - Float($0)) > 0.05 }) { values.append(value) }
        }
        return Tensor(shape: shape, values: values)
    }

    /// A straight-through sign has no true gradient: finite differences of sign(h) are 0 away from 0. What its
    /// backward computes is the exact gradient of a SURROGATE, the identity plus the penalty,
    /// f(h) = Σ r·h + λ·mean |(|h| − 1)|³ for the upstream gradient r; that is what is checked here, with the one
    /// checker. The forward is checked to be the sign, and the honest check of the real layer is shown to fail.
    func testSignStraightThroughDifferentiatesTheIdentityPlusThePenalty() throws {
        let model = try HashingModel(method: .greedyhash, bits: 12, net: .mlp, inputShape: [1, 4, 4], classCount: 5)
        try model.set("penalty", to: "0.7")
        let sign = try layer(of: model) { $0 == .signStraightThrough }
        let input = codeLayerOutputs([6, 12], seed: 3)
        var output = Tensor(shape: [0])
        sign.forward(input: input, output: &output, training: true)
        XCTAssertEqual(output.storage, input.storage.map { $0 > 0 ? 1 : -1 }, "forward is not the sign")
        let expectedPenalty = 0.7 * input.storage.reduce(0.0) { $0 + pow(abs(abs(Double($1)) - 1), 3) } / 72
        XCTAssertEqual(sign.penalty, expectedPenalty, accuracy: 1e-9)

        let upstream = randomTensor([6, 12], seed: 4)
        var analytic = Tensor(shape: [0])
        sign.backward(input: input, output: output, outputGradient: upstream, inputGradient: &analytic)
        let surrogate = GradientChecker.check(point: input, analytic: analytic, label: "identity + penalty") { h in
            var ignored = Tensor(shape: [0])
            sign.forward(input: h, output: &ignored, training: true)
            return zip(h.storage, upstream.storage).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } + sign.penalty
        }
        XCTAssertTrue(surrogate.passed, "\(surrogate)")
        // Without the penalty the backward is the identity exactly: dL/dh = dL/db.
        try model.set("penalty", to: "0")
        sign.forward(input: input, output: &output, training: true)
        sign.backward(input: input, output: output, outputGradient: upstream, inputGradient: &analytic)
        XCTAssertEqual(analytic.storage, upstream.storage)
        XCTAssertEqual(sign.penalty, 0)
        // The sign's own derivative (0 almost everywhere) is not what backward returns: the honest check fails.
        let honest = GradientChecker.check(layer: sign, input: input, seed: 5)
        XCTAssertFalse(honest[0].passed, "a straight-through sign cannot pass as the sign's gradient")
    }

    /// The GreedyHash model's net: fc(bits) is the code layer, then the sign, then the classifier.
    func testGreedyHashNetIsCodeLayerSignClassifier() throws {
        let model = try HashingModel(method: .greedyhash, bits: 12, net: .mlp, inputShape: [1, 4, 4], classCount: 5)
        let layers = model.network!.spec.layers
        XCTAssertEqual(Array(layers.suffix(3)), [.linear(outputs: 12), .signStraightThrough, .linear(outputs: 5)])
        XCTAssertEqual(model.codeLayerIndex, layers.count - 3)
        XCTAssertEqual(model.network!.outputShape, [5])
    }

    /// tanh(β·z) at a fixed β (as the checker needs it) for several β, and β = √(1 + γ·step) as the trainer sets it.
    func testScaledTanhGradientsAtFixedBetaAndTheContinuationSchedule() throws {
        let model = try HashingModel(method: .hashnet, bits: 12, net: .mlp, inputShape: [1, 4, 4])
        let continuation = try layer(of: model) { $0 == .scaledTanh }
        XCTAssertEqual(model.codeLayerIndex, model.network!.layers.count - 1)
        let beta = try XCTUnwrap(continuation.parameters.first)
        XCTAssertFalse(beta.isTrainable)
        XCTAssertEqual(beta.value.storage, [1], "β starts at 1")
        for value: Float in [1, 2.5, 7] {
            beta.value = Tensor(shape: [1], values: [value])
            let results = GradientChecker.check(layer: continuation, input: randomTensor([4, 12], seed: 8, scale: 1.5),
                                                seed: 9)
            XCTAssertEqual(results.count, 1, "β is not a trained parameter")
            XCTAssertTrue(results[0].passed, "β = \(value): \(results[0])")
            var output = Tensor(shape: [0])
            continuation.forward(input: Tensor(shape: [1, 1], values: [0.3]), output: &output, training: false)
            XCTAssertEqual(output.storage[0], tanhf(value * 0.3), accuracy: 1e-6)
        }
        // The schedule: β = (1 + γ·t)^½ before step t, γ = continuation (0.005 by default).
        continuation.prepare(forTrainingStep: 1000)
        XCTAssertEqual(beta.value.storage[0], Float(6.0.squareRoot()), accuracy: 1e-6)
        try model.set("continuation", to: "0.1")
        continuation.prepare(forTrainingStep: 80)
        XCTAssertEqual(beta.value.storage[0], 3, accuracy: 1e-6)
        try model.set("continuation", to: "0")
        continuation.prepare(forTrainingStep: 5000)
        XCTAssertEqual(beta.value.storage[0], 1, "γ = 0 is a plain tanh")
    }

    /// Training sets β from the optimiser's step count before every step: after n steps the layer holds the β of
    /// the last one, √(1 + γ·(n − 1)).
    func testTrainingGrowsBetaWithTheSteps() throws {
        let images = bandImages(count: 96, classes: 4, size: 8, seed: 2)
        let model = try HashingModel(method: .hashnet, bits: 8, net: .mlp)
        try model.set("batch", to: "16")
        try model.set("continuation", to: "0.5")
        try model.train(on: images, epochs: 2)
        let beta = try XCTUnwrap(model.network!.parameters.first { $0.name.hasSuffix("/beta") })
        XCTAssertEqual(beta.value.storage[0], Float((1 + 0.5 * 11).squareRoot()), accuracy: 1e-5, "12 steps")
    }
}
