import Codes
import Foundation
import Learning

// Training in the shell: the progress line, measuring on held-out images while a deep model trains, and the one
// pass of a shallow model. The training itself is Learning's (`HashingModel.train`).

/// The progress line of `train`: `epoch 2/5 ━━━━━━╸──── 41% batch 5/12 loss 0.8312 412 img/s ETA 0:07`.
func trainingProgressLine(_ progress: TrainingProgress, usesUnicode: Bool = true) -> String {
    let fraction = Double(progress.batch + 1) / Double(max(progress.batchesPerEpoch, 1))
    return "epoch \(progress.epoch + 1)/\(progress.epochs) " + ProgressBar(width: 20).bar(fraction, usesUnicode: usesUnicode)
        + " batch \(progress.batch + 1)/\(progress.batchesPerEpoch) loss \(formatLoss(progress.epochLoss))"
        + String(format: " %.0f img/s", progress.imagesPerSecond)
        + " ETA " + ProgressBar.clock(progress.secondsRemaining)
}

/// Held-out images to measure a model on while it trains (`train … query Q database D every N`).
struct TrainingEvaluation {
    var query: LabeledImages
    var database: LabeledImages
    var queryName: String
    var databaseName: String
    /// Measure after every epoch that is a multiple of this (counted over the model's whole history), and after
    /// the last epoch of the `train`.
    var every: Int
    var k = 100
    var radius = 2

    /// Measures `model` as it is now and records the result in the model's evaluations.
    func measure(_ model: HashingModel) throws -> EvaluationRecord {
        let metrics = try evaluateModel(model, query: query, database: database, k: k, radius: radius)
        let record = EvaluationRecord(epochs: model.completedEpochs, meanAveragePrecision: metrics.mapAll,
                                      precisionAtK: metrics.precisionAtK, k: k,
                                      precisionWithinRadius: metrics.precisionWithinRadius, radius: radius,
                                      query: queryName, database: databaseName)
        model.record(record)
        return record
    }
}

/// Trains `model` for `moreEpochs` more epochs on `images`, showing progress on `output` and stopping after the
/// current batch when `shouldStop` turns true. Returns whether it finished.
///
/// With an `evaluation`, training pauses at the end of every `every`-th epoch, measures the model on the held-out
/// images and goes on. The pause is the same as a Ctrl-C at an epoch's end followed by `train` again, which
/// resumes exactly, so the weights are bit for bit those of an uninterrupted run.
@discardableResult
func trainModel(_ model: HashingModel, on images: LabeledImages, moreEpochs: Int, output: Output,
                evaluation: TrainingEvaluation? = nil,
                shouldStop: @escaping @Sendable () -> Bool) throws -> Trainer.Outcome {
    guard moreEpochs >= 1 else { throw ShellError.message("train: epochs must be 1 or more, not \(moreEpochs)") }
    guard images.count >= 2 else {
        throw ShellError.message("train: the data has \(images.count) image(s); training needs at least 2")
    }
    if let evaluation {
        guard evaluation.every >= 1 else {
            throw ShellError.message("train: every must be 1 or more, not \(evaluation.every)")
        }
        guard evaluation.query.count > 0, evaluation.database.count > 0 else {
            throw ShellError.message("train: the query and database images must not be empty")
        }
        let shape = [images.channels, images.height, images.width]
        for (name, set) in [(evaluation.queryName, evaluation.query), (evaluation.databaseName, evaluation.database)]
            where [set.channels, set.height, set.width] != shape {
            throw ShellError.message("train: \(name) are \(set.channels)x\(set.height)x\(set.width) images but the "
                                     + "training images are \(shape.map(String.init).joined(separator: "x"))")
        }
    }
    let target = model.completedEpochs + moreEpochs
    let batchSize = model.hyperparameters.batchSize
    output.line("training \(model.method) \(model.bits) bits on \(images.count) images: epochs "
                + "\(model.completedEpochs + 1)…\(target), batch \(batchSize), learning rate "
                + model.hyperparameters.learningRate.hyperparameterText)
    var lastShown = 0.0
    // Set at the end of an epoch after which the evaluation is due; makes the trainer pause there.
    var pause = false
    var outcome = Trainer.Outcome.stopped
    while true {
        outcome = try prefixingErrors("train") {
            try model.train(on: images, epochs: target, progress: { progress in
                let now = monotonicSeconds()
                let endsEpoch = progress.batch + 1 == progress.batchesPerEpoch
                if endsEpoch {
                    output.finishProgress("epoch \(progress.epoch + 1)/\(progress.epochs): loss "
                                          + formatLoss(progress.epochLoss)
                                          + String(format: ", %.0f img/s", progress.imagesPerSecond)
                                          + ", ETA " + ProgressBar.clock(progress.secondsRemaining))
                    lastShown = now
                    if let evaluation, (progress.epoch + 1) % evaluation.every == 0 { pause = true }
                } else if lastShown == 0 || now - lastShown >= 0.1 {
                    output.progress(trainingProgressLine(progress))
                    lastShown = now
                }
            }, shouldStop: { shouldStop() || pause })
        }
        let paused = pause
        pause = false
        // A Ctrl-C wins over a due evaluation: the user asked to stop.
        if outcome == .stopped && (!paused || shouldStop()) { break }
        if let evaluation {
            let record = try prefixingErrors("train") { try evaluation.measure(model) }
            output.line("epoch \(record.epochs)/\(target): " + record.summary)
        }
        if outcome == .finished { break }
        // Ctrl-C during the measurement: stop here rather than after one more batch.
        if shouldStop() { break }
    }
    if outcome == .stopped {
        let (epoch, batch) = model.position
        output.finishProgress("stopped in epoch \(epoch + 1)"
                              + (batch > 0 ? " after batch \(batch)" : " before its first batch")
                              + "; the model keeps its weights: train it again to continue")
    }
    return outcome
}

/// Trains a shallow model in one pass on `images` and, with an `evaluation`, measures it once on the held-out images.
func trainShallowModel(_ model: HashingModel, on images: LabeledImages, output: Output,
                       evaluation: TrainingEvaluation? = nil, shouldStop: @escaping @Sendable () -> Bool) throws {
    guard images.count >= 2 else {
        throw ShellError.message("train: the data has \(images.count) image(s); training needs at least 2")
    }
    output.line("training \(model.method) \(model.bits) bits on \(images.count) images: one pass on their "
                + "\(model.hyperparameters.features) features")
    let outcome = try prefixingErrors("train") { try model.train(on: images, epochs: 1, shouldStop: shouldStop) }
    guard outcome == .finished, let done = model.onePassTraining else {
        output.line("stopped before the model changed; it is as it was")
        return
    }
    output.line(done.summary)
    if let evaluation {
        let record = try prefixingErrors("train") { try evaluation.measure(model) }
        output.line(record.summary)
    }
}
