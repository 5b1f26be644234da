import Codes
import Foundation
import Learning
import Plots

// `sweep`: train one fresh model per setting of one or two hyperparameters (their cartesian product) and lay the
// results side by side. The sweep itself — settings, runs, measuring — is Learning's `HyperparameterSweep`; this
// file binds the arguments and shows its events (progress with an overall ETA, a line per run, the table).

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

/// `sweep`'s arguments.
enum Sweep {
    static let parameter = Argument.positional("parameter", String.self, "the model and hyperparameter to sweep",
                                               placeholder: "M.PARAM")
    static let values = Argument.positional("values", String.self, "its values, comma-separated",
                                            placeholder: "V1,V2,…")
    static let parameter2 = Argument.positional("parameter2", String.self, "a second hyperparameter of the same model",
                                                optional: true, placeholder: "M.PARAM2")
    static let values2 = Argument.positional("values2", String.self, "its values", optional: true,
                                             placeholder: "W1,W2,…")
    static let on = Argument.images("on", "the training images", required: true)
    static let epochs = Argument.keyword("epochs", Int.self,
                                         "epochs per run (a deep model; a shallow one trains in one pass)",
                                         bounds: .atLeast(1))
    static let query = Argument.images("query", "the query images", required: true)
    static let database = Argument.images("database", "the database images", required: true)
    static let k = Argument.keyword("k", Int.self, "the cut-off of P@k", default: 100, bounds: .atLeast(1))
    static let radius = Argument.keyword("radius", Int.self, "the Hamming radius of P(r≤R)", default: 2,
                                         bounds: .atLeast(0))
    static let force = Argument.flag("force", "allow more than 12 runs")
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
            arguments: [Sweep.parameter, Sweep.values, Sweep.parameter2, Sweep.values2],
            options: [Sweep.on, Sweep.epochs, Sweep.query, Sweep.database, Sweep.k, Sweep.radius, Sweep.force],
            result: .required(SweepTable.typeName),
            examples: ["sweep m.alpha 0,0.01,0.1 on p.train epochs 3 query p.query database p.database as s",
                       "sweep m.learning-rate 0.001,0.003 m.batch 32,64 on p.train epochs 2 query p.query database p.database as s2"]) { invocation in
        let session = invocation.session
        var lists: [(parameter: String, values: [String])] = []
        let first = try sweptParameter(try invocation[Sweep.parameter], in: session)
        lists.append((first.parameter, try sweptValues(try invocation[Sweep.values], parameter: first.parameter)))
        if let target = try invocation[Sweep.parameter2] {
            guard let text = try invocation[Sweep.values2] else {
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
        let epochs = try invocation[Sweep.epochs]
        if isShallow && epochs != nil {
            throw ShellError.message("sweep: \(base.method) trains in one pass; leave out epochs")
        }
        guard isShallow || epochs != nil else {
            throw ShellError.message("sweep: give epochs N, how many epochs each \(base.method) run trains")
        }
        let runCount = lists.reduce(1) { $0 * $1.values.count }
        guard try runCount <= sweepRunLimit || invocation[Sweep.force] else {
            throw ShellError.message("sweep: \(runCount) runs is more than \(sweepRunLimit); add force to run them all")
        }
        let training = try invocation[Sweep.on]
        guard training.count >= 2 else {
            throw ShellError.message("sweep: the training data has \(training.count) image(s); training needs at least 2")
        }
        let heldOut = try prefixingErrors("sweep") {
            try HeldOutImages(query: try invocation[Sweep.query], database: try invocation[Sweep.database],
                              k: try invocation[Sweep.k], radius: try invocation[Sweep.radius])
        }
        // Every value checked as `set` would read it, then every setting as a whole, before anything trains.
        for list in lists {
            let spec = HashingHyperparameters.spec(named: list.parameter)!  // checked by sweptParameter
            for value in list.values {
                _ = try ArgumentBinder.check(value, as: ModelValue.fieldKind(spec.values),
                                             argument: "sweep \(first.model).\(list.parameter)", in: session)
            }
        }
        let sweep: HyperparameterSweep
        do {
            sweep = try HyperparameterSweep(base: base, parameters: lists.map(\.parameter), values: lists.map(\.values))
        } catch let unread as HyperparameterSweep.UnreadParameterError {
            throw ShellError.message("sweep \(first.model).\(unread.parameter): \(unread.reason)")
        } catch {
            throw ShellError.message("sweep: \(error)")
        }
        let parameters = sweep.parameters
        let output = invocation.output
        output.line("sweep of " + parameters.joined(separator: " × ") + ": \(runCount) runs of "
                    + (epochs.map { "\($0) epoch" + ($0 == 1 ? "" : "s") } ?? "one pass") + " on \(training.count) images")
        let shouldStop = session.interruptionCheck
        let start = monotonicSeconds()
        var (shownRun, lastShown) = (-1, 0.0)
        let label = { (index: Int) in
            zip(parameters, sweep.settings[index].values).map { "\($0)=\($1)" }.joined(separator: " ")
        }
        // Ctrl-C stops the run in progress (between batches, or while it is measured) and keeps the finished runs.
        let runs = try prefixingErrors("sweep") {
            try sweep.run(on: training, epochs: epochs, heldOut: heldOut, report: { event in
                switch event {
                case .run(let index, .batch(let progress)), .run(let index, .epochEnded(let progress)):
                    // Each run's first batch is shown, then at most ten redraws a second.
                    let now = monotonicSeconds()
                    guard index != shownRun || now - lastShown >= 0.1 else { return }
                    (shownRun, lastShown) = (index, now)
                    let done = (Double(progress.epoch) + Double(progress.batch + 1)
                                / Double(max(progress.batchesPerEpoch, 1))) / Double(progress.epochs)
                    let total = Double(index) + done
                    let remaining = total > 0 ? (now - start) / total * (Double(runCount) - total) : 0
                    output.progress("run \(index + 1)/\(runCount) \(label(index)) epoch \(progress.epoch + 1)/"
                                    + "\(progress.epochs) loss \(formatLoss(progress.epochLoss)) overall ETA "
                                    + ProgressBar.clock(remaining))
                case .run:
                    break
                case .diverged(let index, _, let diverged):
                    output.finishProgress("run \(index + 1)/\(runCount) \(label(index)): diverged (loss \(diverged.loss) "
                                          + "in epoch \(diverged.epoch)), left without numbers")
                case .finished(let index, let run):
                    let now = monotonicSeconds()
                    let remaining = (now - start) / Double(index + 1) * Double(runCount - index - 1)
                    output.finishProgress("run \(index + 1)/\(runCount) \(label(index)): "
                                          + (isShallow ? "" : "loss \(formatLoss(run.finalLoss)), ")
                                          + String(format: "mAP %.4f, P@%d %.4f, P(r≤%d) %.4f, %.1f s",
                                                   run.meanAveragePrecision, heldOut.k, run.precisionAtK,
                                                   heldOut.radius, run.precisionWithinRadius, run.seconds)
                                          + (index + 1 < runCount ? ", ETA " + ProgressBar.clock(remaining) : ""))
                }
            }, shouldStop: shouldStop)
        }
        let k = heldOut.k, radius = heldOut.radius
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
    let column = try invocation[Plot.column]
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
        var style = ChartStyle(title: try invocation[Plot.title] ?? "\(name): \(column)",
                               xLabel: table.parameters[0] + axisNote(xScale), yLabel: column)
        style.yFromZero = fromZero
        style.xScale = xScale
        try writeChart(Chart.line(series, style: style), to: path, command: "plot sweep", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
}
