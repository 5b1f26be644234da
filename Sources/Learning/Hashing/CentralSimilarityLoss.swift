import Foundation

/// The loss of Central Similarity Quantization (Yuan et al., "Central Similarity Quantization for Efficient Image and
/// Video Retrieval", CVPR 2020). Each class has a hash centre c ∈ {−1, +1}ᵏ (`HashCenters`), and each image's
/// real outputs u = tanh(z) ∈ (−1, 1)ᵏ (the net's last layer is a tanh) are pulled to its class's centre, bit by bit,
/// by the binary cross-entropy between p = (u + 1)/2 and the centre's bits t = (c + 1)/2 ∈ {0, 1}:
///
///     L = (1/(N·k)) Σₙ Σⱼ BCE(pₙⱼ, tₙⱼ)  +  λ·(1/(N·k)) Σₙ Σⱼ (|uₙⱼ| − 1)²
///     BCE(p, t) = −t·log p − (1 − t)·log(1 − p)
///
/// as the reference code writes it (DeepHash-pytorch, CSQ.py: `BCELoss` on 0.5·(u + 1), plus λ times the mean of
/// (|u| − 1)², λ = 1e-4; the authors' own code weighs the quantisation term by 0.05). The centres are far apart
/// (k/2 bits for Hadamard centres), so pulling every image to its centre separates the classes without comparing
/// images with one another: the cost per batch is N·k, not the N² pairs of DSH, DPSH and HashNet, and there is no
/// imbalance of similar and dissimilar pairs to correct.
///
/// Gradient, with dp/du = ½:
///
///     dBCE/du = ½·(p − t) / (p(1 − p)),     d(|u| − 1)²/du = 2(|u| − 1)·sign(u)
///
/// (through the tanh this becomes the well-behaved 2(p − t)·dz: the tanh's 1 − u² = 4p(1 − p) cancels the
/// denominator). As PyTorch's BCELoss, log p and log(1 − p) are clamped at −100 and the denominator at 1e-12, so an
/// output saturated to exactly ±1 in Float32 costs at most 100 instead of ∞. The quantisation term has a kink at
/// u = 0, where sign(0) = 0 takes the middle of its slopes ±2. Values accumulate in Float64.
public struct CentralSimilarityLoss: Loss {
    /// One centre per class (rows of ±1, `bits` long).
    public let centers: [[Float]]
    /// The weight λ of the quantisation term.
    public var lambda: Double

    public init(centers: [[Float]], lambda: Double = 1e-4) {
        precondition(!centers.isEmpty, "one centre per class")
        self.centers = centers
        self.lambda = lambda
    }

    public var name: String { "csq" }

    public func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        let count = outputs.batchSize, bits = outputs.itemSize
        precondition(labels.count == count, "one label per item")
        precondition(centers[0].count == bits, "the centres have \(centers[0].count) bits, the outputs \(bits)")
        gradient.reshape(to: outputs.shape)
        guard count > 0 else { return 0 }
        let scale = 1 / Double(count * bits)
        var crossEntropy: Double = 0, quantization: Double = 0
        for n in 0..<count {
            let label = Int(labels[n])
            precondition(label >= 0 && label < centers.count, "label \(label) outside the \(centers.count) centres")
            for j in 0..<bits {
                let u = Double(outputs.storage[n * bits + j])
                let p = (u + 1) / 2, t = centers[label][j] > 0 ? 1.0 : 0.0
                crossEntropy -= t * max(log(p), -100) + (1 - t) * max(log(1 - p), -100)
                let gap = abs(u) - 1
                quantization += gap * gap
                let direction: Double = u > 0 ? 1 : (u < 0 ? -1 : 0)
                let slope = 0.5 * (p - t) / max(p * (1 - p), 1e-12) + lambda * 2 * gap * direction
                gradient.storage[n * bits + j] = Float(slope * scale)
            }
        }
        return (crossEntropy + lambda * quantization) * scale
    }
}
