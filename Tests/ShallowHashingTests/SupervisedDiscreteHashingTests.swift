import Codes
import Seeding
import ShallowHashing
import XCTest

/// SDH's steps against their definitions (Shen et al. 2015, §2–3): each step is an exact minimisation, so the
/// objective never rises; the B-step's result is what its closed form z = sgn(q − B′W′v) says, computed here the
/// long way (forming B′ and W′ without the bit); the kernel features are the RBF formula; and the labels help.
final class SupervisedDiscreteHashingTests: XCTestCase {
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
        return try FeatureSet(count: count, dimension: dimension, values: values, labels: labels, classNames: ["a", "b", "c"],
                              kind: "test")
    }

    func oneHot(_ labels: [Int32], classes: Int) -> Matrix {
        var y = Matrix(rows: labels.count, columns: classes)
        for (i, label) in labels.enumerated() { y[i, Int(label)] = 1 }
        return y
    }

    func testObjectiveNeverRisesOverTheAlternation() throws {
        let training = try clusters(count: 150, separation: 2, seed: 1)
        let sdh = try SupervisedDiscreteHashing(training: training, bitCount: 8, anchorCount: 40, iterations: 6, seed: 3)
        XCTAssertEqual(sdh.objectives.count, 7)
        for (before, after) in zip(sdh.objectives, sdh.objectives.dropFirst()) {
            XCTAssertLessThanOrEqual(after, before * (1 + 1e-12), "objectives \(sdh.objectives)")
        }
        XCTAssertLessThan(sdh.objectives.last!, sdh.objectives.first! * 0.9, "the labels are learnt: \(sdh.objectives)")
        XCTAssertEqual(sdh.anchors.rows, 40)
        XCTAssertEqual(sdh.projection.rows, 41)
        XCTAssertEqual(sdh.classifier.rows, 8)
        XCTAssertEqual(sdh.classifier.columns, 3)
    }

    /// The B-step, run to its fixed point, leaves no bit column that the closed form would change: for every bit,
    /// sgn(q − B′W′v) with B′, W′ built explicitly without the bit equals the column. And no single bit flip of
    /// the result lowers ‖Y − BW‖² + ν‖B − F‖².
    func testDiscreteCyclicCoordinateDescentReachesItsClosedFormFixedPoint() throws {
        var generator = SeededGenerator(seed: 9)
        let (n, k, c) = (40, 6, 3)
        let labels = (0..<n).map { Int32($0 % c) }
        let y = oneHot(labels, classes: c)
        var w = Matrix(rows: k, columns: c), f = Matrix(rows: n, columns: k), b0 = Matrix(rows: n, columns: k)
        for i in 0..<w.elements.count { w.elements[i] = generator.nextGaussian() }
        // A large regression weight would swamp the classifier term; the default ν = 1e-5 makes F nearly
        // irrelevant, so F is scaled up here to make both terms matter.
        for i in 0..<f.elements.count { f.elements[i] = generator.nextGaussian() * 1e4 }
        for i in 0..<b0.elements.count { b0.elements[i] = generator.nextGaussian() >= 0 ? 1 : -1 }
        let b = SupervisedDiscreteHashing.discreteCyclicCoordinateDescent(codes: b0, labels: y, classifier: w, regression: f)
        XCTAssertTrue(b.elements.allSatisfy { $0 == 1 || $0 == -1 })

        let nu = SupervisedDiscreteHashing.regressionWeight
        var q = Matrix.multiply(y, w, transposeB: true)
        for i in 0..<q.elements.count { q.elements[i] += nu * f.elements[i] }
        for bit in 0..<k {
            let others = (0..<k).filter { $0 != bit }
            var bPrime = Matrix(rows: n, columns: k - 1), wPrime = Matrix(rows: k - 1, columns: c)
            for (column, source) in others.enumerated() {
                for i in 0..<n { bPrime[i, column] = b[i, source] }
                for j in 0..<c { wPrime[column, j] = w[source, j] }
            }
            let v = Matrix(rows: c, columns: 1, elements: (0..<c).map { w[bit, $0] })
            let correction = bPrime * wPrime * v
            for i in 0..<n {
                XCTAssertEqual(b[i, bit], q[i, bit] - correction[i, 0] >= 0 ? 1 : -1, "bit \(bit), item \(i)")
            }
        }
        func objective(_ codes: Matrix) -> Double {
            (y - codes * w).squaredFrobeniusNorm + nu * (codes - f).squaredFrobeniusNorm
        }
        let reached = objective(b)
        XCTAssertLessThanOrEqual(reached, objective(b0))
        for i in 0..<n { for bit in 0..<k {
            var flipped = b
            flipped[i, bit] = -flipped[i, bit]
            XCTAssertGreaterThanOrEqual(objective(flipped), reached - 1e-9, "flipping item \(i) bit \(bit) helps")
        } }
    }

    func testRidgeRegressionSatisfiesItsNormalEquations() throws {
        let training = try clusters(count: 30, separation: 1, seed: 2)
        var inputs = Matrix(rows: 30, columns: 6)
        for i in 0..<30 { for j in 0..<6 { inputs[i, j] = Double(Array(training.row(i))[j]) } }
        let targets = oneHot(training.labels, classes: 3)
        let x = try SupervisedDiscreteHashing.ridgeRegression(of: targets, on: inputs, ridge: 0.5)
        // (MᵀM + λI) X = MᵀT
        var gram = Matrix.multiply(inputs, inputs, transposeA: true)
        for i in 0..<6 { gram[i, i] += 0.5 }
        let residual = (gram * x).maximumDifference(from: Matrix.multiply(inputs, targets, transposeA: true))
        XCTAssertLessThan(residual, 1e-10)
    }

    func testKernelFeaturesAreTheRadialBasisFormulaWithABias() throws {
        let features = try clusters(count: 5, separation: 1, seed: 4)
        let anchors = Matrix([[0, 0, 0, 0, 0, 0], [1, 2, 3, 0, -1, 0.5]])
        let phi = try SupervisedDiscreteHashing.kernelFeatures(of: features, anchors: anchors, sigma: 1.5)
        XCTAssertEqual(phi.columns, 3)
        for i in 0..<5 {
            let x = features.row(i).map(Double.init)
            for j in 0..<2 {
                let squared = (0..<6).reduce(0.0) { $0 + (x[$1] - anchors[j, $1]) * (x[$1] - anchors[j, $1]) }
                XCTAssertEqual(phi[i, j], exp(-squared / (2 * 1.5 * 1.5)), accuracy: 1e-12)
            }
            XCTAssertEqual(phi[i, 2], 1)
        }
    }

    /// The lesson of SDH's row in the papers' tables: with the labels, codes retrieve the class far better than
    /// the unsupervised methods on the same features. In 16 dimensions where only three carry the classes (means
    /// 1.5 apart, unit noise everywhere), ITQ spends its 8 bits on the directions of largest variance, mostly
    /// noise, and stays near chance (1/3); SDH's codes are shaped by the labels.
    func testLabelsHelpSDHBeatITQOnTheSameFeatures() throws {
        let training = try clusters(count: 300, separation: 1.5, seed: 5, dimension: 16)
        let queries = try clusters(count: 60, separation: 1.5, seed: 6, dimension: 16)
        func meanAveragePrecision(_ method: ShallowMethod) throws -> Double {
            let hasher = try method.train(on: training, bitCount: 8, seed: 1, anchors: 100)
            return try evaluateRetrieval(queries: hasher.encode(queries), database: hasher.encode(training), k: 100).mapAll
        }
        let sdh = try meanAveragePrecision(.sdh), itq = try meanAveragePrecision(.itq)
        print("clusters in 16 dimensions, 8 bits: SDH mAP \(sdh), ITQ mAP \(itq)")
        XCTAssertGreaterThan(sdh, itq + 0.1)
    }

    func testSavedParametersRestoreTheSameCodes() throws {
        let training = try clusters(count: 90, separation: 2, seed: 7)
        let sdh = try ShallowMethod.sdh.train(on: training, bitCount: 8, seed: 2, anchors: 20)
        let restored = try ShallowMethod.sdh.restore(sdh.parameters)
        XCTAssertEqual(try restored.encode(training), try sdh.encode(training))
        var damaged = sdh.parameters
        damaged.matrices["projection"] = Matrix(rows: 3, columns: 8)
        XCTAssertThrowsError(try ShallowMethod.sdh.restore(damaged)) {
            XCTAssertTrue("\($0)".contains("projection"), "\($0)")
        }
    }

    func testBadSettingsAreRefusedInOneLine() throws {
        let training = try clusters(count: 30, separation: 1, seed: 8)
        XCTAssertThrowsError(try SupervisedDiscreteHashing(training: training, bitCount: 8, anchorCount: 0, seed: 1))
        XCTAssertThrowsError(try SupervisedDiscreteHashing(training: training, bitCount: 8, iterations: 0, seed: 1))
        XCTAssertThrowsError(try SupervisedDiscreteHashing(training: training, bitCount: 4, seed: 1))
        let blank = try FeatureSet(count: 4, dimension: 2, values: [Float](repeating: 1, count: 8), labels: [0, 1, 0, 1],
                                   classNames: ["a", "b"], kind: "test")
        XCTAssertThrowsError(try SupervisedDiscreteHashing(training: blank, bitCount: 8, seed: 1)) {
            XCTAssertTrue("\($0)".contains("do not vary"), "\($0)")
        }
    }
}
