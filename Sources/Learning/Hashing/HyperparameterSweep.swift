import Codes
import Foundation

// A hyperparameter sweep: a list of settings, each a training run of a fresh model, measured on held-out images.
//
// Every run starts from a copy of the base model's hyperparameters with only the swept ones changed, so the seed,
// and with it the initial weights, the batch order and the augmentation, is the same in every run: the runs differ
// only by what was swept, and a run is exactly the one model/set/train/eval would make by hand (training is
// reproducible bit for bit).

/// A sweep over one or more hyperparameters of a model: every combination of their values (the cartesian
/// product, the first parameter varying slowest), each checked before anything trains.
public struct HyperparameterSweep {
    /// One run's setting: the swept values as given, and the whole hyperparameters they make.
    public struct Setting {
        public var values: [String]
        public var hyperparameters: HashingHyperparameters
    }

    /// A swept parameter that no run's method reads: every row would be the same, and a reader would conclude
    /// that it does not matter.
    public struct UnreadParameterError: Error, CustomStringConvertible {
        public var parameter: String
        public var reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    /// What happens during a sweep, in order.
    public enum Event {
        /// An event of the run of `settings[index]`.
        case run(index: Int, TrainingRun.Event)
        /// That run finished and was measured.
        case finished(index: Int, SweepRun)
        /// That run diverged (a learning rate too high): kept without numbers or a model; the others go on.
        case diverged(index: Int, SweepRun, TrainingDivergedError)
    }

    public let base: HashingModel
    public let parameters: [String]
    public let settings: [Setting]

    /// Every combination of `values` (one list per parameter), set on a copy of `base`'s hyperparameters and
    /// validated as a whole; a parameter that no setting's method (optimiser, schedule, net) reads is refused.
    public init(base: HashingModel, parameters: [String], values: [[String]]) throws {
        precondition(parameters.count == values.count, "one list of values per parameter")
        var combinations: [[String]] = [[]]
        for list in values { combinations = combinations.flatMap { prefix in list.map { prefix + [$0] } } }
        settings = try combinations.map { combination in
            var hyperparameters = base.hyperparameters
            for (parameter, value) in zip(parameters, combination) {
                do { try hyperparameters.set(parameter, to: value) } catch {
                    throw HashingError("\(parameter) \(value): \(error)")
                }
            }
            do { try hyperparameters.validate() } catch {
                throw HashingError(combination.joined(separator: ", ") + ": \(error)")
            }
            return Setting(values: combination, hyperparameters: hyperparameters)
        }
        // (Sweeping the optimiser too, some runs may read the momentum: refused only when none does.)
        for parameter in parameters where !settings.contains(where: { $0.hyperparameters.applies(parameter) }) {
            throw UnreadParameterError(parameter: parameter,
                                       reason: settings[0].hyperparameters.unreadReason(for: parameter)
                                           ?? "no run reads it")
        }
        self.base = base
        self.parameters = parameters
    }

    /// Trains each setting's fresh model on `images` (`epochs` epochs; nil for a shallow method's one pass),
    /// measures it once on `heldOut`, and returns the finished runs. `shouldStop` ends the sweep in the run in
    /// progress, which is dropped (its numbers would describe fewer epochs than the others'); the finished ones
    /// are returned.
    public func run(on images: LabeledImages, epochs: Int?, heldOut: HeldOutImages,
                    report: (Event) -> Void = { _ in },
                    shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> [SweepRun] {
        var runs: [SweepRun] = []
        for (index, setting) in settings.enumerated() {
            if shouldStop() { break }
            let start = monotonicSeconds()
            let model = try base.freshModel(with: setting.hyperparameters)
            let run = try TrainingRun(model: model, images: images, moreEpochs: epochs, heldOut: heldOut)
            var measured: EvaluationRecord?
            do {
                try run.run(report: { event in
                    if case .measured(let record) = event { measured = record }
                    report(.run(index: index, event))
                }, shouldStop: shouldStop)
            } catch let diverged as TrainingDivergedError {
                let result = SweepRun(values: setting.values, finalLoss: .nan, meanAveragePrecision: .nan,
                                      precisionAtK: .nan, precisionWithinRadius: .nan,
                                      seconds: monotonicSeconds() - start)
                runs.append(result)
                report(.diverged(index: index, result, diverged))
                continue
            }
            // Stopped before the end, or while it was measured: not a finished run.
            guard let measured else { break }
            let result = SweepRun(values: setting.values, finalLoss: model.history.last?.loss ?? .nan,
                                  meanAveragePrecision: measured.meanAveragePrecision,
                                  precisionAtK: measured.precisionAtK,
                                  precisionWithinRadius: measured.precisionWithinRadius,
                                  seconds: monotonicSeconds() - start, model: try model.inferenceCopy())
            runs.append(result)
            report(.finished(index: index, result))
        }
        return runs
    }
}

/// One finished run of a sweep.
public struct SweepRun: Sendable, Equatable {
    /// The value of each swept parameter, as text (in the sweep's parameter order).
    public var values: [String]
    /// Mean training loss of the last epoch.
    public var finalLoss: Double
    public var meanAveragePrecision: Double
    public var precisionAtK: Double
    public var precisionWithinRadius: Double
    /// Wall-clock seconds of training and evaluation.
    public var seconds: Double
    /// The run's trained model (weights, normalisation and history, without the optimiser state), for `hist` of
    /// the sweep; nil for a run read from a CSV file, which holds only the numbers.
    public var model: HashingModel?

    public init(values: [String], finalLoss: Double, meanAveragePrecision: Double, precisionAtK: Double,
                precisionWithinRadius: Double, seconds: Double, model: HashingModel? = nil) {
        self.values = values
        self.finalLoss = finalLoss
        self.meanAveragePrecision = meanAveragePrecision
        self.precisionAtK = precisionAtK
        self.precisionWithinRadius = precisionWithinRadius
        self.seconds = seconds
        self.model = model
    }

    /// Whether training diverged (its loss became NaN or infinite): such a run has no numbers and no model. (A
    /// shallow model's run has no loss, but has its numbers.)
    public var diverged: Bool { !finalLoss.isFinite && !meanAveragePrecision.isFinite }

    /// Runs are equal when their settings and numbers are (bit for bit); the model is not compared, so that a run
    /// read back from CSV equals the run that was saved.
    public static func == (a: SweepRun, b: SweepRun) -> Bool {
        a.values == b.values && a.finalLoss.bitPattern == b.finalLoss.bitPattern
            && a.meanAveragePrecision.bitPattern == b.meanAveragePrecision.bitPattern
            && a.precisionAtK.bitPattern == b.precisionAtK.bitPattern
            && a.precisionWithinRadius.bitPattern == b.precisionWithinRadius.bitPattern
            && a.seconds.bitPattern == b.seconds.bitPattern
    }
}

