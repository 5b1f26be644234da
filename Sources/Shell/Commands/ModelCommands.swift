import Foundation
import Learning

// `model`: make a hashing model of K bits, deep or shallow. What a model then does has a file each: `train`
// (TrainCommands.swift), `encode` (EncodeCommands.swift), `hist` of its outputs (OutputHistogramCommands.swift),
// `eval` (EvaluationCommands.swift), `explain` (ExplainCommands.swift), `plot loss|learning` (PlotCommands.swift).
//
// The deep methods differ only in the loss on the code layer's real outputs u (one per bit), for example:
//   dlbhc   (Lin et al. 2015)  a sigmoid latent layer trained by a classifier on top; codes σ(u) > 0.5
//   dsh     (Liu et al. 2016)  pairs: similar ½‖u₁−u₂‖², dissimilar ½max(m−‖u₁−u₂‖², 0), plus α‖|u|−1‖₁
//   dpsh    (Li et al. 2016)   pairwise likelihood of the labels from θ = ½u₁ᵀu₂, plus η‖u−sign(u)‖²
//   triplet (Lai/Zhao-style)   max(0, ‖a−p‖² − ‖a−n‖² + margin) over mined triplets
// and the codes are sign(u) (bit 1 when u > 0); `explain METHOD` shows each method's objective, the methods after
// DPSH (GreedyHash, CSQ, HashNet, the classifier baseline) and the shallow ones (LSH, PCAH, ITQ, SH, KSH, SDH) too.

extension Topic {
    static let models = Topic("models", abstract: "hashing models, deep and shallow: train, encode, inspect", rank: 55)
}

/// The declaration of the hyperparameter `name` (one of `HashingHyperparameters.names`).
private func hyperparameter(_ name: String) -> HyperparameterSpec {
    guard let spec = HashingHyperparameters.spec(named: name) else { preconditionFailure("no hyperparameter \(name)") }
    return spec
}

/// The labelled images an argument names (a data value or a split's part), with a one-line error when empty.
func trainingImages(_ invocation: Invocation, _ argument: String) throws -> LabeledImages {
    guard let value = invocation.value(argument) else {
        throw ShellError.missingArgument(command: invocation.command.name, argument: argument)
    }
    return try labeledImages(of: value)
}

extension Argument {
    /// Labelled images given by name (a data set, or a split's part such as `p.train`), required.
    static func images(_ keyword: String, _ abstract: String, required: Bool,
                       positional: Bool = false) -> Parameter<LabeledImages> {
        precondition(required, "required images say required: true")
        let argument = positional
            ? Argument.positional(keyword, .value([LabeledImages.typeName]), abstract, placeholder: "DATA")
            : Argument.keyword(keyword, .value([LabeledImages.typeName]), abstract, required: true, placeholder: "DATA")
        return Parameter(argument) { try trainingImages($0, keyword) }
    }

    /// Labelled images given by name as an option: nil when left out.
    static func images(_ keyword: String, _ abstract: String, goesWith: [String] = []) -> Parameter<LabeledImages?> {
        let argument = Argument.keyword(keyword, .value([LabeledImages.typeName]), abstract, placeholder: "DATA",
                                        goesWith: goesWith)
        return Parameter(argument) { $0.has(keyword) ? try trainingImages($0, keyword) : nil }
    }
}

/// The deep methods' names, "dlbhc, dsh, …, classifier", and the shallow ones', for help texts.
let deepMethodNames = HashingMethod.allCases.filter { !$0.isShallow }.map(\.rawValue).joined(separator: ", ")
let shallowMethodNames = HashingMethod.allCases.filter(\.isShallow).map(\.rawValue).joined(separator: ", ")

extension HashingMethod: ArgumentWord {}
extension HashingNet: ArgumentWord {}
extension HashingFeatures: ArgumentWord {}

/// `model`'s arguments; each option is a hyperparameter, described by its declaration.
enum ModelCommand {
    static let method = Argument.positional("method", HashingMethod.self, "the hashing method")
    static let bits = Argument.keyword("bits", Int.self, hyperparameter("bits").meaning + " "
                                           + hyperparameter("bits").values.bounds, required: true)
    static let net = Argument.keyword("net", HashingNet.self, hyperparameter("net").meaning,
                                      otherwise: hyperparameter("net").defaultText)
    static let seed = Argument.keyword("seed", Int.self, hyperparameter("seed").meaning,
                                       otherwise: hyperparameter("seed").defaultText, bounds: .atLeast(0))
    static let features = Argument.keyword("features", HashingFeatures.self,
                                           hyperparameter("features").meaning + " (shallow methods)",
                                           otherwise: hyperparameter("features").defaultText)
    static let from = Argument.keyword("from", value: ModelValue.self,
                                       "with features penultimate: the trained deep model whose penultimate layer gives them",
                                       placeholder: "MODEL")
}

let modelCommands: [Command] = [
    Command("model", topic: .models,
            abstract: "Makes a hashing model of K bits: deep (\(deepMethodNames)) or shallow (\(shallowMethodNames)).",
            discussion: """
                A shallow model has no network: it computes features of each image (features pixels: the raw \
                pixel values) and trains in one pass (`train M on DATA`, no epochs). For a deep model, the network is built at the first train or encode, for the images' shape. Nets: dsh-cifar (the DSH \
                paper's three conv-pool blocks and two fc layers, for 32×32 CIFAR-10, as its Caffe prototxt), \
                dsh-torch (the same net as PyTorch ports write it: ReLU before each pooling, floor-mode pooling, \
                Glorot-normal weights), small-conv (two small conv blocks, quick on small images), mlp (one hidden \
                layer). Change any hyperparameter with \
                `set M.FIELD VALUE` (see `show M`); \(HashingHyperparameters.listing(HashingHyperparameters.architectureNames)) \
                are fixed once the model has trained.
                """,
            arguments: [ModelCommand.method],
            options: [ModelCommand.bits, ModelCommand.net, ModelCommand.seed, ModelCommand.features,
                       ModelCommand.from],
            result: .required(ModelValue.typeName),
            examples: ["model dsh bits 12 as m", "model dpsh bits 48 net small-conv seed 2 as m2",
                       "model itq bits 32 features pixels as q"]) { invocation in
        let model = try prefixingErrors("model") { () throws -> HashingModel in
            var hyperparameters = try HashingHyperparameters(method: try invocation[ModelCommand.method],
                                                             bits: try invocation[ModelCommand.bits])
            if let net = try invocation[ModelCommand.net] { try hyperparameters.set("net", to: net.rawValue) }
            if let features = try invocation[ModelCommand.features] {
                try hyperparameters.set("features", to: features.rawValue)
            }
            if let seed = try invocation[ModelCommand.seed] { try hyperparameters.set("seed", to: String(seed)) }
            // An option this method does not read would change nothing: refused with the reason.
            let options = [ModelCommand.net.name, ModelCommand.features.name, ModelCommand.seed.name]
            if let given = options.first(where: { invocation.has($0) && !hyperparameters.applies($0) }) {
                throw HashingError(hyperparameters.unreadReason(for: given)!)
            }
            // Penultimate features come from a deep model, given with `from`; `from` goes with them only.
            let penultimate = hyperparameters.features == .penultimate
            let source = try invocation[ModelCommand.from]
            guard penultimate == (source != nil) else {
                throw HashingError(penultimate ? "features penultimate need `from MODEL`: the trained deep model to take them from"
                                              : "from MODEL goes with features penultimate")
            }
            guard let source else { return try HashingModel(hyperparameters: hyperparameters) }
            hyperparameters.features = .pixels
            let model = try HashingModel(hyperparameters: hyperparameters)
            try model.takeFeatures(from: source.model)
            return model
        }
        let value = ModelValue(model)
        invocation.output.line("\(invocation.resultName!): \(value.summary)")
        return value
    },
]
