import Codes
import Foundation
import Imaging
import Learning
import Plots

// Retrieval evaluation of binary codes, as the deep-hashing papers report it.
//
// Every query ranks the whole database by Hamming distance (ties by database index) and an item is relevant when
// it has the query's label. mAP averages, over queries, the precision at the rank of each relevant item; mAP@k and
// P@k look at the top k only; precision within radius 2 is what a hash-table lookup of radius 2 would return; the
// tie-aware mAP (He et al., CVPR 2018) is the expected mAP when items at one distance come in random order, since
// Hamming rankings have many ties and breaking them by index can flatter or hurt a method by chance.
// The numbers come from Codes' `evaluateRetrieval`, which matches ../shared/golden/metrics/cases.json to 1e-9.

extension Topic {
    static let evaluation = Topic("evaluation", abstract: "retrieval metrics, precision–recall curves, code grids",
                                  rank: 60)
}

/// Checks that `queries` and `database` can be evaluated against each other, with one-line errors that name the
/// values (`queryName`, `databaseName`): both labelled, both non-empty, codes of one length.
public func checkEvaluable(queries: CodeSet, database: CodeSet, queryName: String = "the queries",
                           databaseName: String = "the database", command: String = "eval") throws {
    guard queries.bitCount == database.bitCount else {
        throw ShellError.message("\(command): \(queryName) has \(queries.bitCount)-bit codes but \(databaseName) has "
                                 + "\(database.bitCount)-bit codes")
    }
    guard queries.labels != nil else {
        throw ShellError.message("\(command): \(queryName) has no labels (relevance is having the query's label)")
    }
    guard database.labels != nil else {
        throw ShellError.message("\(command): \(databaseName) has no labels (relevance is having the query's label)")
    }
    guard queries.count > 0 else { throw ShellError.message("\(command): \(queryName) has no codes") }
    guard database.count > 0 else { throw ShellError.message("\(command): \(databaseName) has no codes") }
}

/// The work of `eval` once codes are at hand (the later `eval MODEL query DATA database DATA` form encodes first,
/// then calls this): checks the inputs, computes the metrics, prints the table and writes the JSON file if asked.
@discardableResult
public func evaluateCodes(queries: CodeSet, database: CodeSet, k: Int, radius: Int, jsonPath: String?,
                          output: Output, queryName: String = "the queries",
                          databaseName: String = "the database",
                          shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> RetrievalMetrics {
    try checkEvaluable(queries: queries, database: database, queryName: queryName, databaseName: databaseName)
    guard k >= 1 else { throw ShellError.message("eval: k must be 1 or more, not \(k)") }
    guard radius >= 0 else { throw ShellError.message("eval: radius must be 0 or more, not \(radius)") }
    let metrics = try prefixingErrors("eval") {
        try evaluateRetrieval(queries: queries, database: database, k: k, radius: radius, shouldStop: shouldStop)
    }
    output.line("\(queries.count) queries against \(database.count) database codes of \(database.bitCount) bits")
    output.line(metricsTable(metrics))
    if let jsonPath {
        try makeParentFolder(of: jsonPath)
        try writeText(metrics.json + "\n", to: jsonPath, command: "eval")
        output.line("wrote \(jsonPath)")
    }
    return metrics
}

/// Writes `text` to `path` (replacing the file), with a one-line error naming the path.
func writeText(_ text: String, to path: String, command: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw ShellError.message("\(command): \(path): cannot write (\(error.localizedDescription))")
    }
}

/// A one-line error unless `path` names a PNG or SVG file: commands call it before any work, `writeChart` again.
func checkChartPath(_ path: String, command: String) throws {
    let lowered = path.lowercased()
    guard lowered.hasSuffix(".png") || lowered.hasSuffix(".svg") else {
        throw ShellError.message("\(command): \(path): charts are written as PNG or SVG; end the name with .png or .svg")
    }
}

/// Writes a chart to a PNG or SVG file (by the name's ending, atomically: a failed save leaves an existing file
/// as it was), with a one-line error naming the path, and tells `output` (a notebook copies it).
func writeChart(_ figure: Figure, to path: String, command: String, output: Output) throws {
    try checkChartPath(path, command: command)
    try makeParentFolder(of: path)
    try prefixingErrors(command) { try figure.write(to: path) }
    output.wroteFile(path)
}

/// The precision–recall curve by Hamming radius of labelled `queries` against `database`.
public func precisionRecallCurve(queries: CodeSet, database: CodeSet, name: String, queryName: String = "the queries",
                                 databaseName: String = "the database") throws -> PrecisionRecallValue {
    try checkEvaluable(queries: queries, database: database, queryName: queryName, databaseName: databaseName,
                       command: "pr")
    let curve = try prefixingErrors("pr") { try precisionRecallByRadius(queries: queries, database: database) }
    return PrecisionRecallValue(name: name, curve: curve,
                                chance: chancePrecision(queryLabels: queries.labels ?? [],
                                                        databaseLabels: database.labels ?? []))
}

/// The precision of a random ranking: the share of the database relevant to a query (same label), averaged over
/// the queries — 1/classes for balanced classes. Nil without labels.
public func chancePrecision(queryLabels: [Int32], databaseLabels: [Int32]) -> Double? {
    guard !queryLabels.isEmpty, !databaseLabels.isEmpty else { return nil }
    var counts: [Int32: Int] = [:]
    for label in databaseLabels { counts[label, default: 0] += 1 }
    let relevant = queryLabels.reduce(0) { $0 + (counts[$1] ?? 0) }
    return Double(relevant) / Double(queryLabels.count) / Double(databaseLabels.count)
}

/// Draws curves as one chart (recall and precision both on [0, 1]), with the chance level when the curves know
/// it (the first curve's).
public func precisionRecallChart(_ curves: [PrecisionRecallValue], title: String = "precision-recall") -> Figure {
    var style = Chart.defaultPrecisionRecallStyle
    style.title = title
    return Chart.precisionRecall(curves.map(\.series), chance: curves.lazy.compactMap(\.chance).first, style: style)
}

/// Code `index` of `codes` as a grid of bits (█ = 1, · = 0), about square: the row width is the smallest divisor
/// of the bit count between its square root s (rounded up) and 1.5 s (8 × 8 for 64 bits, 6 × 8 for 48, 3 × 4 for
/// 12), so that every row has the same length; without one (a prime count) it is s and the last row is shorter. The hash commands' `bits` can call this for learned codes.
public func bitGrid(ofCode index: Int, in codes: CodeSet) -> String {
    let bits = (0..<codes.bitCount).map { codes.bit($0, ofCode: index) }
    return TextPlot.bitGrid(bits: bits, width: bitGridWidth(codes.bitCount))
}

/// The row width `bitGrid(ofCode:in:)` uses for `bitCount` bits.
public func bitGridWidth(_ bitCount: Int) -> Int {
    guard bitCount > 0 else { return 1 }
    let root = Int(Double(bitCount).squareRoot().rounded(.up))
    return (root...max(root, root * 3 / 2)).first { bitCount % $0 == 0 } ?? root
}

/// Reads a code set for `load codes FILE`: TSV (`label`, `code`, `name` columns) or
/// `.npy` (packed bits as numpy.packbits; labels from a second `.npy`, bit count given or 8 × bytes per row).
public func loadCodeSet(from path: String, labelsPath: String? = nil, bitCount: Int? = nil) throws -> CodeSet {
    if labelsPath != nil, !path.lowercased().hasSuffix(".npy") {
        throw ShellError.message("load codes: labels FILE goes with .npy codes; a TSV file has its own label column")
    }
    return try prefixingErrors("load codes") {
        try CodeSet.read(from: path, bitCount: bitCount, labelsPath: labelsPath)
    }
}

/// Writes a code set for `save CODES to FILE`: `.npy` packed bits (labels to
/// `labelsPath` when given), anything else TSV.
public func saveCodeSet(_ codes: CodeSet, to path: String, labelsPath: String? = nil) throws {
    if labelsPath != nil {
        guard path.lowercased().hasSuffix(".npy") else {
            throw ShellError.message("save: labels FILE goes with .npy codes; TSV keeps labels in a column")
        }
        guard codes.labels != nil else { throw ShellError.message("save: the codes have no labels to write") }
    }
    try prefixingErrors("save") { try codes.write(to: path, labelsPath: labelsPath) }
}

/// `eval`'s arguments: query codes and database codes, or a model and query and database images.
enum Eval {
    /// What the first argument names.
    enum Source { case codes(CodeSet), model(ModelValue) }

    static let source = Parameter(Argument.positional("source", .value([CodeSet.typeName, ModelValue.typeName]),
                                                      "the query codes (labelled), or a model",
                                                      placeholder: "QUERY_CODES|MODEL")) { invocation -> Source in
        if let model = invocation.value("source") as? ModelValue { return .model(model) }
        return .codes(try invocation.value("source", as: CodeSet.self))
    }
    static let databaseCodes = Argument.positional("database-codes", value: CodeSet.self,
                                                   "the database codes (labelled)", optional: true,
                                                   placeholder: "DATABASE_CODES")
    static let query = Argument.images("query", "with a model: the query images")
    static let database = Argument.images("database", "with a model: the database images")
    static let k = Argument.keyword("k", Int.self, "the cut-off of mAP@k and P@k", default: 100, bounds: .atLeast(1))
    static let radius = Argument.keyword("radius", Int.self, "the Hamming radius of the precision within a radius",
                                         default: 2, bounds: .atLeast(0))
    static let to = Argument.path("to", .path, "a JSON file to write the metrics to")
}

/// `pr`'s arguments.
enum PrecisionRecall {
    static let query = Argument.positional("query", value: CodeSet.self, "the query codes (labelled)",
                                           placeholder: "QUERY_CODES")
    static let database = Argument.positional("database", value: CodeSet.self, "the database codes (labelled)",
                                              placeholder: "DATABASE_CODES")
    static let to = Argument.path("to", .path, "a PNG or SVG file to draw the chart in")
    static let title = Argument.keyword("title", String.self, "the chart's title", default: "precision-recall")
}

/// `code`'s arguments.
enum CodeCommand {
    static let codes = Argument.positional("codes", value: CodeSet.self, "the code set")
    static let index = Argument.keyword("index", Int.self, "which code (from 0)", default: 0)
}

/// `results`' arguments.
enum Results {
    static let metrics = Argument.positional("metrics", value: RetrievalMetrics.self, "the evaluations",
                                             repeating: true, placeholder: "METRICS")
}

let evaluationCommands: [Command] = [
    Command("eval", topic: .evaluation,
            abstract: "Measures retrieval by labelled query codes in labelled database codes: mAP, mAP@k, P@k, P(r≤2).",
            discussion: """
                Each query ranks the database by Hamming distance, ties by database index; relevant means the same \
                label. mAP covers the whole database; mAP@k and P@k the top k; P(r≤R) what lies within radius R; \
                the tie-aware mAP (He et al., CVPR 2018) averages over random orders of tied items.
                Two forms: `eval QUERY_CODES DATABASE_CODES`, or `eval MODEL query DATA database DATA`, which \
                encodes both image sets with the model first.
                to FILE.json writes the metrics with the key names of ../shared/golden/metrics/cases.json.
                """,
            arguments: [Eval.source, Eval.databaseCodes],
            options: [Eval.query, Eval.database, Eval.k, Eval.radius, Eval.to],
            result: .optional(RetrievalMetrics.typeName),
            examples: ["eval qc dbc", "eval qc dbc k 50 radius 2 to results/dsh-12.json as m",
                       "eval model1 query p.query database p.database k 50"]) { invocation in
        let k = try invocation[Eval.k], radius = try invocation[Eval.radius]
        let jsonPath = try invocation[Eval.to]?.path
        let sourceName = invocation.name(of: Eval.source) ?? ""
        // Two forms, told apart by what the first argument names: codes, or a model and images.
        switch try invocation[Eval.source] {
        case .model(let model):
            guard !invocation.has(Eval.databaseCodes) else {
                throw ShellError.message("eval: with a model, give images: eval \(sourceName) query DATA database DATA")
            }
            guard let queryImages = try invocation[Eval.query], let databaseImages = try invocation[Eval.database] else {
                throw ShellError.message("eval: with a model, give both query DATA and database DATA")
            }
            guard queryImages.count > 0 else { throw ShellError.message("eval: the query images are empty") }
            guard databaseImages.count > 0 else { throw ShellError.message("eval: the database images are empty") }
            let stop = invocation.session.interruptionCheck
            let (queries, database) = try prefixingErrors("eval") {
                (try model.model.encode(queryImages, shouldStop: stop),
                 try model.model.encode(databaseImages, shouldStop: stop))
            }
            return try evaluateCodes(queries: queries, database: database, k: k, radius: radius,
                                     jsonPath: jsonPath, output: invocation.output,
                                     queryName: "`\(invocation.name(of: Eval.query) ?? "")`",
                                     databaseName: "`\(invocation.name(of: Eval.database) ?? "")`", shouldStop: stop)
        case .codes(let queries):
            guard !invocation.has(Eval.query), !invocation.has(Eval.database) else {
                throw ShellError.message("eval: query and database DATA go with a model; for codes write eval QUERY_CODES DATABASE_CODES")
            }
            guard let database = try invocation[Eval.databaseCodes] else {
                throw ShellError.missingArgument(command: "eval", argument: "DATABASE_CODES")
            }
            return try evaluateCodes(queries: queries, database: database, k: k, radius: radius, jsonPath: jsonPath,
                                     output: invocation.output, queryName: "`\(sourceName)`",
                                     databaseName: "`\(invocation.name(of: Eval.databaseCodes) ?? "")`")
        }
    },

    Command("pr", topic: .evaluation,
            abstract: "Computes the precision–recall curve by Hamming radius and draws it (text, and a PNG or SVG chart with to).",
            discussion: """
                For every radius 0…bits, everything within that distance of a query is retrieved: precision is the \
                relevant share of it, recall the share of the query's relevant items found; both are averaged \
                over queries. Keep the curve with `as NAME` (its legend name) to draw several with `plot pr`; \
                without one, the legend names what made the query codes ("dsh 12 bits"). The chart marks the \
                precision of a random ranking (1/classes for balanced classes) as a dotted line.
                """,
            arguments: [PrecisionRecall.query, PrecisionRecall.database],
            options: [PrecisionRecall.to, PrecisionRecall.title],
            result: .optional(PrecisionRecallValue.typeName),
            examples: ["pr qc dbc", "pr qc dbc to pr-dsh.png as dsh12"]) { invocation in
        let queries = try invocation[PrecisionRecall.query]
        let queryName = invocation.name(of: PrecisionRecall.query) ?? ""
        let curve = try precisionRecallCurve(queries: queries, database: try invocation[PrecisionRecall.database],
                                             name: invocation.resultName
                                                 ?? legendName(of: invocation.value(PrecisionRecall.query.name))
                                                 ?? queryName,
                                             queryName: "`\(queryName)`",
                                             databaseName: "`\(invocation.name(of: PrecisionRecall.database) ?? "")`")
        invocation.output.line(precisionRecallText([curve], context: invocation.output.renderContext))
        if let path = try invocation[PrecisionRecall.to]?.path {
            try writeChart(precisionRecallChart([curve], title: try invocation[PrecisionRecall.title]),
                           to: path, command: "pr", output: invocation.output)
            invocation.output.line("wrote \(path)")
        }
        return curve
    },

    Command("code", topic: .evaluation,
            abstract: "Draws one code of a code set as a grid of bits (█ = 1, · = 0), with its label and name.",
            arguments: [CodeCommand.codes], options: [CodeCommand.index],
            examples: ["code dbc index 3"]) { invocation in
        let codes = try invocation[CodeCommand.codes]
        let index = try invocation[CodeCommand.index]
        guard codes.count > 0 else {
            throw ShellError.message("code: `\(invocation.name(of: CodeCommand.codes) ?? "")` is empty")
        }
        guard (0..<codes.count).contains(index) else {
            throw ShellError.message("code: index \(index) is outside 0…\(codes.count - 1)")
        }
        var heading = "code \(index) of \(codes.count), \(codes.bitCount) bits"
        if let label = codes.labels?[index] {
            heading += codes.classNames == nil ? ", label \(label)" : ", class \(codes.className(ofLabel: label)) (label \(label))"
        }
        if let name = codes.names?[index] { heading += ", \(name)" }
        invocation.output.line(heading)
        invocation.output.write(bitGrid(ofCode: index, in: codes))
        invocation.output.line(codes.string(ofCode: index))
        return nil
    },


    Command("results", topic: .evaluation,
            abstract: "Lays several evaluations (kept with `eval … as NAME`) side by side in one table.",
            arguments: [Results.metrics],
            examples: ["results dsh12 dpsh12 phash"]) { invocation in
        let entries = try invocation[Results.metrics]
        guard let first = entries.first?.value else {
            throw ShellError.missingArgument(command: "results", argument: "METRICS")
        }
        let rows = entries.map { name, metrics in
            [name, String(format: "%.4f", metrics.mapAll), String(format: "%.4f", metrics.mapAtK),
             String(format: "%.4f", metrics.precisionAtK), metrics.precisionWithinRadiusText,
             String(format: "%.4f", metrics.mapTieAware), String(metrics.queryCount)]
        }
        invocation.output.write(TextPlot.table(header: ["", "mAP", "mAP@\(first.k)", "P@\(first.k)",
                                                        "P(r≤\(first.radius))", "tie-aware mAP", "queries"],
                                               rows: rows, alignments: [.left] + Array(repeating: .right, count: 6)))
        if Set(entries.map { "\($0.value.k) \($0.value.radius)" }).count > 1 {
            invocation.output.line("(the evaluations used different k or radius; headers show the first's)")
        }
        return nil
    },
]
