import Dispatch
import Foundation
import Seeding

/// SDH, supervised discrete hashing (Shen, Shen, Liu & Shen, "Supervised Discrete Hashing", CVPR 2015, §2–3; the
/// authors' MATLAB `SDH.m` and `demo_SDH.m` give the defaults below). The only shallow method here that reads
/// labels, and the strongest shallow row of the DPSH paper's table.
///
/// **Model.** A code is the sign of a kernel regression, b(x) = sgn(Pᵀ φ(x)), where φ(x) is x seen through m
/// anchors a₁…a_m (training points drawn at random) and an RBF kernel, plus a constant for the bias:
///
///     φ(x) = ( exp(−‖x − a₁‖² / 2σ²), …, exp(−‖x − a_m‖² / 2σ²), 1 ).
///
/// **Objective** (§2, eq. 4, with the ridge on P that `SDH.m` adds). Over the training codes B ∈ {−1, +1}^(n×k),
/// a linear classifier W (k × c) that must read each item's one-hot label yᵢ from its code, and P:
///
///     min  ‖Y − B W‖²_F + λ‖W‖²_F + ν‖B − Φ P‖²_F + λ_F‖P‖²_F      (Φ: n × (m+1), the rows φ(xᵢ)ᵀ)
///
/// The codes are what is learnt: good codes are those a linear classifier can read the labels from (first term),
/// and which the kernel regression can reproduce on unseen images (third term). B stays discrete throughout —
/// the point of the paper: no relaxation to real values and rounding at the end, whose error the earlier methods
/// (KSH, ITQ's quantisation loss) had to fight.
///
/// **Optimisation** alternates three exact minimisations, so the objective never rises (`objectives`):
/// - **G-step** (W, with B fixed): a ridge regression of Y on B, W = (BᵀB + λI)⁻¹ BᵀY.
/// - **F-step** (P, with B fixed): a ridge regression of B on Φ, P = (ΦᵀΦ + λ_F I)⁻¹ ΦᵀB.
/// - **B-step** (B, with W and P fixed): expanding, the objective is ‖BW‖²_F − 2 tr(Bᵀ Q) + const with
///   Q = Y Wᵀ + ν Φ P. It is minimised one bit (one column z of B) at a time — discrete cyclic coordinate
///   descent, §3.2. With B′ and W′ the other columns of B and rows of W, and v the row of W for this bit,
///   ‖BW‖² = ‖B′W′ + z vᵀ‖² = 2 zᵀ B′W′v + n‖v‖² + const (since zᵀz = n for a ±1 vector), so the best z is
///   **z = sgn(q − B′ W′ v)**, q the column of Q: every coordinate in closed form, no rounding.
///   Each bit's update is exact, so each can only lower the objective; the sweep over the k bits is repeated
///   until no bit changes (at most `codeSweeps` times).
///
/// Initial B is random ±1 (as `demo_SDH.m`); the paper's 5 outer iterations suffice (the objective is nearly flat
/// after 3). σ is the root mean squared distance from the training points to the anchors (the rule commented in
/// `demo_SDH.m`, `sigma = mean(mean(Dis)).^0.5`), so that a typical φ is e^(−1/2) on any scale of features —
/// the demo's fixed σ = 0.4 suits only unit-normalised GIST.
public struct SupervisedDiscreteHashing: ShallowHasher, Equatable {
    public let bitCount: Int
    public var methodName: String { "SDH" }
    public let featureKind: String
    public var featureDimension: Int { anchors.columns }
    /// The m anchors (m × d), training vectors drawn from `seed`.
    public let anchors: Matrix
    /// The RBF kernel's width σ.
    public let sigma: Double
    /// P, (m + 1) × k: the kernel regression whose signs are the codes.
    public let projection: Matrix
    /// W, k × c: the linear classifier the G-step fits on the codes (kept for the lesson; encoding does not use it).
    public let classifier: Matrix
    /// The objective after each outer iteration's three steps (element 0: before the first, at the random B with
    /// its W and P fitted). Never increasing.
    public let objectives: [Double]
    public let seed: UInt64

    /// `demo_SDH.m`'s settings: 1,000 anchors, 5 outer iterations, λ = 1, ν = 1e-5, λ_F = 1e-2.
    public static let defaultAnchorCount = 1000
    public static let defaultIterations = 5
    public static let classifierRidge = 1.0          // λ
    public static let regressionWeight = 1e-5        // ν
    public static let regressionRidge = 1e-2         // λ_F
    /// The most sweeps of discrete cyclic coordinate descent over the k bits per B-step.
    public static let codeSweeps = 5

    public init(training: FeatureSet, bitCount: Int, anchorCount: Int = defaultAnchorCount,
                iterations: Int = defaultIterations, seed: UInt64) throws {
        try checkBitCount(bitCount)
        guard anchorCount >= 1 else { throw ShallowHashingError.invalidArgument("SDH needs ≥ 1 anchor, not \(anchorCount)") }
        guard iterations >= 1 else { throw ShallowHashingError.invalidArgument("SDH needs ≥ 1 iteration, not \(iterations)") }
        guard training.count >= 2 else {
            throw ShallowHashingError.invalidArgument("SDH needs at least 2 labelled training vectors, not \(training.count)")
        }
        let classes = Int(training.labels.max()!) + 1
        guard training.labels.allSatisfy({ $0 >= 0 }) else {
            throw ShallowHashingError.invalidArgument("SDH needs class labels ≥ 0")
        }
        var generator = SeededGenerator(seed: seed)
        let anchors = RadialBasis.drawAnchors(from: training, count: anchorCount, using: &generator)
        // The distances to the anchors once: σ from them, then φ.
        let distances = try RadialBasis.squaredDistances(of: training, to: anchors)
        let sigma = try RadialBasis.width(squaredDistances: distances, method: "SDH", kind: training.kind)
        let phi = Self.withBias(RadialBasis.values(distances, sigma: sigma))

        // Y, n × c one-hot; B₀ random ±1.
        let n = training.count
        var y = Matrix(rows: n, columns: classes)
        for i in 0..<n { y[i, Int(training.labels[i])] = 1 }
        var b = Matrix(rows: n, columns: bitCount)
        for i in 0..<b.elements.count { b.elements[i] = generator.nextGaussian() >= 0 ? 1 : -1 }

        var w = try Self.ridgeRegression(of: y, on: b, ridge: Self.classifierRidge)
        var p = try Self.ridgeRegression(of: b, on: phi, ridge: Self.regressionRidge)
        var objectives = [Self.objective(codes: b, labels: y, classifier: w, kernelFeatures: phi, projection: p)]
        for _ in 0..<iterations {
            w = try Self.ridgeRegression(of: y, on: b, ridge: Self.classifierRidge)           // G-step
            p = try Self.ridgeRegression(of: b, on: phi, ridge: Self.regressionRidge)         // F-step
            b = Self.discreteCyclicCoordinateDescent(codes: b, labels: y, classifier: w,    // B-step
                                                     regression: phi * p)
            objectives.append(Self.objective(codes: b, labels: y, classifier: w, kernelFeatures: phi, projection: p))
        }
        // The codes of the last B-step are the training codes; the hash function is their regression.
        p = try Self.ridgeRegression(of: b, on: phi, ridge: Self.regressionRidge)
        self.bitCount = bitCount
        self.featureKind = training.kind
        self.anchors = anchors
        self.sigma = sigma
        self.projection = p
        self.classifier = w
        self.objectives = objectives
        self.seed = seed
    }

    /// Pᵀ φ(x) for every vector: the regression whose signs are the bits.
    public func projections(of features: FeatureSet) throws -> Matrix {
        try checkCompatible(features)
        return try Self.kernelFeatures(of: features, anchors: anchors, sigma: sigma) * projection
    }

    // MARK: The steps, each as its definition

    /// The ridge regression X = (MᵀM + λI)⁻¹ MᵀT of targets T on inputs M: the X minimising ‖T − M X‖² + λ‖X‖².
    public static func ridgeRegression(of targets: Matrix, on inputs: Matrix, ridge: Double) throws -> Matrix {
        var gram = Matrix.multiply(inputs, inputs, transposeA: true)
        for i in 0..<gram.rows { gram[i, i] += ridge }
        return try LinearAlgebra.solvePositiveDefinite(gram, Matrix.multiply(inputs, targets, transposeA: true))
    }

    /// ‖Y − BW‖² + λ‖W‖² + ν‖B − ΦP‖² + λ_F‖P‖².
    public static func objective(codes b: Matrix, labels y: Matrix, classifier w: Matrix, kernelFeatures phi: Matrix,
                                 projection p: Matrix) -> Double {
        (y - b * w).squaredFrobeniusNorm + classifierRidge * w.squaredFrobeniusNorm
            + regressionWeight * (b - phi * p).squaredFrobeniusNorm + regressionRidge * p.squaredFrobeniusNorm
    }

    /// The B-step: minimises ‖Y − BW‖² + ν‖B − F‖² over B ∈ {±1}^(n×k) (F = ΦP) one bit column at a time,
    /// z = sgn(q − B′W′v) with Q = YWᵀ + νF (see the type's comment; sgn(0) = +1), sweeping the bits until none
    /// changes or `codeSweeps` sweeps are done.
    public static func discreteCyclicCoordinateDescent(codes initial: Matrix, labels y: Matrix, classifier w: Matrix,
                                                       regression f: Matrix) -> Matrix {
        var b = initial
        let (n, k, c) = (b.rows, b.columns, w.columns)
        var q = Matrix.multiply(y, w, transposeB: true)
        for i in 0..<q.elements.count { q.elements[i] += regressionWeight * f.elements[i] }
        // BW (n × c) is kept up to date as bits change, so B′W′v = (BW − z vᵀ) v costs O(nc) per bit, not O(nkc).
        var bw = b * w
        for _ in 0..<codeSweeps {
            var changed = false
            for bit in 0..<k {
                for i in 0..<n {
                    let z = b[i, bit]
                    // (B′W′v)ᵢ = Σ_c (BW − z vᵀ)ᵢc · v_c
                    var others = 0.0
                    for j in 0..<c { others += (bw[i, j] - z * w[bit, j]) * w[bit, j] }
                    let updated: Double = q[i, bit] - others >= 0 ? 1 : -1
                    if updated != z {
                        changed = true
                        b[i, bit] = updated
                        for j in 0..<c { bw[i, j] += (updated - z) * w[bit, j] }
                    }
                }
            }
            if !changed { break }
        }
        return b
    }

    /// Φ: the n × (m + 1) rows φ(x)ᵀ = (exp(−‖x − aⱼ‖² / 2σ²) for each anchor, then 1).
    public static func kernelFeatures(of features: FeatureSet, anchors: Matrix, sigma: Double) throws -> Matrix {
        withBias(RadialBasis.values(try RadialBasis.squaredDistances(of: features, to: anchors), sigma: sigma))
    }

    /// The kernel values with a column of ones after them (the regression's bias).
    static func withBias(_ kernel: Matrix) -> Matrix {
        let m = kernel.columns
        var phi = Matrix(rows: kernel.rows, columns: m + 1)
        for i in 0..<kernel.rows {
            for j in 0..<m { phi[i, j] = kernel[i, j] }
            phi[i, m] = 1
        }
        return phi
    }

}
