import Foundation
import Codes
import Plots

// Retrieval metrics and precision–recall curves as session values.

extension RetrievalMetrics: ShellValue {
    public static let typeName = "metrics"

    public var summary: String {
        "mAP \(format(mapAll)), mAP@\(k) \(format(mapAtK)), P@\(k) \(format(precisionAtK)), "
            + "P(r≤\(radius)) \(precisionWithinRadiusText), tie-aware mAP \(format(mapTieAware))"
    }

    public func render(in context: RenderContext) -> String { metricsTable(self) }
}

extension RetrievalMetrics {
    /// P(r≤R) as tables print it: four decimals, or "none" when nothing lies within the radius of any query (a
    /// precision of nothing is not a precision of 0).
    var precisionWithinRadiusText: String {
        queriesRetrievingWithinRadius == 0 ? "none" : format(precisionWithinRadius)
    }
}

/// A metric with four decimals, as the papers print them.
private func format(_ value: Double) -> String {
    value.isFinite ? String(format: "%.4f", value) : "n/a"
}

/// The metrics as a small table, one metric a row, with what each one means.
public func metricsTable(_ metrics: RetrievalMetrics) -> String {
    let rows: [[String]] = [
        ["mAP", format(metrics.mapAll), "mean average precision over the whole ranked database"],
        ["mAP@\(metrics.k)", format(metrics.mapAtK), "average precision within the top \(metrics.k)"],
        ["P@\(metrics.k)", format(metrics.precisionAtK), "share of the top \(metrics.k) with the query's class"],
        ["P(r≤\(metrics.radius))",
         metrics.precisionWithinRadiusText,
         metrics.queriesRetrievingWithinRadius == 0
            ? "nothing lies within Hamming distance \(metrics.radius) of any query: no precision to measure"
            : "precision of everything within Hamming distance \(metrics.radius)"],
        ["tie-aware mAP", format(metrics.mapTieAware), "expected mAP with ties at one distance in random order"],
    ]
    var text = withoutFinalNewline(TextPlot.table(header: ["metric", "value", "meaning"], rows: rows,
                                                  alignments: [.left, .right, .left]))
    text += "\n\(metrics.queryCount) queries"
    if metrics.queriesWithRelevantItems < metrics.queryCount {
        text += " (\(metrics.queryCount - metrics.queriesWithRelevantItems) without any relevant item: "
            + "left out of the two mAPs)"
    }
    let retrieving = metrics.queriesRetrievingWithinRadius
    if retrieving > 0 && retrieving < metrics.queryCount {
        text += "\n\(retrieving) of \(metrics.queryCount) queries retrieve something within radius \(metrics.radius); "
            + "the others count as precision 0 in P(r≤\(metrics.radius))"
    }
    return text
}

/// A precision–recall curve by Hamming radius, kept so that several can be drawn together (`plot pr a b`).
public struct PrecisionRecallValue: ShellValue, Sendable {
    public static let typeName = "curve"
    /// The legend entry.
    public var name: String
    public var curve: PrecisionRecallCurve
    /// The precision of a random ranking on the same queries and database (see `chancePrecision`), when known.
    public var chance: Double?

    public init(name: String, curve: PrecisionRecallCurve, chance: Double? = nil) {
        self.name = name
        self.curve = curve
        self.chance = chance
    }

    public var summary: String {
        "precision–recall of \(name) over Hamming radii 0…\(curve.radii.last ?? 0)"
    }

    public func render(in context: RenderContext) -> String {
        let rows = curve.radii.indices.map { index in
            [String(curve.radii[index]), format(curve.precision[index]), format(curve.recall[index])]
        }
        return [summary, precisionRecallText([self], context: context),
                withoutFinalNewline(TextPlot.table(header: ["radius", "precision", "recall"], rows: rows,
                                                   alignments: [.right, .right, .right]))].joined(separator: "\n")
    }

    /// The curve as a chart series: recall on x, precision on y, one point per radius.
    public var series: Series { Series(name: name, x: curve.recall, y: curve.precision) }
}

/// Curves as a terminal line chart (recall across, precision up).
public func precisionRecallText(_ curves: [PrecisionRecallValue], context: RenderContext) -> String {
    let width = max(20, min(60, context.width - 12))
    return "precision (up) against recall (across):\n"
        + withoutFinalNewline(TextPlot.lineChart(curves.map(\.series), width: width, height: 12,
                                                 color: context.usesColour, xRange: 0...1, yRange: 0...1))
        + (curves.lazy.compactMap(\.chance).first.map { "\n(a random ranking: precision " + formatNumber($0) + ")" } ?? "")
}
