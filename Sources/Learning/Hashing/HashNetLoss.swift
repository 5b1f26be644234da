/// The loss of HashNet (Cao, Long, Wang & Yu, "HashNet: Deep Learning to Hash by Continuation", ICCV 2017):
/// the pairwise-label likelihood of DPSH, with two changes, on the outputs h = tanh(β·z) of the continuation layer
/// (`ScaledTanhLayer`, the net's last):
///
///     L = (1/N²) Σᵢ Σⱼ wᵢⱼ·(log(1 + e^Θᵢⱼ) − sᵢⱼ·Θᵢⱼ),    Θᵢⱼ = α·hᵢᵀhⱼ
///
/// over every pair of the batch (i = j included, as the reference's h·hᵀ), sᵢⱼ = 1 when i and j share a label.
///
/// - The ADAPTIVE SIGMOID σ(α·hᵢᵀhⱼ) in place of DPSH's ½: for ±1 codes hᵢᵀhⱼ = k − 2·d_H spans
///   [−k, k], and α sets how sharply the probability σ(Θ) turns with the Hamming distance. The authors' code
///   (thuml/HashNet, train.py) takes α = 10/k, so that Θ spans [−10, 10] whatever k (DeepHash-pytorch takes 0.1).
/// - WEIGHTED MAXIMUM LIKELIHOOD: with c classes only about 1/c of the pairs are similar, and the plain sum is
///   dominated by the dissimilar ones (the imbalance behind DPSH's collapse). Each pair is weighted by the share of
///   its kind in the batch, wᵢⱼ = (1 − b) + b/(2p) for similar pairs and (1 − b) + b/(2(1 − p)) for dissimilar ones,
///   p the share of similar pairs and b the `balance` (1 by default): similar and dissimilar pairs then carry half of
///   the loss each. These are `PairwiseLabelLikelihoodLoss.pairWeights`, DPSH's balance: the same idea. The
///   reference code (DeepHash-pytorch HashNet.py; thuml's `pairwise_loss_updated`) weighs by S/S₁ and S/S₀, which
///   average 2 rather than 1: its loss is twice this one at b = 1 (the same minimiser; under Adam the same steps).
///
/// No quantisation term: the continuation makes h binary instead (tanh(β·z) → sign(z) as β grows).
///
/// The gradient (Θ symmetric, each hᵢ on both sides): dL/dhᵢ = (2α/N²)·Σⱼ wᵢⱼ(σ(Θᵢⱼ) − sᵢⱼ)·hⱼ, computed by
/// `PairwiseLabelLikelihoodLoss.likelihood` with the batch as its own memory, in Float64 and stable for large |Θ|.
public struct HashNetLoss: Loss {
    /// α of the adaptive sigmoid σ(α·hᵢᵀhⱼ).
    public var alpha: Double
    /// b ∈ [0, 1]: 0 weighs every pair alike, 1 gives similar and dissimilar pairs half of the loss each.
    public var pairBalance: Double

    /// `alpha` defaults to 10/bits (the authors' code), `pairBalance` to 1 (the weighted likelihood).
    public init(bits: Int, alpha: Double? = nil, pairBalance: Double = 1) {
        precondition(bits > 0, "bits must be positive")
        precondition(pairBalance >= 0 && pairBalance <= 1, "the pair balance must be in [0, 1]")
        self.alpha = alpha ?? 10 / Double(bits)
        self.pairBalance = pairBalance
    }

    public var name: String { "hashnet" }

    public func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        PairwiseLabelLikelihoodLoss.likelihood(outputs: outputs, labels: labels, reference: outputs,
                                               referenceLabels: labels, referenceIsOutputs: true, eta: 0,
                                               pairBalance: pairBalance, innerProductScale: alpha, gradient: &gradient)
    }
}
