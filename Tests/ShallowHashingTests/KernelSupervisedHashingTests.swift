import Codes
import Foundation
import Seeding
import ShallowHashing
import XCTest

/// KSH's steps against their definitions (Liu et al. 2012, §3): the kernel features are centred by their training
/// mean; the spectral start solves its generalised eigen-equation with the largest λ; the surrogate's gradient is
/// its derivative (finite differences); the greedy residue is r·S − Σ b bᵀ of the codes the hasher gives; no bit
/// does worse than its spectral start; and the labels help.
final class KernelSupervisedHashingTests: XCTestCase {
    /// Three classes in `dimension` dimensions whose means differ along the first three coordinates (by
    /// `separation`), with unit Gaussian noise.
    func clusters(count: Int, separation: Double, seed: UInt64, dimension: Int = 6) throws -> FeatureSet {
        var generator = SeededGenerator(seed: seed)
        var values: [Float] = [], labels: [Int32] = []
        for i in 0..<count {
            let label = i % 3
            labels.append(Int32(label))
            for j in 0..<dimension { values.append(Float(generator.nextGaussian() + (j == label ? separation : 0))) }
        }
        return try FeatureSet(count: count, dimension: dimension, values: values, labels: labels,
                              classNames: ["a", "b", "c"], kind: "test")
    }

    func randomMatrix(rows: Int, columns: Int, _ generator: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<rows * columns).map { _ in generator.nextGaussian() })
    }

    /// k̄(x) = k(x) − μ with μ the training mean of k: on the training set every column averages 0, and each entry
    /// is the RBF formula minus μ.
    func testKernelFeaturesAreCentredRadialBasisFunctions() throws {
        let training = try clusters(count: 60, separation: 2, seed: 1)
        let ksh = try KernelSupervisedHashing(training: training, bitCount: 8, anchorCount: 10, iterations: 20, seed: 2)
        let centred = try ksh.centredKernelFeatures(of: training)
        for mean in KernelSupervisedHashing.columnMeans(centred) { XCTAssertEqual(mean, 0, accuracy: 1e-12) }
        for i in [0, 17, 59] {
            let x = training.row(i).map(Double.init)
            for j in 0..<10 {
                let squared = (0..<6).reduce(0.0) { $0 + (x[$1] - ksh.anchors[j, $1]) * (x[$1] - ksh.anchors[j, $1]) }
                XCTAssertEqual(centred[i, j] + ksh.kernelMean[j], exp(-squared / (2 * ksh.sigma * ksh.sigma)),
                               accuracy: 1e-12)
            }
        }
        // The projections before the sign are K̄A.
        let projections = try ksh.projections(of: training)
        XCTAssertLessThan(projections.maximumDifference(from: centred * ksh.projection), 1e-12)
    }

    /// The spectral start a of a bit satisfies K̄ᵀRK̄ a = λ G a (G = K̄ᵀK̄ + δI), its λ is the largest generalised
    /// Rayleigh quotient (no random vector beats it), and it is scaled to ‖K̄a‖² = l.
    func testSpectralStartSolvesTheGeneralisedEigenproblem() throws {
        var generator = SeededGenerator(seed: 3)
        let (l, m) = (30, 8)
        let kernel = randomMatrix(rows: l, columns: m, &generator)
        let residue = PairwiseResidue(labels: (0..<l).map { Int32($0 % 3) }, bitCount: 8)
        let gram = KernelSupervisedHashing.regularizedGram(kernel)
        let (a, lambda) = try KernelSupervisedHashing.spectralProjection(kernel: kernel, residue: residue, gram: gram)
        let column = Matrix(rows: m, columns: 1, elements: a)
        let left = Matrix.multiply(kernel, residue.dense * kernel, transposeA: true) * column
        let right = gram * column
        let scale = left.elements.reduce(0) { max($0, abs($1)) }
        for i in 0..<m { XCTAssertEqual(left[i, 0], lambda * right[i, 0], accuracy: 1e-9 * scale) }
        XCTAssertEqual((kernel * column).squaredFrobeniusNorm, Double(l), accuracy: 1e-9)
        func quotient(_ v: Matrix) -> Double {
            let kv = kernel * v
            return (Matrix.multiply(kv, residue.dense * kv, transposeA: true))[0, 0]
                / (Matrix.multiply(v, gram * v, transposeA: true))[0, 0]
        }
        XCTAssertEqual(quotient(column), lambda, accuracy: 1e-9 * abs(lambda))
        for _ in 0..<50 { XCTAssertLessThanOrEqual(quotient(randomMatrix(rows: m, columns: 1, &generator)), lambda * (1 + 1e-12)) }
    }

    /// The gradient of −φ(K̄a)ᵀRφ(K̄a) against central differences, and Nesterov's refinement lowers the surrogate.
    func testSurrogateGradientMatchesFiniteDifferencesAndRefinementLowersIt() throws {
        var generator = SeededGenerator(seed: 4)
        let (l, m) = (25, 6)
        let kernel = randomMatrix(rows: l, columns: m, &generator)
        var residue = PairwiseResidue(labels: (0..<l).map { Int32($0 % 2) }, bitCount: 1)
        residue.remove((0..<l).map { $0 % 3 == 0 ? 1 : -1 })
        let a = (0..<m).map { _ in generator.nextGaussian() * 0.3 }
        let (_, gradient) = KernelSupervisedHashing.surrogateCost(a, kernel: kernel, residue: residue)
        let h = 1e-6
        for j in 0..<m {
            var plus = a, minus = a
            plus[j] += h
            minus[j] -= h
            let numeric = (KernelSupervisedHashing.surrogateCost(plus, kernel: kernel, residue: residue).cost
                - KernelSupervisedHashing.surrogateCost(minus, kernel: kernel, residue: residue).cost) / (2 * h)
            XCTAssertEqual(gradient[j], numeric, accuracy: 1e-6 * max(1, abs(numeric)), "coordinate \(j)")
        }
        let (refined, costs) = KernelSupervisedHashing.refine(a, kernel: kernel, residue: residue, iterations: 200)
        XCTAssertGreaterThan(costs.count, 1)
        XCTAssertLessThan(costs.last!, costs.first!, "\(costs)")
        XCTAssertEqual(KernelSupervisedHashing.surrogateCost(refined, kernel: kernel, residue: residue).cost, costs.last!,
                       accuracy: 1e-9 * abs(costs.last!))
    }

    /// The greedy residue, checked against the objective's definition: with every training point labelled (fewer
    /// than l), the codes the hasher gives its training set, B, satisfy ‖r·S − B₁..ₖB₁..ₖᵀ‖² = objectives[k] for
    /// every prefix of k bits (the norm does not depend on the order of the points), computed here with S built
    /// entry by entry. No bit does worse than its spectral start, and the objective falls overall.
    func testGreedyResidueIsTheObjectiveOfTheCodes() throws {
        let training = try clusters(count: 90, separation: 1.5, seed: 5)
        let ksh = try KernelSupervisedHashing(training: training, bitCount: 8, anchorCount: 30, iterations: 100, seed: 6)
        XCTAssertEqual(ksh.labelledCount, 90)
        XCTAssertEqual(ksh.objectives.count, 9)
        let codes = try ksh.projections(of: training)
        let s = KernelSupervisedHashing.pairwiseLabels(training.labels)
        for k in 0...8 {
            var residue = s
            for i in 0..<residue.elements.count { residue.elements[i] *= 8 }
            for bit in 0..<k {
                let b = codes.column(bit).map { $0 > 0 ? 1.0 : -1.0 }
                for i in 0..<90 { for j in 0..<90 { residue[i, j] -= b[i] * b[j] } }
            }
            XCTAssertEqual(residue.squaredFrobeniusNorm, ksh.objectives[k], "after \(k) bits")
        }
        for k in 1...8 {
            XCTAssertLessThanOrEqual(ksh.objectives[k], ksh.spectralObjectives[k], "bit \(k)")
            if !ksh.refined[k - 1] { XCTAssertEqual(ksh.objectives[k], ksh.spectralObjectives[k]) }
        }
        XCTAssertLessThan(ksh.objectives.last!, ksh.objectives.first! * 0.8, "\(ksh.objectives)")
    }

    /// The factored residue is r·S − Σ b bᵀ entry by entry: R v through the factors equals the dense product, and
    /// its kept ‖R‖² equals the dense norm after each removal.
    func testFactoredResidueIsTheDenseResidue() throws {
        var generator = SeededGenerator(seed: 11)
        let labels: [Int32] = [0, 2, 2, 1, 0, 2, 1]
        var residue = PairwiseResidue(labels: labels, bitCount: 3)
        var expected = KernelSupervisedHashing.pairwiseLabels(labels)
        for i in 0..<expected.elements.count { expected.elements[i] *= 3 }
        XCTAssertEqual(expected[0, 4], 3)
        XCTAssertEqual(expected[0, 1], -3)
        for _ in 0..<3 {
            XCTAssertEqual(residue.dense, expected)
            XCTAssertEqual(residue.squaredNorm, expected.squaredFrobeniusNorm)
            let v = randomMatrix(rows: 7, columns: 2, &generator)
            XCTAssertLessThan(residue.times(v).maximumDifference(from: expected * v), 1e-12)
            let b = (0..<7).map { _ in generator.nextGaussian() > 0 ? 1.0 : -1.0 }
            XCTAssertEqual(residue.quadraticForm(b), (Matrix([b]) * expected * Matrix(rows: 7, columns: 1, elements: b))[0, 0])
            residue.remove(b)
            for i in 0..<7 { for j in 0..<7 { expected[i, j] -= b[i] * b[j] } }   // R − bbᵀ
        }
    }

    /// The labels help: in 16 dimensions where only three carry the classes, KSH's codes retrieve the class far
    /// better than LSH's random hyperplanes on the same features.
    func testKSHBeatsLSHOnTheSameFeatures() throws {
        let training = try clusters(count: 300, separation: 1.5, seed: 7, dimension: 16)
        let queries = try clusters(count: 60, separation: 1.5, seed: 8, dimension: 16)
        func meanAveragePrecision(_ method: ShallowMethod) throws -> Double {
            let hasher = try method.train(on: training, bitCount: 8, seed: 1, iterations: method == .ksh ? 100 : nil,
                                          anchors: 100)
            return try evaluateRetrieval(queries: hasher.encode(queries), database: hasher.encode(training), k: 100).mapAll
        }
        let ksh = try meanAveragePrecision(.ksh), lsh = try meanAveragePrecision(.lsh)
        print("clusters in 16 dimensions, 8 bits: KSH mAP \(ksh), LSH mAP \(lsh)")
        XCTAssertGreaterThan(ksh, lsh + 0.1)
    }

    func testSavedParametersRestoreTheSameHasher() throws {
        let training = try clusters(count: 90, separation: 2, seed: 9)
        let ksh = try ShallowMethod.ksh.train(on: training, bitCount: 8, seed: 2, iterations: 50, anchors: 20)
        let restored = try ShallowMethod.ksh.restore(ksh.parameters)
        XCTAssertEqual(restored as? KernelSupervisedHashing, ksh as? KernelSupervisedHashing)
        XCTAssertEqual(try restored.encode(training), try ksh.encode(training))
        var damaged = ksh.parameters
        damaged.matrices["kernel-mean"] = Matrix([[1, 2]])
        XCTAssertThrowsError(try ShallowMethod.ksh.restore(damaged)) {
            XCTAssertTrue("\($0)".contains("kernel-mean"), "\($0)")
        }
    }

    func testBadSettingsAreRefusedInOneLine() throws {
        let training = try clusters(count: 30, separation: 1, seed: 10)
        XCTAssertThrowsError(try KernelSupervisedHashing(training: training, bitCount: 8, anchorCount: 0, seed: 1))
        XCTAssertThrowsError(try KernelSupervisedHashing(training: training, bitCount: 8, iterations: 0, seed: 1))
        XCTAssertThrowsError(try KernelSupervisedHashing(training: training, bitCount: 4, seed: 1))
        let blank = try FeatureSet(count: 4, dimension: 2, values: [Float](repeating: 1, count: 8), labels: [0, 1, 0, 1],
                                   classNames: ["a", "b"], kind: "test")
        XCTAssertThrowsError(try KernelSupervisedHashing(training: blank, bitCount: 8, seed: 1)) {
            XCTAssertTrue("\($0)".contains("do not vary"), "\($0)")
        }
    }
}
