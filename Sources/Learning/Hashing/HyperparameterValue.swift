import Foundation

// The Swift types hyperparameters have (numbers, switches, choices, DSH's m = auto), and how each reads the text of
// `set`, is shown, and is kept in checkpoints.

/// A type a hyperparameter can have: read from the text `set` takes, shown as that text, kept in checkpoints.
public protocol HyperparameterValue: Codable, Equatable, Sendable {
    /// Reads `text` (`set NAME TEXT`); a one-line error naming `name` when it is not such a value.
    static func parseHyperparameter(_ text: String, name: String) throws -> Self
    /// The value as `set` takes it.
    var hyperparameterText: String { get }
    /// What values of this type within `range` are.
    static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues
    /// The number a range bounds, or nil for a word or `auto`.
    var boundedNumber: Double? { get }
    /// Whether the value is a whole number (for the wording of a refusal).
    static var countsInWholeNumbers: Bool { get }
    /// Whether a checkpoint leaves the value out (DSH's m = auto), and so what a missing key means.
    var isLeftOutOfCheckpoints: Bool { get }
    static var whenLeftOut: Self? { get }
}

extension HyperparameterValue {
    public var boundedNumber: Double? { nil }
    public static var countsInWholeNumbers: Bool { false }
    public var isLeftOutOfCheckpoints: Bool { false }
    public static var whenLeftOut: Self? { nil }
}

/// A hyperparameter that is one word of a fixed list (the method, the net, the optimiser, …).
public protocol HyperparameterChoice: HyperparameterValue, RawRepresentable, CaseIterable where RawValue == String {}

extension HyperparameterChoice {
    public static func parseHyperparameter(_ text: String, name: String) throws -> Self {
        guard let value = Self(rawValue: text.lowercased()) else {
            throw HashingError("\(name) must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return value
    }
    public var hyperparameterText: String { rawValue }
    public static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues { .words(allCases.map(\.rawValue)) }
}

extension Double: HyperparameterValue {
    public static func parseHyperparameter(_ text: String, name: String) throws -> Double {
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
            throw HashingError("\(name) must be a number, not '\(text)'")
        }
        guard value.isFinite else { throw HashingError("\(name) must be a finite number, not \(text)") }
        return value
    }
    public var hyperparameterText: String { HashingHyperparameters.format(self) }
    public static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues { .number(range) }
    public var boundedNumber: Double? { self }
}

extension Int: HyperparameterValue {
    public static func parseHyperparameter(_ text: String, name: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw HashingError("\(name) must be a whole number, not '\(text)'")
        }
        return value
    }
    public var hyperparameterText: String { String(self) }
    public static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues { .wholeNumber(range) }
    public var boundedNumber: Double? { Double(self) }
    public static var countsInWholeNumbers: Bool { true }
}

/// Seeds: any 64-bit pattern.
extension UInt64: HyperparameterValue {
    public static func parseHyperparameter(_ text: String, name: String) throws -> UInt64 {
        guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
            throw HashingError("\(name) must be a whole number ≥ 0, not '\(text)'")
        }
        return value
    }
    public var hyperparameterText: String { String(self) }
    public static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues { .wholeNumber(.atLeast(0)) }
    public static var countsInWholeNumbers: Bool { true }
}

/// Switches: on or off.
extension Bool: HyperparameterValue {
    public static func parseHyperparameter(_ text: String, name: String) throws -> Bool {
        switch text.lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default: throw HashingError("\(name) must be on or off, not '\(text)'")
        }
    }
    public var hyperparameterText: String { self ? "on" : "off" }
    public static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues { .words(["on", "off"]) }
}

/// A number or `auto` (nil): computed from the other settings, and left out of checkpoints.
extension Optional: HyperparameterValue where Wrapped == Double {
    public static func parseHyperparameter(_ text: String, name: String) throws -> Double? {
        ["auto", "default"].contains(text.lowercased()) ? nil : try Double.parseHyperparameter(text, name: name)
    }
    public var hyperparameterText: String { map(\.hyperparameterText) ?? "auto" }
    public static func hyperparameterValues(in range: HyperparameterRange) -> HyperparameterValues { .numberOrAuto(range) }
    public var boundedNumber: Double? { self }
    public var isLeftOutOfCheckpoints: Bool { self == nil }
    public static var whenLeftOut: Double?? { .some(nil) }
}

extension HashingMethod: HyperparameterChoice {}
extension HashingNet: HyperparameterChoice {}
extension HashingInitialization: HyperparameterChoice {}
extension HashingOptimizer: HyperparameterChoice {}
extension HashingSchedule: HyperparameterChoice {}
extension HashingAugmentation: HyperparameterChoice {}
extension HashingFeatures: HyperparameterChoice {}
extension TripletMining: HyperparameterChoice {}
