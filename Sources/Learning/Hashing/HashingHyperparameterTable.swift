import Codes
import Foundation
import ShallowHashing

// Every hyperparameter of a hashing model, declared once, and what is derived from the declarations: the names
// `set` takes, their values as text, setting by name, validation, the defaults per method, who reads what, and the
// JSON of checkpoints.

extension HashingHyperparameters {
    /// Every hyperparameter, in display order: one entry per stored property (a test checks that none is missing).
    public static let specs: [HyperparameterSpec] = [
        .field("method", \.method, stored: "method", default: .given, shapesNetwork: true,
               meaning: "the hashing method"),
        .field("bits", \.bits, stored: "bits",
               range: .between(Double(BitCode.learnedBitCounts.lowerBound), Double(BitCode.learnedBitCounts.upperBound)),
               default: .given, shapesNetwork: true, meaning: "code length k"),
        .field("net", \.net, stored: "net", default: .value(.dshCIFAR), readBy: .deepMethods, shapesNetwork: true,
               meaning: "the base network"),
        .field("init", \.initialization, stored: "initialization", default: .value(.net), readBy: .deepMethods,
               shapesNetwork: true, olderCheckpoints: .net,
               meaning: "how the weights start (net: as the net declares; xavier: Caffe's; pytorch: PyTorch's default, biases too)"),
        .field("batch-norm", \.codeBatchNormalization, stored: "codeBatchNormalization",
               default: .perMethod([.dpsh: true], otherwise: false), readBy: .deepMethods, shapesNetwork: true,
               meaning: "batch normalisation on the code layer"),
        .field("lrn", \.localResponseNormalization, stored: "localResponseNormalization", default: .value(false),
               readBy: .net(.dshCIFAR), shapesNetwork: true,
               meaning: "dsh-cifar's within-channel local response normalisation"),
        .field("m", \.pairMargin, stored: "pairMargin", range: .atLeast(0), default: .value(nil),
               readBy: .methods([.dsh]), role: "margin", shown: { $0.effectivePairMargin.hyperparameterText },
               meaning: "DSH margin on squared distances", detail: "auto = 2·bits"),
        .field("alpha", \.alpha, stored: "alpha", range: .atLeast(0), default: .value(0.01), readBy: .methods([.dsh]),
               role: "quantisation weight", meaning: "DSH regulariser weight α"),
        .field("eta", \.eta, stored: "eta", range: .atLeast(0), default: .value(10), readBy: .methods([.dpsh]),
               role: "quantisation weight", meaning: "DPSH quantisation weight η"),
        // Checkpoints from before the pair balance trained with the paper's loss, β = 0.
        // HashNet's weighted likelihood is the same balance (HashNetLoss), so both methods read it.
        .field("balance", \.pairBalance, stored: "storedPairBalance", range: .between(0, 1), default: .value(1),
               readBy: .methods([.dpsh, .hashnet]), olderCheckpoints: 0, meaning: "pair balance β of DPSH and HashNet",
               detail: "0 = every pair alike (DPSH's paper), 1 = similar and dissimilar pairs weigh half each "
                   + "(HashNet's weighting)"),
        .field("margin", \.tripletMargin, stored: "tripletMargin", range: .atLeast(0),
               default: .fromBits(formula: "bits/2") { Double($0) / 2 }, readBy: .methods([.triplet]), role: "margin",
               meaning: "triplet margin"),
        .field("mining", \.mining, stored: "mining", default: .value(.all), readBy: .methods([.triplet]),
               meaning: "which triplets train"),
        // The methods that followed DPSH. Checkpoints from before them have none of these keys: the defaults.
        .field("sigmoid-alpha", \.sigmoidAlpha, stored: "sigmoidAlpha", range: .above(0), default: .value(nil),
               readBy: .methods([.hashnet]),
               shown: { $0.sigmoidAlpha?.hyperparameterText ?? String(format: "%.4g", $0.effectiveSigmoidAlpha) },
               meaning: "HashNet's scale α in σ(α·hᵢᵀhⱼ)", detail: "auto = 10/bits (the authors' code)"),
        .field("continuation", \.continuation, stored: "continuation", range: .atLeast(0), default: .value(0.005),
               readBy: .methods([.hashnet]), olderCheckpoints: 0.005,
               meaning: "HashNet's growth γ of β = √(1 + γ·step) in h = tanh(β·z)", detail: "0 = a plain tanh"),
        .field("penalty", \.greedyPenalty, stored: "greedyPenalty", range: .atLeast(0), default: .value(0.1),
               readBy: .methods([.greedyhash]), role: "quantisation weight", olderCheckpoints: 0.1,
               meaning: "GreedyHash's weight of the penalty mean |(|h| − 1)|³"),
        .field("lambda", \.centralLambda, stored: "csqLambda", range: .atLeast(0), default: .value(1e-4),
               readBy: .methods([.csq]), role: "quantisation weight", olderCheckpoints: 1e-4,
               meaning: "CSQ's quantisation weight λ of mean (|u| − 1)²"),
        .field("learning-rate", \.learningRate, stored: "learningRate", range: .above(0), default: .value(1e-3),
               readBy: .deepMethods, meaning: "base learning rate"),
        .field("batch", \.batchSize, stored: "batchSize", range: .atLeast(2, because: "the losses compare pairs"),
               default: .value(64), readBy: .deepMethods, meaning: "batch size"),
        .field("weight-decay", \.weightDecay, stored: "weightDecay", range: .atLeast(0), default: .value(0),
               readBy: .deepMethods, meaning: "L2 weight decay"),
        .field("optimizer", \.optimizer, stored: "optimizer", default: .value(.adam), readBy: .deepMethods,
               meaning: "the optimiser"),
        .field("momentum", \.momentum, stored: "momentum", range: .between(0, 1, includesUpper: false),
               default: .value(0.9), readBy: .optimizer(.sgd), meaning: "SGD momentum"),
        .field("schedule", \.schedule, stored: "schedule", default: .value(.constant), readBy: .deepMethods,
               meaning: "learning-rate schedule"),
        .field("step-every", \.stepEvery, stored: "stepEvery", range: .atLeast(1), default: .value(20),
               readBy: .schedule(.step), meaning: "epochs between learning-rate steps"),
        .field("step-factor", \.stepFactor, stored: "stepFactor", range: .between(0, 1, includesLower: false),
               default: .value(0.1), readBy: .schedule(.step), meaning: "learning-rate factor per step"),
        .field("augmentation", \.augmentation, stored: "augmentation", default: .value(.none), readBy: .deepMethods,
               meaning: "training augmentation"),
        // The shallow methods' own settings. Checkpoints of deep models, written before there were shallow methods,
        // have neither key.
        .field("features", \.features, stored: "features", default: .value(.pixels), readBy: .shallowMethods,
               shapesNetwork: true, olderCheckpoints: .pixels, meaning: "what a shallow method sees of an image"),
        .field("iterations", \.iterations, stored: "iterations", range: .atLeast(1),
               default: .perMethod([.sdh: SupervisedDiscreteHashing.defaultIterations,
                                    .ksh: KernelSupervisedHashing.defaultIterations],
                                   otherwise: IterativeQuantization.defaultIterations),
               readBy: .methods([.itq, .ksh, .sdh]), olderCheckpoints: IterativeQuantization.defaultIterations,
               meaning: "ITQ's alternations of B = sgn(VR) and the Procrustes rotation; KSH's most gradient steps "
                   + "per bit; SDH's alternations of its G, F and B steps"),
        .field("anchors", \.anchors, stored: "anchors", range: .atLeast(1),
               default: .perMethod([.ksh: KernelSupervisedHashing.defaultAnchorCount],
                                   otherwise: SupervisedDiscreteHashing.defaultAnchorCount),
               readBy: .methods([.ksh, .sdh]), olderCheckpoints: SupervisedDiscreteHashing.defaultAnchorCount,
               meaning: "KSH's and SDH's anchors: training vectors the RBF features measure distances to"),
        .field("seed", \.seed, stored: "seed", default: .value(1),
               readBy: .allMethodsBut([.pcah, .sh], because: "which are deterministic"), shapesNetwork: true,
               meaning: "seed of weights, batch order and augmentation; of LSH's projections, ITQ's first rotation, KSH's and SDH's anchors"),
    ]

    /// The settable names, in display order.
    public static let names = specs.map(\.name)

    /// The names that change the network's shape or initial weights (fixed once a model has trained).
    public static let architectureNames = specs.filter(\.shapesNetwork).map(\.name)

    /// "a, b and c".
    public static func listing(_ names: [String]) -> String {
        names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// A one-line explanation of each name: meaning, values, default.
    public static let explanations = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0.explanation) })

    /// The declaration of `name`, or nil.
    public static func spec(named name: String) -> HyperparameterSpec? {
        specs.first { $0.name == name }
    }

    private static func declared(_ name: String) throws -> HyperparameterSpec {
        guard let spec = spec(named: name) else { throw unknown(name) }
        return spec
    }

    /// The defaults for `method` at `bits` bits (see `specs`): net dsh-cifar, m = 2·bits, α = 0.01, η = 10 (the
    /// DPSH reference), triplet margin = bits/2 with all triplets, Adam at 1e-3, batch 64, no weight decay, constant
    /// rate, no augmentation, seed 1, code batch norm for DPSH, pair balance β = 1 (DPSH, HashNet); HashNet's α =
    /// 10/bits and γ = 0.005 (thuml/HashNet), GreedyHash's penalty 0.1 (ssppp/GreedyHash), CSQ's λ = 1e-4
    /// (DeepHash-pytorch's CSQ.py).
    public init(method: HashingMethod, bits: Int) throws {
        self.init()
        self.method = method
        self.bits = bits
        for spec in HashingHyperparameters.specs { spec.applyDefault(&self) }
        try validate()
    }

    /// The current value of `name` as text (as `set` accepts it).
    public func value(of name: String) throws -> String {
        try HashingHyperparameters.declared(name).text(self)
    }

    /// Every name with its value, in display order.
    public var entries: [(name: String, value: String)] {
        HashingHyperparameters.specs.map { ($0.name, $0.text(self)) }
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func unknown(_ name: String) -> HashingError {
        let close = names.filter { $0.hasPrefix(String(name.prefix(2))) }
        return HashingError("unknown hyperparameter '\(name)'" + (close.isEmpty ? "" : " (did you mean \(close.joined(separator: ", "))?)")
                            + "; known: \(names.joined(separator: ", "))")
    }

    /// Sets `name` from text, validating the value and the whole set; on error nothing changes. A setting these
    /// hyperparameters do not read is set all the same (a sweep sets the optimiser and the momentum in either order);
    /// `unreadReason(for:)` says why it changes nothing, and the shell refuses it with that reason.
    public mutating func set(_ name: String, to text: String) throws {
        var copy = self
        try HashingHyperparameters.declared(name).assign(&copy, text)
        try copy.validate()
        self = copy
    }

    /// Throws the first invalid setting.
    public func validate() throws {
        for spec in HashingHyperparameters.specs {
            if let problem = spec.problem(self) { throw HashingError(problem) }
        }
    }

    /// Whether every setting that changes the network's shape or initial weights is the same in `other`.
    func hasTheSameNetwork(as other: HashingHyperparameters) -> Bool {
        HashingHyperparameters.specs.allSatisfy { !$0.shapesNetwork || $0.isSame(self, other) }
    }

    // MARK: Who reads what

    /// Whether the setting `name` changes anything for these hyperparameters (see `unusedBecause(_:)`). Unknown
    /// names do not apply.
    public func applies(_ name: String) -> Bool {
        HashingHyperparameters.spec(named: name)?.readers.read(by: self) ?? false
    }

    /// Why the setting `name` changes nothing for these hyperparameters, as the only ones that read it ("DPSH
    /// only", "SGD only", "step schedule only"), or nil where it is read (or unknown).
    public func unusedBecause(_ name: String) -> String? {
        guard let spec = HashingHyperparameters.spec(named: name), !spec.readers.read(by: self) else { return nil }
        return spec.readers.only
    }

    /// Why setting `name` would change nothing, as a sentence, or nil where it is read: "dsh does not read margin
    /// (triplet only); its margin is m", "adam does not read momentum (SGD only); set the optimizer to sgd first".
    public func unreadReason(for name: String) -> String? {
        guard let spec = HashingHyperparameters.spec(named: name), !spec.readers.read(by: self) else { return nil }
        if method.isShallow && spec.readers.needsANetwork {
            return "\(method) does not read \(name) (deep methods only): a shallow method has no network and trains "
                + "in one pass"
        }
        var reason = "\(spec.readers.nonReader(in: self)) does not read \(name) (\(spec.readers.only))"
        if case .methods = spec.readers, let role = spec.role {
            let own = HashingHyperparameters.specs.first { $0.role == role && $0.readers.read(by: self) }
            reason += own.map { "; its \(role) is \($0.name)" } ?? "; it has no \(role)"
        } else if let setting = spec.readers.enablingSetting {
            reason += "; set \(setting) first"
        }
        return reason
    }

    /// The settings each method's explanation lists as its own: those only it reads, then those whose default is
    /// particular to it (DPSH's batch norm on the code layer, which every method reads but which is DPSH's fix for
    /// its collapse).
    static func ownNames(of method: HashingMethod) -> [String] {
        specs.filter { spec in
            if spec.particularTo.contains(method) { return true }
            if case .methods(let methods) = spec.readers { return methods.contains(method) }
            return false
        }.map(\.name)
    }
}

/// The JSON in checkpoints: each hyperparameter under its `checkpointKey`, the keys checkpoints have always had.
extension HashingHyperparameters: Codable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: HyperparameterCodingKey.self)
        self.init()
        for spec in HashingHyperparameters.specs { try spec.decode(&self, container) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: HyperparameterCodingKey.self)
        for spec in HashingHyperparameters.specs { try spec.encode(self, &container) }
    }
}
