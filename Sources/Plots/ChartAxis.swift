import Foundation

/// How data values are placed along an axis.
public enum AxisScale: Sendable, Equatable {
    /// Equal differences at equal distances.
    case linear
    /// Equal ratios at equal distances (0.001, 0.01, 0.1 equally spaced); every value must be positive.
    case logarithmic
    /// One equal slot per value, in this order, labelled with the value: for a parameter that spans decades and
    /// includes 0 (α = 0, 0.001, 0.01, 0.1), which no log axis can place.
    case categorical([Double])

    /// The scale a swept parameter's values call for: logarithmic when they are all positive and the largest is
    /// at least 100 times the smallest, categorical when they span decades that way but include 0 or negative
    /// values (at most 16 distinct values), linear otherwise.
    public static func fitting(_ values: [Double]) -> AxisScale {
        let finite = Array(Set(values.filter(\.isFinite))).sorted()
        let positive = finite.filter { $0 > 0 }
        guard finite.count >= 3, let low = positive.first, let high = positive.last, high / low >= 100 else {
            return .linear
        }
        if positive.count == finite.count { return .logarithmic }
        return finite.count <= 16 ? .categorical(finite) : .linear
    }
}

/// One axis of a plot: its range, scale and tick values.
public struct Axis: Sendable {
    public var low: Double
    public var high: Double
    public var scale: AxisScale
    public var ticks: [Double]

    /// Where `value` lies between the axis' ends: 0 at `low`, 1 at `high`.
    public func fraction(_ value: Double) -> Double {
        switch scale {
        case .linear:
            return (value - low) / (high - low)
        case .logarithmic:
            guard value > 0 else { return -1 }
            return (log10(value) - log10(low)) / (log10(high) - log10(low))
        case .categorical(let values):
            // Slots of equal width, each value in the middle of its own; a value between two interpolates.
            guard !values.isEmpty else { return 0.5 }
            if let index = values.firstIndex(of: value) { return (Double(index) + 0.5) / Double(values.count) }
            guard let upper = values.firstIndex(where: { $0 > value }), upper > 0 else {
                return value < values[0] ? 0 : 1
            }
            let t = (value - values[upper - 1]) / (values[upper] - values[upper - 1])
            return (Double(upper - 1) + 0.5 + t) / Double(values.count)
        }
    }

    /// A linear axis over `values` (or `fixed`), its ends rounded out to whole tick steps unless fixed.
    /// `fromZero` makes it start at 0 (precision, mAP, recall, counts); `wholeNumbers` keeps the step at 1 or more
    /// (epochs, bits), so that no tick falls between two.
    public static func linear(_ values: [Double], fixed: ClosedRange<Double>? = nil, fromZero: Bool = false,
                              wholeNumbers: Bool = false, target: Int = 5) -> Axis {
        if let fixed {
            let ticks = niceTicks(low: fixed.lowerBound, high: fixed.upperBound, target: target, extend: false,
                                  minimumStep: wholeNumbers ? 1 : 0)
            return Axis(low: fixed.lowerBound, high: fixed.upperBound, scale: .linear, ticks: ticks.ticks)
        }
        var (low, high) = dataRange(values)
        if fromZero {
            low = min(0, values.filter(\.isFinite).min() ?? 0)
            high = max(high, low == 0 && high <= 0 ? 1 : high)
        }
        let nice = niceTicks(low: low, high: high, target: target, extend: true, minimumStep: wholeNumbers ? 1 : 0)
        return Axis(low: nice.low, high: nice.high, scale: .linear, ticks: nice.ticks)
    }

    /// A log axis from the decade at or below the smallest positive value to the decade at or above the largest,
    /// with a tick at every decade (every second or third when there are many).
    public static func logarithmic(_ values: [Double]) -> Axis {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        let low = floor(log10(positive.min() ?? 0.1)), high = max(ceil(log10(positive.max() ?? 1)), low + 1)
        let decades = Int(high - low)
        let step = max(1, (decades + 7) / 8)
        let ticks = stride(from: Int(low), through: Int(high), by: step).map { pow(10, Double($0)) }
        return Axis(low: pow(10, low), high: pow(10, high), scale: .logarithmic, ticks: ticks)
    }

    /// A categorical axis with one slot and one tick per value.
    public static func categorical(_ values: [Double]) -> Axis {
        Axis(low: values.first ?? 0, high: values.last ?? 1, scale: .categorical(values), ticks: values)
    }

    /// The axis `scale` asks for over `values` (the linear one as `linear` describes).
    static func make(_ scale: AxisScale, values: [Double], fixed: ClosedRange<Double>?, fromZero: Bool,
                     wholeNumbers: Bool, target: Int) -> Axis {
        switch scale {
        case .linear: return linear(values, fixed: fixed, fromZero: fromZero, wholeNumbers: wholeNumbers, target: target)
        case .logarithmic: return logarithmic(values)
        case .categorical(let categories): return categorical(categories)
        }
    }
}

/// Tick values for an axis: "nice" steps of 1, 2 or 5 × 10ᵏ, about `target` of them, never smaller than
/// `minimumStep` (1 for whole-number data such as epochs).
///
/// The raw step (high − low)/target is rounded up to the next nice number, so tick labels stay short
/// (0, 0.2, 0.4 … rather than 0, 0.1734 …). With `extend`, the range grows to whole steps (auto-fitted axes);
/// otherwise only ticks inside [low, high] are returned (fixed axes).
func niceTicks(low: Double, high: Double, target: Int = 5, extend: Bool,
               minimumStep: Double = 0) -> (ticks: [Double], low: Double, high: Double) {
    guard high > low, low.isFinite, high.isFinite else { return ([low], low, high) }
    let raw = (high - low) / Double(max(target, 1))
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let fraction = raw / magnitude
    let step = max((fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude, minimumStep)
    var first = (low / step - 1e-9).rounded(.up) * step
    var last = (high / step + 1e-9).rounded(.down) * step
    var (newLow, newHigh) = (low, high)
    if extend {
        first = (low / step + 1e-9).rounded(.down) * step
        last = (high / step - 1e-9).rounded(.up) * step
        (newLow, newHigh) = (first, last)
    }
    var ticks = [Double]()
    var index = 0.0
    let tolerance = step * 1e-9
    // Each tick as first + i·step, rounded to the step's decimals, so that 0.1 + 0.2 prints as 0.3.
    let decimals = max(0, -Int(log10(step).rounded(.down)))
    let unit = pow(10, Double(min(decimals, 12)))
    while first + index * step <= last + tolerance && ticks.count < 100 {
        let value = ((first + index * step) * unit).rounded() / unit
        ticks.append(abs(value) < tolerance ? 0 : value)
        index += 1
    }
    return (ticks, newLow, newHigh)
}

/// The range covered by `values`, widened when degenerate; (0, 1) when empty.
func dataRange(_ values: [Double]) -> (low: Double, high: Double) {
    let finite = values.filter { $0.isFinite }
    guard var low = finite.min(), var high = finite.max() else { return (0, 1) }
    if high == low {
        let pad = low == 0 ? 1 : abs(low) * 0.1
        low -= pad
        high += pad
    }
    return (low, high)
}
