import Codes
import Foundation
import Learning
import Plots

// `hist`: how a model's real outputs spread before they are binarised (DSH's figure on m and α), with the bits'
// balance and correlation (Codes' `CodeOutputStatistics`); of a sweep, one histogram per run (SweepHistograms.swift).

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


/// The lines a chart of outputs draws: the threshold (solid) and the targets (dashed), e.g. 0 and ±1.
func outputMarks(threshold: Double, targets: [Double]) -> [ReferenceLine] {
    [.threshold(threshold)] + targets.filter { $0 != threshold }.map { .target($0) }
}


/// `hist`'s arguments.
enum Hist {
    /// What `hist` draws: one model's outputs, or every run's of a sweep.
    enum Subject { case model(ModelValue), sweep(SweepTable) }

    static let subject = Parameter(Argument.positional("model", .value([ModelValue.typeName, SweepTable.typeName]),
                                                       "the model, or a sweep (one histogram per run)",
                                                       placeholder: "MODEL|SWEEP")) { invocation -> Subject in
        if let sweep = invocation.value("model") as? SweepTable { return .sweep(sweep) }
        return .model(try invocation.value("model", as: ModelValue.self))
    }
    static let on = Argument.images("on", "the images", required: true)
    static let bins = Argument.keyword("bins", Int.self, "histogram bins", default: 24, bounds: .positive)
    static let to = Argument.path("to", .path, "a PNG or SVG file for the histogram (a sweep: all its panels)")
}

let outputHistogramCommands: [Command] = [
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
            arguments: [Hist.subject], options: [Hist.on, Hist.bins, Hist.to],
            examples: ["hist m on p.query", "hist m on p.query to out/outputs.png",
                       "hist s on p.query to out/alpha.png"]) { invocation in
        let images = try invocation[Hist.on]
        let name = invocation.name(of: Hist.subject) ?? ""
        guard images.count > 0 else {
            throw ShellError.message("hist: `\(invocation.name(of: Hist.on) ?? "")` is empty")
        }
        let bins = try invocation[Hist.bins]
        let path = try invocation[Hist.to]?.path
        let model: HashingModel
        switch try invocation[Hist.subject] {
        case .sweep(let sweep):
            try histogramOfSweep(sweep, named: name, on: images, bins: bins, path: path, output: invocation.output)
            return nil
        case .model(let value):
            model = value.model
        }
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
        if let path {
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
]
