import Foundation
import Learning
import Seeding
import XCTest

/// Outputs in (−`bound`, `bound`), each at least `clearance` away from the kinks at 0 and ±1.
private func outputsAwayFromKinks(count: Int, bits: Int, bound: Double, seed: UInt64, clearance: Float = 0.03) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    var values: [Float] = []
    while values.count < count * bits {
        let value = Float((generator.nextUnitDouble() * 2 - 1) * bound)
        if [-1, 0, 1].allSatisfy({ abs(value - Float($0)) > clearance }) { values.append(value) }
    }
    return Tensor(shape: [count, bits], values: values)
}

private func hammingDistance(_ a: [Float], _ b: [Float]) -> Int { zip(a, b).filter { $0 != $1 }.count }

/// CSQ's loss and centres, HashNet's loss and the classifier baseline's codewords.
final class SuccessorHashingLossTests: XCTestCase {
    private let labels: [Int32] = [0, 1, 0, 2, 1, 0, 2, 3]

    // MARK: CSQ

    func testCSQGradientPassesTheChecker() {
        let centers = HashCenters.make(classes: 4, bits: 8, seed: 1)
        for (lambda, seed) in [(1e-4, UInt64(1)), (0.5, 2), (0, 3)] {
            // u = tanh(z) lies in (−1, 1): the kinks of (|u| − 1)² at ±1 are out of reach, the one at 0 avoided.
            let outputs = outputsAwayFromKinks(count: labels.count, bits: 8, bound: 0.95, seed: seed)
            let loss = CentralSimilarityLoss(centers: centers, lambda: lambda)
            let result = GradientChecker.check(loss: loss, outputs: outputs, labels: labels)
            XCTAssertTrue(result.passed, "λ = \(lambda): \(result)")
        }
    }

    func testCSQValueIsTheMeanBinaryCrossEntropyPlusTheQuantisationTerm() {
        let centers: [[Float]] = [[1, -1], [-1, 1]]
        let outputs = Tensor(shape: [2, 2], values: [0.5, -0.25, 0.75, 0.1])
        let loss = CentralSimilarityLoss(centers: centers, lambda: 0.1)
        var gradient = Tensor(shape: [0])
        let value = loss.evaluate(outputs: outputs, labels: [0, 1], gradient: &gradient)
        // Item 0, class 0 (bits 1, 0): p = 0.75, 0.375. Item 1, class 1 (bits 0, 1): p = 0.875, 0.55.
        let crossEntropy = -log(0.75) - log(1 - 0.375) - log(1 - 0.875) - log(0.55)
        let quantization = [0.5, 0.25, 0.75, 0.1].reduce(0.0) { $0 + ($1 - 1) * ($1 - 1) }
        XCTAssertEqual(value, (crossEntropy + 0.1 * quantization) / 4, accuracy: 1e-6)
        // At the centre itself (u → c) the cross-entropy vanishes; a saturated wrong output costs PyTorch's clamp.
        var saturated = Tensor(shape: [0])
        let wrong = CentralSimilarityLoss(centers: [[1]], lambda: 0)
            .evaluate(outputs: Tensor(shape: [1, 1], values: [-1]), labels: [0], gradient: &saturated)
        XCTAssertEqual(wrong, 100, accuracy: 1e-9)
        XCTAssertTrue(saturated.storage[0].isFinite)
    }

    // MARK: Hash centres

    /// Hadamard centres: ±1 rows, every two k/2 bits apart (a row and its opposite k apart), for every power of two.
    func testHadamardCentresAreHalfTheBitsApart() {
        for bits in [8, 16, 32, 64] {
            let matrix = HashCenters.hadamard(order: bits)
            for i in 0..<bits { for j in 0..<bits {
                let dot = zip(matrix[i], matrix[j]).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                XCTAssertEqual(dot, i == j ? Float(bits) : 0, "H\(bits) rows \(i), \(j)")
            } }
            XCTAssertTrue(HashCenters.usesHadamard(classes: 10, bits: bits))
            let centers = HashCenters.make(classes: min(2 * bits, 40), bits: bits, seed: 9)
            XCTAssertEqual(centers.count, min(2 * bits, 40))
            for (i, center) in centers.enumerated() {
                XCTAssertEqual(center.count, bits)
                XCTAssertTrue(center.allSatisfy { $0 == 1 || $0 == -1 }, "centre \(i) is not ±1")
                for j in centers.indices where j > i {
                    let antipodes = j == i + bits
                    XCTAssertEqual(hammingDistance(center, centers[j]), antipodes ? bits : bits / 2, "k \(bits): \(i), \(j)")
                }
            }
            // The seed does not matter: the rows are the rows.
            XCTAssertEqual(HashCenters.make(classes: 10, bits: bits, seed: 1), HashCenters.make(classes: 10, bits: bits, seed: 2))
        }
    }

    /// Other code lengths (and more than 2k classes) get Bernoulli(0.5) centres: ±1, distinct, drawn from the seed.
    func testBernoulliCentresForOtherCodeLengths() {
        for (classes, bits) in [(10, 12), (10, 24), (40, 16), (10, 100)] {
            XCTAssertFalse(HashCenters.usesHadamard(classes: classes, bits: bits), "\(classes) classes, \(bits) bits")
            let centers = HashCenters.make(classes: classes, bits: bits, seed: 5)
            XCTAssertEqual(centers.count, classes)
            XCTAssertTrue(centers.allSatisfy { $0.count == bits && $0.allSatisfy { $0 == 1 || $0 == -1 } })
            var distances: [Int] = []
            for i in centers.indices { for j in centers.indices where j > i {
                distances.append(hammingDistance(centers[i], centers[j]))
            } }
            let mean = Double(distances.reduce(0, +)) / Double(distances.count)
            print("Bernoulli centres, \(classes) classes × \(bits) bits: distances \(distances.min()!)…\(distances.max()!), mean \(mean)")
            XCTAssertGreaterThan(distances.min()!, 0, "two centres coincide")
            XCTAssertEqual(mean, Double(bits) / 2, accuracy: Double(bits) / 5)
            XCTAssertEqual(centers, HashCenters.make(classes: classes, bits: bits, seed: 5), "not reproducible")
            XCTAssertNotEqual(centers, HashCenters.make(classes: classes, bits: bits, seed: 6), "the seed is not used")
            XCTAssertTrue(centers.contains { $0.contains(1) } && centers.contains { $0.contains(-1) })
        }
    }

    // MARK: HashNet

    func testHashNetGradientPassesTheCheckerForEveryBalance() {
        for (balance, alpha, seed) in [(1.0, 10.0 / 12, UInt64(4)), (0.5, 0.3, 5), (0, 10.0 / 12, 6)] {
            let outputs = outputsAwayFromKinks(count: labels.count, bits: 12, bound: 1, seed: seed)
            let loss = HashNetLoss(bits: 12, alpha: alpha, pairBalance: balance)
            let result = GradientChecker.check(loss: loss, outputs: outputs, labels: labels)
            XCTAssertTrue(result.passed, "balance \(balance), α \(alpha): \(result)")
        }
        XCTAssertEqual(HashNetLoss(bits: 48).alpha, 10.0 / 48, "the authors' default")
        XCTAssertEqual(HashNetLoss(bits: 48).pairBalance, 1)
    }

    /// With balance 1 the loss is half the reference's: mean over similar pairs plus mean over dissimilar pairs,
    /// each pair's term log(1 + e^Θ) − sΘ with Θ = α·hᵢᵀhⱼ, i = j included.
    func testHashNetValueIsHalfTheReferenceWeightedLikelihood() {
        let outputs = outputsAwayFromKinks(count: labels.count, bits: 6, bound: 1, seed: 7)
        let alpha = 0.7
        var similar: [Double] = [], dissimilar: [Double] = []
        for i in labels.indices { for j in labels.indices {
            var dot: Double = 0
            for c in 0..<6 { dot += Double(outputs.storage[i * 6 + c]) * Double(outputs.storage[j * 6 + c]) }
            let theta = alpha * dot, s: Double = labels[i] == labels[j] ? 1 : 0
            let term = log(1 + exp(theta)) - s * theta
            if s == 1 { similar.append(term) } else { dissimilar.append(term) }
        } }
        let reference = similar.reduce(0, +) / Double(similar.count) + dissimilar.reduce(0, +) / Double(dissimilar.count)
        var gradient = Tensor(shape: [0])
        let value = HashNetLoss(bits: 6, alpha: alpha, pairBalance: 1).evaluate(outputs: outputs, labels: labels,
                                                                                gradient: &gradient)
        XCTAssertEqual(value, reference / 2, accuracy: 1e-5)
        let plain = (similar + dissimilar).reduce(0, +) / Double(labels.count * labels.count)
        XCTAssertEqual(HashNetLoss(bits: 6, alpha: alpha, pairBalance: 0).evaluate(outputs: outputs, labels: labels,
                                                                                   gradient: &gradient),
                       plain, accuracy: 1e-5)
    }

    // MARK: The classifier baseline's codewords

    /// Two codes are equal exactly when the predicted classes are; different classes p/2 bits apart (p the largest
    /// power of two ≤ k), a class and its opposite p apart.
    func testClassifierCodesAreEqualExactlyWhenPredictedClassesAre() throws {
        for (classes, bits, order) in [(10, 8, 8), (10, 12, 8), (10, 16, 16), (4, 48, 32), (16, 8, 8)] {
            let codewords = try ClassCodewords(classes: classes, bits: bits)
            let scores = randomTensor([60, classes], seed: UInt64(bits + classes), scale: 3)
            let predicted = SoftmaxCrossEntropy.predictions(scores)
            let outputs = codewords.outputs(forScores: scores)
            XCTAssertEqual(outputs.shape, [60, bits])
            XCTAssertTrue(outputs.storage.allSatisfy { $0 == 1 || $0 == -1 })
            let rows = (0..<60).map { Array(outputs.storage[($0 * bits)..<($0 * bits + bits)]) }
            for i in 0..<60 { for j in 0..<60 where j > i {
                let distance = hammingDistance(rows[i], rows[j])
                XCTAssertEqual(distance == 0, predicted[i] == predicted[j], "\(classes) classes, \(bits) bits: \(i), \(j)")
                if predicted[i] != predicted[j] {
                    let antipodes = abs(Int(predicted[i]) - Int(predicted[j])) == order
                    XCTAssertEqual(distance, antipodes ? order : order / 2, "\(classes) classes, \(bits) bits")
                }
            } }
            XCTAssertEqual(Set(predicted).count > 1, true)
        }
        XCTAssertThrowsError(try ClassCodewords(classes: 17, bits: 8)) { error in
            XCTAssertTrue("\(error)".contains("at most 16 classes"), "\(error)")
        }
    }
}
