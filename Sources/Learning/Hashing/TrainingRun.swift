import Codes
import Foundation

// A training run: what `train`, `sweep` and `compare` drive, and what the benchmark and `scripts/reproduce`
// measure through them. Given a model, images and how long to train — N more epochs, or one pass for a shallow
// method — it trains, measures the model on held-out images on a schedule, and reports what happens as events.
// The caller only renders them: the Shell draws a progress line, a sweep its ETA, a test collects them.
//
// Measuring happens between two epochs, inside the trainer's loop: encoding the held-out images runs the net in
// inference mode (batch norm on its running statistics, no dropout), which changes neither weights nor optimiser
// state nor batch order, so the weights after N epochs are bit for bit those of a run that never measured.

/// Held-out images a model is measured on as `eval` does it: the query images' codes rank the database images'
/// codes by Hamming distance; mAP over the whole database, precision@k and precision within Hamming radius r.
public struct HeldOutImages: Sendable {
    public var query: LabeledImages
    public var database: LabeledImages
    /// What the session calls them, kept with each measurement ("p.query in p.database").
    public var queryName: String
    public var databaseName: String
    public var k: Int
    public var radius: Int

    public init(query: LabeledImages, database: LabeledImages, queryName: String = "the queries",
                databaseName: String = "the database", k: Int = 100, radius: Int = 2) throws {
        guard query.count > 0, database.count > 0 else {
            throw HashingError("the query and database images must not be empty")
        }
        guard k >= 1 else { throw HashingError("k must be 1 or more, not \(k)") }
        guard radius >= 0 else { throw HashingError("radius must be 0 or more, not \(radius)") }
        self.query = query
        self.database = database
        self.queryName = queryName
        self.databaseName = databaseName
        self.k = k
        self.radius = radius
    }

    /// A one-line error unless both sets are images of the training images' shape.
    func checkShape(of images: LabeledImages) throws {
        let shape = [images.channels, images.height, images.width]
        for (name, set) in [(queryName, query), (databaseName, database)]
            where [set.channels, set.height, set.width] != shape {
            throw HashingError("\(name) are \(set.channels)x\(set.height)x\(set.width) images but the training "
                               + "images are \(shape.map(String.init).joined(separator: "x"))")
        }
    }

    /// Measures `model` as it is now; `shouldStop` is asked while encoding and ranking (a `CancellationError`).
    public func measure(_ model: HashingModel,
                        shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> EvaluationRecord {
        let metrics = try model.evaluate(query: query, database: database, k: k, radius: radius,
                                         shouldStop: shouldStop)
        return EvaluationRecord(epochs: model.completedEpochs, meanAveragePrecision: metrics.mapAll,
                                precisionAtK: metrics.precisionAtK, k: k,
                                precisionWithinRadius: metrics.precisionWithinRadius, radius: radius,
                                query: queryName, database: databaseName)
    }
}

extension HashingModel {
    /// The model's codes of the `query` images ranked against its codes of the `database` images: what `eval
    /// MODEL query … database …` prints.
    public func evaluate(query: LabeledImages, database: LabeledImages, k: Int, radius: Int,
                         shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> RetrievalMetrics {
        let queryCodes = try encode(query, shouldStop: shouldStop)
        let databaseCodes = try encode(database, shouldStop: shouldStop)
        return try evaluateRetrieval(queries: queryCodes, database: databaseCodes, k: k, radius: radius,
                                     shouldStop: shouldStop)
    }
}

/// One training run of a model: more epochs of a deep model, or the one pass of a shallow one, measured on
/// held-out images after every `every`-th epoch and after the last.
public struct TrainingRun {
    /// What happens during a run, in order.
    public enum Event {
        /// After every batch of a deep model but an epoch's last.
        case batch(TrainingProgress)
        /// After the last batch of an epoch: the progress then, whose `epochLoss` is the epoch's mean loss.
        case epochEnded(TrainingProgress)
        /// A measurement on the held-out images (also kept in the model's `evaluations`).
        case measured(EvaluationRecord)
        /// A shallow model's one pass is done.
        case trainedInOnePass(OnePassTraining)
        /// Stopped (`shouldStop`) before the end: after `batch` batches of the 0-based `epoch` (0 batches: between
        /// two epochs). The model keeps its weights; the same run again continues exactly where it stopped. A
        /// shallow model stops only before it changes (0, 0). A measurement Ctrl-C cut short is left out.
        case stopped(epoch: Int, batch: Int)
    }

    public let model: HashingModel
    public let images: LabeledImages
    /// How many more epochs a deep model trains; nil for a shallow model, which trains in one pass.
    public let moreEpochs: Int?
    /// The images to measure on, or nil for none.
    public let heldOut: HeldOutImages?
    /// Measure after every epoch whose number (counted over the model's whole history) is a multiple of this,
    /// and after the run's last; nil measures after the last only.
    public let every: Int?

    /// A run, checked before anything trains: a deep model needs `moreEpochs` ≥ 1 and a shallow one none; `every`
    /// counts epochs, so a shallow model takes none; training takes 2 images or more; held-out images have the
    /// training images' shape.
    public init(model: HashingModel, images: LabeledImages, moreEpochs: Int?, heldOut: HeldOutImages? = nil,
                every: Int? = nil) throws {
        if model.method.isShallow {
            if moreEpochs != nil { throw HashingError("\(model.method) trains in one pass; leave out epochs") }
            if every != nil { throw HashingError("every counts epochs, and \(model.method) trains in one pass") }
        } else {
            guard let moreEpochs else {
                throw HashingError("give epochs N, how many more epochs \(model.method) trains")
            }
            guard moreEpochs >= 1 else { throw HashingError("epochs must be 1 or more, not \(moreEpochs)") }
        }
        if let every, every < 1 { throw HashingError("every must be 1 or more, not \(every)") }
        guard images.count >= 2 else {
            throw HashingError("the data has \(images.count) image(s); training needs at least 2")
        }
        try heldOut?.checkShape(of: images)
        self.model = model
        self.images = images
        self.moreEpochs = moreEpochs
        self.heldOut = heldOut
        self.every = every
        targetEpochs = model.completedEpochs + (moreEpochs ?? 0)
    }

    /// The epochs the model will have completed at the end of the run, counted when the run was made: a stopped
    /// run run again continues to the same epoch (a shallow model: 0).
    public let targetEpochs: Int

    /// Trains, measuring as scheduled, until the run is done or `shouldStop` (polled after every batch) turns
    /// true. A diverging run throws `TrainingDivergedError` and leaves the model as it was before the run.
    @discardableResult
    public func run(report: (Event) -> Void = { _ in },
                    shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> Trainer.Outcome {
        guard moreEpochs != nil else { return try runOnePass(report: report, shouldStop: shouldStop) }
        let target = targetEpochs
        // A measurement Ctrl-C cut short is left out, and the run stops there, between two epochs. Any other
        // failure to measure stops the run too and is thrown once the trainer has returned (the weights trained
        // so far are kept).
        var measurementFailure: Error?
        let outcome = try model.train(on: images, epochs: target, progress: { progress in
            report(progress.batch + 1 == progress.batchesPerEpoch ? .epochEnded(progress) : .batch(progress))
        }, epochEnded: { completed in
            guard let heldOut, completed == target || every.map({ completed % $0 == 0 }) == true,
                  !shouldStop() else { return }
            do {
                let record = try heldOut.measure(model, shouldStop: shouldStop)
                model.record(record)
                report(.measured(record))
            } catch is CancellationError {
            } catch {
                measurementFailure = error
            }
        }, shouldStop: { shouldStop() || measurementFailure != nil })
        if let measurementFailure { throw measurementFailure }
        if outcome == .stopped {
            let (epoch, batch) = model.position
            report(.stopped(epoch: epoch, batch: batch))
        }
        return outcome
    }

    private func runOnePass(report: (Event) -> Void, shouldStop: @escaping @Sendable () -> Bool) throws
        -> Trainer.Outcome {
        let outcome = try model.train(on: images, epochs: 1, shouldStop: shouldStop)
        guard outcome == .finished, let done = model.onePassTraining else {
            report(.stopped(epoch: 0, batch: 0))
            return .stopped
        }
        report(.trainedInOnePass(done))
        if let heldOut, !shouldStop() {
            do {
                let record = try heldOut.measure(model, shouldStop: shouldStop)
                model.record(record)
                report(.measured(record))
            } catch is CancellationError {
                // Trained, but not measured: the run ends without a measurement.
            }
        }
        return .finished
    }
}
