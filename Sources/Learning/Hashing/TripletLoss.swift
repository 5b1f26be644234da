import Foundation

/// Which triplets of a batch the triplet loss trains on.
public enum TripletMining: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// Every valid triplet (a, p, n): a ≠ p with the same label, n with another label.
    case all
    /// "Batch hard" (Hermans, Beyer & Leibe 2017): per anchor, its farthest positive and its nearest negative.
    case hard
    /// FaceNet's semi-hard negatives (Schroff, Kalenichenko & Philbin, CVPR 2015): for every anchor–positive pair,
    /// the nearest negative that is still farther than the positive (d(a,n) > d(a,p)); when no negative is farther,
    /// the farthest negative (as TensorFlow's `triplet_semihard_loss` does).
    case semiHard = "semi-hard"

    public var description: String { rawValue }
}

/// One chosen triplet: indices into the batch.
public struct Triplet: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var anchor: Int
    public var positive: Int
    public var negative: Int
    public init(anchor: Int, positive: Int, negative: Int) {
        self.anchor = anchor
        self.positive = positive
        self.negative = negative
    }
    public var description: String { "(\(anchor), \(positive), \(negative))" }
}

/// A triplet-loss setting that cannot be used.
public struct TripletLossError: Error, CustomStringConvertible, Equatable {
    public var description: String
}

/// The triplet ranking loss on real outputs with squared Euclidean distances d(x, y) = ‖x − y‖²:
///
///     ℓ(a, p, n) = max(0, d(a, p) − d(a, n) + margin)
///
/// averaged over the triplets that `mining` picks from the batch (0 when it picks none). The picks are made from
/// the current outputs and then held fixed, so the gradient is that of the average over the picked triplets:
/// for an active triplet (ℓ > 0), dℓ/da = 2(n − p), dℓ/dp = 2(p − a), dℓ/dn = 2(a − n). Exact except at ties
/// between distances and at ℓ = 0 (where the subgradient 0 is used).
public struct TripletLoss: Loss {
    public let margin: Double
    public let mining: TripletMining

    /// Throws when `margin` is negative or not finite.
    public init(margin: Double, mining: TripletMining = .all) throws {
        guard margin.isFinite, margin >= 0 else {
            throw TripletLossError(description: "triplet margin must be a finite number ≥ 0, not \(margin)")
        }
        self.margin = margin
        self.mining = mining
    }

    public var name: String { "triplet" }

    /// Squared distances between every pair of rows, in Float64.
    static func squaredDistances(_ outputs: Tensor) -> [Double] {
        let count = outputs.batchSize, bits = outputs.itemSize
        var distances = [Double](repeating: 0, count: count * count)
        for i in 0..<count {
            for j in (i + 1)..<max(count, i + 1) {
                var sum: Double = 0
                for c in 0..<bits {
                    let d = Double(outputs.storage[i * bits + c]) - Double(outputs.storage[j * bits + c])
                    sum += d * d
                }
                distances[i * count + j] = sum
                distances[j * count + i] = sum
            }
        }
        return distances
    }

    /// The triplets `mining` picks for this batch (anchors in order; ties broken by the lower index).
    public func triplets(outputs: Tensor, labels: [Int32]) -> [Triplet] {
        let count = outputs.batchSize
        precondition(labels.count == count, "one label per item")
        let distance = TripletLoss.squaredDistances(outputs)
        var picked: [Triplet] = []
        for a in 0..<count {
            let positives = (0..<count).filter { $0 != a && labels[$0] == labels[a] }
            let negatives = (0..<count).filter { labels[$0] != labels[a] }
            guard !positives.isEmpty, !negatives.isEmpty else { continue }
            switch mining {
            case .all:
                for p in positives { for n in negatives { picked.append(Triplet(anchor: a, positive: p, negative: n)) } }
            case .hard:
                var p = positives[0], n = negatives[0]
                for candidate in positives where distance[a * count + candidate] > distance[a * count + p] { p = candidate }
                for candidate in negatives where distance[a * count + candidate] < distance[a * count + n] { n = candidate }
                picked.append(Triplet(anchor: a, positive: p, negative: n))
            case .semiHard:
                for p in positives {
                    let positiveDistance = distance[a * count + p]
                    var nearestFarther: Int? = nil
                    var farthest = negatives[0]
                    for n in negatives {
                        let d = distance[a * count + n]
                        if d > positiveDistance, d < nearestFarther.map({ distance[a * count + $0] }) ?? .infinity {
                            nearestFarther = n
                        }
                        if d > distance[a * count + farthest] { farthest = n }
                    }
                    picked.append(Triplet(anchor: a, positive: p, negative: nearestFarther ?? farthest))
                }
            }
        }
        return picked
    }

    public func evaluate(outputs: Tensor, labels: [Int32], gradient: inout Tensor) -> Double {
        let count = outputs.batchSize, bits = outputs.itemSize
        gradient.reshape(to: outputs.shape)
        gradient.fill(0)
        let picked = triplets(outputs: outputs, labels: labels)
        guard !picked.isEmpty else { return 0 }
        let distance = TripletLoss.squaredDistances(outputs)
        let scale = 1 / Double(picked.count)
        let step = Float(2 * scale)
        var total: Double = 0
        outputs.storage.withUnsafeBufferPointer { x in
            gradient.storage.withUnsafeMutableBufferPointer { g in
                for triplet in picked {
                    let (a, p, n) = (triplet.anchor, triplet.positive, triplet.negative)
                    let violation = distance[a * count + p] - distance[a * count + n] + margin
                    guard violation > 0 else { continue }
                    total += violation
                    for c in 0..<bits {
                        let anchor = x[a * bits + c], positive = x[p * bits + c], negative = x[n * bits + c]
                        g[a * bits + c] += step * (negative - positive)
                        g[p * bits + c] += step * (positive - anchor)
                        g[n * bits + c] += step * (anchor - negative)
                    }
                }
            }
        }
        return total * scale
    }
}
