import Foundation

/// The pairwise loss of Deep Supervised Hashing (Liu, Wang, Shan & Chen, CVPR 2016). For every pair i < j of
/// the batch, with y = 0 when the two items share a label (similar) and y = 1 otherwise,
///
///     L(b_i, b_j, y) = ½(1 − y)·‖b_i − b_j‖² + ½y·max(m − ‖b_i − b_j‖², 0) + α(‖|b_i| − 1‖₁ + ‖|b_j| − 1‖₁)
///
/// Similar pairs are pulled together; dissimilar pairs are pushed apart until their squared distance reaches
/// the margin m (default 2k for k bits: half the bits differ for ±1 codes); the regulariser draws every real
/// output towards ±1 so that sign(b) loses little.
///
/// Normalisation follows the authors' Caffe layer (`hashing_loss_layer.cpp`): the pair terms are summed over
/// the N(N−1)/2 pairs and divided by N(N−1); each item's regulariser appears in N−1 pairs, so it contributes
/// α·‖|b_i|−1‖₁/N. Written out:
///
///     loss = Σ_{i<j} [½(1−y)D² + ½y·max(m − D², 0)] / (N(N−1)) + α·Σ_i ‖|b_i| − 1‖₁ / N
///
/// This is exactly the function whose gradient the Caffe layer computes (its reported value omits the ½ on the
/// pair terms; here value and gradient agree, so the gradient checker can verify them).
/// The regulariser's subgradient is the paper's: d|(|b| − 1)|/db = sign(b)·sign(|b| − 1), taken as 0 at the
/// kinks b ∈ {−1, 0, 1} (Caffe picks +1 there; the choice only matters on a set of measure zero).
/// The hinge's gradient is 0 where m − D² ≤ 0. Values are accumulated in Float64.
public struct DeepSupervisedHashingLoss: Loss {
    /// The margin m on the squared distance of dissimilar pairs.
    public var margin: Double
    /// The weight α of the quantisation regulariser.
    public var alpha: Double

    /// `margin` defaults to 2·bits, `alpha` to 0.01 (the paper's settings).
    public init(bits: Int, margin: Double? = nil, alpha: Double = 0.01) {
        self.margin = margin ?? Double(2 * bits)
        self.alpha = alpha
    }

    public var name: String { "dsh" }

    /// The paper's subgradient of |(|b| − 1)|: sign(b)·sign(|b| − 1), 0 at b ∈ {−1, 0, 1}.
    @inline(__always)
    static func regularizerSlope(_ value: Float) -> Float {
        if value == 0 || abs(value) == 1 { return 0 }
        let outward: Float = abs(value) > 1 ? 1 : -1
        return value > 0 ? outward : -outward
    }

    public func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        let count = outputs.batchSize, bits = outputs.itemSize
        precondition(labels.count == count, "one label per item")
        gradient.reshape(to: outputs.shape)
        gradient.fill(0)
        guard count > 0 else { return 0 }
        var pairSum: Double = 0
        let pairScale = count > 1 ? 1 / Double(count * (count - 1)) : 0
        let pairStep = Float(pairScale)
        outputs.storage.withUnsafeBufferPointer { b in
            gradient.storage.withUnsafeMutableBufferPointer { g in
                for i in 0..<count {
                    for j in (i + 1)..<count {
                        var squared: Double = 0
                        for c in 0..<bits {
                            let d = Double(b[i * bits + c]) - Double(b[j * bits + c])
                            squared += d * d
                        }
                        // direction +1 pulls the pair together (similar), −1 pushes it apart (dissimilar, inside
                        // the margin), 0 leaves it (dissimilar, already beyond the margin).
                        let direction: Float
                        if labels[i] == labels[j] {
                            pairSum += 0.5 * squared
                            direction = 1
                        } else if margin - squared > 0 {
                            pairSum += 0.5 * (margin - squared)
                            direction = -1
                        } else {
                            direction = 0
                        }
                        if direction != 0 {
                            let step = direction * pairStep
                            for c in 0..<bits {
                                let d = b[i * bits + c] - b[j * bits + c]
                                g[i * bits + c] += step * d
                                g[j * bits + c] -= step * d
                            }
                        }
                    }
                }
            }
        }
        var regularizer: Double = 0
        let regularizerStep = Float(alpha / Double(count))
        for index in 0..<outputs.count {
            let value = outputs.storage[index]
            regularizer += abs(abs(Double(value)) - 1)
            gradient.storage[index] += regularizerStep * DeepSupervisedHashingLoss.regularizerSlope(value)
        }
        return pairSum * pairScale + alpha * regularizer / Double(count)
    }
}
