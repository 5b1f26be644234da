import ClassicHashing
import Foundation
import Imaging
import Learning
import Plots

extension Topic {
    static let plots = Topic("plots", abstract: "text plots in the terminal, PNG and SVG charts in files", rank: 80)
}

/// One `plot` command: a kind of plot, the values to draw, and `to FILE.png` for a PNG chart beside the text one.
/// Each kind is one entry of `plotKinds` — the value types it draws and how — so that a new kind of plot is one more
/// entry, and help, completion and checking all follow from the table.
struct PlotKind: Sendable {
    let name: String
    let abstract: String
    /// The type names of the values it draws.
    let valueTypes: [String]
    /// How many values it takes at most.
    let maximumValues: Int
    let draw: @Sendable (_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)], _ png: String?) throws -> Void
}

let plotKinds: [PlotKind] = [
    PlotKind(name: "hist", abstract: "a colour histogram (or an image's) as bars",
             valueTypes: [ColorHistogram.typeName, Image.typeName], maximumValues: 1, draw: plotHistogram),
    PlotKind(name: "pr", abstract: "precision–recall curves kept with `pr … as NAME` (or a comparison's), drawn together",
             valueTypes: [PrecisionRecallValue.typeName, ComparisonTable.typeName], maximumValues: 16,
             draw: plotPrecisionRecall),
    PlotKind(name: "map", abstract: "mAP against code length, a line per method: sweeps over bits and comparisons",
             valueTypes: [SweepTable.typeName, ComparisonTable.typeName], maximumValues: 8,
             draw: plotMeanAveragePrecision),
    PlotKind(name: "loss", abstract: "models' training loss per epoch, one line each",
             valueTypes: [ModelValue.typeName], maximumValues: 8, draw: plotLoss),
    PlotKind(name: "learning", abstract: "models' mAP on held-out queries per epoch (train … query Q database D)",
             valueTypes: [ModelValue.typeName], maximumValues: 8, draw: plotLearningCurves),
    PlotKind(name: "sweep", abstract: "a sweep's column (column map|loss|precision|radius|seconds) against its parameter",
             valueTypes: [SweepTable.typeName], maximumValues: 1, draw: plotSweep),
]

/// `plot`'s arguments.
enum Plot {
    static let kind = Argument.positional("kind", .word(plotKinds.map(\.name)), "what to plot").readAsText
        .map { name in
            guard let kind = plotKinds.first(where: { $0.name == name }) else {
                throw ShellError.missingArgument(command: "plot", argument: "KIND")  // (the binder checked the word)
            }
            return kind
        }
    static let values = Argument.positional("values", .value(Array(Set(plotKinds.flatMap(\.valueTypes))).sorted()),
                                            "the values to draw", repeating: true, placeholder: "VALUE").readAsValues
    static let to = Argument.path("to", .path, "a PNG or SVG file for the chart")
    static let title = Argument.keyword("title", String.self, "the chart's title")
    static let column = Argument.keyword("column", oneOf: SweepTable.plotColumns, "sweep: the column to draw",
                                         default: "map", forms: ["sweep"])
}

let plotCommands: [Command] = [
    Command("plot", topic: .plots,
            abstract: "Draws values in the terminal, and as a chart with `to FILE.png` (or `to FILE.svg`, for slides).",
            discussion: plotKinds.map { "\($0.name): \($0.abstract)" }.joined(separator: "\n"),
            arguments: [Plot.kind, Plot.values], options: [Plot.to, Plot.title, Plot.column],
            examples: ["plot hist hist1", "plot hist hist1 to out/hist1.png",
                       "plot pr dsh12 dpsh12 to out/compare.png", "plot map lengths to out/map.png",
                       "plot loss m1 m2 to out/loss.png", "plot learning m1 m2",
                       "plot sweep s column loss to out/sweep.png", "plot map lengths to out/map.svg"]) { invocation in
        let kind = try invocation[Plot.kind]
        let values = try invocation[Plot.values].map { (name: $0.name, value: $0.value) }
        for (name, value) in values where !kind.valueTypes.contains(value.typeName) {
            throw ShellError.message("plot \(kind.name): `\(name)` is \(Article.with(value.typeName)); expected "
                                     + kind.valueTypes.map(Article.with).joined(separator: " or "))
        }
        guard values.count <= kind.maximumValues else {
            throw ShellError.message("plot \(kind.name) draws at most \(kind.maximumValues) value(s)")
        }
        // (`column` with another kind than sweep is refused by the binder: it goes with plot sweep.)
        let png = try invocation[Plot.to]?.path
        if let png { try checkChartPath(png, command: "plot") }
        try kind.draw(invocation, values, png)
        return nil
    },
]

/// `plot hist H`: text bars of the pixel shares per bin; the PNG chart shows every bin.
/// An image is first counted into its default histogram (16 bins per channel). Histograms of more than 48 bins
/// show their 24 fullest bins as text.
private func plotHistogram(_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)],
                           _ path: String?) throws {
    let (name, value) = values[0]
    let histogram: ColorHistogram
    switch unwrapped(value, as: Image.self) ?? value {
    case let image as Image: histogram = try ColorHistogram(of: image, layout: .perChannel(bins: 16))
    case let value as ColorHistogram: histogram = value
    default: throw ShellError.missingArgument(command: "plot", argument: "H")
    }
    let context = invocation.output.renderContext
    invocation.output.line("\(name): \(histogram.summary), \(histogram.barsCaption)")
    invocation.output.line(histogram.textBars(width: max(10, min(40, context.width - 30))))
    if let path {
        let title = try invocation[Plot.title] ?? "\(name): \(histogram.layout)"
        try writeChart(histogram.chart(title: title), to: path, command: "plot hist", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
}

/// `plot pr C1 C2 …`: several precision–recall curves on one chart, each under the name it was kept as.
private func plotPrecisionRecall(_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)],
                                 _ path: String?) throws {
    let curves = values.flatMap { entry -> [PrecisionRecallValue] in
        if let table = entry.value as? ComparisonTable { return table.curves }
        return (entry.value as? PrecisionRecallValue).map { [$0] } ?? []
    }
    invocation.output.line(precisionRecallText(curves, context: invocation.output.renderContext))
    if let path {
        try writeChart(precisionRecallChart(curves, title: invocation[Plot.title] ?? "precision-recall"),
                       to: path, command: "plot pr", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
}

/// `plot map V1 V2 …`: mAP against the code length, the papers' figure (DSH's Fig. 3, DPSH's Table 1 drawn), one
/// line per method. A sweep over `bits` gives one line (one per setting of its other parameter, if any), named as
/// the sweep; a comparison gives one line per method among its entries (its models of several lengths join one
/// line; a classic hash is a single point at its length).
private func plotMeanAveragePrecision(_ invocation: Invocation, _ values: [(name: String, value: any ShellValue)],
                                      _ path: String?) throws {
    var series: [(name: String, points: [(x: Double, y: Double)])] = []
    func add(_ name: String, _ point: (x: Double, y: Double)) {
        if let index = series.firstIndex(where: { $0.name == name }) {
            series[index].points.append(point)
        } else {
            series.append((name, [point]))
        }
    }
    for (name, value) in values {
        switch value {
        case let table as SweepTable:
            guard let bitsColumn = table.parameters.firstIndex(of: "bits") else {
                throw ShellError.message("plot map: `\(name)` sweeps \(table.parameters.joined(separator: " and ")), "
                    + "not bits; sweep M.bits 12,24,48 … for plot map (plot sweep draws any parameter)")
            }
            for run in table.runs where !run.diverged {
                let others = zip(table.parameters, run.values).enumerated().filter { $0.offset != bitsColumn }
                    .map { "\($0.element.0)=\($0.element.1)" }
                add(([name] + others).joined(separator: " "), (Double(run.values[bitsColumn])!, run.meanAveragePrecision))
            }
        case let table as ComparisonTable:
            for entry in table.entries {
                add(entry.method == "classic" ? entry.name : entry.method, (Double(entry.bits), entry.metrics.mapAll))
            }
        default:
            break
        }
    }
    guard !series.isEmpty, series.contains(where: { !$0.points.isEmpty }) else {
        throw ShellError.message("plot map: nothing to draw (the sweeps have no finished runs)")
    }
    let lines = series.map { Series(name: $0.name, points: $0.points.sorted { $0.x < $1.x }) }
    let context = invocation.output.renderContext
    invocation.output.line("mAP (up, from 0) against bits (across)")
    invocation.output.write(TextPlot.lineChart(lines, width: max(20, min(60, context.width - 20)), height: 10,
                                               color: context.usesColour, yFromZero: true))
    let rows = lines.flatMap { line in
        line.points.map { [line.name, String(Int($0.x)), String(format: "%.4f", $0.y)] }
    }
    invocation.output.write(TextPlot.table(header: ["", "bits", "mAP"], rows: rows, alignments: [.left, .right, .right]))
    if let path {
        var style = try ChartStyle(title: invocation[Plot.title] ?? "mAP against code length", xLabel: "bits",
                               yLabel: "mAP")
        style.yFromZero = true
        try writeChart(Chart.line(lines, style: style), to: path, command: "plot map", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
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
        var style = try ChartStyle(title: invocation[Plot.title] ?? title, xLabel: "epoch", yLabel: yLabel)
        style.yFromZero = fromZero
        try makeParentFolder(of: path)
        try writeChart(Chart.line(series, style: style), to: path, command: "plot \(kind)", output: invocation.output)
        invocation.output.line("wrote \(path)")
    }
}
