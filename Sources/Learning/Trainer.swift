import Foundation

/// Everything that defines a training run besides the network and the data (stored in checkpoints).
public struct TrainingConfiguration: Sendable, Equatable, Codable {
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: OptimizerSpec
    public var schedule: LearningRateSchedule
    public var augmentation: Augmentation
    /// Seeds the batch order and augmentation (the network's weights have their own seed).
    public var seed: UInt64

    public init(epochs: Int, batchSize: Int = 64, optimizer: OptimizerSpec = .adam(),
                schedule: LearningRateSchedule = .constant(1e-3), augmentation: Augmentation = .none, seed: UInt64 = 1) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.schedule = schedule
        self.augmentation = augmentation
        self.seed = seed
    }
}

/// What the progress callback sees after every batch.
public struct TrainingProgress: Sendable {
    /// 0-based epoch and batch within it.
    public var epoch: Int
    public var epochs: Int
    public var batch: Int
    public var batchesPerEpoch: Int
    /// This batch's loss, and the running mean over the epoch so far.
    public var loss: Double
    public var epochLoss: Double
    public var imagesPerSecond: Double
    /// Estimated seconds left for the whole run, from the speed so far.
    public var secondsRemaining: Double
    public var learningRate: Float
}

/// One finished epoch.
public struct EpochRecord: Sendable, Equatable, Codable {
    public var epoch: Int
    /// Mean training loss over the epoch's batches.
    public var loss: Double
    public var seconds: Double
}

/// Training stopped because a batch's loss was NaN or infinite: the steps grew until the arithmetic overflowed,
/// usually because the learning rate is too high. `note` says what became of the model.
public struct TrainingDivergedError: Error, CustomStringConvertible, Equatable {
    public var loss: Double
    /// The epoch it happened in, counted from 1.
    public var epoch: Int
    public var note: String = ""

    public init(loss: Double, epoch: Int, note: String = "") {
        self.loss = loss
        self.epoch = epoch
        self.note = note
    }

    public var description: String {
        "training diverged: loss is \(loss) in epoch \(epoch)" + (note.isEmpty ? "" : "; " + note)
    }
}

/// Trains a network with a loss on labelled images: epochs of seeded shuffled batches, forward, loss, backward,
/// optimiser step. `train` can be stopped after any batch and called again to resume where it stopped; the
/// result is then bit-identical to an uninterrupted run (batches depend only on (seed, epoch, batch); the
/// optimiser keeps its state). Dropout masks are the one exception: they follow the layer's generator.
public final class Trainer: @unchecked Sendable {
    public let network: Network
    public let loss: Loss
    public private(set) var configuration: TrainingConfiguration
    public let optimizer: Optimizer
    public let batcher: Batcher
    /// The next epoch and batch to run.
    public private(set) var epoch = 0
    public private(set) var batch = 0
    public private(set) var history: [EpochRecord] = []
    /// Partial sums of an epoch interrupted mid-way.
    private var epochLossSum: Double = 0
    private var epochSeconds: Double = 0

    private var input = Tensor(shape: [0])
    private var labels: [Int32] = []
    private var gradient = Tensor(shape: [0])

    public init(network: Network, loss: Loss, images: LabeledImages, normalization: Normalization,
                configuration: TrainingConfiguration) throws {
        guard [images.channels, images.height, images.width] == network.spec.inputShape else {
            throw LayerError("images are \(images.channels)x\(images.height)x\(images.width) but \(network.spec.name) "
                             + "expects \(network.spec.inputShape.map(String.init).joined(separator: "x"))")
        }
        guard images.count > 0, configuration.batchSize > 0, configuration.epochs >= 0 else {
            throw LayerError("training needs images, a positive batch size and epochs ≥ 0")
        }
        self.network = network
        self.loss = loss
        self.configuration = configuration
        optimizer = Optimizer(spec: configuration.optimizer, network: network)
        batcher = try Batcher(images: images, batchSize: configuration.batchSize, normalization: normalization,
                              augmentation: configuration.augmentation, shuffles: true, seed: configuration.seed)
        if loss is SoftmaxCrossEntropy {
            let classes = network.outputShape.reduce(1, *)
            if let bad = images.labels.first(where: { $0 < 0 || Int($0) >= classes }) {
                throw LayerError("label \(bad) does not fit the \(classes) outputs of \(network.spec.name) for softmax")
            }
        }
    }

    public var isFinished: Bool { epoch >= configuration.epochs }

    /// Changes the number of epochs of the run (to train a finished model further, or to end sooner); never
    /// below the epochs already done. The schedule is not changed.
    public func setEpochs(_ epochs: Int) {
        configuration.epochs = max(epochs, epoch)
    }

    /// Why `train` returned.
    public enum Outcome: Sendable, Equatable { case finished, stopped }

    /// Runs until every epoch is done or `shouldStop()` (polled after every batch) returns true. `epochEnded` is
    /// called after every finished epoch (its record already in `history`), before `shouldStop` is asked: a
    /// training run measures the model there, between two epochs, without leaving the loop.
    @discardableResult
    public func train(progress: (TrainingProgress) -> Void = { _ in }, epochEnded: (EpochRecord) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws -> Outcome {
        let batches = batcher.batchesPerEpoch
        let totalBatches = configuration.epochs * batches
        let runStart = monotonicSeconds()
        var imagesThisRun = 0, batchesThisRun = 0
        while epoch < configuration.epochs {
            let order = batcher.order(epoch: epoch)
            while batch < batches {
                let start = monotonicSeconds()
                let rate = configuration.schedule.rate(atEpoch: Double(epoch) + Double(batch) / Double(batches))
                batcher.fill(batch: &input, labels: &labels, index: batch, epoch: epoch, order: order, training: true)
                network.prepare(forTrainingStep: optimizer.steps)
                let outputs = try network.forward(input, training: true)
                let items = order[(batch * batcher.batchSize)..<min((batch + 1) * batcher.batchSize, order.count)]
                // The loss, plus whatever the layers add to the objective (GreedyHash's penalty; usually 0).
                let value = loss.evaluate(outputs: outputs, labels: labels, items: items, gradient: &gradient)
                    + network.penalty
                network.zeroGradients()
                network.backward(gradient)
                optimizer.step(learningRate: rate)
                let elapsed = monotonicSeconds() - start
                epochLossSum += value
                epochSeconds += elapsed
                imagesThisRun += labels.count
                batchesThisRun += 1
                batch += 1
                let runSeconds = monotonicSeconds() - runStart
                let done = epoch * batches + batch
                progress(TrainingProgress(epoch: epoch, epochs: configuration.epochs, batch: batch - 1,
                                          batchesPerEpoch: batches, loss: value, epochLoss: epochLossSum / Double(batch),
                                          imagesPerSecond: Double(imagesThisRun) / max(runSeconds, 1e-9),
                                          secondsRemaining: runSeconds / Double(batchesThisRun)
                                              * Double(totalBatches - done),
                                          learningRate: rate))
                if batch == batches {
                    history.append(EpochRecord(epoch: epoch, loss: epochLossSum / Double(batches), seconds: epochSeconds))
                    epoch += 1
                    batch = 0
                    epochLossSum = 0
                    epochSeconds = 0
                    if !value.isFinite { throw TrainingDivergedError(loss: value, epoch: epoch) }
                    epochEnded(history[history.count - 1])
                    if shouldStop() { return epoch >= configuration.epochs ? .finished : .stopped }
                    break
                }
                if !value.isFinite { throw TrainingDivergedError(loss: value, epoch: epoch + 1) }
                if shouldStop() { return .stopped }
            }
        }
        return .finished
    }

    /// Where training stands, for checkpoints: (epoch, batch, epoch loss sum so far, epoch seconds so far).
    public var position: TrainingPosition {
        TrainingPosition(epoch: epoch, batch: batch, epochLossSum: epochLossSum, epochSeconds: epochSeconds,
                         optimizerSteps: optimizer.steps, history: history)
    }

    /// Continues from a saved position (the network's weights and the optimiser state are restored separately).
    public func resume(from position: TrainingPosition) {
        epoch = position.epoch
        batch = position.batch
        epochLossSum = position.epochLossSum
        epochSeconds = position.epochSeconds
        history = position.history
    }
}

/// The trainer's place in its run, as stored in a checkpoint.
public struct TrainingPosition: Sendable, Equatable, Codable {
    public var epoch: Int
    public var batch: Int
    public var epochLossSum: Double
    public var epochSeconds: Double
    public var optimizerSteps: Int
    public var history: [EpochRecord]
}

extension Network {
    /// Runs the network in inference mode over every image of `images` (normalised, not augmented, in order)
    /// and returns all outputs stacked: count × the output of layer `throughLayer` (default: the last). A hashing
    /// model stops at its code layer (DLBHC's latent layer comes before its classifier); `encode` and the
    /// benchmark both go through here. `shouldStop` is asked before every batch; when it answers true the pass
    /// ends with a `CancellationError`.
    public func outputs(for images: LabeledImages, normalization: Normalization, batchSize: Int = 256,
                        throughLayer last: Int? = nil, shouldStop: () -> Bool = { false }) throws -> Tensor {
        guard [images.channels, images.height, images.width] == spec.inputShape else {
            throw LayerError("images are \(images.channels)x\(images.height)x\(images.width) but \(spec.name) "
                             + "expects \(spec.inputShape.map(String.init).joined(separator: "x"))")
        }
        let last = last ?? layers.count - 1
        precondition(layers.indices.contains(last), "layer \(last) is not one of the network's")
        let batcher = try Batcher(images: images, batchSize: max(batchSize, 1), normalization: normalization,
                                  shuffles: false, seed: 0)
        let order = batcher.order(epoch: 0)
        var result = Tensor(shape: [0])
        var input = Tensor(shape: [0]), labels: [Int32] = []
        var activations = [Tensor](repeating: Tensor(shape: [0]), count: last + 1)
        var written = 0
        for index in 0..<batcher.batchesPerEpoch {
            if shouldStop() { throw CancellationError() }
            batcher.fill(batch: &input, labels: &labels, index: index, epoch: 0, order: order, training: false)
            var layer = 0
            while layer <= last {
                let layerInput = layer == 0 ? input : activations[layer - 1]
                // A convolution and the per-image layers after it (pooling, ReLU) in one pass over each image.
                var end = layer
                while end < last, layers[end + 1] is ImageMap { end += 1 }
                if end > layer, let convolution = layers[layer] as? ConvolutionLayer,
                   try convolution.forward(input: layerInput, through: layers[(layer + 1)...end].map { $0 as! ImageMap },
                                           output: &activations[end]) {
                    layer = end + 1
                    continue
                }
                layers[layer].forward(input: layerInput, output: &activations[layer], training: false)
                layer += 1
            }
            let output = activations[last]
            if index == 0 { result = Tensor(shape: [images.count] + Array(output.shape.dropFirst())) }
            for i in 0..<output.count { result.storage[written + i] = output.storage[i] }
            written += output.count
        }
        return result
    }
}
