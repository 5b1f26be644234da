/// Principal component analysis of a training `FeatureSet`: its mean μ and the k directions of greatest
/// variance, the top eigenvectors of the covariance Σ = (1/(n−1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ.
///
/// Every learnt shallow method here starts from it (PCAH, ITQ, SH): projecting x − μ onto the top k directions
/// keeps, of all k-dimensional linear maps with orthonormal rows, the most of the data's variance — and
/// decorrelates the k coordinates, since Pᵀ Σ P = diag(λ₁, …, λ_k).
public struct PrincipalComponents: Sendable, Equatable {
    /// μ, the training mean (d values).
    public let mean: [Double]
    /// P, d × k: column j is the unit eigenvector of Σ with the j-th largest eigenvalue.
    public let directions: Matrix
    /// λ₁ ≥ … ≥ λ_k: the variance of the training data along each direction.
    public let variances: [Double]

    /// The top `count` principal components of `training` (count ≤ its dimension), through LAPACK's symmetric
    /// eigensolver on the d × d covariance.
    public init(training: FeatureSet, count: Int) throws {
        guard count >= 1 && count <= training.dimension else {
            throw ShallowHashingError.invalidArgument(
                "PCA to \(count) dimensions needs 1…\(training.dimension) (the features' dimension)")
        }
        let mean = training.mean
        let (values, vectors) = try LinearAlgebra.symmetricEigendecomposition(
            try training.covariance(mean: mean), largest: count)
        // Fix each eigenvector's sign (LAPACK's is arbitrary) so that its largest-magnitude component is positive:
        // the same data then give the same directions whatever LAPACK build runs.
        var directions = vectors
        for j in 0..<count {
            let column = directions.column(j)
            let pivot = column.indices.max { abs(column[$0]) < abs(column[$1]) }!
            if column[pivot] < 0 { for i in 0..<directions.rows { directions[i, j] = -directions[i, j] } }
        }
        self.mean = mean
        self.directions = directions
        self.variances = values.map { max($0, 0) }   // a covariance is positive semi-definite; −1e-17 is rounding
    }

    /// V = (X − 1μᵀ) P: each vector's k coordinates along the principal directions (n × k).
    public func project(_ features: FeatureSet) throws -> Matrix {
        try features.centeredProjections(mean: mean, projection: directions)
    }
}
