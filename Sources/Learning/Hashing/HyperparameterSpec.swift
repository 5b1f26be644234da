import Foundation

// The shape of a hyperparameter's declaration. The declarations themselves, one per stored property of
// `HashingHyperparameters`, are the table `HashingHyperparameters.specs` (HashingHyperparameterTable.swift); `set`,
// `show`, `explain`, `sweep`, checkpoints and the README's reference all read that table.

/// The values a hyperparameter takes, as `set` reads them and a reader is told.
public enum HyperparameterValues: Sendable, Equatable, CustomStringConvertible {
    /// One of these words.
    case words([String])
    /// A whole number in the range.
    case wholeNumber(HyperparameterRange)
    /// A finite real number in the range.
    case number(HyperparameterRange)
    /// A finite real number in the range, or `auto` for a value computed from the other settings.
    case numberOrAuto(HyperparameterRange)

    /// The bounds of a number: "in 8…256", "≥ 0", "in [0, 1)"; "" for words or a number without bounds.
    public var bounds: String {
        switch self {
        case .words: return ""
        case .wholeNumber(let range): return String(range.bounds(whole: true).dropFirst())
        case .number(let range), .numberOrAuto(let range): return String(range.bounds(whole: false).dropFirst())
        }
    }

    /// "dlbhc | dsh | dpsh | triplet", "a whole number in 8…256", "a number in [0, 1)", "a number ≥ 0 or auto".
    public var description: String {
        switch self {
        case .words(let words): return words.joined(separator: " | ")
        case .wholeNumber(let range): return "a whole number" + range.bounds(whole: true)
        case .number(let range): return "a number" + range.bounds(whole: false)
        case .numberOrAuto(let range): return "a number" + range.bounds(whole: false) + " or auto"
        }
    }
}

/// The numbers a hyperparameter may be: a lower bound, an upper bound, both or neither, each included or not.
public struct HyperparameterRange: Sendable, Equatable {
    public var lower: Double?
    public var includesLower = true
    public var upper: Double?
    public var includesUpper = true
    /// Why the bound is there, said when a value is refused ("the losses compare pairs").
    public var reason: String?

    /// Every finite number.
    public static let any = HyperparameterRange()
    /// `lower` or more.
    public static func atLeast(_ lower: Double, because reason: String? = nil) -> HyperparameterRange {
        HyperparameterRange(lower: lower, reason: reason)
    }
    /// More than `lower`.
    public static func above(_ lower: Double) -> HyperparameterRange {
        HyperparameterRange(lower: lower, includesLower: false)
    }
    /// From `lower` to `upper`, each end included unless said otherwise.
    public static func between(_ lower: Double, _ upper: Double, includesLower: Bool = true,
                               includesUpper: Bool = true) -> HyperparameterRange {
        HyperparameterRange(lower: lower, includesLower: includesLower, upper: upper, includesUpper: includesUpper)
    }

    public func contains(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if let lower, includesLower ? value < lower : value <= lower { return false }
        if let upper, includesUpper ? value > upper : value >= upper { return false }
        return true
    }

    /// " ≥ 0", " > 0", " in [0, 1)", " in 8…256" (whole numbers with both ends included), or "".
    func bounds(whole: Bool) -> String {
        let text = HashingHyperparameters.format
        switch (lower, upper) {
        case (nil, nil): return ""
        case (let lower?, nil): return (includesLower ? " ≥ " : " > ") + text(lower)
        case (nil, let upper?): return (includesUpper ? " ≤ " : " < ") + text(upper)
        case (let lower?, let upper?):
            if whole && includesLower && includesUpper { return " in \(text(lower))…\(text(upper))" }
            return " in " + (includesLower ? "[" : "(") + text(lower) + ", " + text(upper) + (includesUpper ? "]" : ")")
        }
    }

    /// What a refused value should have been: "a finite number ≥ 0", "in [0, 1)", "in 8…256", "at least 2".
    func requirement(whole: Bool) -> String {
        switch (lower, upper) {
        case (let lower?, nil) where whole:
            return (includesLower ? "at least " : "more than ") + HashingHyperparameters.format(lower)
        case (_?, _?): return String(bounds(whole: whole).dropFirst())
        default: return (whole ? "a whole number" : "a finite number") + bounds(whole: whole)
        }
    }
}

/// The settings under which a model reads a hyperparameter; under any other it changes nothing.
public enum HyperparameterReaders: Sendable, Equatable {
    /// Every model.
    case every
    /// Models of these methods.
    case methods([HashingMethod])
    /// Models of every method but these (`because` says why they do not read it).
    case allMethodsBut([HashingMethod], because: String)
    /// Models of the deep methods: what shapes and trains a network.
    case deepMethods
    /// Models of the shallow methods: what they compute from an image.
    case shallowMethods
    /// Deep models on this net.
    case net(HashingNet)
    /// Deep models trained with this optimiser.
    case optimizer(HashingOptimizer)
    /// Deep models trained with this learning-rate schedule.
    case schedule(HashingSchedule)

    /// Whether a model with `hyperparameters` reads it.
    public func read(by hyperparameters: HashingHyperparameters) -> Bool {
        let deep = !hyperparameters.method.isShallow
        switch self {
        case .every: return true
        case .methods(let methods): return methods.contains(hyperparameters.method)
        case .allMethodsBut(let methods, _): return !methods.contains(hyperparameters.method)
        case .deepMethods: return deep
        case .shallowMethods: return !deep
        case .net(let net): return deep && hyperparameters.net == net
        case .optimizer(let optimizer): return deep && hyperparameters.optimizer == optimizer
        case .schedule(let schedule): return deep && hyperparameters.schedule == schedule
        }
    }

    /// Who reads it, for a model that does not: "DSH only", "deep methods only", "dsh-cifar net only", "SGD only",
    /// "step schedule only", "not PCAH and SH, which are deterministic".
    public var only: String {
        switch self {
        case .every: return "every model"
        case .methods(let methods): return methods.map(\.paperName).joined(separator: " and ") + " only"
        case .allMethodsBut(let methods, let reason):
            return "not " + methods.map(\.paperName).joined(separator: " and ") + ", " + reason
        case .deepMethods: return "deep methods only"
        case .shallowMethods: return "shallow methods only"
        case .net(let net): return "\(net) net only"
        case .optimizer(let optimizer): return optimizer.paperName + " only"
        case .schedule(let schedule): return "\(schedule) schedule only"
        }
    }

    /// The setting of `hyperparameters` that keeps it from being read: "dsh", "the small-conv net", "adam", "the
    /// constant schedule" (the method, for a shallow model, which has no net, optimiser or schedule).
    func nonReader(in hyperparameters: HashingHyperparameters) -> String {
        if hyperparameters.method.isShallow { return hyperparameters.method.rawValue }
        switch self {
        case .every, .methods, .allMethodsBut, .deepMethods, .shallowMethods: return hyperparameters.method.rawValue
        case .net: return "the \(hyperparameters.net) net"
        case .optimizer: return hyperparameters.optimizer.rawValue
        case .schedule: return "the \(hyperparameters.schedule) schedule"
        }
    }

    /// Whether only a network reads it (a shallow model never does, whatever its other settings).
    public var needsANetwork: Bool {
        switch self {
        case .deepMethods, .net, .optimizer, .schedule: return true
        case .every, .methods, .allMethodsBut, .shallowMethods: return false
        }
    }

    /// The setting that makes a model read it ("the optimizer to sgd"), where one switch does it.
    var enablingSetting: String? {
        switch self {
        case .optimizer(let optimizer): return "the optimizer to \(optimizer)"
        case .schedule(let schedule): return "the schedule to \(schedule)"
        case .every, .methods, .allMethodsBut, .deepMethods, .shallowMethods, .net: return nil
        }
    }
}

/// A hyperparameter's default: given when the model is made, one value, one per method, or computed from the code
/// length.
public enum HyperparameterDefault<Value: HyperparameterValue>: Sendable {
    /// No default: `model METHOD bits K` gives it.
    case given
    case value(Value)
    /// These methods' values; `otherwise` for the rest.
    case perMethod([HashingMethod: Value], otherwise: Value)
    /// Computed from the code length; `formula` says how, for a reader ("bits/2").
    case fromBits(formula: String, @Sendable (Int) -> Value)

    func value(method: HashingMethod, bits: Int) -> Value? {
        switch self {
        case .given: return nil
        case .value(let value): return value
        case .perMethod(let values, let otherwise): return values[method] ?? otherwise
        case .fromBits(_, let compute): return compute(bits)
        }
    }

    /// "0.01", "on for dpsh, else off", "bits/2", or nil when given.
    var text: String? {
        switch self {
        case .given: return nil
        case .value(let value): return value.hyperparameterText
        case .perMethod(let values, let otherwise):
            let particular = HashingMethod.allCases.compactMap { method in values[method].map { "\($0.hyperparameterText) for \(method)" } }
            return (particular + ["else \(otherwise.hyperparameterText)"]).joined(separator: ", ")
        case .fromBits(let formula, _): return formula
        }
    }

    /// The methods whose default differs from the others' (DPSH for the code layer's batch norm).
    var particularTo: [HashingMethod] {
        guard case .perMethod(let values, _) = self else { return [] }
        return HashingMethod.allCases.filter { values[$0] != nil }
    }
}

/// A key of the hyperparameters' JSON in checkpoints (`HyperparameterSpec.checkpointKey`).
struct HyperparameterCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// One hyperparameter, declared once: its name, what it takes, its default per method, what it means, which models
/// read it, whether it shapes the network, and its key in checkpoints. Made by `field(…)` from a key path into
/// `HashingHyperparameters`; everything else about the hyperparameter is derived from it.
public struct HyperparameterSpec: Sendable {
    /// The name `set M.NAME VALUE` takes.
    public let name: String
    /// What it is, in a few words ("DSH regulariser weight α").
    public let meaning: String
    /// More to say after the values and default, or nil ("auto = 2·bits").
    public let detail: String?
    public let values: HyperparameterValues
    /// "0.01", "on for dpsh, else off", "bits/2"; nil when `model` gives it.
    public let defaultText: String?
    public let readers: HyperparameterReaders
    /// Whether it changes the network's shape or initial weights (fixed once a model has trained).
    public let shapesNetwork: Bool
    /// The part it plays in a loss, shared with other methods' hyperparameters ("margin": DSH's m, the triplet
    /// margin), so that a refusal can name the method's own.
    public let role: String?
    /// Its key in the JSON of checkpoints; never changed, so that older checkpoints still load.
    public let checkpointKey: String
    /// The methods whose default differs from the others' (the method's own knob in `explain`).
    public let particularTo: [HashingMethod]

    let text: @Sendable (HashingHyperparameters) -> String
    let assign: @Sendable (inout HashingHyperparameters, String) throws -> Void
    let problem: @Sendable (HashingHyperparameters) -> String?
    let applyDefault: @Sendable (inout HashingHyperparameters) -> Void
    let isSame: @Sendable (HashingHyperparameters, HashingHyperparameters) -> Bool
    let encode: @Sendable (HashingHyperparameters, inout KeyedEncodingContainer<HyperparameterCodingKey>) throws -> Void
    let decode: @Sendable (inout HashingHyperparameters, KeyedDecodingContainer<HyperparameterCodingKey>) throws -> Void

    /// `name`'s meaning, values and default in one line: "DSH regulariser weight α: a number ≥ 0 (default 0.01)".
    public var explanation: String {
        meaning + ": \(values)" + (defaultText.map { " (default \($0))" } ?? "") + (detail.map { "; \($0)" } ?? "")
    }

    /// Declares the hyperparameter `name` stored at `keyPath`.
    ///
    /// - `stored`: its key in checkpoints. `olderCheckpoints`: its value when a checkpoint has no such key (it was
    ///   written before the hyperparameter existed); without one such a checkpoint is malformed.
    /// - `shown`: its text where it differs from the stored value's (DSH's m shows 2·bits for auto).
    static func field<Value: HyperparameterValue>(
        _ name: String, _ keyPath: WritableKeyPath<HashingHyperparameters, Value> & Sendable, stored checkpointKey: String,
        range: HyperparameterRange = .any, default defaultValue: HyperparameterDefault<Value>,
        readBy readers: HyperparameterReaders = .every, shapesNetwork: Bool = false, role: String? = nil,
        olderCheckpoints: Value? = nil, shown: (@Sendable (HashingHyperparameters) -> String)? = nil,
        meaning: String, detail: String? = nil
    ) -> HyperparameterSpec {
        let key = HyperparameterCodingKey(checkpointKey)
        return HyperparameterSpec(
            name: name, meaning: meaning, detail: detail, values: Value.hyperparameterValues(in: range),
            defaultText: defaultValue.text, readers: readers, shapesNetwork: shapesNetwork, role: role,
            checkpointKey: checkpointKey, particularTo: defaultValue.particularTo,
            text: { shown?($0) ?? $0[keyPath: keyPath].hyperparameterText },
            assign: { hyperparameters, text in hyperparameters[keyPath: keyPath] = try Value.parseHyperparameter(text, name: name) },
            problem: { hyperparameters in
                let value = hyperparameters[keyPath: keyPath]
                guard let number = value.boundedNumber, !range.contains(number) else { return nil }
                return "\(name) must be \(range.requirement(whole: Value.countsInWholeNumbers))"
                    + (range.reason.map { " (\($0))" } ?? "") + ", not \(number.description(whole: Value.countsInWholeNumbers))"
            },
            applyDefault: { hyperparameters in
                if let value = defaultValue.value(method: hyperparameters.method, bits: hyperparameters.bits) {
                    hyperparameters[keyPath: keyPath] = value
                }
            },
            isSame: { $0[keyPath: keyPath] == $1[keyPath: keyPath] },
            encode: { hyperparameters, container in
                let value = hyperparameters[keyPath: keyPath]
                if !value.isLeftOutOfCheckpoints { try container.encode(value, forKey: key) }
            },
            decode: { hyperparameters, container in
                if let value = try container.decodeIfPresent(Value.self, forKey: key) {
                    hyperparameters[keyPath: keyPath] = value
                } else if let value = olderCheckpoints ?? Value.whenLeftOut {
                    hyperparameters[keyPath: keyPath] = value
                } else {
                    hyperparameters[keyPath: keyPath] = try container.decode(Value.self, forKey: key)  // throws: missing
                }
            })
    }
}

private extension Double {
    /// As the refusals have always printed it: "7" for a whole number's, "-1.0" for a real's.
    func description(whole: Bool) -> String { whole ? String(Int(self)) : String(self) }
}

extension HashingMethod {
    /// As the papers write it: "DLBHC", "DSH", "DPSH", "triplet", "HashNet", "GreedyHash", "CSQ", "classifier",
    /// "LSH", "ITQ".
    public var paperName: String {
        switch self {
        case .triplet, .classifier: return rawValue
        case .hashnet: return "HashNet"
        case .greedyhash: return "GreedyHash"
        default: return rawValue.uppercased()
        }
    }
}

extension HashingOptimizer {
    /// "Adam", "SGD".
    public var paperName: String { self == .sgd ? "SGD" : "Adam" }
}
