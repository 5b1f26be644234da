import Foundation

/// The loss of Deep Pairwise-Supervised Hashing (Li, Wang & Kang, IJCAI 2016): the negative log-likelihood of the
/// pairwise labels s_ij (1 when items i and j share a label, 0 otherwise) under p(s_ij = 1) = σ(Θ_ij), with
/// Θ_ij = ½u_iᵀu_j, plus a quantisation term pulling each real output u_i towards its code b_i = sign(u_i):
///
///     L = Σ_{i, j} (log(1 + e^{Θ_ij}) − s_ij·Θ_ij) + η·Σ_i ‖b_i − u_i‖²
///
/// As in the authors' PyTorch code (jiangqy/DPSH-pytorch), i runs over the batch and j over a MEMORY U of the
/// latest output of every training item: before the loss is computed, the batch's own rows of U are overwritten
/// with the batch's outputs (taken as constants), so Θ = ½·u·Uᵀ. Gradients flow only through the batch's u;
/// b = sign(u) is a constant too. The sum is divided by (training items × batch items), as the reference does:
///
///     dL/du_i = [½·Σ_j (σ(Θ_ij) − s_ij)·U_j + 2η(u_i − b_i)] / (M·n)
///
/// Rows of U not yet visited are 0 (Θ = 0: they add log 2 and no gradient), as in the reference. (So the first
/// epoch's loss is lowered by those log 2 terms, and the epoch loss can RISE as the memory fills: not a sign of
/// divergence.)
///
/// BALANCED PAIRS (`pairBalance` β ∈ [0, 1], 0 by default = the paper). With c equally frequent classes only a share
/// p ≈ 1/c of the pairs is similar (0.1 on CIFAR-10). The cheapest way to lower the loss of the 90 % dissimilar
/// pairs, before any feature separates the classes, is to shrink every Θ towards 0 (outputs, or a code-layer batch
/// norm's scale, towards 0): the loss then tends to log 2 ≈ 0.693 and sits at a saddle, since the gradient
/// ½Σ_j (σ(Θ_ij) − s_ij)·U_j vanishes with U. Measured on the synthetic set with small-conv from scratch: mAP stays
/// at chance. A pretrained net (the paper's setting) starts with class structure and escapes it. Balancing weighs
/// each pair's term by w = (1 − β) + β/(2p) when similar and (1 − β) + β/(2(1 − p)) when dissimilar, p being the
/// share of similar pairs among this evaluation's batch × memory pairs. β = 1 is the weighted likelihood of
/// HashNet (Cao et al., ICCV 2017) normalised so that the weights average 1: similar and dissimilar pairs carry
/// half the loss each; β = 0 is the paper's unweighted sum; between, the weights interpolate:
///
///     L = Σ_{i, j} w_ij·(log(1 + e^{Θ_ij}) − s_ij·Θ_ij) + η·Σ_i ‖b_i − u_i‖²,  dL/dΘ_ij = w_ij·(σ(Θ_ij) − s_ij)
///
/// The weights depend on labels only, so the gradient stays exact. When all pairs are alike (p = 0 or 1) w = 1.
/// log(1 + e^x) is computed as max(x, 0) + log1p(e^{−|x|}) and σ(x) from e^{−|x|}, so |Θ| in the thousands neither
/// overflows nor loses the small term; both are evaluated in Float64.
///
/// Without item indices (`evaluate(outputs:labels:gradient:)`, e.g. for a trainer that does not pass them) the
/// batch is its own memory: U = u, both sides of Θ depend on the outputs and the gradient includes both,
/// dL/du_i = [½·Σ_j (σ(Θ_ij) − s_ij)·u_j·2 + 2η(u_i − b_i)] / (n·n) (Θ is symmetric) — a self-contained in-batch
/// variant of the same likelihood, which the gradient checker verifies directly.
///
/// A reference type: the memory changes with every training batch. Use one instance from one thread at a time.
public final class PairwiseLabelLikelihoodLoss: Loss, @unchecked Sendable {
    /// The weight η of the quantisation term.
    public let eta: Double
    public let bits: Int
    /// β: 0 = the paper's unweighted pairs, 1 = similar and dissimilar pairs carry half of the likelihood each
    /// (see the type's documentation).
    public let pairBalance: Double
    /// The label of every training item (row j of the memory).
    public let memoryLabels: [Int32]
    /// The latest real output of every training item, M × bits (zeros until the item is first seen).
    public private(set) var memory: Tensor

    /// A loss for a training set whose labels are `trainingLabels` (item j of the set is row j of the memory).
    public init(bits: Int, eta: Double = 10, trainingLabels: [Int32], pairBalance: Double = 0) {
        precondition(bits > 0, "bits must be positive")
        precondition(pairBalance >= 0 && pairBalance <= 1, "the pair balance must be in [0, 1]")
        self.bits = bits
        self.eta = eta
        self.pairBalance = pairBalance
        memoryLabels = trainingLabels
        memory = Tensor(shape: [trainingLabels.count, bits])
    }

    public var name: String { "dpsh" }

    /// Replaces the memory (e.g. from a checkpoint); its shape must be training items × bits.
    public func restoreMemory(_ saved: Tensor) throws {
        guard saved.shape == memory.shape else {
            throw CheckpointError.mismatch("DPSH memory is \(saved.shape), expected \(memory.shape)")
        }
        memory = saved
    }

    /// Writes the batch's outputs into the memory rows of its items.
    public func remember(outputs: Tensor, items: ArraySlice<Int>) {
        precondition(outputs.itemSize == bits && outputs.batchSize == items.count, "one output row of \(bits) per item")
        for (slot, item) in items.enumerated() {
            precondition(item >= 0 && item < memoryLabels.count, "item \(item) outside the training set")
            for c in 0..<bits { memory.storage[item * bits + c] = outputs.storage[slot * bits + c] }
        }
    }

    /// The training step's loss: updates the memory with the batch, then evaluates against it.
    public func evaluate(outputs: Tensor, labels: [Int32], items: ArraySlice<Int>, gradient: inout Tensor) -> Double {
        remember(outputs: outputs, items: items)
        return evaluateAgainstMemory(outputs: outputs, labels: labels, gradient: &gradient)
    }

    /// The loss against the current memory, which is left unchanged (the function the training gradient is the
    /// gradient of, with U held constant).
    public func evaluateAgainstMemory(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        PairwiseLabelLikelihoodLoss.likelihood(outputs: outputs, labels: labels, reference: memory,
                                               referenceLabels: memoryLabels, referenceIsOutputs: false, eta: eta,
                                               pairBalance: pairBalance, gradient: &gradient)
    }

    /// The in-batch variant (the batch is its own memory; see the type's documentation).
    public func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        PairwiseLabelLikelihoodLoss.likelihood(outputs: outputs, labels: labels, reference: outputs,
                                               referenceLabels: labels, referenceIsOutputs: true, eta: eta,
                                               pairBalance: pairBalance, gradient: &gradient)
    }

    /// log(1 + e^x) without overflow or cancellation.
    @inline(__always)
    public static func softplus(_ x: Double) -> Double { max(x, 0) + log1p(exp(-abs(x))) }

    /// The logistic function 1/(1 + e^{−x}), stable for large |x|.
    @inline(__always)
    public static func logistic(_ x: Double) -> Double {
        let e = exp(-abs(x))
        return x >= 0 ? 1 / (1 + e) : e / (1 + e)
    }

    /// The pair weights (similar, dissimilar) for `labels` against `referenceLabels`:
    /// ((1 − β) + β/(2p), (1 − β) + β/(2(1 − p))) with p the share of similar pairs; (1, 1) when β = 0 or when
    /// every pair is alike.
    public static func pairWeights(labels: [Int32], referenceLabels: [Int32], balance: Double) -> (similar: Double, dissimilar: Double) {
        guard balance > 0, !labels.isEmpty, !referenceLabels.isEmpty else { return (1, 1) }
        var counts: [Int32: Int] = [:]
        for label in referenceLabels { counts[label, default: 0] += 1 }
        let similar = labels.reduce(0) { $0 + (counts[$1] ?? 0) }
        let pairs = labels.count * referenceLabels.count
        guard similar > 0, similar < pairs else { return (1, 1) }
        let share = Double(similar) / Double(pairs)
        return ((1 - balance) + balance * 0.5 / share, (1 - balance) + balance * 0.5 / (1 - share))
    }

    static func likelihood(outputs: Tensor, labels: [Int32], reference: Tensor, referenceLabels: [Int32],
                           referenceIsOutputs: Bool, eta: Double, pairBalance: Double,
                           innerProductScale: Double = 0.5, gradient: inout Tensor) -> Double {
        let count = outputs.batchSize, bits = outputs.itemSize, references = reference.batchSize
        precondition(labels.count == count, "one label per item")
        precondition(reference.itemSize == bits || references == 0, "memory rows have \(reference.itemSize) values, outputs \(bits)")
        gradient.reshape(to: outputs.shape)
        gradient.fill(0)
        guard count > 0, references > 0 else { return 0 }
        // Θ = ½·u·Rᵀ (count × references); HashNet's Θ = α·u·Rᵀ (`innerProductScale`).
        var theta = [Float](repeating: 0, count: count * references)
        outputs.storage.withUnsafeBufferPointer { u in
            reference.storage.withUnsafeBufferPointer { r in
                theta.withUnsafeMutableBufferPointer { t in
                    Kernels.multiply(transposeB: true, m: count, n: references, k: bits, alpha: Float(innerProductScale),
                                     a: u.baseAddress!, lda: bits, b: r.baseAddress!, ldb: bits,
                                     c: t.baseAddress!, ldc: references)
                }
            }
        }
        // Value, and the weights A_ij = w_ij·(σ(Θ_ij) − s_ij) in place of Θ: one e^{−|x|} serves both, in Float64; rows
        // are split over the cores (fixed slices, partial sums added in slice order: deterministic).
        let weights = pairWeights(labels: labels, referenceLabels: referenceLabels, balance: pairBalance)
        let slices = Kernels.slices(count)
        var partial = [Double](repeating: 0, count: slices.count)
        theta.withUnsafeMutableBufferPointer { t in
            partial.withUnsafeMutableBufferPointer { sums in
                labels.withUnsafeBufferPointer { rowLabels in
                    referenceLabels.withUnsafeBufferPointer { columnLabels in
                        let t = SharedPointer(t.baseAddress!)
                        let sums = SharedDoublePointer(sums.baseAddress!)
                        let rowLabels = SharedLabelPointer(rowLabels.baseAddress!)
                        let columnLabels = SharedLabelPointer(columnLabels.baseAddress!)
                        Kernels.parallelRanges(count) { worker, rows in
                            var sum: Double = 0
                            for i in rows {
                                let label = rowLabels.base[i], row = t.base + i * references
                                for j in 0..<references {
                                    let x = Double(row[j])
                                    let e = exp(-abs(x))
                                    let similar = columnLabels.base[j] == label
                                    let weight = similar ? weights.similar : weights.dissimilar
                                    sum += weight * (max(x, 0) + log1p(e) - (similar ? x : 0))
                                    let sigma = x >= 0 ? 1 / (1 + e) : e / (1 + e)
                                    row[j] = Float(weight * (sigma - (similar ? 1 : 0)))
                                }
                            }
                            sums.base[worker] = sum
                        }
                    }
                }
            }
        }
        let value = partial.reduce(0, +)
        let scale = 1 / Double(count * references)
        // dL/du = ½·A·R (and, when R is u itself, + ½·Aᵀ·u), scaled; α for ½ in HashNet's.
        theta.withUnsafeBufferPointer { a in
            reference.storage.withUnsafeBufferPointer { r in
                gradient.storage.withUnsafeMutableBufferPointer { g in
                    Kernels.multiply(m: count, n: bits, k: references, alpha: Float(innerProductScale * scale),
                                     a: a.baseAddress!, lda: references, b: r.baseAddress!, ldb: bits,
                                     c: g.baseAddress!, ldc: bits)
                    if referenceIsOutputs {
                        Kernels.multiply(transposeA: true, m: count, n: bits, k: count,
                                         alpha: Float(innerProductScale * scale),
                                         a: a.baseAddress!, lda: references, b: r.baseAddress!, ldb: bits,
                                         beta: 1, c: g.baseAddress!, ldc: bits)
                    }
                }
            }
        }
        var quantization: Double = 0
        let quantizationStep = 2 * eta * scale
        for index in 0..<outputs.count {
            let u = Double(outputs.storage[index])
            let b: Double = u > 0 ? 1 : (u < 0 ? -1 : 0)
            quantization += (b - u) * (b - u)
            gradient.storage[index] += Float(quantizationStep * (u - b))
        }
        return (value + eta * quantization) * scale
    }
}

/// Raw pointers handed to `Kernels.parallelRanges` workers, each of which writes only its own rows / slot.
struct SharedDoublePointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Double>
    init(_ base: UnsafeMutablePointer<Double>) { self.base = base }
}

struct SharedLabelPointer: @unchecked Sendable {
    let base: UnsafePointer<Int32>
    init(_ base: UnsafePointer<Int32>) { self.base = base }
}
