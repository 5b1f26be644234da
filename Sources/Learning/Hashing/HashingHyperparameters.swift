import Codes
import Foundation
import ShallowHashing

/// A hashing setting or model operation that cannot be done, as one line.
public struct HashingError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The hashing methods a model can have: the deep ones of the papers, trained by gradient descent on a network (the
/// four this project began with, the methods that followed DPSH, and the classifier baseline that judges them all),
/// and the shallow baselines their tables start with, trained in one pass on features of the images.
public enum HashingMethod: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// Lin et al., CVPRW 2015: a sigmoid latent layer before a softmax classifier; codes are σ > 0.5.
    case dlbhc
    /// Liu et al., CVPR 2016: contrastive pair loss with margin m and a ±1 regulariser; codes are sign(u).
    case dsh
    /// Li et al., IJCAI 2016: pairwise-label likelihood with a memory of all training outputs; codes are sign(u).
    case dpsh
    /// Triplet ranking loss with in-batch mining; codes are sign(u).
    case triplet
    /// Cao et al., ICCV 2017: the pairwise likelihood with similar and dissimilar pairs re-weighted, on h = tanh(βz)
    /// with β growing during training (continuation); codes are sign(h).
    case hashnet
    /// Su et al., NeurIPS 2018: a softmax classifier on b = sign(h), the gradient passed straight through the sign,
    /// and a cubic penalty drawing h towards ±1; codes are sign(h).
    case greedyhash
    /// Yuan et al., CVPR 2020: each class has a hash centre (rows of a Hadamard matrix); u = tanh(z) is pulled to its
    /// class's centre by binary cross-entropy; codes are sign(u).
    case csq
    /// Sablayrolles et al., ICASSP 2017: a plain softmax classifier; an image's code is its predicted class's
    /// codeword — the baseline that shows what a protocol with the database's labels in training rewards.
    case classifier
    /// Charikar 2002: signs of Gaussian random projections of the centred features (`LocalitySensitiveHashing`).
    case lsh
    /// Signs of the top principal components (`PrincipalComponentHashing`).
    case pcah
    /// Gong & Lazebnik 2011: PCA, then the rotation that best fits the hypercube's corners (`IterativeQuantization`).
    case itq
    /// Weiss, Torralba & Fergus 2008: the smallest analytical eigenfunctions along the principal directions
    /// (`SpectralHashing`).
    case sh
    /// Liu et al. 2012: bit by bit, signs of RBF kernel functions of anchors whose code inner products fit the
    /// pairwise labels (`KernelSupervisedHashing`).
    case ksh
    /// Shen et al. 2015: discrete codes a linear classifier reads the labels from, regressed on RBF features of
    /// anchors (`SupervisedDiscreteHashing`).
    case sdh

    /// The one-pass method a shallow model runs, or nil for a deep one.
    public var shallowMethod: ShallowMethod? { ShallowMethod(rawValue: rawValue) }
    /// Whether the method trains in one pass on features (no network, no epochs).
    public var isShallow: Bool { shallowMethod != nil }
    /// Whether the model depends on how many classes there are (a classifier's outputs, CSQ's centres), counted
    /// from the labels at the first training.
    public var learnsFromClasses: Bool { [.dlbhc, .greedyhash, .csq, .classifier].contains(self) }

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

/// How the network's weights start: as its net declares (`net`: Caffe's xavier for dsh-cifar, Glorot-normal for
/// dsh-torch, He for the small nets), or one scheme for every layer — each `Initialization`, by its own name (a test
/// checks that none is missing).
public enum HashingInitialization: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    case net
    case xavier
    case glorotNormal = "glorot-normal"
    case he
    case pytorch

    public var description: String { rawValue }

    /// The scheme, or nil for the net's own.
    var scheme: Initialization? { Initialization(rawValue: rawValue) }
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

/// Every knob of a hashing model, settable by name (the shell's `set M.NAME VALUE`) and validated. Each stored
/// property is declared once in `HashingHyperparameters.specs` (HashingHyperparameterTable.swift): its name, values,
/// default per method, meaning, who reads it and its checkpoint key. The values written here are placeholders that
/// `init(method:bits:)` and decoding replace.
public struct HashingHyperparameters: Sendable, Equatable {
    public var method = HashingMethod.dsh
    /// Code length k (8…256).
    public var bits = 0
    public var net = HashingNet.dshCIFAR
    /// How the weights start (`net`: as the net declares). (Shell name "init".)
    public var initialization = HashingInitialization.net
    /// Batch normalisation on the code layer (after the last linear layer; DLBHC: before its sigmoid). On by
    /// default for DPSH, which otherwise collapses to one code when trained from scratch on small nets.
    public var codeBatchNormalization = false
    /// dsh-cifar only: the prototxt's within-channel local response normalisation after the first two blocks.
    public var localResponseNormalization = false
    /// DSH's margin m on squared distances; nil means 2·bits. (Shell name "m".)
    public var pairMargin: Double?
    /// DSH's regulariser weight α.
    public var alpha = 0.0
    /// DPSH's quantisation weight η.
    public var eta = 0.0
    /// DPSH's pair balance β ∈ [0, 1] (`PairwiseLabelLikelihoodLoss.pairBalance`): 0 (the paper) weighs every
    /// pair alike, 1 (the default) gives similar and dissimilar pairs half of the likelihood each. The default is
    /// 1 because from scratch the paper's loss can collapse to one code: on CIFAR-10 (DPSH protocol, dsh-cifar,
    /// 80 epochs, docs/RESULTS.md) β = 0 gave mAP 0.343 at 12 bits and 0.100 (collapsed) at 48; β = 1 gave 0.431
    /// and 0.462. (Shell name "balance".)
    public var pairBalance = 0.0
    /// The triplet loss's margin. (Shell name "margin".)
    public var tripletMargin = 0.0
    public var mining = TripletMining.all
    /// HashNet's α in p(sᵢⱼ = 1) = σ(α·hᵢᵀhⱼ); nil means 10/bits, the authors' code. (Shell name "sigmoid-alpha".)
    public var sigmoidAlpha: Double?
    /// HashNet's γ in β = (1 + γ·step)^½ (`ScaledTanhLayer`). (Shell name "continuation".)
    public var continuation = 0.0
    /// GreedyHash's weight of the penalty mean |(|h| − 1)|³ (`SignStraightThroughLayer`). (Shell name "penalty".)
    public var greedyPenalty = 0.0
    /// CSQ's weight λ of the quantisation term mean (|u| − 1)² (`CentralSimilarityLoss`). (Shell name "lambda".)
    public var centralLambda = 0.0
    public var learningRate = 0.0
    public var batchSize = 0
    public var weightDecay = 0.0
    public var optimizer = HashingOptimizer.adam
    /// SGD's momentum.
    public var momentum = 0.0
    public var schedule = HashingSchedule.constant
    public var stepEvery = 0
    public var stepFactor = 0.0
    public var augmentation = HashingAugmentation.none
    /// What a shallow method computes from each image.
    public var features = HashingFeatures.pixels
    /// ITQ's and SDH's iterations; KSH's most gradient steps per bit.
    public var iterations = 0
    /// KSH's and SDH's anchors.
    public var anchors = 0
    /// Seeds the weights (and, derived from it, the batch order and augmentation).
    public var seed: UInt64 = 0

    /// The margin m the DSH loss uses.
    public var effectivePairMargin: Double { pairMargin ?? Double(2 * bits) }
    /// The α the HashNet loss uses: 10/bits unless set, as thuml/HashNet's train.py (`sigmoid_param`), so that
    /// α·hᵢᵀhⱼ spans [−10, 10] for ±1 codes whatever the code length.
    public var effectiveSigmoidAlpha: Double { sigmoidAlpha ?? 10 / Double(bits) }

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

    /// The network for images of `inputShape` and `classCount` classes (read by the methods that `learnsFromClasses`),
    /// and the index of its code layer (the layer whose output is binarised).
    ///
    /// - dsh, dpsh, triplet: the base net ending in fc(bits) [→ batch norm]; codes are sign of the last output.
    /// - dlbhc: the base net's layers up to its last fc, then fc(bits) [→ batch norm] → sigmoid (the latent layer)
    ///   → fc(classes); codes are σ > 0.5 of the sigmoid's output. (The base net's own last fc becomes fc(bits).)
    /// - hashnet: fc(bits) [→ batch norm] → tanh(β·z) (`ScaledTanhLayer`, the code layer); codes are its sign.
    /// - greedyhash: fc(bits) [→ batch norm] (the code layer, h) → sign, straight-through → fc(classes), as the
    ///   authors' network (ssppp/GreedyHash: `fc_plus`, `hash_layer`, `fc`); codes are sign(h). Their classifier has
    ///   no bias; HashLab's linear layers always have one (a per-class offset, which changes nothing in the codes).
    /// - csq: fc(bits) [→ batch norm] → tanh (the code layer, u); codes are sign(u).
    /// - classifier: the base net with fc(classes) as its last layer [→ batch norm]; the code layer gives the class
    ///   scores, which `HashingModel` turns into the predicted class's codeword (`ClassCodewords`).
    public func netSpec(inputShape: [Int], classCount: Int) throws -> (spec: NetSpec, codeLayerIndex: Int) {
        try validate()
        guard !method.isShallow else {
            throw HashingError("\(method) is a shallow method: it has no network (it hashes \(features) features)")
        }
        var base: NetSpec
        switch net {
        case .dshCIFAR:
            base = .dshCIFAR(bits: bits, localResponseNormalization: localResponseNormalization, inputShape: inputShape)
        case .dshTorch: base = .dshTorch(bits: bits, inputShape: inputShape)
        case .smallConv: base = .smallConvNet(inputShape: inputShape, outputs: bits)
        case .mlp: base = .smallMLP(inputShape: inputShape, outputs: bits)
        }
        if method.learnsFromClasses, classCount < 2 {
            throw HashingError("\(method) needs labelled data with at least 2 classes")
        }
        if let scheme = initialization.scheme { base.initialization = scheme }
        if method == .classifier { base.layers[base.layers.count - 1] = .linear(outputs: classCount) }
        if codeBatchNormalization { base.layers.append(.batchNormalization()) }
        switch method {
        case .dlbhc:
            base.layers.append(.sigmoid)
            let code = base.layers.count - 1
            base.layers.append(.linear(outputs: classCount))
            base.name += "+dlbhc"
            return (base, code)
        case .greedyhash:
            let code = base.layers.count - 1
            base.layers += [.signStraightThrough, .linear(outputs: classCount)]
            base.name += "+greedyhash"
            return (base, code)
        case .hashnet, .csq:
            base.layers.append(method == .hashnet ? .scaledTanh : .tanh)
            base.name += "+\(method)"
            return (base, base.layers.count - 1)
        case .classifier:
            base.name += "+classifier"
            return (base, base.layers.count - 1)
        case .dsh, .dpsh, .triplet, .lsh, .pcah, .itq, .sh, .ksh, .sdh:
            if codeBatchNormalization { base.name += "+bn" }
            return (base, base.layers.count - 1)
        }
    }
}
