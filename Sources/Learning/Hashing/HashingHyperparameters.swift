import Codes
import Foundation

/// A hashing setting or model operation that cannot be done, as one line.
public struct HashingError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The four deep hashing methods of the papers.
public enum HashingMethod: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// Lin et al., CVPRW 2015: a sigmoid latent layer before a softmax classifier; codes are σ > 0.5.
    case dlbhc
    /// Liu et al., CVPR 2016: contrastive pair loss with margin m and a ±1 regulariser; codes are sign(u).
    case dsh
    /// Li et al., IJCAI 2016: pairwise-label likelihood with a memory of all training outputs; codes are sign(u).
    case dpsh
    /// Triplet ranking loss with in-batch mining; codes are sign(u).
    case triplet

    public var description: String { rawValue }
}

/// The base networks a hashing model can use; the method adds its head (DLBHC) or code-layer batch norm.
public enum HashingNet: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// The DSH paper's CIFAR-10 net (`NetSpec.dshCIFAR`).
    case dshCIFAR = "dsh-cifar"
    /// The same net with PyTorch's conventions (`NetSpec.dshTorch`): ReLU before every pooling, floor-mode
    /// pooling, Glorot-normal weights.
    case dshTorch = "dsh-torch"
    /// `NetSpec.smallConvNet`: two small conv layers, for quick lessons on small images.
    case smallConv = "small-conv"
    /// `NetSpec.smallMLP`: one hidden layer of 64.
    case mlp

    public var description: String { rawValue }
}

public enum HashingOptimizer: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    case adam, sgd
    public var description: String { rawValue }
}

public enum HashingSchedule: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// The learning rate throughout.
    case constant
    /// Multiplied by `step-factor` every `step-every` epochs.
    case step
    /// Cosine annealing to 0 over the run's epochs.
    case cosine
    public var description: String { rawValue }
}

public enum HashingAugmentation: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    case none
    /// Left–right flips.
    case mirror
    /// Pad 4 and crop at random.
    case crop
    /// Crop and mirror.
    case standard
    public var description: String { rawValue }

    public var augmentation: Augmentation {
        switch self {
        case .none: return .none
        case .mirror: return Augmentation(cropPadding: 0, mirror: true)
        case .crop: return Augmentation(cropPadding: 4, mirror: false)
        case .standard: return .standard
        }
    }
}

/// Every knob of a hashing model, with the papers' defaults, settable by name (the shell's `set M.NAME VALUE`)
/// and validated. Names (`HashingHyperparameters.names`): method, bits, net, batch-norm, lrn, m, alpha, eta, balance, margin,
/// mining, learning-rate, batch, weight-decay, optimizer, momentum, schedule, step-every, step-factor,
/// augmentation, seed.
public struct HashingHyperparameters: Sendable, Equatable, Codable {
    public var method: HashingMethod
    /// Code length k (8…256).
    public var bits: Int
    public var net: HashingNet
    /// Batch normalisation on the code layer (after the last linear layer; DLBHC: before its sigmoid). On by
    /// default for DPSH, which otherwise collapses to one code when trained from scratch on small nets.
    public var codeBatchNormalization: Bool
    /// dsh-cifar only: the prototxt's within-channel local response normalisation after the first two blocks.
    public var localResponseNormalization: Bool
    /// DSH's margin m on squared distances; nil means 2·bits. (Shell name "m".)
    public var pairMargin: Double?
    /// DSH's regulariser weight α.
    public var alpha: Double
    /// DPSH's quantisation weight η.
    public var eta: Double
    /// DPSH's pair balance β ∈ [0, 1] (`PairwiseLabelLikelihoodLoss.pairBalance`): 0 (the paper) weighs every
    /// pair alike, 1 (the default) gives similar and dissimilar pairs half of the likelihood each. The default is
    /// 1 because from scratch the paper's loss can collapse to one code: on CIFAR-10 (DPSH protocol, dsh-cifar,
    /// 80 epochs, docs/RESULTS.md) β = 0 gave mAP 0.343 at 12 bits and 0.100 (collapsed) at 48; β = 1 gave 0.431
    /// and 0.462. (Shell name "balance".)
    public var pairBalance: Double {
        get { storedPairBalance ?? 0 }
        set { storedPairBalance = newValue }
    }
    /// Optional so that checkpoints written before the setting existed still decode (as 0, what they trained with).
    private var storedPairBalance: Double?
    /// The triplet loss's margin. (Shell name "margin".)
    public var tripletMargin: Double
    public var mining: TripletMining
    public var learningRate: Double
    public var batchSize: Int
    public var weightDecay: Double
    public var optimizer: HashingOptimizer
    /// SGD's momentum.
    public var momentum: Double
    public var schedule: HashingSchedule
    public var stepEvery: Int
    public var stepFactor: Double
    public var augmentation: HashingAugmentation
    /// Seeds the weights (and, derived from it, the batch order and augmentation).
    public var seed: UInt64

    /// The defaults for `method` at `bits` bits: net dsh-cifar, m = 2·bits, α = 0.01, η = 10 (the DPSH reference),
    /// triplet margin = bits/2 with all triplets, Adam at 1e-3, batch 64, no weight decay, constant rate, no
    /// augmentation, seed 1, code batch norm and pair balance β = 1 for DPSH.
    public init(method: HashingMethod, bits: Int) throws {
        self.method = method
        self.bits = bits
        net = .dshCIFAR
        codeBatchNormalization = method == .dpsh
        localResponseNormalization = false
        pairMargin = nil
        alpha = 0.01
        eta = 10
        storedPairBalance = 1
        tripletMargin = Double(bits) / 2
        mining = .all
        learningRate = 1e-3
        batchSize = 64
        weightDecay = 0
        optimizer = .adam
        momentum = 0.9
        schedule = .constant
        stepEvery = 20
        stepFactor = 0.1
        augmentation = .none
        seed = 1
        try validate()
    }

    /// The margin m the DSH loss uses.
    public var effectivePairMargin: Double { pairMargin ?? Double(2 * bits) }

    /// The settable names, in display order.
    public static let names = ["method", "bits", "net", "batch-norm", "lrn", "m", "alpha", "eta", "balance", "margin", "mining",
                               "learning-rate", "batch", "weight-decay", "optimizer", "momentum", "schedule",
                               "step-every", "step-factor", "augmentation", "seed"]

    /// The names that change the network's shape (cannot change once a model has trained).
    public static let architectureNames: Set<String> = ["method", "bits", "net", "batch-norm", "lrn", "seed"]

    /// A one-line explanation of each name.
    public static let explanations: [String: String] = [
        "method": "dlbhc | dsh | dpsh | triplet",
        "bits": "code length k, 8…256",
        "net": "dsh-cifar | dsh-torch | small-conv | mlp",
        "batch-norm": "batch normalisation on the code layer: on | off (default on for dpsh)",
        "lrn": "dsh-cifar's within-channel local response normalisation: on | off (default off)",
        "m": "DSH margin on squared distances ≥ 0, or auto for 2·bits (the default)",
        "alpha": "DSH regulariser weight α ≥ 0 (default 0.01)",
        "eta": "DPSH quantisation weight η ≥ 0 (default 10)",
        "balance": "DPSH pair balance in [0, 1]: 0 = the paper, 1 = similar and dissimilar pairs weigh half each (default 1)",
        "margin": "triplet margin ≥ 0 (default bits/2)",
        "mining": "triplet mining: all | hard | semi-hard",
        "learning-rate": "base learning rate > 0 (default 0.001)",
        "batch": "batch size ≥ 2 (default 64)",
        "weight-decay": "L2 weight decay ≥ 0 (default 0)",
        "optimizer": "adam | sgd",
        "momentum": "SGD momentum in [0, 1) (default 0.9)",
        "schedule": "constant | step | cosine",
        "step-every": "epochs between learning-rate steps (schedule step)",
        "step-factor": "learning-rate factor per step, in (0, 1]",
        "augmentation": "none | mirror | crop | standard",
        "seed": "seed of weights, batch order and augmentation",
    ]

    /// The current value of `name` as text (as `set` accepts it).
    public func value(of name: String) throws -> String {
        switch name {
        case "method": return method.rawValue
        case "bits": return String(bits)
        case "net": return net.rawValue
        case "batch-norm": return codeBatchNormalization ? "on" : "off"
        case "lrn": return localResponseNormalization ? "on" : "off"
        case "m": return HashingHyperparameters.format(effectivePairMargin)
        case "alpha": return HashingHyperparameters.format(alpha)
        case "eta": return HashingHyperparameters.format(eta)
        case "balance": return HashingHyperparameters.format(pairBalance)
        case "margin": return HashingHyperparameters.format(tripletMargin)
        case "mining": return mining.rawValue
        case "learning-rate": return HashingHyperparameters.format(learningRate)
        case "batch": return String(batchSize)
        case "weight-decay": return HashingHyperparameters.format(weightDecay)
        case "optimizer": return optimizer.rawValue
        case "momentum": return HashingHyperparameters.format(momentum)
        case "schedule": return schedule.rawValue
        case "step-every": return String(stepEvery)
        case "step-factor": return HashingHyperparameters.format(stepFactor)
        case "augmentation": return augmentation.rawValue
        case "seed": return String(seed)
        default: throw HashingHyperparameters.unknown(name)
        }
    }

    /// Every name with its value, in display order.
    public var entries: [(name: String, value: String)] {
        HashingHyperparameters.names.map { ($0, (try? value(of: $0)) ?? "?") }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func unknown(_ name: String) -> HashingError {
        let close = HashingHyperparameters.names.filter { $0.hasPrefix(String(name.prefix(2))) }
        return HashingError("unknown hyperparameter '\(name)'" + (close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)")
                            + "; known: \(HashingHyperparameters.names.joined(separator: ", "))")
    }

    /// Sets `name` from text, validating the value and the whole set; on error nothing changes.
    public mutating func set(_ name: String, to text: String) throws {
        var copy = self
        func number() throws -> Double {
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw HashingError("\(name) must be a number, not '\(text)'")
            }
            guard value.isFinite else { throw HashingError("\(name) must be a finite number, not \(text)") }
            return value
        }
        func integer() throws -> Int {
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw HashingError("\(name) must be a whole number, not '\(text)'")
            }
            return value
        }
        func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
            guard let value = T(rawValue: text.lowercased()) else {
                throw HashingError("\(name) must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
            }
            return value
        }
        switch name {
        case "method": copy.method = try choice(HashingMethod.self)
        case "bits": copy.bits = try integer()
        case "net": copy.net = try choice(HashingNet.self)
        case "batch-norm", "lrn":
            let on: Bool
            switch text.lowercased() {
            case "on", "true", "yes", "1": on = true
            case "off", "false", "no", "0": on = false
            default: throw HashingError("\(name) must be on or off, not '\(text)'")
            }
            if name == "lrn" { copy.localResponseNormalization = on } else { copy.codeBatchNormalization = on }
        case "m": copy.pairMargin = ["auto", "default"].contains(text.lowercased()) ? nil : try number()
        case "alpha": copy.alpha = try number()
        case "eta": copy.eta = try number()
        case "balance": copy.pairBalance = try number()
        case "margin": copy.tripletMargin = try number()
        case "mining": copy.mining = try choice(TripletMining.self)
        case "learning-rate": copy.learningRate = try number()
        case "batch": copy.batchSize = try integer()
        case "weight-decay": copy.weightDecay = try number()
        case "optimizer": copy.optimizer = try choice(HashingOptimizer.self)
        case "momentum": copy.momentum = try number()
        case "schedule": copy.schedule = try choice(HashingSchedule.self)
        case "step-every": copy.stepEvery = try integer()
        case "step-factor": copy.stepFactor = try number()
        case "augmentation": copy.augmentation = try choice(HashingAugmentation.self)
        case "seed":
            guard let value = UInt64(text.trimmingCharacters(in: .whitespaces)) else {
                throw HashingError("seed must be a whole number ≥ 0, not '\(text)'")
            }
            copy.seed = value
        default: throw HashingHyperparameters.unknown(name)
        }
        try copy.validate()
        self = copy
    }

    /// Throws the first invalid setting.
    public func validate() throws {
        func check(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw HashingError(message()) }
        }
        try check(BitCode.supportedBitCounts.contains(bits), "bits must be in 8…256, not \(bits)")
        if let pairMargin {
            try check(pairMargin.isFinite && pairMargin >= 0, "m must be a finite number ≥ 0, not \(pairMargin)")
        }
        try check(alpha.isFinite && alpha >= 0, "alpha must be a finite number ≥ 0, not \(alpha)")
        try check(eta.isFinite && eta >= 0, "eta must be a finite number ≥ 0, not \(eta)")
        try check(pairBalance >= 0 && pairBalance <= 1, "balance must be in [0, 1], not \(pairBalance)")
        try check(tripletMargin.isFinite && tripletMargin >= 0, "margin must be a finite number ≥ 0, not \(tripletMargin)")
        try check(learningRate.isFinite && learningRate > 0, "learning-rate must be a finite number > 0, not \(learningRate)")
        try check(batchSize >= 2, "batch must be at least 2 (the losses compare pairs), not \(batchSize)")
        try check(weightDecay.isFinite && weightDecay >= 0, "weight-decay must be a finite number ≥ 0, not \(weightDecay)")
        try check(momentum.isFinite && momentum >= 0 && momentum < 1, "momentum must be in [0, 1), not \(momentum)")
        try check(stepEvery >= 1, "step-every must be at least 1, not \(stepEvery)")
        try check(stepFactor.isFinite && stepFactor > 0 && stepFactor <= 1, "step-factor must be in (0, 1], not \(stepFactor)")
    }

    /// The engine's optimiser spec.
    public var optimizerSpec: OptimizerSpec {
        switch optimizer {
        case .adam: return .adam(weightDecay: Float(weightDecay))
        case .sgd: return .sgd(momentum: Float(momentum), weightDecay: Float(weightDecay))
        }
    }

    /// The engine's schedule for a run of `epochs` epochs.
    public func learningRateSchedule(epochs: Int) -> LearningRateSchedule {
        switch schedule {
        case .constant: return .constant(Float(learningRate))
        case .step: return .step(base: Float(learningRate), factor: Float(stepFactor), every: stepEvery)
        case .cosine: return .cosine(base: Float(learningRate), minimum: 0, epochs: max(epochs, 1))
        }
    }

    /// The engine's training configuration for a run ending after `epochs` epochs. Batch order and augmentation
    /// are seeded from `seed` (mixed, so that they differ from the weight draws).
    public func trainingConfiguration(epochs: Int) -> TrainingConfiguration {
        TrainingConfiguration(epochs: epochs, batchSize: batchSize, optimizer: optimizerSpec,
                              schedule: learningRateSchedule(epochs: epochs), augmentation: augmentation.augmentation,
                              seed: seed ^ 0x5851_F42D_4C95_7F2D)
    }

    /// The network for images of `inputShape` and (DLBHC) `classCount` classes, and the index of its code layer
    /// (the layer whose output is binarised).
    ///
    /// - dsh, dpsh, triplet: the base net ending in fc(bits) [→ batch norm]; codes are sign of the last output.
    /// - dlbhc: the base net's layers up to its last fc, then fc(bits) [→ batch norm] → sigmoid (the latent layer)
    ///   → fc(classes); codes are σ > 0.5 of the sigmoid's output. (The base net's own last fc becomes fc(bits).)
    public func netSpec(inputShape: [Int], classCount: Int) throws -> (spec: NetSpec, codeLayerIndex: Int) {
        try validate()
        var base: NetSpec
        switch net {
        case .dshCIFAR:
            base = .dshCIFAR(bits: bits, localResponseNormalization: localResponseNormalization, inputShape: inputShape)
        case .dshTorch: base = .dshTorch(bits: bits, inputShape: inputShape)
        case .smallConv: base = .smallConvNet(inputShape: inputShape, outputs: bits)
        case .mlp: base = .smallMLP(inputShape: inputShape, outputs: bits)
        }
        if codeBatchNormalization { base.layers.append(.batchNormalization()) }
        if method == .dlbhc {
            guard classCount >= 2 else { throw HashingError("dlbhc needs labelled data with at least 2 classes") }
            base.layers.append(.sigmoid)
            let code = base.layers.count - 1
            base.layers.append(.linear(outputs: classCount))
            base.name += "+dlbhc"
            return (base, code)
        }
        if codeBatchNormalization { base.name += "+bn" }
        return (base, base.layers.count - 1)
    }
}
