import Seeding

/// LSH with Gaussian random projections, the data-independent baseline of every learning-to-hash table
/// (Charikar, "Similarity estimation techniques from rounding algorithms", STOC 2002, §3 — the random-hyperplane
/// hash; Gong & Lazebnik 2011 and the DPSH paper list it as "LSH").
///
/// Each bit is the side of a random hyperplane through the data's mean: h_j(x) = sgn(w_jᵀ (x − μ)), with every
/// entry of w_j drawn from N(0, 1). The direction of w_j is then uniform on the sphere, so two vectors at angle θ
/// get different bits with probability exactly θ/π, and the Hamming distance of k-bit codes estimates the angle:
/// E[d_H] = k θ/π. Nothing is learnt but μ; the price is that k must be large before the estimate is sharp —
/// which is the gap the learnt methods close at 12–64 bits.
public struct LocalitySensitiveHashing: ShallowHasher, Equatable {
    public let bitCount: Int
    public var methodName: String { "LSH" }
    public let featureKind: String
    public var featureDimension: Int { mean.count }
    /// μ, the training mean the hyperplanes pass through.
    public let mean: [Double]
    /// W, d × k: column j is w_j, i.i.d. N(0, 1) entries drawn row by row from `seed`.
    public let projection: Matrix
    public let seed: UInt64

    public init(training: FeatureSet, bitCount: Int, seed: UInt64) throws {
        try checkBitCount(bitCount)
        guard training.count >= 1 else { throw ShallowHashingError.invalidArgument("LSH needs training features for their mean") }
        var generator = SeededGenerator(seed: seed)
        var w = Matrix(rows: training.dimension, columns: bitCount)
        for i in 0..<w.elements.count { w.elements[i] = generator.nextGaussian() }
        self.bitCount = bitCount
        self.featureKind = training.kind
        self.mean = training.mean
        self.projection = w
        self.seed = seed
    }

    /// wⱼᵀ (x − μ) for every vector and bit.
    public func projections(of features: FeatureSet) throws -> Matrix {
        try checkCompatible(features)
        return try features.centeredProjections(mean: mean, projection: projection)
    }
}
