import Seeding

/// Central Similarity Quantization's hash centres (Yuan, Wang, Zhang, Tay, Jie, Liu & Feng, CVPR
/// 2020): one point c of {−1, +1}ᵏ per class, chosen before training so that any two are far apart in Hamming
/// distance; each image's code is then pulled to its class's centre (`CentralSimilarityLoss`), which replaces the
/// pairs and triplets of the earlier losses by one target per image.
///
/// HADAMARD CENTRES (k a power of two, at most 2k classes). The Sylvester–Hadamard matrix of order k,
///
///     H₁ = [1],   H₂ₙ = [Hₙ  Hₙ; Hₙ  −Hₙ],   so  H[i][j] = (−1)^popcount(i & j)
///
/// (scipy.linalg.hadamard's, which the reference code calls), has ±1 entries and orthogonal rows: Hᵢ·Hⱼ = 0 for
/// i ≠ j. For ±1 vectors a·b = k − 2·d_H(a, b), so any two rows differ in exactly k/2 bits — as far apart as k/2 is
/// the expected distance of two random codes, but exactly, for every pair. The rows of −H are the rows' opposites;
/// the centres are the first `classes` rows of [H; −H]: every two at distance k/2, except a row and its opposite
/// (class c and class c + k, present only beyond k classes), at distance k. Column 0 of H is all ones, so with at most
/// k classes the first bit is +1 in every centre and tells nothing apart (as in the reference code).
///
/// BERNOULLI CENTRES (otherwise: k not a power of two, or more than 2k classes). Every bit of every centre is drawn
/// from Bernoulli(0.5) (the paper's Algorithm 1), so two centres differ in k/2 bits on average. As the reference code
/// (DeepHash-pytorch, CSQ.py) the draw is repeated up to 20 times until the closest two centres are more than k/4
/// apart and the mean distance is at least k/2; here the draw with the largest smallest distance is kept if none
/// passes (the reference keeps the last). The draws come from the model's seed, so a model rebuilt from its
/// hyperparameters (a checkpoint, a safetensors file) has the same centres without storing them.
public enum HashCenters {
    /// Whether `n` is 1, 2, 4, 8, …
    public static func isPowerOfTwo(_ n: Int) -> Bool { n > 0 && n & (n - 1) == 0 }

    /// The Sylvester–Hadamard matrix of order `order` (a power of two), row by row.
    public static func hadamard(order: Int) -> [[Float]] {
        precondition(isPowerOfTwo(order), "a Sylvester–Hadamard matrix has an order that is a power of two")
        return (0..<order).map { i in (0..<order).map { j in (i & j).nonzeroBitCount % 2 == 0 ? 1 : -1 } }
    }

    /// The first `count` rows of [H; −H] for the Hadamard matrix H of order `order` (count ≤ 2·order).
    public static func hadamardRows(count: Int, order: Int) -> [[Float]] {
        precondition(count <= 2 * order, "[H; −H] has \(2 * order) rows, not \(count)")
        let rows = hadamard(order: order)
        return (0..<count).map { $0 < order ? rows[$0] : rows[$0 - order].map { -$0 } }
    }

    /// Whether the centres for `classes` classes at `bits` bits are Hadamard rows (else Bernoulli draws).
    public static func usesHadamard(classes: Int, bits: Int) -> Bool {
        isPowerOfTwo(bits) && classes <= 2 * bits
    }

    /// One centre (a row of ±1) per class, for `classes` classes at `bits` bits; Bernoulli draws come from `seed`.
    public static func make(classes: Int, bits: Int, seed: UInt64) -> [[Float]] {
        precondition(classes >= 1 && bits >= 1, "centres need classes and bits")
        if usesHadamard(classes: classes, bits: bits) { return hadamardRows(count: classes, order: bits) }
        // Mixed with a constant so that the centres do not repeat the weights' first draws.
        var generator = SeededGenerator(seed: seed ^ 0x4353_515F_4345_4E54)
        var best: (centers: [[Float]], closest: Int) = ([], -1)
        for _ in 0..<20 {
            let centers = (0..<classes).map { _ in (0..<bits).map { _ in generator.next() >> 63 == 1 ? Float(1) : -1 } }
            let (closest, mean) = distances(centers)
            if closest > best.closest { best = (centers, closest) }
            if 4 * closest > bits && 2 * mean >= Double(bits) { return centers }
        }
        return best.centers
    }

    /// The smallest and the mean Hamming distance between two different rows.
    static func distances(_ centers: [[Float]]) -> (closest: Int, mean: Double) {
        var closest = Int.max, total = 0, pairs = 0
        for i in centers.indices {
            for j in centers.indices where j > i {
                let distance = zip(centers[i], centers[j]).filter { $0 != $1 }.count
                closest = min(closest, distance)
                total += distance
                pairs += 1
            }
        }
        return pairs == 0 ? (0, 0) : (closest, Double(total) / Double(pairs))
    }
}
