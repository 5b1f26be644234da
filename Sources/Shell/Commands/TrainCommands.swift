import Codes
import Foundation
import Learning

// `train`, and how it shows a training run: a header, a live progress line, a line per finished epoch and per
// measurement, and how it stopped. The run itself — epochs, measuring on held-out images, stopping and resuming —
// is Learning's `TrainingRun`; this file only renders its events.

/// The progress line of `train`: `epoch 2/5 ━━━━━━╸──── 41% batch 5/12 loss 0.8312 412 img/s ETA 0:07`.
func trainingProgressLine(_ progress: TrainingProgress, usesUnicode: Bool = true) -> String {
    let fraction = Double(progress.batch + 1) / Double(max(progress.batchesPerEpoch, 1))
    return "epoch \(progress.epoch + 1)/\(progress.epochs) " + ProgressBar(width: 20).bar(fraction, usesUnicode: usesUnicode)
        + " batch \(progress.batch + 1)/\(progress.batchesPerEpoch) loss \(formatLoss(progress.epochLoss))"
        + String(format: " %.0f img/s", progress.imagesPerSecond)
        + " ETA " + ProgressBar.clock(progress.secondsRemaining)
}

/// Runs `run`, showing it on `output` as `train` does; Ctrl-C (`shouldStop`) stops it after the current batch.
@discardableResult
func showTraining(_ run: TrainingRun, output: Output,
                  shouldStop: @escaping @Sendable () -> Bool) throws -> Trainer.Outcome {
    let model = run.model, target = run.targetEpochs
    if run.moreEpochs == nil {
        output.line("training \(model.method) \(model.bits) bits on \(run.images.count) images: one pass on their "
                    + "\(model.hyperparameters.features) features")
    } else {
        output.line("training \(model.method) \(model.bits) bits on \(run.images.count) images: epochs "
                    + "\(model.completedEpochs + 1)…\(target), batch \(model.hyperparameters.batchSize), learning rate "
                    + model.hyperparameters.learningRate.hyperparameterText)
    }
    var lastShown = 0.0
    return try prefixingErrors("train") {
        try run.run(report: { event in
            switch event {
            case .batch(let progress):
                // At most ten redraws a second: the terminal is not the bottleneck.
                let now = monotonicSeconds()
                guard lastShown == 0 || now - lastShown >= 0.1 else { return }
                output.progress(trainingProgressLine(progress))
                lastShown = now
            case .epochEnded(let progress):
                output.finishProgress("epoch \(progress.epoch + 1)/\(progress.epochs): loss "
                                      + formatLoss(progress.epochLoss)
                                      + String(format: ", %.0f img/s", progress.imagesPerSecond)
                                      + ", ETA " + ProgressBar.clock(progress.secondsRemaining))
                lastShown = monotonicSeconds()
            case .measured(let record):
                output.line((run.moreEpochs == nil ? "" : "epoch \(record.epochs)/\(target): ") + record.summary)
            case .trainedInOnePass(let done):
                output.line(done.summary)
            case .stopped(let epoch, let batch):
                guard run.moreEpochs != nil else {
                    output.line("stopped before the model changed; it is as it was")
                    return
                }
                output.finishProgress("stopped in epoch \(epoch + 1)"
                                      + (batch > 0 ? " after batch \(batch)" : " before its first batch")
                                      + "; the model keeps its weights: train it again to continue")
            }
        }, shouldStop: shouldStop)
    }
}

/// `train`'s arguments.
enum Train {
    static let model = Argument.positional("model", value: ModelValue.self, "the model to train")
    static let on = Argument.images("on", "the training images (data, or a split's train)", required: true)
    static let epochs = Argument.keyword("epochs", Int.self,
                                         "how many more epochs (a deep model; a shallow one trains in one pass)",
                                         bounds: .atLeast(1))
    static let query = Argument.images("query", "held-out query images to measure mAP on while training",
                                       goesWith: ["database"])
    static let database = Argument.images("database", "the database images for those queries", goesWith: ["query"])
    static let every = Argument.keyword("every", Int.self, "measure after every N-th epoch (with query and database)",
                                        default: 1, bounds: .atLeast(1), goesWith: ["query", "database"])
}

let trainCommands: [Command] = [
    Command("train", topic: .models,
            abstract: "Trains a deep model for N more epochs on labelled images, with a live progress line (Ctrl-C stops), or a shallow one in one pass.",
            discussion: """
                A shallow model (lsh, pcah, itq, sh, ksh, sdh) trains in one pass, without epochs: the features of the \
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
            arguments: [Train.model], options: [Train.on, Train.epochs, Train.query, Train.database, Train.every],
            examples: ["train m on p.train epochs 5", "train q on p.train",
                       "train m on p.train epochs 20 query p.query database p.database every 5"]) { invocation in
        let model = try invocation[Train.model].model
        var heldOut: HeldOutImages?
        if let query = try invocation[Train.query], let database = try invocation[Train.database] {
            heldOut = try prefixingErrors("train") {
                try HeldOutImages(query: query, database: database, queryName: invocation.name(of: Train.query) ?? "",
                                  databaseName: invocation.name(of: Train.database) ?? "")
            }
        }
        // A shallow model takes no `every` (it has no epochs); a deep one measures after every epoch by default.
        let every = model.method.isShallow && !invocation.has(Train.every) ? nil : try invocation[Train.every]
        let run = try prefixingErrors("train") {
            try TrainingRun(model: model, images: try invocation[Train.on], moreEpochs: try invocation[Train.epochs],
                            heldOut: heldOut, every: every)
        }
        try showTraining(run, output: invocation.output, shouldStop: invocation.session.interruptionCheck)
        return nil
    },
]
