import Foundation

/// The statistics `hist` prints about a model's real outputs `values` (`count` rows of `bits`), binarised at
/// `threshold`: bit balance and the mean absolute correlation between bits.
public struct CodeOutputStatistics: Sendable {
    /// Per bit, the share of images whose output is above the threshold (a 1-bit). 0.5 is a balanced bit.
    public var balance: [Double]
    /// Mean over pairs of distinct bits of |Pearson correlation| of their ±1 values (0 when there is one bit or
    /// a bit is constant, whose correlation is undefined and counted as 0).
    public var meanAbsoluteCorrelation: Double
    /// Mean distance of an output to its nearer target value (±1, or 0/1 for a sigmoid).
    public var meanQuantizationGap: Double
    /// The mean of `balance`.
    public var meanBalance: Double { balance.reduce(0, +) / Double(max(balance.count, 1)) }

    public init(values: [Float], count: Int, bits: Int, threshold: Float, targets: (Double, Double)) {
        var signs = [Double](repeating: 0, count: count * bits)
        var ones = [Double](repeating: 0, count: bits)
        var gap = 0.0
        for row in 0..<count {
            for bit in 0..<bits {
                let value = values[row * bits + bit]
                let on = value > threshold
                signs[row * bits + bit] = on ? 1 : -1
                if on { ones[bit] += 1 }
                gap += min(abs(Double(value) - targets.0), abs(Double(value) - targets.1))
            }
        }
        balance = ones.map { $0 / Double(max(count, 1)) }
        meanQuantizationGap = gap / Double(max(count * bits, 1))
        let means = balance.map { 2 * $0 - 1 }
        let deviations = means.map { max(0, 1 - $0 * $0).squareRoot() }
        var sum = 0.0, pairs = 0
        for a in 0..<bits {
            for b in (a + 1)..<bits {
                pairs += 1
                guard deviations[a] > 1e-12, deviations[b] > 1e-12 else { continue }
                var product = 0.0
                for row in 0..<count { product += signs[row * bits + a] * signs[row * bits + b] }
                let covariance = product / Double(count) - means[a] * means[b]
                sum += abs(covariance / (deviations[a] * deviations[b]))
            }
        }
        meanAbsoluteCorrelation = pairs == 0 ? 0 : sum / Double(pairs)
    }
}

