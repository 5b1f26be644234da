import Codes
import Foundation
import ShallowHashing

/// One hashing model: a method with its hyperparameters and what it learnt. It trains on `LabeledImages`, gives k
/// real outputs per image and the binary codes, and saves to / loads from a file.
///
/// A deep method (DLBHC, DSH, DPSH, triplet, HashNet, GreedyHash, CSQ, the classifier baseline) has a network, the
/// per-channel normalisation measured on its first training data, and the training history; it trains epoch by
/// epoch, stoppable after any batch and resumable. A shallow method (LSH, PCAH, ITQ, SH) has no network: it computes
/// features of the images (`features`) and trains in one pass (`HashingModelOnePass.swift`); its outputs are the real
/// projections whose signs are the bits.
///
/// The network is built when the image shape is first known (at `init(…inputShape:)`, the first `train`, or the
/// first `outputs`), from `hyperparameters.netSpec(inputShape:classCount:)`. The CODE LAYER is the layer whose
/// output is binarised: the last layer for DSH, DPSH, triplet, HashNet and CSQ (codes sign(u) > 0), DLBHC's sigmoid
/// latent layer (codes σ > 0.5) and GreedyHash's layer before the sign, whose activations `outputs(for:)` returns by
/// running the layers up to it. The classifier baseline's code layer gives class scores, which `outputs(for:)` turns
/// into the predicted class's codeword (`ClassCodewords`), ±1 values.
///
/// Not thread-safe; `@unchecked Sendable` so that a shell can train it on another thread.
public final class HashingModel: @unchecked Sendable {
    public private(set) var hyperparameters: HashingHyperparameters
    public private(set) var network: Network?
    /// Index into `network.layers` of the code layer.
    public private(set) var codeLayerIndex: Int?
    /// Channel statistics of the first training data (used for every later batch and for encoding).
    public private(set) var normalization: Normalization?
    /// `[channels, height, width]` of the images the network takes.
    public internal(set) var inputShape: [Int]?
    /// Classes of DLBHC's classifier (other methods ignore it).
    public internal(set) var classCount: Int
    /// One record per completed epoch, over every `train` call.
    public private(set) var history: [EpochRecord] = []
    /// The retrieval quality measured during training (`train … query Q database D`), in the order measured.
    public internal(set) var evaluations: [EvaluationRecord] = []

    private var trainer: Trainer?
    private var trainerHyperparameters: HashingHyperparameters?
    private var trainerData: String?
    var pairwiseLoss: PairwiseLabelLikelihoodLoss?
    /// The checkpoint a model was loaded from, whose optimiser state, position and DPSH memory are restored by
    /// the next `train` on the same data.
    var savedState: Checkpoint?
    /// A shallow model's trained hasher (nil for a deep model, and before training).
    public internal(set) var shallowHasher: (any ShallowHasher)?
    /// What a shallow model trained on, and how long it took.
    public internal(set) var onePassTraining: OnePassTraining?
    /// The deep model whose penultimate layer a shallow model with `features penultimate` takes its features from
    /// (an inference copy; `takeFeatures(from:)`).
    public internal(set) var featureModel: HashingModel?

    /// A model with `hyperparameters`; the network is built now if `inputShape` is given, else at first use.
    public init(hyperparameters: HashingHyperparameters, inputShape: [Int]? = nil, classCount: Int = 10) throws {
        try hyperparameters.validate()
        self.hyperparameters = hyperparameters
        self.classCount = classCount
        if let inputShape { try buildNetwork(inputShape: inputShape) }
    }

    /// A model with the defaults of `method` at `bits` bits on `net`.
    public convenience init(method: HashingMethod, bits: Int, net: HashingNet = .dshCIFAR,
                            inputShape: [Int]? = nil, classCount: Int = 10) throws {
        var hyperparameters = try HashingHyperparameters(method: method, bits: bits)
        hyperparameters.net = net
        try self.init(hyperparameters: hyperparameters, inputShape: inputShape, classCount: classCount)
    }

    public var method: HashingMethod { hyperparameters.method }
    public var bits: Int { hyperparameters.bits }
    /// Outputs above this become 1-bits: 0 (sign) for DSH/DPSH/triplet, 0.5 for DLBHC's sigmoid.
    public var codeThreshold: Float { method == .dlbhc ? 0.5 : 0 }
    public var completedEpochs: Int { history.count }
    /// Whether the weights were read from a safetensors file (`loadSafetensors`): trained, perhaps elsewhere, though
    /// not in `history`.
    public internal(set) var holdsImportedWeights = false
    /// Whether any optimiser step has been taken, or the weights were imported (then the architecture is fixed).
    public var hasTrained: Bool {
        shallowHasher != nil || holdsImportedWeights || !history.isEmpty || (trainer?.optimizer.steps ?? 0) > 0 || (savedState?.header.position?.optimizerSteps ?? 0) > 0
    }
    /// Where training stands: the next epoch and batch to run (batch > 0 means an epoch was interrupted).
    public var position: (epoch: Int, batch: Int) {
        if let trainer { return (trainer.epoch, trainer.batch) }
        if let saved = savedState?.header.position { return (saved.epoch, saved.batch) }
        return (history.count, 0)
    }

    /// Builds the network for images of `inputShape` from the hyperparameters and the seed.
    func buildNetwork(inputShape: [Int]) throws {
        if method.isShallow { return }  // no network: the features are computed at train and encode
        let (spec, code) = try hyperparameters.netSpec(inputShape: inputShape, classCount: classCount)
        if method == .classifier {  // refuses more classes than its bits can tell apart
            _ = try ClassCodewords(classes: classCount, bits: bits)
        }
        network = try Network(spec: spec, seed: hyperparameters.seed)
        codeLayerIndex = code
        self.inputShape = inputShape
        configureLayers()
    }

    /// The net this model has (or would have for `inputShape` when it has none yet), for display.
    public func netSpec(inputShape: [Int] = [3, 32, 32]) throws -> NetSpec {
        if let network { return network.spec }
        return try hyperparameters.netSpec(inputShape: inputShape, classCount: classCount).spec
    }

    // MARK: Hyperparameters

    /// Sets one hyperparameter by its shell name (see `HashingHyperparameters.specs`). Names that shape the
    /// network (`HashingHyperparameters.architectureNames`) cannot change after training has started; the others
    /// take effect at the next `train`.
    public func set(_ name: String, to text: String) throws {
        var updated = hyperparameters
        try updated.set(name, to: text)
        try setHyperparameters(updated)
    }

    /// Replaces every hyperparameter at once (same rules as `set`).
    public func setHyperparameters(_ updated: HashingHyperparameters) throws {
        try updated.validate()
        if updated.method.isShallow, updated.features == .penultimate, featureModel == nil {
            throw HashingError("features penultimate come from a trained deep model: make the model with "
                               + "`model METHOD bits K features penultimate from MODEL`")
        }
        let reshapes = !updated.hasTheSameNetwork(as: hyperparameters)
        if reshapes && hasTrained {
            throw HashingError(HashingHyperparameters.listing(HashingHyperparameters.architectureNames)
                               + " are fixed once a model has trained; make a new model")
        }
        let previous = hyperparameters
        hyperparameters = updated
        configureLayers()
        if reshapes, let inputShape {
            do { try buildNetwork(inputShape: inputShape) } catch { hyperparameters = previous; throw error }
            trainer = nil
            pairwiseLoss = nil
        }
    }

    // MARK: Training

    /// A cheap identity of a data set: shape, labels and a sample of the pixels (FNV-1a).
    public static func fingerprint(_ images: LabeledImages) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        for label in images.labels { withUnsafeBytes(of: label.littleEndian) { $0.forEach(mix) } }
        let stride = max(1, images.pixels.count / 4_000_000)
        images.pixels.withUnsafeBufferPointer { pixels in
            var index = 0
            while index < pixels.count { mix(pixels[index]); index += stride }
        }
        return "\(images.count)x\(images.channels)x\(images.height)x\(images.width):\(String(hash, radix: 16))"
    }

    private static func sameOptimizerKind(_ a: OptimizerSpec, _ b: OptimizerSpec) -> Bool {
        switch (a, b) {
        case (.adam, .adam), (.sgd, .sgd): return true
        default: return false
        }
    }

    /// Trains until the model has completed `epochs` epochs IN TOTAL (counting every earlier call), or until
    /// `shouldStop()` (polled after every batch) returns true. Calling it again continues exactly where it
    /// stopped: same data and hyperparameters give the same weights as an uninterrupted run. Changed
    /// hyperparameters (learning rate, α, …) take effect from the current position; the optimiser state is kept
    /// unless the optimiser kind changed. New data continues the epoch count on the new images.
    /// `epochs` ≤ `completedEpochs` does nothing. DLBHC labels must lie in 0..<classCount. `epochEnded` is called
    /// after every finished epoch with the epochs completed so far (`history` includes it). A failure rolls the
    /// model back to what it was before this call: weights, history and measurements.
    @discardableResult
    public func train(on images: LabeledImages, epochs: Int, progress: (TrainingProgress) -> Void = { _ in },
                      epochEnded: (Int) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws -> Trainer.Outcome {
        guard epochs >= 0 else { throw HashingError("epochs must be ≥ 0, not \(epochs)") }
        guard images.count >= 2 else { throw HashingError("training needs at least 2 images, got \(images.count)") }
        if method.isShallow { return try trainInOnePass(on: images, shouldStop: shouldStop) }
        let shape = [images.channels, images.height, images.width]
        if network == nil {
            if method.learnsFromClasses {
                classCount = max(images.classNames.count, Int(images.labels.max() ?? 0) + 1)
            }
            try buildNetwork(inputShape: shape)
        }
        guard let network, shape == inputShape else {
            throw HashingError("images are \(shape.map(String.init).joined(separator: "x")) but the model takes "
                               + (inputShape ?? []).map(String.init).joined(separator: "x"))
        }
        if method.learnsFromClasses, let bad = images.labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
            throw HashingError("label \(bad) is outside the model's \(classCount) classes")
        }
        if epochs <= completedEpochs { return .finished }
        // What the model was before this call, to go back to if training fails: a diverging run (too high a
        // learning rate) ends in NaN weights, and the user's model must not be lost to it. Tensors are
        // copy-on-write, so the snapshot costs a copy only of what training then changes.
        let before = (snapshot: try checkpoint(), history: history, normalization: normalization,
                      evaluations: evaluations)
        if normalization == nil { normalization = Normalization(measuring: images) }
        let data = HashingModel.fingerprint(images)
        let configuration = hyperparameters.trainingConfiguration(epochs: epochs)
        if let trainer, trainerData == data, trainerHyperparameters == hyperparameters,
           trainer.configuration == configuration {
            // Same run: continue.
        } else {
            let previous = trainerData == data ? trainer : nil
            let loss = try makeLoss(for: images, data: data, carryMemoryFrom: previous == nil ? nil : pairwiseLoss)
            let fresh = try Trainer(network: network, loss: loss, images: images, normalization: normalization!,
                                    configuration: configuration)
            if let previous {
                fresh.resume(from: previous.position)
                if HashingModel.sameOptimizerKind(previous.optimizer.spec, fresh.optimizer.spec) {
                    let state = Dictionary(previous.optimizer.state.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
                    try fresh.optimizer.restore(state: state, steps: previous.optimizer.steps)
                }
            } else if let saved = savedState, saved.header.metadata[MetadataKey.trainingData] == data,
                      let position = saved.header.position {
                fresh.resume(from: position)
                if let savedConfiguration = saved.header.training,
                   HashingModel.sameOptimizerKind(savedConfiguration.optimizer, fresh.optimizer.spec) {
                    let state = Dictionary(saved.tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
                    try fresh.optimizer.restore(state: state, steps: position.optimizerSteps)
                }
            } else {
                fresh.resume(from: TrainingPosition(epoch: completedEpochs, batch: 0, epochLossSum: 0, epochSeconds: 0,
                                                    optimizerSteps: 0, history: history))
            }
            savedState = nil
            trainer = fresh
            trainerData = data
            trainerHyperparameters = hyperparameters
        }
        let outcome: Trainer.Outcome
        do {
            let running = trainer!
            outcome = try running.train(progress: progress, epochEnded: { _ in
                self.history = running.history
                epochEnded(self.completedEpochs)
            }, shouldStop: shouldStop)
        } catch {
            try restore(before.snapshot, history: before.history, normalization: before.normalization)
            evaluations = before.evaluations
            let epochs = before.history.count
            let note = "the model is back as it was before this training (\(epochs) epoch" + (epochs == 1 ? "" : "s") + ")"
            if var diverged = error as? TrainingDivergedError {
                diverged.note = note + ": lower the learning rate and train again"
                throw diverged
            }
            throw HashingError("\(error); " + note)
        }
        history = trainer!.history
        return outcome
    }

    /// Puts the model back to `snapshot`, made by `checkpoint()` at the start of a `train` that failed: weights,
    /// and through `savedState` the optimiser state, position and DPSH memory that the next `train` resumes from.
    private func restore(_ snapshot: Checkpoint, history: [EpochRecord], normalization: Normalization?) throws {
        guard let network else { return }
        try snapshot.load(into: network)
        self.history = history
        self.normalization = normalization
        trainer = nil
        trainerData = nil
        trainerHyperparameters = nil
        pairwiseLoss = nil
        savedState = snapshot.header.position == nil ? nil : snapshot
    }

    /// Keeps a measurement of the model's retrieval quality, made after `record.epochs` completed epochs.
    public func record(_ evaluation: EvaluationRecord) {
        evaluations.append(evaluation)
    }

    // MARK: Checkpoints

    enum MetadataKey {
        static let kind = "kind"
        static let hyperparameters = "hashing-hyperparameters"
        static let codeLayer = "hashing-code-layer"
        static let classCount = "hashing-class-count"
        static let history = "hashing-history"
        static let evaluations = "hashing-evaluations"
        static let trainingData = "hashing-training-data"
        static let memoryTensor = "dpsh/memory"
    }

    /// The model as a checkpoint: weights, normalisation, hyperparameters, history, and — when it has trained in
    /// this session — the optimiser state, training position and DPSH memory, so that training can resume.
    public func checkpoint() throws -> Checkpoint {
        guard !method.isShallow else { throw HashingError("a \(method) model has no network checkpoint") }
        guard let network, let codeLayerIndex else {
            throw HashingError("the model has no network yet: train it (or encode with it) first")
        }
        var metadata = try modelMetadata(codeLayerIndex: codeLayerIndex)
        var checkpoint: Checkpoint
        if let trainer {
            if let trainerData { metadata[MetadataKey.trainingData] = trainerData }
            checkpoint = Checkpoint(trainer: trainer, metadata: metadata)
            if method == .dpsh, let pairwiseLoss {
                checkpoint.tensors.append(NamedTensor(name: MetadataKey.memoryTensor, tensor: pairwiseLoss.memory))
            }
        } else if var saved = savedState {
            if let data = saved.header.metadata[MetadataKey.trainingData] { metadata[MetadataKey.trainingData] = data }
            saved.header.metadata = metadata
            checkpoint = saved
        } else {
            checkpoint = Checkpoint(network: network, normalization: normalization, metadata: metadata)
        }
        checkpoint.header.normalization = normalization
        return checkpoint
    }

    /// What a checkpoint says about the model besides its tensors: hyperparameters, code layer, classes, history.
    private func modelMetadata(codeLayerIndex: Int) throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return [
            MetadataKey.kind: "hashing-model",
            MetadataKey.hyperparameters: String(decoding: try encoder.encode(hyperparameters), as: UTF8.self),
            MetadataKey.codeLayer: String(codeLayerIndex),
            MetadataKey.classCount: String(classCount),
            MetadataKey.history: String(decoding: try encoder.encode(history), as: UTF8.self),
            MetadataKey.evaluations: String(decoding: try encoder.encode(evaluations), as: UTF8.self),
        ]
    }

    /// A copy that later training of this model cannot change, holding only what inference reads: the weights,
    /// the normalisation, the hyperparameters and the history — not the trainer (optimiser state, batch buffers,
    /// cached activations, DPSH's memory), which is most of a training model's memory. Its outputs equal this
    /// model's bit for bit. A model that has not trained has no normalisation of its own (it normalises each set
    /// it encodes by that set's statistics); `fallback` (evaluated only then) is the one the copy keeps. A model without a network
    /// yet copies as a fresh model with the same hyperparameters.
    public func inferenceCopy(normalizationIfUntrained fallback: @autoclosure () throws -> Normalization? = nil)
        throws -> HashingModel {
        if method.isShallow { return try shallowCopy() }
        guard let network, let codeLayerIndex else {
            return try HashingModel(hyperparameters: hyperparameters, classCount: classCount)
        }
        let snapshot = Checkpoint(network: network, normalization: try normalization ?? fallback(),
                                  metadata: try modelMetadata(codeLayerIndex: codeLayerIndex))
        return try HashingModel(checkpoint: snapshot)
    }

    /// Writes the checkpoint to `path` (temporary file, then rename).
    public func save(to path: String) throws {
        if method.isShallow { return try saveShallow(to: path) }
        try checkpoint().write(to: path)
    }

    /// Reads a model saved by `save(to:)`: a checkpoint, or a shallow model's safetensors file.
    public static func load(from path: String) throws -> HashingModel {
        if let shallow = try loadShallowIfShallow(from: path) { return shallow }
        return try HashingModel(checkpoint: Checkpoint.read(from: path), path: path)
    }

    /// Rebuilds a model from a checkpoint made by `checkpoint()`; `path` labels errors.
    public convenience init(checkpoint: Checkpoint, path: String = "<memory>") throws {
        let metadata = checkpoint.header.metadata
        guard let json = metadata[MetadataKey.hyperparameters] else {
            throw HashingError("\(path): the checkpoint holds a network but no hashing model (no hyperparameters)")
        }
        let decoder = JSONDecoder()
        let hyperparameters: HashingHyperparameters
        do { hyperparameters = try decoder.decode(HashingHyperparameters.self, from: Data(json.utf8)) } catch {
            throw HashingError("\(path): the hashing hyperparameters in the checkpoint are malformed")
        }
        let classCount = Int(metadata[MetadataKey.classCount] ?? "") ?? 10
        try self.init(hyperparameters: hyperparameters, inputShape: checkpoint.spec.inputShape, classCount: classCount)
        guard let network, network.spec == checkpoint.spec,
              String(codeLayerIndex ?? -1) == (metadata[MetadataKey.codeLayer] ?? String(codeLayerIndex ?? -1)) else {
            throw HashingError("\(path): the stored network does not match its hyperparameters")
        }
        try checkpoint.load(into: network)
        normalization = checkpoint.header.normalization
        if let historyJSON = metadata[MetadataKey.history],
           let stored = try? decoder.decode([EpochRecord].self, from: Data(historyJSON.utf8)) {
            history = stored
        } else {
            history = checkpoint.header.position?.history ?? []
        }
        if let evaluationsJSON = metadata[MetadataKey.evaluations] {
            do { evaluations = try decoder.decode([EvaluationRecord].self, from: Data(evaluationsJSON.utf8)) } catch {
                throw HashingError("\(path): the evaluations recorded in the checkpoint are malformed")
            }
        }
        savedState = checkpoint
    }
}
