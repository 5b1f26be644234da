import Codes
import Foundation
import Learning
import Plots

// Hyperparameter sweeps: train one fresh model per setting of one or two hyperparameters (their cartesian
// product) and lay the results side by side.
//
// Every run starts from a copy of the named model's hyperparameters with only the swept ones changed, so the seed,
// and with it the initial weights, the batch order and the augmentation, is the same in every run: the runs differ
// only by what was swept, and a run is exactly the one `model`/`set`/`train`/`eval` would make by hand (training is
// reproducible bit for bit). Every value is checked before the first run trains.

extension Topic {
    static let sweeps = Topic("sweeps", abstract: "hyperparameter sweeps and their tables", rank: 57)
}

/// How many runs a sweep makes without `force`.
let sweepRunLimit = 12

/// Splits `M.PARAM` into the model's name and a declared hyperparameter, with a did-you-mean for unknown ones.
private func sweptParameter(_ target: String, in session: Session) throws -> (model: String, parameter: String) {
    guard let dot = target.lastIndex(of: "."), dot != target.startIndex, target.index(after: dot) != target.endIndex
    else {
        throw ShellError.message("sweep: `\(target)` should be MODEL.PARAMETER, such as m.alpha")
    }
    let name = String(target[..<dot]), parameter = String(target[target.index(after: dot)...])
    _ = try session.value(named: name, as: ModelValue.self)
    guard HashingHyperparameters.names.contains(parameter) else {
        throw ShellError.unknownField(value: name, field: parameter, fields: HashingHyperparameters.names,
                                      suggestions: Suggestions.closest(to: parameter,
                                                                       among: HashingHyperparameters.names))
    }
    return (name, parameter)
}

/// The comma-separated values of a list, none empty.
private func sweptValues(_ text: String, parameter: String) throws -> [String] {
    let values = text.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
    guard !values.isEmpty, !values.contains(where: \.isEmpty) else {
        throw ShellError.message("sweep: the values of \(parameter) are `\(text)`; give V1,V2,… with none empty")
    }
    return values
}

let sweepCommands: [Command] = [
    Command("sweep", topic: .sweeps,
            abstract: "Trains one fresh model per setting of one or two hyperparameters and tabulates mAP, P@k, P(r≤2).",
            discussion: """
                Each run copies M's hyperparameters (same seed: same initial weights and batch order), sets the \
                swept values, trains N epochs (a shallow model: one pass) on DATA and evaluates on the query and database images, exactly as \
                model/set/train/eval would one by one. Two parameters sweep every pair of values. Every value is \
                checked before anything trains, and a parameter that no run's method (optimiser, schedule, net) \
                reads is refused; more than 12 runs need `force`. Ctrl-C stops after the current \
                run and keeps the finished ones. A run whose training diverges (a learning rate too high) is kept \
                as diverged, without numbers, and the others go on. `show S` prints the table, `save S to FILE.csv` writes it, \
                `plot sweep S column map|loss|precision|radius|seconds` draws a column against the first parameter, \
                `hist S on DATA` the outputs of every run's model (kept with the table) as small multiples, and \
                `load sweep FILE.csv as S` reads a saved table back (without the models).
                """,
            arguments: [.positional("parameter", .text, "the model and hyperparameter to sweep",
                                    placeholder: "M.PARAM"),
                        .positional("values", .text, "its values, comma-separated", placeholder: "V1,V2,…"),
                        .positional("parameter2", .text, "a second hyperparameter of the same model", optional: true,
                                    placeholder: "M.PARAM2"),
                        .positional("values2", .text, "its values", optional: true, placeholder: "W1,W2,…")],
            options: [.keyword("on", .value([LabeledImages.typeName]), "the training images", required: true,
                               placeholder: "DATA"),
                      .keyword("epochs", .int, "epochs per run (a deep model; a shallow one trains in one pass)"),
                      .keyword("query", .value([LabeledImages.typeName]), "the query images", required: true,
                               placeholder: "DATA"),
                      .keyword("database", .value([LabeledImages.typeName]), "the database images", required: true,
                               placeholder: "DATA"),
                      .keyword("k", .int, "the cut-off of P@k", default: "100"),
                      .keyword("radius", .int, "the Hamming radius of P(r≤R)", default: "2"),
                      .keyword("force", .flag, "allow more than 12 runs")],
            result: .required(SweepTable.typeName),
            examples: ["sweep m.alpha 0,0.01,0.1 on p.train epochs 3 query p.query database p.database as s",
                       "sweep m.learning-rate 0.001,0.003 m.batch 32,64 on p.train epochs 2 query p.query database p.database as s2"]) { invocation in
        let session = invocation.session
        var lists: [(parameter: String, values: [String])] = []
        let first = try sweptParameter(invocation.string("parameter")!, in: session)
        lists.append((first.parameter, try sweptValues(invocation.string("values")!, parameter: first.parameter)))
        if let target = invocation.string("parameter2") {
            guard let text = invocation.string("values2") else {
                throw ShellError.missingArgument(command: "sweep", argument: "W1,W2,…")
            }
            let second = try sweptParameter(target, in: session)
            guard second.model == first.model else {
                throw ShellError.message("sweep: both parameters must be of one model (`\(first.model)`, not `\(second.model)`)")
            }
            guard second.parameter != first.parameter else {
                throw ShellError.message("sweep: \(first.parameter) is swept twice")
            }
            lists.append((second.parameter, try sweptValues(text, parameter: second.parameter)))
        }
        let base = try session.value(named: first.model, as: ModelValue.self).model
        // A shallow model trains each run in one pass (and takes no epochs); a deep one for `epochs` epochs.
        let isShallow = base.method.isShallow
        if isShallow && invocation.has("epochs") {
            throw ShellError.message("sweep: \(base.method) trains in one pass; leave out epochs")
        }
        guard isShallow || invocation.has("epochs") else {
            throw ShellError.message("sweep: give epochs N, how many epochs each \(base.method) run trains")
        }
        let epochs = invocation.int("epochs") ?? 1
        guard epochs >= 1 else { throw ShellError.message("sweep: epochs must be 1 or more, not \(epochs)") }
        let k = invocation.int("k") ?? 100, radius = invocation.int("radius") ?? 2
        guard k >= 1 else { throw ShellError.message("sweep: k must be 1 or more, not \(k)") }
        guard radius >= 0 else { throw ShellError.message("sweep: radius must be 0 or more, not \(radius)") }
        let runCount = lists.reduce(1) { $0 * $1.values.count }
        guard runCount <= sweepRunLimit || invocation.has("force") else {
            throw ShellError.message("sweep: \(runCount) runs is more than \(sweepRunLimit); add force to run them all")
        }
        let training = try trainingImages(invocation, "on")
        let queryImages = try trainingImages(invocation, "query")
        let databaseImages = try trainingImages(invocation, "database")
        guard training.count >= 2 else {
            throw ShellError.message("sweep: the training data has \(training.count) image(s); training needs at least 2")
        }
        guard queryImages.count > 0, databaseImages.count > 0 else {
            throw ShellError.message("sweep: the query and database images must not be empty")
        }
        // Every setting, checked as `set` would and then as a whole, before anything trains.
        var settings: [[String]] = [[]]
        for list in lists { settings = settings.flatMap { prefix in list.values.map { prefix + [$0] } } }
        var plans: [(values: [String], hyperparameters: HashingHyperparameters)] = []
        for values in settings {
            var hyperparameters = base.hyperparameters
            for (list, value) in zip(lists, values) {
                let spec = HashingHyperparameters.spec(named: list.parameter)!  // checked by sweptParameter
                let checked = try ArgumentBinder.check(value, as: ModelValue.fieldKind(spec.values),
                                                       argument: "sweep \(first.model).\(list.parameter)", in: session)
                do {
                    try hyperparameters.set(list.parameter, to: checked.text)
                } catch {
                    throw ShellError.message("sweep: \(list.parameter) \(value): \(error)")
                }
            }
            do { try hyperparameters.validate() } catch {
                throw ShellError.message("sweep: " + values.joined(separator: ", ") + ": \(error)")
            }
            plans.append((values, hyperparameters))
        }
        // A parameter that no run reads would give identical rows, and a reader would conclude that it does not
        // matter: refused, with the reason. (Sweeping the optimiser too, some runs may read the momentum.)
        for list in lists where !plans.contains(where: { $0.hyperparameters.applies(list.parameter) }) {
            let reason = plans[0].hyperparameters.unreadReason(for: list.parameter) ?? "no run reads it"
            throw ShellError.message("sweep \(first.model).\(list.parameter): \(reason)")
        }
        let parameters = lists.map(\.parameter)
        let output = invocation.output
        output.line("sweep of " + parameters.joined(separator: " × ") + ": \(runCount) runs of "
                    + (isShallow ? "one pass" : "\(epochs) epoch" + (epochs == 1 ? "" : "s")) + " on \(training.count) images")
        let shouldStop = session.interruptionCheck
        let start = monotonicSeconds()
        var runs: [SweepRun] = []
        // Ctrl-C stops the run in progress (between batches, or while it is measured) and keeps the finished runs;
        // a run cut short is dropped, since its numbers would describe fewer epochs than the others'.
        for (index, plan) in plans.enumerated() {
            if shouldStop() { break }
            let label = zip(parameters, plan.values).map { "\($0)=\($1)" }.joined(separator: " ")
            let runStart = monotonicSeconds()
            let model = try prefixingErrors("sweep") {
                try base.freshModel(with: plan.hyperparameters)
            }
            var lastShown = 0.0
            do {
                _ = try model.train(on: training, epochs: epochs, progress: { progress in
                    let now = monotonicSeconds()
                    guard lastShown == 0 || now - lastShown >= 0.1 else { return }
                    lastShown = now
                    let done = (Double(progress.epoch) + Double(progress.batch + 1)
                                / Double(max(progress.batchesPerEpoch, 1))) / Double(epochs)
                    let elapsed = now - start
                    let total = (Double(index) + done)
                    let remaining = total > 0 ? elapsed / total * (Double(runCount) - total) : 0
                    output.progress("run \(index + 1)/\(runCount) \(label) epoch \(progress.epoch + 1)/\(epochs) "
                                    + "loss \(formatLoss(progress.epochLoss)) overall ETA "
                                    + ProgressBar.clock(remaining))
                }, shouldStop: shouldStop)
            } catch let diverged as TrainingDivergedError {
                // One setting too wild (a sweep over learning rates often has one) does not cost the others: the
                // run is kept as diverged, without numbers or a model.
                let run = SweepRun(values: plan.values, finalLoss: .nan, meanAveragePrecision: .nan, precisionAtK: .nan,
                                   precisionWithinRadius: .nan,
                                   seconds: monotonicSeconds() - runStart)
                runs.append(run)
                output.finishProgress("run \(index + 1)/\(runCount) \(label): diverged (loss \(diverged.loss) in epoch "
                                      + "\(diverged.epoch)), left without numbers")
                continue
            } catch {
                throw ShellError.message("sweep: \(error)")
            }
            if isShallow ? model.onePassTraining == nil : model.completedEpochs < epochs { break }  // Ctrl-C mid-run
            let metrics: RetrievalMetrics
            do {
                metrics = try prefixingErrors("sweep") {
                    try evaluateModel(model, query: queryImages, database: databaseImages, k: k, radius: radius,
                                      shouldStop: shouldStop)
                }
            } catch ShellError.interrupted {
                break
            }
            let now = monotonicSeconds()
            let kept = try prefixingErrors("sweep") { try model.inferenceCopy() }
            let run = SweepRun(values: plan.values, finalLoss: model.history.last?.loss ?? .nan,
                               meanAveragePrecision: metrics.mapAll, precisionAtK: metrics.precisionAtK,
                               precisionWithinRadius: metrics.precisionWithinRadius, seconds: now - runStart,
                               model: kept)
            runs.append(run)
            let remaining = (now - start) / Double(index + 1) * Double(runCount - index - 1)
            output.finishProgress("run \(index + 1)/\(runCount) \(label): "
                                  + (isShallow ? "" : "loss \(formatLoss(run.finalLoss)), ")
                                  + String(format: "mAP %.4f, P@%d %.4f, P(r≤%d) %.4f, %.1f s", run.meanAveragePrecision,
                                           k, run.precisionAtK, radius, run.precisionWithinRadius, run.seconds)
                                  + (index + 1 < runCount ? ", ETA " + ProgressBar.clock(remaining) : ""))
        }
        if runs.isEmpty && shouldStop() { throw ShellError.interrupted }
        let table = SweepTable(parameters: parameters, runs: runs, k: k, radius: radius)
        if runs.count < runCount {
            output.finishProgress("stopped after \(runs.count) of \(runCount) runs; the finished ones are kept")
        }
        output.line("\(invocation.resultName!): \(table.summary)")
        output.write(TextPlot.table(header: table.header, rows: table.rows, alignments: table.alignments))
        return table
    },
]

/// " (log scale)" or " (one slot per value)" for an x label, "" for a linear axis.
func axisNote(_ scale: AxisScale) -> String {
    switch scale {
    case .linear: return ""
    case .logarithmic: return " (log scale)"
    case .categorical: return " (one slot per value)"
    }
}

/// `plot sweep S [column C]`: a column of a sweep against its first parameter (numeric values on a numeric axis,
/// else the run order), one line per value of the second parameter.
func plotSweep(_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)], _ path: String?) throws {
    let (name, value) = values[0]
    guard let table = value as? SweepTable else { throw ShellError.missingArgument(command: "plot", argument: "S") }
    guard !table.runs.isEmpty else { throw ShellError.message("plot sweep: `\(name)` has no finished runs") }
    let column = invocation.string("column") ?? "map"
    let firstValues = table.runs.map { $0.values[0] }
    let numeric = firstValues.allSatisfy { Double($0) != nil }
    let order = Array(NSOrderedSet(array: firstValues)) as! [String]
    func x(_ run: SweepRun) -> Double {
        numeric ? Double(run.values[0])! : Double(order.firstIndex(of: run.values[0])! + 1)
    }
    var groups: [String] = []
    for run in table.runs {
        let key = run.values.dropFirst().joined(separator: " ")
        if !groups.contains(key) { groups.append(key) }
    }
    // A sweep of one parameter is one line, named by what it trains ("dsh 12 bits"); of two, one line per value of
    // the second (a sweep loaded from CSV has no models: its name).
    let trained = table.runs.lazy.compactMap(\.model).first.map { model in
        table.parameters.contains("bits") ? "\(model.method)" : "\(model.method) \(model.bits) bits"
    }
    let series = groups.map { key in
        Series(name: key.isEmpty ? trained ?? name : zip(table.parameters.dropFirst(), key.split(separator: " "))
                   .map { "\($0)=\($1)" }.joined(separator: " "),
               points: table.runs.filter { $0.values.dropFirst().joined(separator: " ") == key && !$0.diverged }
                   .map { (x: x($0), y: SweepTable.number(column, of: $0)) })
    }
    guard series.contains(where: { !$0.points.isEmpty }) else {
        throw ShellError.message("plot sweep: every run of `\(name)` diverged; nothing to draw")
    }
    let context = invocation.output.renderContext
    invocation.output.line("\(name): \(column) against \(table.parameters[0])"
                           + (numeric ? "" : " (" + order.enumerated().map { "\($0 + 1)=\($1)" }
                                .joined(separator: " ") + ")"))
    // Metrics and times from 0 (a difference of 0.005 mAP is drawn as small as it is); the loss fitted. A
    // parameter spanning decades gets a log axis, or a categorical one when it includes 0.
    let fromZero = column != "loss"
    let xScale: AxisScale = numeric ? .fitting(series.flatMap { $0.points.map(\.x) }) : .linear
    invocation.output.write(TextPlot.lineChart(series, width: max(20, min(60, context.width - 20)), height: 10,
                                               color: context.usesColour, yFromZero: fromZero, xScale: xScale))
    if let path {
        var style = ChartStyle(title: invocation.string("title") ?? "\(name): \(column)",
                               xLabel: table.parameters[0] + axisNote(xScale), yLabel: column)
        style.yFromZero = fromZero
        style.xScale = xScale
        try writeChart(Chart.line(series, style: style), to: path, command: "plot sweep", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
}
