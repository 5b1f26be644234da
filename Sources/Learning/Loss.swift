import Foundation

/// The contract of a training objective: from a batch of network outputs (N × …) and one label per item, the
/// mean loss over the batch and its gradient with respect to every output. The hashing losses (DSH, DPSH,
/// triplet) and softmax cross-entropy all conform; `GradientChecker.check(loss:…)` verifies any of them.
public protocol Loss: Sendable {
    var name: String { get }
    /// Returns the loss value and OVERWRITES `gradient` (reshaped to `outputs.shape`) with dLoss/dOutputs.
    func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double
    /// The same, told which training items (indices into the training set) the batch holds — for losses that
    /// keep per-item state across batches (DPSH's codes of the whole set). The trainer calls this one; by
    /// default it ignores `items`.
    func evaluate(outputs: Tensor, labels: [Int32], items: ArraySlice<Int>, gradient: inout Tensor) -> Double
}

extension Loss {
    public func evaluate(outputs: Tensor, labels: [Int32], items: ArraySlice<Int>, gradient: inout Tensor) -> Double {
        evaluate(outputs: outputs, labels: labels, gradient: &gradient)
    }
}

/// Softmax cross-entropy for classification: with logits z of one item and its class t,
/// `loss = −log softmax(z)_t = logΣ_j e^{z_j} − z_t`, averaged over the batch; the gradient is
/// `(softmax(z) − onehot(t)) / N`. Computed with the max subtracted first, so large logits do not overflow.
public struct SoftmaxCrossEntropy: Loss {
    public init() {}
    public var name: String { "softmax" }

    public func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        let batch = outputs.batchSize, classes = outputs.itemSize
        precondition(labels.count == batch, "one label per item")
        gradient.reshape(to: outputs.shape)
        var total: Double = 0
        for n in 0..<batch {
            let offset = n * classes
            let label = Int(labels[n])
            precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
            var largest = -Float.infinity
            for j in 0..<classes { largest = max(largest, outputs.storage[offset + j]) }
            var sum: Double = 0
            for j in 0..<classes { sum += exp(Double(outputs.storage[offset + j] - largest)) }
            total += log(sum) - Double(outputs.storage[offset + label] - largest)
            for j in 0..<classes {
                let probability = exp(Double(outputs.storage[offset + j] - largest)) / sum
                gradient.storage[offset + j] = Float((probability - (j == label ? 1 : 0)) / Double(batch))
            }
        }
        return total / Double(max(batch, 1))
    }

    /// The predicted class of every item (arg max of its logits).
    public static func predictions(_ outputs: Tensor) -> [Int32] {
        let classes = outputs.itemSize
        return (0..<outputs.batchSize).map { n in
            var best = 0
            for j in 1..<max(classes, 1) where outputs.storage[n * classes + j] > outputs.storage[n * classes + best] {
                best = j
            }
            return Int32(best)
        }
    }
}
