import ClassicHashing
import Codes
import Foundation
import Imaging
import Learning
import Plots

// Deep supervised hashing in the shell: make a model, set its hyperparameters, train it (with a live progress line,
// stoppable with Ctrl-C and resumable), encode images into codes, evaluate, and look at the real-valued outputs
// before they are binarised.
//
// The four methods differ only in the loss on the code layer's real outputs u (one per bit):
//   dlbhc   (Lin et al. 2015)  a sigmoid latent layer trained by a classifier on top; codes σ(u) > 0.5
//   dsh     (Liu et al. 2016)  pairs: similar ½‖u₁−u₂‖², dissimilar ½max(m−‖u₁−u₂‖², 0), plus α‖|u|−1‖₁
//   dpsh    (Li et al. 2016)   pairwise likelihood of the labels from θ = ½u₁ᵀu₂, plus η‖u−sign(u)‖²
//   triplet (Lai/Zhao-style)   max(0, ‖a−p‖² − ‖a−n‖² + margin) over mined triplets
// and the codes are always sign(u) (bit 1 when u > 0).

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

/// The statistics `hist` prints about a model's real outputs `values` (`count` rows of `bits`), binarised at
/// `threshold`: bit balance and the mean absolute correlation between bits.
struct CodeOutputStatistics {
    /// Per bit, the share of images whose output is above the threshold (a 1-bit). 0.5 is a balanced bit.
    var balance: [Double]
    /// Mean over pairs of distinct bits of |Pearson correlation| of their ±1 values (0 when there is one bit or
    /// a bit is constant, whose correlation is undefined and counted as 0).
    var meanAbsoluteCorrelation: Double
    /// Mean distance of an output to its nearer target value (±1, or 0/1 for a sigmoid).
    var meanQuantizationGap: Double
    /// The mean of `balance`.
    var meanBalance: Double { balance.reduce(0, +) / Double(max(balance.count, 1)) }

    init(values: [Float], count: Int, bits: Int, threshold: Float, targets: (Double, Double)) {
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

/// A model's real outputs on some images, with the statistics `hist` prints about them: the common part of `hist M`
/// and `hist S` (one per run of a sweep).
struct OutputDistribution {
    /// Every output, image by image (`images × bits`).
    var values: [Double]
    var statistics: CodeOutputStatistics
    /// DLBHC's sigmoid outputs lie in (0, 1) with threshold 0.5 and targets 0 and 1; the others' threshold is 0
    /// and targets ±1.
    var isSigmoid: Bool
    var threshold: Double

    init(of model: HashingModel, on images: LabeledImages) throws {
        let outputs = try model.outputs(for: images)
        values = outputs.storage.map(Double.init)
        isSigmoid = model.method == .dlbhc
        threshold = Double(model.codeThreshold)
        statistics = CodeOutputStatistics(values: outputs.storage, count: images.count, bits: model.bits,
                                          threshold: model.codeThreshold, targets: isSigmoid ? (0, 1) : (-1, 1))
    }

    /// "±1" or "0 and 1".
    var targetsDescription: String { isSigmoid ? "0 and 1" : "±1" }
    /// The values outputs are pulled towards.
    var targets: [Double] { isSigmoid ? [0, 1] : [-1, 1] }

    /// `count` bins over the outputs and the targets (so that ±1 always show), placed so that the threshold is a
    /// bin edge: no bin mixes outputs that become different bits.
    func bins(_ count: Int, over range: ClosedRange<Double>? = nil) -> HistogramBins {
        let finite = values.filter(\.isFinite)
        let low = min(range?.lowerBound ?? finite.min() ?? threshold, targets.min()!)
        let high = max(range?.upperBound ?? finite.max() ?? threshold, targets.max()!)
        return HistogramBins(values: values, bins: count, edgeAt: threshold, range: low...high)
    }
}

/// The classic hashes `encode … with KIND` offers: all five, at their default sizes (64 bits; colorhash 42).
let classicCodeKinds = HashKind.allCases.map(\.rawValue)

/// The codes of every image of `images` under the classic hash `kind` (default size), labelled with the images'
/// labels: the codes `encode DATA with KIND` makes.
public func classicHashCodes(of images: LabeledImages, kind: HashKind,
                             shouldStop: () -> Bool = { false }) throws -> CodeSet {
    let hashes = try (0..<images.count).map { index in
        if index % 256 == 0, shouldStop() { throw CancellationError() }
        return try ImageHash(of: images.image(at: index), kind: kind)
    }
    var codes = try CodeSet(hashes: hashes, labels: images.labels)
    codes.classNames = images.classNames
    return codes
}

/// The deep methods' names, "dlbhc, dsh, …, classifier", and the shallow ones', for help texts.
let deepMethodNames = HashingMethod.allCases.filter { !$0.isShallow }.map(\.rawValue).joined(separator: ", ")
let shallowMethodNames = HashingMethod.allCases.filter(\.isShallow).map(\.rawValue).joined(separator: ", ")

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
            arguments: [.positional("method", .word(HashingMethod.allCases.map(\.rawValue)), "the hashing method")],
            options: [.keyword("bits", .int, hyperparameter("bits").meaning + " " + hyperparameter("bits").values.bounds,
                               required: true),
                      .keyword("net", .word(HashingNet.allCases.map(\.rawValue)), hyperparameter("net").meaning,
                               default: hyperparameter("net").defaultText),
                      .keyword("seed", .int, hyperparameter("seed").meaning, default: hyperparameter("seed").defaultText),
                      .keyword("features", .word(HashingFeatures.allCases.map(\.rawValue)),
                               hyperparameter("features").meaning + " (shallow methods)",
                               default: hyperparameter("features").defaultText),
                      .keyword("from", .value([ModelValue.typeName]),
                               "with features penultimate: the trained deep model whose penultimate layer gives them",
                               placeholder: "MODEL")],
            result: .required(ModelValue.typeName),
            examples: ["model dsh bits 12 as m", "model dpsh bits 48 net small-conv seed 2 as m2",
                       "model itq bits 32 features pixels as q"]) { invocation in
        let method = HashingMethod(rawValue: invocation.string("method")!)!
        let model = try prefixingErrors("model") { () throws -> HashingModel in
            var hyperparameters = try HashingHyperparameters(method: method, bits: invocation.int("bits")!)
            for option in ["net", "features"] {
                if let value = invocation.string(option) { try hyperparameters.set(option, to: value) }
            }
            if invocation.has("seed") {
                try hyperparameters.set("seed", to: String(try seedOption(invocation, default: hyperparameters.seed)))
            }
            // An option this method does not read would change nothing: refused with the reason.
            if let given = ["net", "features", "seed"].first(where: { invocation.has($0) && !hyperparameters.applies($0) }) {
                throw HashingError(hyperparameters.unreadReason(for: given)!)
            }
            // Penultimate features come from a deep model, given with `from`; `from` goes with them only.
            let penultimate = hyperparameters.features == .penultimate
            guard penultimate == invocation.has("from") else {
                throw HashingError(penultimate ? "features penultimate need `from MODEL`: the trained deep model to take them from"
                                              : "from MODEL goes with features penultimate")
            }
            guard penultimate else { return try HashingModel(hyperparameters: hyperparameters) }
            let source = try invocation.value("from", as: ModelValue.self)
            hyperparameters.features = .pixels
            let model = try HashingModel(hyperparameters: hyperparameters)
            try model.takeFeatures(from: source.model)
            return model
        }
        let value = ModelValue(model)
        invocation.output.line("\(invocation.resultName!): \(value.summary)")
        return value
    },

    Command("train", topic: .models,
            abstract: "Trains a deep model for N more epochs on labelled images, with a live progress line (Ctrl-C stops), or a shallow one in one pass.",
            discussion: """
                A shallow model (lsh, pcah, itq, sh) trains in one pass, without epochs: the features of the \
                images, then its closed-form steps; training again with other settings or data starts afresh.
                Each epoch shuffles the images (from the model's seed) into batches; after every batch the progress \
                line shows the epoch, the mean loss so far, images per second and the time left; each finished \
                epoch leaves a summary line. Ctrl-C stops after the current batch: the model keeps the weights of \
                the last batch and encodes as usual, and the next `train` continues where it stopped (with the same \
                data and settings, exactly as if it had not stopped). Hyperparameters changed in between take \
                effect from there.
                With query DATA database DATA, the model is measured on those held-out images after every N-th \
                epoch (every N, default 1) and after the last: mAP, P@100 and P(r≤2) as `eval` gives them, kept in \
                the model's history (`show`, `plot learning`). The training loss only falls; mAP on unseen images \
                shows when the net starts to memorise its training set. The weights are those of a run without it.
                """,
            arguments: [.positional("model", .value([ModelValue.typeName]), "the model to train")],
            options: [.keyword("on", .value([LabeledImages.typeName]), "the training images (data, or a split's train)",
                               required: true, placeholder: "DATA"),
                      .keyword("epochs", .int, "how many more epochs (a deep model; a shallow one trains in one pass)"),
                      .keyword("query", .value([LabeledImages.typeName]),
                               "held-out query images to measure mAP on while training", placeholder: "DATA"),
                      .keyword("database", .value([LabeledImages.typeName]),
                               "the database images for those queries", placeholder: "DATA"),
                      .keyword("every", .int, "measure after every N-th epoch (with query and database)",
                               default: "1")],
            examples: ["train m on p.train epochs 5", "train q on p.train",
                       "train m on p.train epochs 20 query p.query database p.database every 5"]) { invocation in
        let model = try invocation.value("model", as: ModelValue.self).model
        let images = try trainingImages(invocation, "on")
        var evaluation: TrainingEvaluation?
        if invocation.has("query") || invocation.has("database") {
            guard invocation.has("query"), invocation.has("database") else {
                throw ShellError.message("train: give both query DATA and database DATA to measure while training")
            }
            evaluation = TrainingEvaluation(query: try trainingImages(invocation, "query"),
                                            database: try trainingImages(invocation, "database"),
                                            queryName: invocation.valueName("query")!,
                                            databaseName: invocation.valueName("database")!,
                                            every: invocation.int("every") ?? 1)
        } else if invocation.has("every") {
            throw ShellError.message("train: every goes with query DATA database DATA")
        }
        let shouldStop = invocation.session.interruptionCheck
        if model.method.isShallow {
            if invocation.has("epochs") {
                throw ShellError.message("train: \(model.method) trains in one pass; leave out epochs")
            }
            if evaluation != nil && invocation.has("every") {
                throw ShellError.message("train: every counts epochs, and \(model.method) trains in one pass")
            }
            try trainShallowModel(model, on: images, output: invocation.output, evaluation: evaluation,
                                  shouldStop: shouldStop)
            return nil
        }
        guard let epochs = invocation.int("epochs") else {
            throw ShellError.message("train: give epochs N, how many more epochs \(model.method) trains")
        }
        try trainModel(model, on: images, moreEpochs: epochs, output: invocation.output, evaluation: evaluation,
                       shouldStop: shouldStop)
        return nil
    },

    Command("encode", topic: .models,
            abstract: "Encodes labelled images into binary codes with a model, or a classic hash for comparison.",
            discussion: """
                With a model, the images go through the network in inference mode (batch norm uses its running \
                statistics) and each output above the threshold becomes a 1-bit: u > 0, or σ > 0.5 for dlbhc's \
                sigmoid layer; a classifier's code is the codeword of its predicted class. With a classic hash \
                kind, each image gets that hash at its default size (64 bits; \
                colorhash 42; tutorial 01), a baseline that knows nothing of the labels. The codes carry the images' labels, and remember \
                what made them and from which images: `search IMAGE in CODES` encodes an image the same way (with \
                the model as it was at this `encode`) and shows the nearest images.
                """,
            arguments: [.positional("data", .value([LabeledImages.typeName]), "the images (data, or a split's part)")],
            options: [.keyword("with", .oneOf([.value([ModelValue.typeName]), .word(classicCodeKinds)]),
                               "the model, or a classic hash kind", required: true,
                               placeholder: "MODEL|" + classicCodeKinds.joined(separator: "|"))],
            result: .required(CodeSet.typeName),
            examples: ["encode p.database with m as dbc", "encode p.database with phash as dbp"]) { invocation in
        let images = try trainingImages(invocation, "data")
        guard images.count > 0 else { throw ShellError.message("encode: `\(invocation.valueName("data")!)` is empty") }
        let codes: CodeSet
        let encoder: CodeEncoder
        if let model = invocation.value("with") as? ModelValue {
            let stop = invocation.session.interruptionCheck
            codes = try prefixingErrors("encode") { try model.model.encode(images, shouldStop: stop) }
            // Frozen as it encoded: an untrained model normalised `images` by their own statistics, so keep those.
            let frozen = try prefixingErrors("encode") {
                try model.model.inferenceCopy(normalizationIfUntrained: Normalization(measuring: images))
            }
            encoder = .model(frozen, name: invocation.valueName("with")!)
        } else {
            let kind = HashKind(rawValue: invocation.string("with")!)!
            let stop = invocation.session.interruptionCheck
            codes = try prefixingErrors("encode") { try classicHashCodes(of: images, kind: kind, shouldStop: stop) }
            encoder = .classicHash(kind)
        }
        invocation.output.line("\(invocation.resultName!): \(codes.summary)")
        return EncodedCodeSet(codes: codes, provenance: CodeProvenance(encoder: encoder, images: images,
                                                                       imagesName: invocation.valueName("data")!))
    },

    Command("hist", topic: .models,
            abstract: "Shows how the real outputs of a model, or of every run of a sweep, spread before binarising.",
            discussion: """
                DSH's figure on m and α: with α = 0 the outputs spread around 0 and many sit near the threshold, \
                where a small change flips a bit; the regulariser α‖|u|−1‖₁ pushes them towards ±1. Also shown: \
                each bit's share of 1s (0.5 is balanced: a bit that is almost always 1 carries little) and the mean \
                |correlation| between bits (0: every bit tells something new). The bins are placed so that the \
                threshold is a bin edge; the chart (PNG, or SVG with `to FILE.svg`) marks the threshold and the \
                targets and repeats these numbers under the bars.
                With a sweep S (made by `sweep … as S` in this session, which keeps every run's trained model): one \
                compact histogram per run, titled with its setting, all on the same bins and the same count scale, \
                then one line per run with its mean distance to ±1 (0 and 1 for dlbhc), bit balance and \
                correlation; the PNG has one panel per run on a shared axis (small multiples). A sweep loaded from \
                CSV has only the numbers, not the models.
                """,
            arguments: [.positional("model", .value([ModelValue.typeName, SweepTable.typeName]),
                                    "the model, or a sweep (one histogram per run)", placeholder: "MODEL|SWEEP")],
            options: [.keyword("on", .value([LabeledImages.typeName]), "the images", required: true,
                               placeholder: "DATA"),
                      .keyword("bins", .int, "histogram bins", default: "24"),
                      .keyword("to", .path, "a PNG or SVG file for the histogram (a sweep: all its panels)")],
            examples: ["hist m on p.query", "hist m on p.query to out/outputs.png",
                       "hist s on p.query to out/alpha.png"]) { invocation in
        let images = try trainingImages(invocation, "on")
        guard images.count > 0 else { throw ShellError.message("hist: `\(invocation.valueName("on")!)` is empty") }
        let bins = try positiveOption(invocation, "bins", default: 24)!
        let name = invocation.valueName("model")!
        if let sweep = invocation.value("model") as? SweepTable {
            try histogramOfSweep(sweep, named: name, on: images, bins: bins, path: invocation.string("to"),
                                 output: invocation.output)
            return nil
        }
        let model = try invocation.value("model", as: ModelValue.self).model
        let distribution = try prefixingErrors("hist") { try OutputDistribution(of: model, on: images) }
        let histogram = distribution.bins(bins)
        invocation.output.line("\(name): \(distribution.values.count) outputs of \(images.count) images × \(model.bits) bits "
                               + (distribution.isSigmoid ? "(sigmoid, threshold 0.5)" : "(threshold 0)"))
        invocation.output.write(TextPlot.histogram(histogram, width: max(10, min(40, invocation.output.renderContext.width - 40))))
        let statistics = distribution.statistics
        let balance = statistics.balance
        let gapLine = String(format: "mean distance to the nearer of %@: %.4f", distribution.targetsDescription,
                             statistics.meanQuantizationGap)
        let balanceLine = String(format: "bit balance (share of 1s): mean %.3f, min %.3f, max %.3f",
                                 statistics.meanBalance, balance.min() ?? 0, balance.max() ?? 0)
        let correlationLine = String(format: "mean |correlation| between bits: %.3f", statistics.meanAbsoluteCorrelation)
        invocation.output.line(gapLine)
        invocation.output.line(balanceLine)
        let perBit = "  per bit: "
        invocation.output.wrappedLine(perBit + balance.map { String(format: "%.2f", $0) }.joined(separator: " "),
                                      indent: String(repeating: " ", count: perBit.count))
        invocation.output.line(correlationLine)
        if let path = invocation.string("to") {
            var style = ChartStyle(title: "\(name): outputs before binarising (\(model.method) \(model.bits) bits)",
                                   xLabel: "output", yLabel: "count")
            style.showLegend = false
            style.referenceLines = outputMarks(threshold: distribution.threshold, targets: distribution.targets)
            style.caption = [gapLine + "; " + correlationLine, balanceLine]
            try writeChart(Chart.histogram(histogram, style: style), to: path, command: "hist", output: invocation.output)
            invocation.output.line("wrote \(path)")
        }
        return nil
    },

    Command("results", topic: .evaluation,
            abstract: "Lays several evaluations (kept with `eval … as NAME`) side by side in one table.",
            arguments: [.positional("metrics", .value([RetrievalMetrics.typeName]), "the evaluations",
                                    repeating: true, placeholder: "METRICS")],
            examples: ["results dsh12 dpsh12 phash"]) { invocation in
        let entries = invocation.all("metrics").compactMap { argument -> (String, RetrievalMetrics)? in
            if case .value(let name, let value as RetrievalMetrics) = argument { return (name, value) }
            return nil
        }
        let rows = entries.map { name, metrics in
            [name, String(format: "%.4f", metrics.mapAll), String(format: "%.4f", metrics.mapAtK),
             String(format: "%.4f", metrics.precisionAtK), metrics.precisionWithinRadiusText,
             String(format: "%.4f", metrics.mapTieAware), String(metrics.queryCount)]
        }
        let first = entries.first!.1
        invocation.output.write(TextPlot.table(header: ["", "mAP", "mAP@\(first.k)", "P@\(first.k)",
                                                        "P(r≤\(first.radius))", "tie-aware mAP", "queries"],
                                               rows: rows, alignments: [.left] + Array(repeating: .right, count: 6)))
        if Set(entries.map { "\($0.1.k) \($0.1.radius)" }).count > 1 {
            invocation.output.line("(the evaluations used different k or radius; headers show the first's)")
        }
        return nil
    },
]

/// The lines a chart of outputs draws: the threshold (solid) and the targets (dashed), e.g. 0 and ±1.
func outputMarks(threshold: Double, targets: [Double]) -> [ReferenceLine] {
    [.threshold(threshold)] + targets.filter { $0 != threshold }.map { .target($0) }
}

/// `plot loss M1 M2 …`: each model's mean training loss per epoch (from its history), one line each.
/// `plot learning M1 M2 …`: each model's mAP on its held-out queries against the epoch it was measured after
/// (`train … query Q database D every N`): the learning curve, where over-fitting shows as mAP falling while the
/// training loss still falls.
func plotLearningCurves(_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)],
                        _ path: String?) throws {
    let models = try trainedModels(values, kind: "learning", has: { !$0.evaluations.isEmpty },
                                   missing: "has no measurements; train it with query DATA database DATA every N")
    let rows = models.flatMap { name, model in
        model.evaluations.map { [name, String($0.epochs), String(format: "%.4f", $0.meanAveragePrecision),
                                 String(format: "%.4f", $0.precisionWithinRadius)] }
    }
    try drawModelCurves(invocation, path, kind: "learning", models: models, fromZero: true,
                        heading: "mAP on the held-out queries (up, from 0) against epochs trained (across)",
                        title: "learning curve", yLabel: "mAP",
                        listing: TextPlot.table(header: ["", "epochs", "mAP", "P(r≤2)"], rows: rows,
                                                alignments: [.left, .right, .right, .right])) { model in
        model.evaluations.map { (x: Double($0.epochs), y: $0.meanAveragePrecision) }
    }
}

/// `plot loss M1 M2 …`: each model's mean training loss per epoch, and the losses as a line per model.
func plotLoss(_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)], _ path: String?) throws {
    let models = try trainedModels(values, kind: "loss", has: { !$0.history.isEmpty },
                                   missing: "has not trained yet (no loss to draw)")
    let listing = models.flatMap { name, model in
        wrapped("\(name): " + model.history.map { formatLoss($0.loss) }.joined(separator: " "),
                width: invocation.output.width, indent: "    ")
    }
    try drawModelCurves(invocation, path, kind: "loss", models: models, heading: "training loss per epoch",
                        title: "training loss", yLabel: "loss", listing: listing.joined(separator: "\n") + "\n") { model in
        model.history.map { (x: Double($0.epoch + 1), y: $0.loss) }
    }
}

/// The models among `values`, or a one-line error naming the first that lacks what the plot draws.
private func trainedModels(_ values: [(name: String, value: any ShellValue)], kind: String,
                           has: (HashingModel) -> Bool, missing: String) throws -> [(String, HashingModel)] {
    let models = values.compactMap { entry in (entry.value as? ModelValue).map { (entry.name, $0.model) } }
    if let (name, _) = models.first(where: { !has($0.1) }) {
        throw ShellError.message("plot \(kind): `\(name)` \(missing)")
    }
    return models
}

/// A line per model against the epoch: a text chart, `listing` under it and, with `path`, a PNG chart.
private func drawModelCurves(_ invocation: Invocation, _ path: String?, kind: String, models: [(String, HashingModel)],
                             fromZero: Bool = false, heading: String, title: String, yLabel: String, listing: String,
                             points: (HashingModel) -> [(x: Double, y: Double)]) throws {
    // Each line is named by the model and what it is: "m (dsh 12 bits)".
    let series = models.map { name, model in
        Series(name: "\(name) (\(model.method) \(model.bits) bits)", points: points(model))
    }
    let context = invocation.output.renderContext
    invocation.output.line(heading)
    invocation.output.write(TextPlot.lineChart(series, width: max(20, min(60, context.width - 20)), height: 10,
                                               color: context.usesColour, yFromZero: fromZero))
    invocation.output.write(listing)
    if let path {
        var style = ChartStyle(title: invocation.string("title") ?? title, xLabel: "epoch", yLabel: yLabel)
        style.yFromZero = fromZero
        try makeParentFolder(of: path)
        try writeChart(Chart.line(series, style: style), to: path, command: "plot \(kind)", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
}
