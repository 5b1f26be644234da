import Seeding

/// PCA-ITQ, iterative quantization (Gong & Lazebnik, "Iterative Quantization: A Procrustes Approach to Learning
/// Binary Codes", CVPR 2011, §2; the authors' MATLAB `ITQ.m` is the reference for every detail below).
///
/// **Idea.** PCAH takes the signs of the top k principal coordinates V = (X − 1μᵀ) P (n × k). Any rotation R
/// (k × k, RᵀR = I) of those coordinates keeps all their variance and all distances, but changes which signs come
/// out. ITQ picks the rotation whose signs lose the least: it minimises the quantisation loss (§2.2)
///
///     Q(B, R) = ‖B − V R‖²_F   over B ∈ {−1, +1}^(n×k) and orthogonal R,
///
/// i.e. it turns the data's cloud so that its points sit as close as possible to the corners of the hypercube.
/// Alternating two exact minimisations, neither step can raise Q, so Q never increases (`quantizationLosses`):
///
/// - **Fix R, update B.** Expanding, Q = ‖B‖² + ‖VR‖² − 2 tr(Bᵀ V R) = nk + ‖V‖² − 2 Σᵢⱼ Bᵢⱼ (VR)ᵢⱼ, since R is
///   orthogonal. Each Bᵢⱼ appears in one term: B = sgn(V R).
/// - **Fix B, update R** (the orthogonal Procrustes problem). Now only tr(Bᵀ V R) depends on R. Write the k × k
///   matrix Bᵀ V = S Ω Ŝᵀ (its SVD, Ω = diag(ω) ≥ 0). Then tr(Bᵀ V R) = tr(S Ω Ŝᵀ R) = tr(Ω · Ŝᵀ R S) =
///   Σ ωᵢ (Ŝᵀ R S)ᵢᵢ ≤ Σ ωᵢ, because Ŝᵀ R S is orthogonal and its diagonal entries are at most 1. Equality when
///   Ŝᵀ R S = I: **R = Ŝ Sᵀ**. (In `ITQ.m`: `C = UX' * V; [UB,sigma,UA] = svd(C); R = UA * UB'` — UB is S, UA
///   is Ŝ. The transposes matter: S Ŝᵀ instead would be the inverse rotation, and Q would rise.)
///
/// The initial R is a random orthogonal matrix (the left singular vectors of a k × k Gaussian matrix, as
/// `ITQ.m` does), and the paper runs 50 iterations: Q falls fast for about 20 and is nearly flat after 50.
/// A code is then h(x) = sgn(Rᵀ Pᵀ (x − μ)), one product with the d × k matrix W = P R.
public struct IterativeQuantization: ShallowHasher, Equatable {
    public let bitCount: Int
    public var methodName: String { "ITQ" }
    public let featureKind: String
    public var featureDimension: Int { principalComponents.mean.count }
    /// μ and the top k principal directions P (d × k).
    public let principalComponents: PrincipalComponents
    /// R (k × k, orthogonal), the learnt rotation of the principal coordinates.
    public let rotation: Matrix
    /// Q(B, R) = ‖B − V R‖²_F on the training set: element 0 for the initial random R (with B = sgn(V R₀)), then
    /// element t after iteration t's two steps (B_t = sgn(V R_{t−1}), then R_t). Never increasing.
    public let quantizationLosses: [Double]
    public let seed: UInt64
    /// W = P R, d × k: the whole projection applied to x − μ.
    public let projection: Matrix

    /// The paper's iteration count.
    public static let defaultIterations = 50

    public init(training: FeatureSet, bitCount: Int, iterations: Int = defaultIterations, seed: UInt64) throws {
        try checkBitCount(bitCount)
        guard iterations >= 0 else { throw ShallowHashingError.invalidArgument("ITQ needs ≥ 0 iterations, not \(iterations)") }
        let pca = try PrincipalComponents(training: training, count: bitCount)
        let v = try pca.project(training)
        let initial = try Self.randomRotation(size: bitCount, seed: seed)
        let (rotation, losses) = try Self.rotate(v, from: initial, iterations: iterations)
        self.bitCount = bitCount
        self.featureKind = training.kind
        self.principalComponents = pca
        self.rotation = rotation
        self.quantizationLosses = losses
        self.seed = seed
        self.projection = pca.directions * rotation
    }

    /// (x − μ)ᵀ P R for every vector: the rotated principal coordinates whose signs are the bits.
    public func projections(of features: FeatureSet) throws -> Matrix {
        try checkCompatible(features)
        return try features.centeredProjections(mean: principalComponents.mean, projection: projection)
    }

    /// A random k × k orthogonal matrix: U from the SVD G = U Σ Vᵀ of a matrix G of i.i.d. N(0, 1) entries drawn
    /// row by row from `seed` (ITQ.m: `R = randn(bit,bit); [U11 S2 V2] = svd(R); R = U11(:,1:bit)`).
    public static func randomRotation(size: Int, seed: UInt64) throws -> Matrix {
        var generator = SeededGenerator(seed: seed)
        var g = Matrix(rows: size, columns: size)
        for i in 0..<g.elements.count { g.elements[i] = generator.nextGaussian() }
        return try LinearAlgebra.singularValueDecomposition(g).u
    }

    /// B = sgn(Z) with sgn(0) = +1, as ITQ.m's `UX(Z>=0) = 1`.
    public static func signs(_ z: Matrix) -> Matrix {
        Matrix(rows: z.rows, columns: z.columns, elements: z.elements.map { $0 >= 0 ? 1 : -1 })
    }

    /// Q(B, R) = ‖B − V R‖²_F.
    public static func quantizationLoss(codes b: Matrix, projected v: Matrix, rotation r: Matrix) -> Double {
        (b - v * r).squaredFrobeniusNorm
    }

    /// The Procrustes step: the orthogonal R minimising ‖B − V R‖²_F, R = Ŝ Sᵀ for Bᵀ V = S Ω Ŝᵀ.
    public static func procrustesRotation(codes b: Matrix, projected v: Matrix) throws -> Matrix {
        let svd = try LinearAlgebra.singularValueDecomposition(Matrix.multiply(b, v, transposeA: true))
        // svd.u = S, svd.vt = Ŝᵀ; R = Ŝ Sᵀ = (Ŝᵀ)ᵀ (S)ᵀ.
        return Matrix.multiply(svd.vt, svd.u, transposeA: true, transposeB: true)
    }

    /// ITQ's alternation on the n × k principal coordinates `v`, from the orthogonal `initial` R: `iterations`
    /// times B ← sgn(V R), then R ← Procrustes(B, V). Returns the final R and Q after each iteration (see
    /// `quantizationLosses`).
    public static func rotate(_ v: Matrix, from initial: Matrix, iterations: Int) throws
        -> (rotation: Matrix, losses: [Double]) {
        guard initial.rows == v.columns && initial.columns == v.columns else {
            throw ShallowHashingError.invalidArgument("a rotation of \(v.columns) coordinates is \(v.columns)×\(v.columns), not \(initial.rows)×\(initial.columns)")
        }
        var r = initial
        var losses = [quantizationLoss(codes: signs(v * r), projected: v, rotation: r)]
        for _ in 0..<iterations {
            let b = signs(v * r)
            r = try procrustesRotation(codes: b, projected: v)
            losses.append(quantizationLoss(codes: b, projected: v, rotation: r))
        }
        return (r, losses)
    }
}
