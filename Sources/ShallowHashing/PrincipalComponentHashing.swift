/// PCAH: the signs of the top k principal components, h_j(x) = sgn(p_jᵀ (x − μ)) (the "PCA-Direct" baseline of
/// Gong & Lazebnik 2011, §3; Wang, Kumar & Chang 2010 call it PCAH).
///
/// Thresholding at the mean splits every direction near its median, so each bit is roughly balanced, and the
/// directions are uncorrelated. But the j-th direction carries variance λ_j, which falls quickly with j: the
/// first bits carry most of the information and the later ones mostly noise, yet every bit weighs one unit in
/// the Hamming distance. That is why PCAH *loses* mAP as k grows past a few dozen bits, and what ITQ's rotation
/// repairs by spreading the variance evenly over the bits.
public struct PrincipalComponentHashing: ShallowHasher, Equatable {
    public let bitCount: Int
    public var methodName: String { "PCAH" }
    public let featureKind: String
    public var featureDimension: Int { principalComponents.mean.count }
    /// μ and the top k directions P (d × k) with their variances.
    public let principalComponents: PrincipalComponents

    public init(training: FeatureSet, bitCount: Int) throws {
        try checkBitCount(bitCount)
        self.bitCount = bitCount
        self.featureKind = training.kind
        self.principalComponents = try PrincipalComponents(training: training, count: bitCount)
    }

    /// p_jᵀ (x − μ) for every vector and bit.
    public func projections(of features: FeatureSet) throws -> Matrix {
        try checkCompatible(features)
        return try principalComponents.project(features)
    }
}
