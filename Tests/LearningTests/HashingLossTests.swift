import XCTest
import Learning
import Seeding

/// Random outputs in [−1.5, 1.5] kept at least `clearance` away from the DSH regulariser's kinks (−1, 0, 1).
private func kinkFreeOutputs(count: Int, bits: Int, seed: UInt64, clearance: Float = 0.02) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    var values: [Float] = []
    while values.count < count * bits {
        let value = Float(generator.nextUnitDouble() * 3 - 1.5)
        if [-1, 0, 1].allSatisfy({ abs(value - Float($0)) > clearance }) { values.append(value) }
    }
    return Tensor(shape: [count, bits], values: values)
}

private func squaredDistance(_ outputs: Tensor, _ i: Int, _ j: Int) -> Double {
    let bits = outputs.itemSize
    return (0..<bits).reduce(0.0) { sum, c in
        let d = Double(outputs.storage[i * bits + c]) - Double(outputs.storage[j * bits + c])
        return sum + d * d
    }
}

/// The batch compositions every loss is checked on.
private let compositions: [(name: String, labels: [Int32])] = [
    ("mixed", [0, 1, 0, 2, 1, 0, 2]),
    ("all similar", [3, 3, 3, 3, 3]),
    ("all dissimilar", [0, 1, 2, 3, 4, 5]),
    ("pairs", [1, 1, 2, 2]),
]

final class HashingLossTests: XCTestCase {
    // MARK: DSH

    /// Outputs whose dissimilar pairs all sit at least 0.1 from the hinge's kink m − D² = 0.
    private func dshOutputs(labels: [Int32], bits: Int, margin: Double, seed: UInt64) -> Tensor {
        var attempt = seed
        while true {
            let outputs = kinkFreeOutputs(count: labels.count, bits: bits, seed: attempt)
            var clear = true
            for i in labels.indices { for j in labels.indices where j > i && labels[i] != labels[j] {
                if abs(margin - squaredDistance(outputs, i, j)) < 0.1 { clear = false }
            } }
            if clear { return outputs }
            attempt += 1000
        }
    }

    func testDSHGradientPassesTheCheckerOnEveryBatchComposition() {
        for (name, labels) in compositions {
            for (bits, margin) in [(6, nil), (4, 3.0)] as [(Int, Double?)] {
                let loss = DeepSupervisedHashingLoss(bits: bits, margin: margin, alpha: 0.1)
                let outputs = dshOutputs(labels: labels, bits: bits, margin: loss.margin, seed: 11)
                let result = GradientChecker.check(loss: loss, outputs: outputs, labels: labels, step: 1e-3,
                                                   tolerance: 1e-2, floor: 1e-3)
                XCTAssertTrue(result.passed, "\(name), \(bits) bits: \(result)")
                XCTAssertEqual(result.checked, labels.count * bits)
            }
        }
    }

    func testDSHValueMatchesTheDirectPairwiseSum() {
        for (name, labels) in compositions {
            let bits = 5
            let outputs = kinkFreeOutputs(count: labels.count, bits: bits, seed: 21)
            for (margin, alpha) in [(10.0, 0.01), (3.0, 0.5), (0.0, 0)] {
                let loss = DeepSupervisedHashingLoss(bits: bits, margin: margin, alpha: alpha)
                var gradient = Tensor(shape: [0])
                let value = loss.evaluate(outputs: outputs, labels: labels, gradient: &gradient)
                // The paper's per-pair loss, summed over i < j and normalised by N(N−1) as Caffe's layer.
                let n = labels.count
                var expected = 0.0
                for i in 0..<n {
                    for j in (i + 1)..<n {
                        let y: Double = labels[i] == labels[j] ? 0 : 1
                        let d2 = squaredDistance(outputs, i, j)
                        var regularizer = 0.0
                        for c in 0..<bits {
                            regularizer += abs(abs(Double(outputs.storage[i * bits + c])) - 1)
                                + abs(abs(Double(outputs.storage[j * bits + c])) - 1)
                        }
                        expected += 0.5 * (1 - y) * d2 + 0.5 * y * max(margin - d2, 0) + alpha * regularizer
                    }
                }
                expected /= Double(n * (n - 1))
                XCTAssertEqual(value, expected, accuracy: 1e-9 * max(1, abs(expected)), "\(name) m \(margin) α \(alpha)")
            }
        }
    }

    func testDSHMarginDefaultsToTwiceTheBitsAndAlphaToOneHundredth() {
        let loss = DeepSupervisedHashingLoss(bits: 12)
        XCTAssertEqual(loss.margin, 24)
        XCTAssertEqual(loss.alpha, 0.01)
    }

    func testDSHRegularizerSubgradientIsThePapersWithZeroAtTheKinks() {
        // One item: no pairs, only the regulariser (α/N with N = 1).
        let outputs = Tensor(shape: [1, 7], values: [-1.5, -1, -0.5, 0, 0.5, 1, 1.5])
        var gradient = Tensor(shape: [0])
        let value = DeepSupervisedHashingLoss(bits: 7, alpha: 0.25).evaluate(outputs: outputs, labels: [0],
                                                                              gradient: &gradient)
        XCTAssertEqual(value, 0.25 * (0.5 + 0 + 0.5 + 1 + 0.5 + 0 + 0.5), accuracy: 1e-12)
        XCTAssertEqual(gradient.storage, [-0.25, 0, 0.25, 0, -0.25, 0, 0.25])
    }

    // MARK: DPSH

    func testDPSHInBatchGradientPassesTheChecker() {
        for (name, labels) in compositions {
            let loss = PairwiseLabelLikelihoodLoss(bits: 6, eta: 0.7, trainingLabels: [])
            let outputs = kinkFreeOutputs(count: labels.count, bits: 6, seed: 31, clearance: 0.01)
            let result = GradientChecker.check(loss: loss, outputs: outputs, labels: labels, floor: 1e-3)
            XCTAssertTrue(result.passed, "\(name): \(result)")
        }
    }

    func testDPSHMemoryGradientPassesTheCheckerWithTheMemoryHeldFixed() {
        for (name, labels) in compositions {
            let bits = 5
            // A training set of 12 items whose first ones are the batch; the memory holds random outputs.
            let trainingLabels = labels + [0, 1, 2, 3, 4, 5, 3, 1, 0, 2, 5, 4].prefix(12 - labels.count)
            let loss = PairwiseLabelLikelihoodLoss(bits: bits, eta: 2, trainingLabels: Array(trainingLabels))
            loss.remember(outputs: kinkFreeOutputs(count: 12, bits: bits, seed: 41), items: Array(0..<12)[...])
            let outputs = kinkFreeOutputs(count: labels.count, bits: bits, seed: 42, clearance: 0.01)
            var gradient = Tensor(shape: [0])
            let before = loss.memory
            _ = loss.evaluateAgainstMemory(outputs: outputs, labels: labels, gradient: &gradient)
            var scratch = Tensor(shape: [0])
            let result = GradientChecker.check(point: outputs, analytic: gradient, floor: 1e-3, label: "dpsh \(name)") {
                loss.evaluateAgainstMemory(outputs: $0, labels: labels, gradient: &scratch)
            }
            XCTAssertTrue(result.passed, "\(name): \(result)")
            XCTAssertEqual(loss.memory, before, "evaluating against the memory must not change it")
        }
    }

    func testDPSHTrainingEvaluationWritesTheBatchIntoTheMemoryFirst() {
        let loss = PairwiseLabelLikelihoodLoss(bits: 3, eta: 1, trainingLabels: [0, 1, 0, 1])
        let outputs = Tensor(shape: [2, 3], values: [0.5, -1, 2, -0.25, 0.75, 1])
        var gradient = Tensor(shape: [0]), reference = Tensor(shape: [0])
        let value = loss.evaluate(outputs: outputs, labels: [1, 0], items: [3, 0], gradient: &gradient)
        XCTAssertEqual(Array(loss.memory.storage[9..<12]), [0.5, -1, 2])
        XCTAssertEqual(Array(loss.memory.storage[0..<3]), [-0.25, 0.75, 1])
        XCTAssertEqual(Array(loss.memory.storage[3..<9]), [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(value, loss.evaluateAgainstMemory(outputs: outputs, labels: [1, 0], gradient: &reference))
        // Direct value: Σ_i Σ_j softplus(Θ) − sΘ + η‖b − u‖², over (2 × 4), Θ = ½ u_i·U_j.
        let u: [[Double]] = [[0.5, -1, 2], [-0.25, 0.75, 1]]
        let memory: [[Double]] = [[-0.25, 0.75, 1], [0, 0, 0], [0, 0, 0], [0.5, -1, 2]]
        let batchLabels = [1, 0], memoryLabels = [0, 1, 0, 1]
        var expected = 0.0
        for i in 0..<2 {
            for j in 0..<4 {
                let theta = 0.5 * zip(u[i], memory[j]).reduce(0) { $0 + $1.0 * $1.1 }
                expected += log(1 + exp(theta)) - (batchLabels[i] == memoryLabels[j] ? theta : 0)
            }
            expected += u[i].reduce(0) { $0 + ($1 > 0 ? pow(1 - $1, 2) : pow(-1 - $1, 2)) }
        }
        XCTAssertEqual(value, expected / 8, accuracy: 1e-6)
    }

    func testDPSHStaysFiniteAndExactWhenThetaIsInTheThousands() {
        // u = ±s·(1, …, 1) with s = 13, 12 bits: Θ = ±½·12·169 = ±1014.
        let bits = 12, s: Float = 13
        let signs: [Float] = [1, 1, -1, -1]
        let outputs = Tensor(shape: [4, bits], values: signs.flatMap { Array(repeating: $0 * s, count: bits) })
        let labels: [Int32] = [0, 1, 0, 1]   // similar pairs anti-aligned and dissimilar ones aligned: the worst case
        let loss = PairwiseLabelLikelihoodLoss(bits: bits, eta: 0, trainingLabels: [])
        var gradient = Tensor(shape: [0])
        let value = loss.evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        XCTAssertTrue(value.isFinite)
        XCTAssertTrue(gradient.storage.allSatisfy(\.isFinite))
        // Every Θ is ±1014; softplus(x) − s·x is x when (s = 0, x > 0) or (s = 1, x < 0), else ≈ 0 (e^−1014).
        let theta = 0.5 * Double(bits) * Double(s * s)
        var expected = 0.0
        for i in 0..<4 {
            for j in 0..<4 {
                let x = Double(signs[i] * signs[j]) * theta
                let similar = labels[i] == labels[j]
                expected += (similar && x < 0) ? -x : (!similar && x > 0 ? x : 0)
            }
        }
        XCTAssertEqual(value, expected / 16, accuracy: 1e-9 * expected)
        XCTAssertEqual(PairwiseLabelLikelihoodLoss.softplus(1e3), 1e3)
        XCTAssertEqual(PairwiseLabelLikelihoodLoss.softplus(-1e3), 0)
        XCTAssertEqual(PairwiseLabelLikelihoodLoss.softplus(-30), exp(-30), accuracy: 1e-25)
        XCTAssertEqual(PairwiseLabelLikelihoodLoss.logistic(-1e3), 0)
        XCTAssertEqual(PairwiseLabelLikelihoodLoss.logistic(1e3), 1)
        // And the gradient at that point still passes the checker (relative to its size).
        let check = GradientChecker.check(loss: loss, outputs: outputs, labels: labels, step: 1e-2, floor: 1e-2)
        XCTAssertTrue(check.passed, "\(check)")
    }

    // MARK: Triplet

    func testTripletGradientPassesTheCheckerForEveryMining() throws {
        for mining in TripletMining.allCases {
            for (name, labels) in compositions {
                let loss = try TripletLoss(margin: 1.5, mining: mining)
                let outputs = kinkFreeOutputs(count: labels.count, bits: 4, seed: 51)
                let result = GradientChecker.check(loss: loss, outputs: outputs, labels: labels, floor: 1e-3)
                XCTAssertTrue(result.passed, "\(mining) \(name): \(result)")
            }
        }
    }

    func testTripletMiningPicksTheExpectedTriplets() throws {
        // One-dimensional outputs 0, 1, 3 (label 0) and 2, 6 (label 1); squared distances worked out by hand.
        let outputs = Tensor(shape: [5, 1], values: [0, 1, 3, 2, 6])
        let labels: [Int32] = [0, 0, 0, 1, 1]
        func picks(_ mining: TripletMining) throws -> [Triplet] {
            try TripletLoss(margin: 1, mining: mining).triplets(outputs: outputs, labels: labels)
        }
        func t(_ a: Int, _ p: Int, _ n: Int) -> Triplet { Triplet(anchor: a, positive: p, negative: n) }
        XCTAssertEqual(try picks(.hard), [t(0, 2, 3), t(1, 2, 3), t(2, 0, 3), t(3, 4, 1), t(4, 3, 2)])
        XCTAssertEqual(try picks(.semiHard), [t(0, 1, 3), t(0, 2, 4), t(1, 0, 4), t(1, 2, 4), t(2, 0, 4), t(2, 1, 4),
                                              t(3, 4, 0), t(4, 3, 1)])
        let all = try picks(.all)
        XCTAssertEqual(all.count, 18)
        XCTAssertEqual(Set(all).count, 18)
        XCTAssertTrue(all.allSatisfy { labels[$0.anchor] == labels[$0.positive] && $0.anchor != $0.positive
                                       && labels[$0.negative] != labels[$0.anchor] })
        // Hard mining's value by hand: max(0, d(a,p) − d(a,n) + 1) = 9−4+1, 4−1+1, 9−1+1, 16−1+1, 16−9+1, over 5.
        var gradient = Tensor(shape: [0])
        let value = try TripletLoss(margin: 1, mining: .hard).evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        XCTAssertEqual(value, Double(6 + 4 + 9 + 16 + 8) / 5, accuracy: 1e-12)
    }

    func testTripletMarginMustBeFiniteAndNonNegative() {
        XCTAssertThrowsError(try TripletLoss(margin: -0.5)) { error in
            XCTAssertTrue("\(error)".contains("≥ 0"), "\(error)")
        }
        XCTAssertThrowsError(try TripletLoss(margin: .nan))
        XCTAssertThrowsError(try TripletLoss(margin: .infinity))
        XCTAssertNoThrow(try TripletLoss(margin: 0))
    }

    func testTripletLossIsZeroWhenNoTripletExists() throws {
        var gradient = Tensor(shape: [0])
        let outputs = kinkFreeOutputs(count: 4, bits: 3, seed: 61)
        let value = try TripletLoss(margin: 2).evaluate(outputs: outputs, labels: [1, 1, 1, 1], gradient: &gradient)
        XCTAssertEqual(value, 0)
        XCTAssertEqual(gradient.storage, Array(repeating: 0, count: 12))
    }
}
