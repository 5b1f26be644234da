import Foundation

/// The four histogram measures of OpenCV's `compareHist`, with OpenCV's exact formulas (`histogram.cpp`), on
/// histograms H₁, H₂ of N bins. Two are similarities (higher = more alike), two distances (lower = more alike).
public enum HistogramComparison: String, Sendable, CaseIterable, CustomStringConvertible {
    /// HISTCMP_CORREL, similarity in [−1, 1]: Pearson's correlation of the bin values,
    /// Σ(H₁−H̄₁)(H₂−H̄₂) / √(Σ(H₁−H̄₁)² Σ(H₂−H̄₂)²), computed as OpenCV does from the sums
    /// s₁₂ − s₁s₂/N over √((s₁₁ − s₁²/N)(s₂₂ − s₂²/N)); when that denominator is ≤ DBL_EPSILON in absolute value
    /// (a flat histogram) OpenCV returns 1, and so does this.
    case correlation
    /// HISTCMP_CHISQR, distance ≥ 0: Σ (H₁ − H₂)² / H₁ over the bins where |H₁| > DBL_EPSILON (the others are
    /// skipped). Not symmetric: the first histogram is the reference.
    case chiSquare = "chisquare"
    /// HISTCMP_INTERSECT, similarity: Σ min(H₁, H₂); for normalised histograms in [0, 1], 1 when equal.
    case intersection
    /// HISTCMP_BHATTACHARYYA (the Hellinger distance), in [0, 1]: √(1 − Σ√(H₁H₂) / √(H̄₁H̄₂N²)), where
    /// √(H̄₁H̄₂N²) = √(s₁s₂); OpenCV uses 1 in place of 1/√(s₁s₂) when |s₁s₂| ≤ FLT_EPSILON, and clamps
    /// 1 − … at 0 before the root. 0 for identical histograms, 1 for disjoint ones. Independent of scale.
    case bhattacharyya

    public var description: String { rawValue }

    /// True when larger values mean more similar histograms.
    public var isSimilarity: Bool { self == .correlation || self == .intersection }

    /// The measure of two bin vectors of equal length, accumulated in Double in bin order as OpenCV does.
    public func compare(_ first: [Double], _ second: [Double]) throws -> Double {
        guard first.count == second.count, !first.isEmpty else {
            throw HistogramError("histograms to compare must have the same, non-zero number of bins "
                + "(\(first.count) and \(second.count))")
        }
        switch self {
        case .correlation:
            var s1 = 0.0, s2 = 0.0, s11 = 0.0, s22 = 0.0, s12 = 0.0
            for (a, b) in zip(first, second) {
                s12 += a * b; s1 += a; s11 += a * a; s2 += b; s22 += b * b
            }
            let scale = 1 / Double(first.count)
            let numerator = s12 - s1 * s2 * scale
            let denominator = (s11 - s1 * s1 * scale) * (s22 - s2 * s2 * scale)
            return abs(denominator) > Double.ulpOfOne ? numerator / denominator.squareRoot() : 1
        case .chiSquare:
            var result = 0.0
            for (a, b) in zip(first, second) {
                let difference = a - b
                if abs(a) > Double.ulpOfOne { result += difference * difference / a }
            }
            return result
        case .intersection:
            var result = 0.0
            for (a, b) in zip(first, second) { result += min(a, b) }
            return result
        case .bhattacharyya:
            var result = 0.0, s1 = 0.0, s2 = 0.0
            for (a, b) in zip(first, second) {
                result += (a * b).squareRoot(); s1 += a; s2 += b
            }
            let product = s1 * s2
            let inverseRoot = abs(product) > Double(Float.ulpOfOne) ? 1 / product.squareRoot() : 1
            return max(1 - result * inverseRoot, 0).squareRoot()
        }
    }
}
