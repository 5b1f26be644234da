import Foundation
import Seeding

/// KSH, kernel-based supervised hashing (Liu, Wang, Ji, Jiang & Chang, "Supervised Hashing with Kernels", CVPR 2012,
/// §3; Wei Liu's MATLAB `KSH_demo.m` and `OptProjectionFast.m` give the defaults below). The supervised row before
/// SDH in the DPSH paper's table: it learns from labelled pairs, one bit at a time.
///
/// **Model.** Bit k of x is the sign of a kernel function, b_k(x) = sgn(k̄(x)ᵀ a_k), where k̄(x) is x seen through m
/// anchors (training points drawn at random) and an RBF kernel, centred by its training mean μ:
///
///     k̄(x) = ( exp(−‖x − a₁‖² / 2σ²), …, exp(−‖x − a_m‖² / 2σ²) ) − μ
///
/// Centring plays the part of a bias (SDH appends a constant 1 instead): a bit whose projection has mean zero on
/// the training set splits it roughly in half.
///
/// **Objective** (§3, eq. 6). Over l labelled training points, with S ∈ {±1}^(l×l) the pairwise labels (+1 for a
/// pair of one class, −1 otherwise) and B = sgn(K̄A) ∈ {±1}^(l×r) their codes (K̄: l × m, the rows k̄(xᵢ)ᵀ):
///
///     min_A  ‖ B Bᵀ − r·S ‖²_F
///
/// The code inner product bᵢᵀbⱼ = r − 2·Hamming(i, j) ranges over [−r, r]: the objective asks for Hamming distance 0
/// within a class and r between classes — the inner product is the paper's trick, as it is linear in each bit.
///
/// **Greedy, bit by bit** (§3.2). With the residue R_{k−1} = r·S − Σ_{t<k} b_t b_tᵀ, bit k minimises
/// ‖R_{k−1} − b_k b_kᵀ‖² = ‖R_{k−1}‖² − 2 b_kᵀR_{k−1}b_k + l², that is, maximises b_kᵀ R_{k−1} b_k with
/// b_k = sgn(K̄a_k). Two steps find a_k:
/// - **spectral initialisation**: drop the sign, max (K̄a)ᵀR(K̄a) subject to ‖K̄a‖² = l — the generalised
///   eigenproblem K̄ᵀRK̄ a = λ K̄ᵀK̄ a, largest λ (LAPACK's `dsygv`; a ridge δ keeps K̄ᵀK̄ definite), scaled so that
///   ‖K̄a‖² = l (a typical |k̄(x)ᵀa| near 1, where the surrogate below is neither flat nor linear);
/// - **refinement**: replace sgn by the smooth φ(x) = 2/(1 + e^(−x)) − 1 and minimise −φ(K̄a)ᵀRφ(K̄a) from the
///   spectral a, by Nesterov's accelerated gradient with a backtracking step, as `OptProjectionFast.m` does (at most
///   `iterations` steps; stopping when the cost changes by ≤ 0.01 per labelled point).
/// The refined a_k is kept only if its true signs score higher, b_kᵀR_{k−1}b_k, than the spectral one's; so each bit
/// lowers the objective at least as much as the spectral relaxation alone (`objectives`, `spectralObjectives`).
/// Then R_k = R_{k−1} − b_k b_kᵀ, and later bits correct what earlier ones got wrong.
///
/// σ² is the mean squared distance from the training points to the anchors (`KSH_demo.m`: `sigma =
/// mean(mean(KTrain,2))`, then `exp(-KTrain/(2*sigma))`, the same rule as SDH's). The paper labels l = 1,000 or
/// 2,000 points because its R is l × l numbers; here R is kept as its factors (`PairwiseResidue`: S = 2YYᵀ − 11ᵀ),
/// so l = 5,000 — every labelled training image of the DPSH protocol, the set its supervised rows learn from —
/// drawn from the seed when there are more. μ and σ come from the whole training set, as in the demo. Measured on
/// that protocol (GIST, 12 bits, seed 1): l = 2,000 gives mAP 0.252, l = 5,000 gives 0.281 (the DPSH paper's
/// table: 0.303); 1,000 anchors instead of 300 give 0.222 (at l = 2,000).
public struct KernelSupervisedHashing: ShallowHasher, Equatable {
    public let bitCount: Int
    public var methodName: String { "KSH" }
    public let featureKind: String
    public var featureDimension: Int { anchors.columns }
    /// The m anchors (m × d), training vectors drawn from `seed`.
    public let anchors: Matrix
    /// The RBF kernel's width σ.
    public let sigma: Double
    /// μ, the training mean of the kernel features (m values), subtracted from every k(x).
    public let kernelMean: [Double]
    /// A, m × k: column k is a_k, and bit k of x is sgn(k̄(x)ᵀa_k).
    public let projection: Matrix
    /// ‖R_k‖²_F = ‖r·S − Σ_{t≤k} b_t b_tᵀ‖²_F on the labelled points after each bit (element 0: ‖r·S‖² = r²l²).
    public let objectives: [Double]
    /// What ‖R_k‖²_F would have been with bit k's spectral projection (element 0 as in `objectives`): never below
    /// `objectives[k]`.
    public let spectralObjectives: [Double]
    /// Whether bit k kept its refined projection (its signs scored higher) or its spectral one.
    public let refined: [Bool]
    /// l, the labelled training points the pairwise labels cover.
    public let labelledCount: Int
    public let seed: UInt64

    /// `KSH_demo.m`'s 300 anchors and at most 500 gradient steps per bit; l up to 5,000 labelled points (the demo's
    /// 2,000 was bounded by its l × l matrices; see the type's comment).
    public static let defaultAnchorCount = 300
    public static let defaultLabelledCount = 5000
    public static let defaultIterations = 500
    /// The refinement stops when the surrogate cost changes by at most this much per labelled point.
    public static let stoppingTolerance = 1e-2
    /// δ = this × the mean diagonal of K̄ᵀK̄, added to it: the generalised eigenproblem needs a definite right side,
    /// and K̄ᵀK̄ is singular when the labelled points are fewer than the anchors or are the whole centred set.
    public static let relativeRidge = 1e-6

    public init(training: FeatureSet, bitCount: Int, anchorCount: Int = defaultAnchorCount,
                labelledCount: Int = defaultLabelledCount, iterations: Int = defaultIterations, seed: UInt64) throws {
        try checkBitCount(bitCount)
        guard anchorCount >= 1 else { throw ShallowHashingError.invalidArgument("KSH needs ≥ 1 anchor, not \(anchorCount)") }
        guard labelledCount >= 2 else {
            throw ShallowHashingError.invalidArgument("KSH needs ≥ 2 labelled points, not \(labelledCount)")
        }
        guard iterations >= 1 else { throw ShallowHashingError.invalidArgument("KSH needs ≥ 1 iteration, not \(iterations)") }
        guard training.count >= 2 else {
            throw ShallowHashingError.invalidArgument("KSH needs at least 2 labelled training vectors, not \(training.count)")
        }
        var generator = SeededGenerator(seed: seed)
        let anchors = RadialBasis.drawAnchors(from: training, count: anchorCount, using: &generator)
        let labelled = Array((0..<training.count).shuffled(using: &generator).prefix(min(labelledCount, training.count)))

        // Kernel features of the whole training set: σ and μ from all of it.
        let distances = try RadialBasis.squaredDistances(of: training, to: anchors)
        let sigma = try RadialBasis.width(squaredDistances: distances, method: "KSH", kind: training.kind)
        let kernel = RadialBasis.values(distances, sigma: sigma)
        let mean = Self.columnMeans(kernel)
        let m = anchors.rows, l = labelled.count

        // K̄ on the labelled rows, and R₀ = r·S.
        var labelledKernel = Matrix(rows: l, columns: m)
        for (r, i) in labelled.enumerated() { for j in 0..<m { labelledKernel[r, j] = kernel[i, j] - mean[j] } }
        var residue = PairwiseResidue(labels: labelled.map { training.labels[$0] }, bitCount: bitCount)
        let gram = Self.regularizedGram(labelledKernel)

        var projection = Matrix(rows: m, columns: bitCount)
        var objectives = [residue.squaredNorm], spectralObjectives = objectives, refined: [Bool] = []
        for bit in 0..<bitCount {
            let (spectral, _) = try Self.spectralProjection(kernel: labelledKernel, residue: residue, gram: gram)
            let (better, _) = Self.refine(spectral, kernel: labelledKernel, residue: residue, iterations: iterations)
            let spectralBits = Self.signs(labelledKernel, spectral), refinedBits = Self.signs(labelledKernel, better)
            let spectralGain = residue.quadraticForm(spectralBits)
            let keepsRefined = residue.quadraticForm(refinedBits) > spectralGain
            let (a, b) = keepsRefined ? (better, refinedBits) : (spectral, spectralBits)
            for j in 0..<m { projection[j, bit] = a[j] }
            spectralObjectives.append(objectives.last! - 2 * spectralGain + Double(l * l))
            residue.remove(b)
            objectives.append(residue.squaredNorm)
            refined.append(keepsRefined)
        }
        self.bitCount = bitCount
        self.featureKind = training.kind
        self.anchors = anchors
        self.sigma = sigma
        self.kernelMean = mean
        self.projection = projection
        self.objectives = objectives
        self.spectralObjectives = spectralObjectives
        self.refined = refined
        self.labelledCount = l
        self.seed = seed
    }

    /// K̄(x)·A for every vector: the kernel functions whose signs are the bits.
    public func projections(of features: FeatureSet) throws -> Matrix {
        try checkCompatible(features)
        return try centredKernelFeatures(of: features) * projection
    }

    /// k̄(x) = k(x) − μ for every vector (n × m).
    public func centredKernelFeatures(of features: FeatureSet) throws -> Matrix {
        var kernel = RadialBasis.values(try RadialBasis.squaredDistances(of: features, to: anchors), sigma: sigma)
        let m = anchors.rows
        for i in 0..<kernel.rows { for j in 0..<m { kernel[i, j] -= kernelMean[j] } }
        return kernel
    }

    // MARK: The steps, each as its definition

    /// The mean of each column.
    public static func columnMeans(_ matrix: Matrix) -> [Double] {
        var means = [Double](repeating: 0, count: matrix.columns)
        for i in 0..<matrix.rows { for j in 0..<matrix.columns { means[j] += matrix[i, j] } }
        return means.map { $0 / Double(max(matrix.rows, 1)) }
    }

    /// S: +1 where two labels agree, −1 where they differ (the diagonal is +1).
    public static func pairwiseLabels(_ labels: [Int32]) -> Matrix {
        var s = Matrix(rows: labels.count, columns: labels.count)
        for i in 0..<labels.count { for j in 0..<labels.count { s[i, j] = labels[i] == labels[j] ? 1 : -1 } }
        return s
    }

    /// K̄ᵀK̄ + δI, δ = `relativeRidge` × its mean diagonal.
    public static func regularizedGram(_ kernel: Matrix) -> Matrix {
        var gram = Matrix.multiply(kernel, kernel, transposeA: true)
        let ridge = relativeRidge * max((0..<gram.rows).reduce(0.0) { $0 + gram[$1, $1] } / Double(max(gram.rows, 1)),
                                        1e-300)
        for i in 0..<gram.rows { gram[i, i] += ridge }
        return gram
    }

    /// The spectral relaxation of bit k: the a with the largest λ in K̄ᵀRK̄ a = λ G a (G = `regularizedGram`),
    /// scaled so that ‖K̄a‖² = l. Returns a and λ.
    public static func spectralProjection(kernel: Matrix, residue: PairwiseResidue, gram: Matrix) throws
        -> (projection: [Double], eigenvalue: Double) {
        var left = Matrix.multiply(kernel, residue.times(kernel), transposeA: true)
        // Symmetric in exact arithmetic; the two triangles may differ in their last bits.
        for i in 0..<left.rows { for j in (i + 1)..<left.columns {
            let average = (left[i, j] + left[j, i]) / 2
            left[i, j] = average
            left[j, i] = average
        } }
        let (values, vectors) = try LinearAlgebra.symmetricGeneralizedEigendecomposition(left, gram)
        var a = vectors.column(0)
        let length = kernel * Matrix(rows: a.count, columns: 1, elements: a)
        let squared = length.squaredFrobeniusNorm
        if squared > 0 {
            let scale = (Double(kernel.rows) / squared).squareRoot()
            a = a.map { $0 * scale }
        }
        return (a, values[0])
    }

    /// φ(x) = 2/(1 + e^(−x)) − 1 = tanh(x/2): a smooth sign, with φ′(x) = (1 − φ(x)²)/2.
    public static func smoothSign(_ x: Double) -> Double { 2 / (1 + exp(-x)) - 1 }

    /// The surrogate cost −φ(K̄a)ᵀ R φ(K̄a) and its gradient −K̄ᵀ((Rφ) ⊙ (1 − φ⊙φ)) (the factor 2 of the quadratic
    /// form and the ½ of φ′ cancel).
    public static func surrogateCost(_ a: [Double], kernel: Matrix, residue: PairwiseResidue)
        -> (cost: Double, gradient: [Double]) {
        let phi = (kernel * Matrix(rows: a.count, columns: 1, elements: a)).elements.map(smoothSign)
        let rPhi = residue.times(Matrix(rows: phi.count, columns: 1, elements: phi)).elements
        let cost = -zip(phi, rPhi).reduce(0) { $0 + $1.0 * $1.1 }
        let weighted = (0..<phi.count).map { rPhi[$0] * (1 - phi[$0] * phi[$0]) }
        let gradient = Matrix.multiply(kernel, Matrix(rows: weighted.count, columns: 1, elements: weighted),
                                       transposeA: true).elements.map { -$0 }
        return (cost, gradient)
    }

    /// Nesterov's accelerated gradient on the surrogate from `start`, as `OptProjectionFast.m`: the probe
    /// v = aₜ + ((δₜ − 1)/δₜ₊₁)(aₜ − aₜ₋₁), δₜ₊₁ = (1 + √(1 + 4δₜ²))/2; the step z = v − ∇(v)/β with the smallest
    /// β = 2^j·β_previous for which the cost falls by at least ‖∇(v)‖²/2β (a local Lipschitz bound). At most
    /// `iterations` steps; stops when no β up to 2⁵⁰ works or the cost changes by ≤ `stoppingTolerance`·l.
    /// Returns the last a and the cost after each accepted step (element 0: at `start`).
    public static func refine(_ start: [Double], kernel: Matrix, residue: PairwiseResidue, iterations: Int)
        -> (projection: [Double], costs: [Double]) {
        var (previous, current) = (start, start)
        var (delta, nextDelta, beta) = (0.0, 1.0, 1.0)
        var costs = [surrogateCost(start, kernel: kernel, residue: residue).cost]
        for _ in 0..<iterations {
            let momentum = (delta - 1) / nextDelta
            let probe = (0..<current.count).map { current[$0] + momentum * (current[$0] - previous[$0]) }
            let (probeCost, gradient) = surrogateCost(probe, kernel: kernel, residue: residue)
            let gradientSquared = gradient.reduce(0) { $0 + $1 * $1 }
            var accepted: (point: [Double], cost: Double)? = nil
            for j in 0...50 {
                let b = beta * pow(2, Double(j))
                let step = (0..<probe.count).map { probe[$0] - gradient[$0] / b }
                let cost = surrogateCost(step, kernel: kernel, residue: residue).cost
                // The quadratic upper bound at v, evaluated at z = v − ∇/β: f(v) − ‖∇‖²/2β.
                if cost <= probeCost - gradientSquared / (2 * b) {
                    beta = b
                    accepted = (step, cost)
                    break
                }
            }
            guard let accepted else { break }
            (previous, current) = (current, accepted.point)
            costs.append(accepted.cost)
            (delta, nextDelta) = (nextDelta, (1 + (1 + 4 * nextDelta * nextDelta).squareRoot()) / 2)
            if abs(costs[costs.count - 1] - costs[costs.count - 2]) / Double(kernel.rows) <= stoppingTolerance { break }
        }
        return (current, costs)
    }

    /// sgn(K̄a), with sgn(0) = −1 as the codes read (bit 1 where the projection is > 0).
    public static func signs(_ kernel: Matrix, _ a: [Double]) -> [Double] {
        (kernel * Matrix(rows: a.count, columns: 1, elements: a)).elements.map { $0 > 0 ? 1 : -1 }
    }
}

/// The residue R = r·S − Σ_{t<k} b_t b_tᵀ of KSH's greedy fit, kept as its factors rather than as l × l numbers.
/// With Y the l × c one-hot labels, S = 2YYᵀ − 11ᵀ (a pair of one class has yᵢᵀyⱼ = 1, so 2·1 − 1 = +1; of two
/// classes 2·0 − 1 = −1), so R v = r(2Y(Yᵀv) − 1(1ᵀv)) − B(Bᵀv) costs O(l(c + k)) instead of O(l²): every point of
/// the DPSH protocol's 5,000 can be labelled at the cost of a few. `dense` builds R itself, for the tests.
public struct PairwiseResidue: Sendable {
    /// Y, l × c.
    public let classes: Matrix
    /// r, the code length the pairwise labels are scaled to.
    public let scale: Double
    /// B, l × (bits so far): the codes already subtracted.
    public private(set) var codes: Matrix
    /// ‖R‖²_F, kept up to date: ‖r·S‖² = r²l², and ‖R − bbᵀ‖² = ‖R‖² − 2bᵀRb + (bᵀb)², with bᵀb = l.
    public private(set) var squaredNorm: Double

    public init(labels: [Int32], bitCount: Int) {
        let l = labels.count
        let values = Array(Set(labels)).sorted()
        var classes = Matrix(rows: l, columns: values.count)
        for (i, label) in labels.enumerated() { classes[i, values.firstIndex(of: label)!] = 1 }
        self.classes = classes
        self.scale = Double(bitCount)
        self.codes = Matrix(rows: l, columns: 0)
        self.squaredNorm = Double(bitCount * bitCount) * Double(l) * Double(l)
    }

    /// l, the labelled points.
    public var count: Int { classes.rows }

    /// R X for an l × p matrix X (a vector is l × 1).
    public func times(_ x: Matrix) -> Matrix {
        let classTerm = classes * Matrix.multiply(classes, x, transposeA: true)       // Y(YᵀX)
        var sums = [Double](repeating: 0, count: x.columns)                          // 1ᵀX
        for i in 0..<x.rows { for j in 0..<x.columns { sums[j] += x[i, j] } }
        let codeTerm = codes * Matrix.multiply(codes, x, transposeA: true)           // B(BᵀX)
        var product = Matrix(rows: x.rows, columns: x.columns)
        for i in 0..<x.rows { for j in 0..<x.columns {
            product[i, j] = scale * (2 * classTerm[i, j] - sums[j]) - codeTerm[i, j]
        } }
        return product
    }

    /// bᵀRb: how much a bit b lowers ‖R‖² is 2bᵀRb − l².
    public func quadraticForm(_ b: [Double]) -> Double {
        let rb = times(Matrix(rows: b.count, columns: 1, elements: b)).elements
        return zip(b, rb).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// R ← R − bbᵀ: the residue the next bit fits.
    public mutating func remove(_ b: [Double]) {
        squaredNorm += -2 * quadraticForm(b) + Double(count) * Double(count)
        var next = Matrix(rows: count, columns: codes.columns + 1)
        for i in 0..<count {
            for j in 0..<codes.columns { next[i, j] = codes[i, j] }
            next[i, codes.columns] = b[i]
        }
        codes = next
    }

    /// R as l × l numbers.
    public var dense: Matrix {
        var r = Matrix(rows: count, columns: count)
        let products = Matrix.multiply(classes, classes, transposeB: true), overlaps = Matrix.multiply(codes, codes, transposeB: true)
        for i in 0..<count { for j in 0..<count { r[i, j] = scale * (2 * products[i, j] - 1) - overlaps[i, j] } }
        return r
    }
}
