import Foundation

/// SH, spectral hashing (Weiss, Torralba & Fergus, "Spectral Hashing", NIPS 2008; the authors' MATLAB
/// `trainSH.m` and `compressSH.m` are the reference for the details below).
///
/// **Idea.** Good codes give neighbours nearby codes: minimise Σᵢⱼ Wᵢⱼ ‖yᵢ − yⱼ‖² with Wᵢⱼ = exp(−‖xᵢ − xⱼ‖²/ε²),
/// over codes y ∈ {−1, 1}^k that are balanced (Σᵢ yᵢ = 0) and uncorrelated (Σᵢ yᵢyᵢᵀ = n I). That problem is
/// NP-hard; without the binary constraint its solutions are the eigenvectors of the graph Laplacian with the
/// smallest non-zero eigenvalues — which exist only for the training points. The paper's way out is to let n grow:
/// the eigenvectors become *eigenfunctions* of a weighted Laplace–Beltrami operator on the data's density, and
/// those can be written down when the density is simple.
///
/// **The analytical eigenfunctions.** For a uniform density on an interval [a, b], the eigenfunctions are
///
///     Φ_m(x) = sin(π/2 + m π/(b − a) · (x − a)),   λ_m = 1 − exp(−(ε²/2) · (m π/(b − a))²),   m = 1, 2, …
///
/// and for a separable density (uniform on a box after PCA has decorrelated the coordinates) the eigenfunctions
/// of one coordinate are eigenfunctions of the whole. λ grows with the frequency ω = mπ/(b − a): long directions
/// (large b − a) have slow, cheap eigenfunctions, so a wide direction may give several bits (m = 1, 2, 3: splits
/// in two, then a middle band, …) before a narrow direction gives its first.
///
/// **The algorithm** (trainSH.m): (1) PCA to min(k, d) directions; (2) the box: aⱼ = min, bⱼ = max of each
/// coordinate over the training set; (3) enumerate the one-dimensional eigenfunctions (direction j, mode m) and
/// keep the k with the smallest eigenvalues — since λ is increasing in ω, the k smallest ω² (the constant m = 0 is
/// excluded; ε only rescales λ and never changes the order, so it is not a parameter); (4) bit = [Φ(x) > 0].
/// trainSH.m limits the candidates of direction j to m < ⌈(k + 1)(bⱼ − aⱼ)/max(b − a)⌉, which always leaves at
/// least k of them and never drops one of the k smallest; the same limit is used here.
public struct SpectralHashing: ShallowHasher, Equatable {
    /// One chosen eigenfunction Φ(x) = sin(π/2 + ω (v_direction − a_direction)) of one principal coordinate.
    public struct Eigenfunction: Sendable, Equatable {
        /// Which principal coordinate (0 = largest variance).
        public var direction: Int
        /// m ≥ 1: how many half-periods fit across the box.
        public var mode: Int
        /// ω = m π/(b − a).
        public var frequency: Double
        /// The eigenvalue's order key ω²: λ = 1 − exp(−ε²ω²/2) is increasing in it, for any ε.
        public var squaredFrequency: Double { frequency * frequency }
    }

    public let bitCount: Int
    public var methodName: String { "SH" }
    public let featureKind: String
    public var featureDimension: Int { principalComponents.mean.count }
    /// μ and the top min(k, d) principal directions.
    public let principalComponents: PrincipalComponents
    /// a and b: the box, the least and greatest training value of each principal coordinate (widened by ε = 2⁻⁵²
    /// each way as trainSH.m does, so that no box is empty).
    public let lower: [Double]
    public let upper: [Double]
    /// The k eigenfunctions, one per bit, in increasing order of eigenvalue.
    public let eigenfunctions: [Eigenfunction]

    public init(training: FeatureSet, bitCount: Int) throws {
        try checkBitCount(bitCount)
        guard training.count >= 2 else { throw ShallowHashingError.invalidArgument("SH needs at least 2 training vectors") }
        let pca = try PrincipalComponents(training: training, count: min(bitCount, training.dimension))
        let v = try pca.project(training)
        var lower = [Double](repeating: .infinity, count: v.columns), upper = lower.map { -$0 }
        for i in 0..<v.rows {
            for j in 0..<v.columns { lower[j] = min(lower[j], v[i, j]); upper[j] = max(upper[j], v[i, j]) }
        }
        lower = lower.map { $0 - .ulpOfOne }
        upper = upper.map { $0 + .ulpOfOne }
        self.bitCount = bitCount
        self.featureKind = training.kind
        self.principalComponents = pca
        self.lower = lower
        self.upper = upper
        self.eigenfunctions = Self.smallestEigenfunctions(widths: zip(upper, lower).map { $0 - $1 }, count: bitCount)
        guard eigenfunctions.count == bitCount else {
            throw ShallowHashingError.invalidArgument("SH found no spread in the training features to hash")
        }
    }

    /// The `count` one-dimensional eigenfunctions of a box with side lengths `widths` that have the smallest
    /// eigenvalues, in increasing order: candidates (j, m) with ω = mπ/widthⱼ, m = 1 … ⌈(count + 1) widthⱼ /
    /// max width⌉ − 1, sorted by ω², ties in enumeration order (direction, then mode), as trainSH.m's stable sort.
    public static func smallestEigenfunctions(widths: [Double], count: Int) -> [Eigenfunction] {
        let widest = widths.max() ?? 0
        guard widest > 0 else { return [] }
        var candidates: [Eigenfunction] = []
        for (j, width) in widths.enumerated() where width > 0 {
            let modes = Int(ceil(Double(count + 1) * width / widest))
            for m in stride(from: 1, to: modes, by: 1) {
                candidates.append(Eigenfunction(direction: j, mode: m, frequency: Double(m) * .pi / width))
            }
        }
        let order = candidates.indices.sorted {
            (candidates[$0].squaredFrequency, $0) < (candidates[$1].squaredFrequency, $1)
        }
        return order.prefix(count).map { candidates[$0] }
    }

    /// Φ(x) = sin(π/2 + ω (v − a)) of each chosen eigenfunction, for every vector (v its principal coordinate).
    public func projections(of features: FeatureSet) throws -> Matrix {
        try checkCompatible(features)
        let v = try principalComponents.project(features)
        var out = Matrix(rows: v.rows, columns: bitCount)
        for i in 0..<v.rows {
            for (bit, f) in eigenfunctions.enumerated() {
                out[i, bit] = sin(.pi / 2 + f.frequency * (v[i, f.direction] - lower[f.direction]))
            }
        }
        return out
    }
}
