import XCTest
import Codes
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

    func testDPSHBalancedPairsValueIsTheDirectWeightedSumAndItsGradientPassesTheChecker() {
        // Batch labels [1, 0] against memory labels [0, 1, 0, 1, 2]: 4 of 10 pairs similar, p = 0.4, so similar
        // pairs weigh 1/(2·0.4) = 1.25 and dissimilar ones 1/(2·0.6) = 5/6.
        let memoryLabels: [Int32] = [0, 1, 0, 1, 2], batchLabels: [Int32] = [1, 0]
        let weights = PairwiseLabelLikelihoodLoss.pairWeights(labels: batchLabels, referenceLabels: memoryLabels,
                                                              balance: 1)
        XCTAssertEqual(weights.similar, 1.25, accuracy: 1e-12)
        XCTAssertEqual(weights.dissimilar, 5.0 / 6, accuracy: 1e-12)
        XCTAssertTrue(PairwiseLabelLikelihoodLoss.pairWeights(labels: [3, 3], referenceLabels: [3], balance: 1) == (1, 1))
        XCTAssertTrue(PairwiseLabelLikelihoodLoss.pairWeights(labels: batchLabels, referenceLabels: memoryLabels,
                                                              balance: 0) == (1, 1))
        // Halfway: (1 − ½) + ½·1.25 and (1 − ½) + ½·5/6.
        let half = PairwiseLabelLikelihoodLoss.pairWeights(labels: batchLabels, referenceLabels: memoryLabels, balance: 0.5)
        XCTAssertEqual(half.similar, 1.125, accuracy: 1e-12)
        XCTAssertEqual(half.dissimilar, 0.5 + 5.0 / 12, accuracy: 1e-12)
        let bits = 4, eta = 0.5
        let loss = PairwiseLabelLikelihoodLoss(bits: bits, eta: eta, trainingLabels: memoryLabels, pairBalance: 1)
        let stored = kinkFreeOutputs(count: 5, bits: bits, seed: 51)
        loss.remember(outputs: stored, items: Array(0..<5)[...])
        let outputs = kinkFreeOutputs(count: 2, bits: bits, seed: 52, clearance: 0.01)
        var gradient = Tensor(shape: [0])
        let value = loss.evaluateAgainstMemory(outputs: outputs, labels: batchLabels, gradient: &gradient)
        var expected = 0.0
        for i in 0..<2 {
            for j in 0..<5 {
                var theta = 0.0
                for c in 0..<bits { theta += 0.5 * Double(outputs.storage[i * bits + c]) * Double(stored.storage[j * bits + c]) }
                let similar = batchLabels[i] == memoryLabels[j]
                expected += (similar ? 1.25 : 5.0 / 6) * (log(1 + exp(theta)) - (similar ? theta : 0))
            }
            for c in 0..<bits {
                let u = Double(outputs.storage[i * bits + c])
                expected += eta * pow((u > 0 ? 1 : -1) - u, 2)
            }
        }
        XCTAssertEqual(value, expected / 10, accuracy: 1e-6)
        var scratch = Tensor(shape: [0])
        let result = GradientChecker.check(point: outputs, analytic: gradient, floor: 1e-3, label: "dpsh balanced") {
            loss.evaluateAgainstMemory(outputs: $0, labels: batchLabels, gradient: &scratch)
        }
        XCTAssertTrue(result.passed, "\(result)")
        for (name, labels) in compositions {
            let inBatch = PairwiseLabelLikelihoodLoss(bits: 6, eta: 0.7, trainingLabels: [], pairBalance: 1)
            let outputs = kinkFreeOutputs(count: labels.count, bits: 6, seed: 53, clearance: 0.01)
            let result = GradientChecker.check(loss: inBatch, outputs: outputs, labels: labels, floor: 1e-3)
            XCTAssertTrue(result.passed, "in-batch balanced \(name): \(result)")
        }
    }

    /// The memory path end to end, without a network: every training item's output is a free parameter, trained
    /// by plain gradient descent through `evaluate(outputs:labels:items:gradient:)` in shuffled batches. If the
    /// items and the memory rows did not correspond, or the memory were updated after instead of before the loss,
    /// the codes could not come to separate the classes.
    func testDPSHMemoryTrainingSeparatesClassesWithFreeOutputs() throws {
        let items = 300, bits = 12, batch = 50
        let labels = (0..<items).map { Int32(($0 * 7) % 10) }
        for balance in [0.0, 1] {
            let loss = PairwiseLabelLikelihoodLoss(bits: bits, eta: 1, trainingLabels: labels, pairBalance: balance)
            var generator = SeededGenerator(seed: 3)
            var u = (0..<(items * bits)).map { _ in Float(generator.nextGaussian() * 0.1) }
            var gradient = Tensor(shape: [0])
            for _ in 0..<40 {
                var order = Array(0..<items)
                for i in stride(from: items - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
                for start in stride(from: 0, to: items, by: batch) {
                    let slice = order[start..<(start + batch)]
                    let outputs = Tensor(shape: [batch, bits], values: slice.flatMap { u[($0 * bits)..<(($0 + 1) * bits)] })
                    _ = loss.evaluate(outputs: outputs, labels: slice.map { labels[$0] }, items: slice, gradient: &gradient)
                    // The loss is divided by items × batch; undo it for a unit-free step of 0.01.
                    let step = 0.01 * Float(items * batch)
                    for (slot, item) in slice.enumerated() {
                        for c in 0..<bits { u[item * bits + c] -= step * gradient.storage[slot * bits + c] }
                    }
                }
            }
            XCTAssertEqual(loss.memory.storage.count, u.count)
            let codes = try CodeSet(realOutputs: u, bitCount: bits, labels: labels)
            let map = try evaluateRetrieval(queries: codes, database: codes, k: 50).mapAll
            XCTAssertGreaterThan(map, 0.9, "balance \(balance): mAP \(map)")
        }
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
