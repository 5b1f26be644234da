import ClassicHashing
import Codes
import Foundation
import Imaging
import Learning
import Plots

// Comparing methods: several trained models and classic hashes judged on the same queries and database, in one
// table and one precision–recall chart.
//
// Nothing here measures anything new. Each entry's codes are made exactly as `encode … with ENTRY` makes them (a
// model's network in inference mode and its threshold; a classic hash of every image), and its numbers are those of
// `eval` (Codes' `evaluateRetrieval`) and `pr` (`precisionRecallByRadius`) on those codes — both from one ranking
// per query (`evaluateRetrievalWithCurve`) — so a row of the table is
// what `encode`, `eval` and `pr` would print for that entry one by one. What `compare` adds is fairness by
// construction (one query set, one database, one k for all) and one place to read the result.
//
// The same verb compares two images (`compare A B`, tutorials 01 and 02): their previews side by side and the
// Hamming distance of their hashes of every kind. Which form runs is decided by `query`/`database`: without them,
// the entries must be two images.

/// One row of a comparison: an entry's codes judged against the shared queries and database.
public struct ComparisonEntry: Sendable, Equatable {
    /// The model's name in the session, or the classic hash's kind.
    public var name: String
    /// The model's method (dlbhc, dsh, …, or a shallow one), or `classic` for a perceptual hash.
    public var method: String
    public var bits: Int
    /// What `eval` gives for this entry's codes (with the comparison's k and radius).
    public var metrics: RetrievalMetrics
    /// What `pr` gives for this entry's codes.
    public var curve: PrecisionRecallCurve
    /// Wall-clock seconds to encode the queries and the database.
    public var encodingSeconds: Double

    /// "m (dsh 12 bits)" for a model, "phash 64 bits" for a classic hash: a chart's legend entry.
    public var legendName: String {
        method == "classic" ? "\(name) \(bits) bits" : "\(name) (\(method) \(bits) bits)"
    }

    /// mAP, mAP@k, P@k, P(r≤R) and tie-aware mAP: the table's metric columns, in order.
    var metricValues: [Double] {
        [metrics.mapAll, metrics.mapAtK, metrics.precisionAtK, metrics.precisionWithinRadius, metrics.mapTieAware]
    }

    public init(name: String, method: String, bits: Int, metrics: RetrievalMetrics, curve: PrecisionRecallCurve,
                encodingSeconds: Double) {
        self.name = name
        self.method = method
        self.bits = bits
        self.metrics = metrics
        self.curve = curve
        self.encodingSeconds = encodingSeconds
    }
}

/// The result of `compare … as C`: one row per entry, in the order given.
public struct ComparisonTable: TableValue, Sendable {
    public static let typeName = "comparison"
    public var entries: [ComparisonEntry]
    /// The cut-off of mAP@k and P@k, and the radius of P(r≤R).
    public var k: Int
    public var radius: Int
    public var queryCount: Int
    public var databaseCount: Int

    public init(entries: [ComparisonEntry], k: Int, radius: Int, queryCount: Int, databaseCount: Int) {
        self.entries = entries
        self.k = k
        self.radius = radius
        self.queryCount = queryCount
        self.databaseCount = databaseCount
    }

    public var summary: String {
        entries.map(\.name).joined(separator: ", ")
            + " on \(queryCount) queries against \(databaseCount) database images"
    }

    public var header: [String] {
        ["name", "method", "bits", "mAP", "mAP@\(k)", "P@\(k)", "P(r≤\(radius))", "tie-aware mAP", "encode s"]
    }

    /// Metrics to 4 decimals as `eval` and `results` print them, seconds to 2.
    public var rows: [[String]] {
        entries.map { entry in
            var cells = entry.metricValues.map { $0.isFinite ? String(format: "%.4f", $0) : "n/a" }
            // Nothing within the radius for any query (64-bit hashes at radius 2): no precision, not a precision of 0.
            cells[3] = entry.metrics.precisionWithinRadiusText
            return [entry.name, entry.method, String(entry.bits)] + cells
                + [String(format: "%.2f", entry.encodingSeconds)]
        }
    }

    public var alignments: [TextPlot.Alignment] { [.left, .left] + Array(repeating: .right, count: 7) }

    /// `name,method,bits,map,map_at_K,p_at_K,p_within_radius_R,map_tie_aware,encode_seconds` (the metric names
    /// of `eval … to FILE.json` and of a sweep's CSV).
    public var csvHeader: [String] {
        ["name", "method", "bits", "map", "map_at_\(k)", "p_at_\(k)", "p_within_radius_\(radius)", "map_tie_aware",
         "encode_seconds"]
    }

    public var csvRows: [[String]] {
        entries.map { entry in
            [entry.name, entry.method, String(entry.bits)]
                + (entry.metricValues + [entry.encodingSeconds]).map(csvNumber)
        }
    }

    /// The precision of a random ranking on these queries and database (1/classes for balanced classes).
    public var chance: Double?

    /// The entries' precision–recall curves, as `plot pr` draws them, each named for its legend by what it is:
    /// "m (dsh 12 bits)" for a model, "phash 64 bits" for a classic hash.
    public var curves: [PrecisionRecallValue] {
        entries.map { PrecisionRecallValue(name: $0.legendName, curve: $0.curve, chance: chance) }
    }
}

/// How one entry makes codes: a trained model or a classic hash.
private enum ComparisonEncoder {
    case model(HashingModel)
    case classic(HashKind)

    var method: String {
        switch self {
        case .model(let model): return model.method.rawValue
        case .classic: return "classic"
        }
    }

    func encode(_ images: LabeledImages, shouldStop: () -> Bool) throws -> CodeSet {
        switch self {
        case .model(let model): return try model.encode(images, shouldStop: shouldStop)
        case .classic(let kind): return try classicHashCodes(of: images, kind: kind, shouldStop: shouldStop)
        }
    }
}

/// The word of an entry as a model (a model value of that name comes first, as with `encode … with`) or a classic
/// hash kind, with a one-line error for anything else and for a model that cannot encode `images` yet.
private func comparisonEncoder(_ word: String, in session: Session,
                               images: [(name: String, images: LabeledImages)]) throws -> ComparisonEncoder {
    let kindList = classicCodeKinds.joined(separator: ", ")
    let value: any ShellValue
    do {
        value = try session.value(named: word)
    } catch {
        if let kind = HashKind(rawValue: word) { return .classic(kind) }
        let candidates = session.names(ofTypes: [ModelValue.typeName]) + classicCodeKinds
        throw ShellError.message("compare: `\(word)` is neither a model nor a classic hash (\(kindList))"
                                 + Suggestions.phrase(Suggestions.closest(to: word, among: candidates)))
    }
    guard let model = (value as? ModelValue)?.model else {
        if let kind = HashKind(rawValue: word) { return .classic(kind) }
        throw ShellError.message("compare: `\(word)` is \(Article.with(value.typeName)), not a model; entries "
                                 + "are models or classic hashes (\(kindList))")
    }
    guard model.hasTrained else {
        throw ShellError.message("compare: the model `\(word)` has not trained yet; train it first "
                                 + "(train \(word) on DATA epochs N)")
    }
    if let shape = model.inputShape {
        for (name, part) in images where [part.channels, part.height, part.width] != shape {
            let text = { (shape: [Int]) in shape.map(String.init).joined(separator: "x") }
            throw ShellError.message("compare: `\(word)` takes \(text(shape)) images but `\(name)` holds "
                                     + text([part.channels, part.height, part.width]))
        }
    }
    return .model(model)
}

/// A value's name as it is, a path by its last part.
private func shortName(_ word: String) -> String {
    word.contains("/") ? (word as NSString).lastPathComponent : word
}

/// `compare`'s arguments. Which form runs is decided by query and database (given together or not at all); k,
/// radius, to and title belong to the form that has them.
enum Compare {
    static let entries = Argument.positional(
        "entries", .custom(placeholder: "MODEL|HASH|IMAGE",
                           description: "a model, a classic hash kind (" + classicCodeKinds.joined(separator: ", ")
                               + ") or an image",
                           completions: { session in
                               session.names(ofTypes: [ModelValue.typeName, Image.typeName]) + classicCodeKinds
                           }),
        "models and classic hashes to compare, or two images (by name or file)", repeating: true).readAsTexts
    static let query = Argument.images("query", "the query images", goesWith: ["database"])
    static let database = Argument.images("database", "the database images", goesWith: ["query"])
    static let k = Argument.keyword("k", Int.self, "the cut-off of mAP@k and P@k", default: 100, bounds: .atLeast(1),
                                    goesWith: ["query", "database"])
    static let radius = Argument.keyword("radius", Int.self, "the Hamming radius of P(r≤R)", default: 2,
                                         bounds: .atLeast(0), goesWith: ["query", "database"])
    static let to = Argument.path("to", .path, "a PNG or SVG file for the precision–recall chart",
                                  goesWith: ["query", "database"])
    static let title = Argument.keyword("title", String.self, "the chart's title", default: "precision-recall",
                                        goesWith: ["query", "database"])
}

/// `compare A B`: two images side by side (terminal previews), with their hashes of every kind and the Hamming
/// distance of each pair — tutorial 01's way of seeing which edits a hash survives.
private func compareImages(_ invocation: Invocation, _ names: [String]) throws {
    guard names.count == 2 else {
        throw ShellError.message("compare: images compare two at a time (compare A B), not \(names.count); "
                                 + "models and hashes need query DATA and database DATA")
    }
    let session = invocation.session
    // Each is an image value or an image file, as any IMAGE argument.
    let images = try names.map { name -> Image in
        guard case .value(_, let value) = try ArgumentBinder.check(name, as: .value(of: Image.self),
                                                                   argument: "compare IMAGE", in: session),
              let image = unwrapped(value, as: Image.self)
        else { throw ShellError.wrongValueType(name: name, actual: "?", expected: [Image.typeName]) }
        return image
    }
    let (a, b) = (images[0], images[1])
    // (k, radius, to and title without query and database are refused by the binder.)
    guard invocation.resultName == nil else {
        throw ShellError.message("compare: as NAME goes with query DATA and database DATA (a table to keep), not with two images")
    }
    // A file is named by its last part (`photos/cat.png` → `cat.png`), to keep the table narrow.
    let (nameA, nameB) = (shortName(names[0]), shortName(names[1]))
    let context = invocation.output.renderContext
    let columns = max(8, min(32, (context.width - 3) / 2))
    let widthA = Image.previewWidth(for: a, columns: columns), widthB = Image.previewWidth(for: b, columns: columns)
    let linesA = a.previewLines(width: widthA, colour: context.usesColour)
    let linesB = b.previewLines(width: widthB, colour: context.usesColour)
    let gap = "   "
    var drawing = (0..<max(linesA.count, linesB.count)).map { row in
        let left = row < linesA.count ? linesA[row] : String(repeating: " ", count: widthA)
        let right = row < linesB.count ? linesB[row] : ""
        return (left + gap + right).trimmingTrailingBlanks()
    }
    let captionA = "\(nameA) \(a.summary)", captionB = "\(nameB) \(b.summary)"
    drawing.append(captionA.padding(widthA + gap.count) + captionB)
    invocation.output.pictures(PictureRow([PictureRow.Panel(a, caption: captionA), PictureRow.Panel(b, caption: captionB)],
                                    lines: drawing))
    invocation.output.line()
    let hashesA = try ClassicHashing.hashes(a, kinds: HashKind.allCases)
    let hashesB = try ClassicHashing.hashes(b, kinds: HashKind.allCases)
    let rows = zip(hashesA, hashesB).map { first, second in
        let distance = first.hammingDistance(to: second)
        return [first.kind.rawValue, first.hexString, second.hexString, "\(distance)/\(first.bitCount)"]
    }
    var table = TextPlot.table(header: ["kind", nameA, nameB, "distance"], rows: rows,
                               alignments: [.left, .left, .left, .right])
    if table.hasSuffix("\n") { table.removeLast() }
    invocation.output.line(table)
}

/// `compare M1 M2 … query Q database D`: the table and the precision–recall chart of the entries.
private func compareMethods(_ invocation: Invocation, _ names: [String]) throws -> ComparisonTable {
    let session = invocation.session
    let k = try invocation[Compare.k], radius = try invocation[Compare.radius]
    let pngPath = try invocation[Compare.to]?.path
    if let pngPath { try checkChartPath(pngPath, command: "compare") }
    // The binder has made sure that both are given (this form is chosen by them).
    guard let queryImages = try invocation[Compare.query], let databaseImages = try invocation[Compare.database],
          let queryName = invocation.name(of: Compare.query), let databaseName = invocation.name(of: Compare.database)
    else { throw ShellError.message("compare: give both query DATA and database DATA for models and hashes") }
    guard queryImages.count > 0 else { throw ShellError.message("compare: the query images `\(queryName)` are empty") }
    guard databaseImages.count > 0 else {
        throw ShellError.message("compare: the database images `\(databaseName)` are empty")
    }
    // Every entry resolves, once, before anything is encoded.
    var seen: Set<String> = []
    for name in names where !seen.insert(name).inserted {
        throw ShellError.message("compare: `\(name)` is given twice")
    }
    let encoders = try names.map { name in
        try comparisonEncoder(name, in: session, images: [(queryName, queryImages), (databaseName, databaseImages)])
    }

    let output = invocation.output
    output.line("comparing \(names.count) entr\(names.count == 1 ? "y" : "ies") on \(queryImages.count) queries "
                + "against \(databaseImages.count) database images (k \(k), radius \(radius))")
    var entries: [ComparisonEntry] = []
    let shouldStop = session.interruptionCheck
    for (index, (name, encoder)) in zip(names, encoders).enumerated() {
        // Ctrl-C stops the entry being measured (between batches of its encoding or queries of its ranking) and
        // keeps the finished ones, as a sweep keeps its finished runs.
        let measured: (queries: CodeSet, metrics: RetrievalMetrics, curve: PrecisionRecallCurve, seconds: Double)
        do {
            if shouldStop() { throw ShellError.interrupted }
            output.progress("\(index + 1)/\(names.count) encoding with \(name)…")
            let start = monotonicSeconds()
            let (queries, database) = try prefixingErrors("compare: \(name)") {
                (try encoder.encode(queryImages, shouldStop: shouldStop),
                 try encoder.encode(databaseImages, shouldStop: shouldStop))
            }
            let seconds = monotonicSeconds() - start
            try checkEvaluable(queries: queries, database: database, queryName: "`\(queryName)`",
                               databaseName: "`\(databaseName)`", command: "compare")
            let (metrics, curve) = try prefixingErrors("compare") {
                try evaluateRetrievalWithCurve(queries: queries, database: database, k: k, radius: radius,
                                               shouldStop: shouldStop)
            }
            measured = (queries, metrics, curve, seconds)
        } catch ShellError.interrupted {
            if entries.isEmpty { throw ShellError.interrupted }
            output.finishProgress("stopped after \(entries.count) of \(names.count) entries; the finished ones are kept")
            break
        }
        let (queries, metrics, curve, seconds) = measured
        entries.append(ComparisonEntry(name: name, method: encoder.method, bits: queries.bitCount,
                                       metrics: metrics, curve: curve, encodingSeconds: seconds))
        output.finishProgress("\(index + 1)/\(names.count) \(name): \(queries.bitCount) bits, "
                              + String(format: "mAP %.4f, encoded in %.2f s", metrics.mapAll, seconds))
    }
    var table = ComparisonTable(entries: entries, k: k, radius: radius, queryCount: queryImages.count,
                                databaseCount: databaseImages.count)
    table.chance = chancePrecision(queryLabels: queryImages.labels, databaseLabels: databaseImages.labels)
    output.write(TextPlot.table(header: table.header, rows: table.rows, alignments: table.alignments))
    let withoutRelevant = entries.first.map { $0.metrics.queryCount - $0.metrics.queriesWithRelevantItems } ?? 0
    if withoutRelevant > 0 {
        output.line("(\(withoutRelevant) queries have no relevant item in the database: left out of the two mAPs)")
    }
    output.line(precisionRecallText(table.curves, context: output.renderContext))
    if let pngPath {
        try writeChart(precisionRecallChart(table.curves, title: try invocation[Compare.title]),
                       to: pngPath, command: "compare", output: output)
        output.line("wrote \(pngPath)")
    }
    return table
}

let compareCommands: [Command] = [
    Command("compare", topic: .hashing,
            abstract: "Judges models and classic hashes on the same queries and database (one table, one PR plot), or two images' hashes.",
            discussion: """
                Two forms. compare M1 M2 … query DATA database DATA judges trained models (their codes as `encode \
                … with M` makes them) and classic hashes (ahash, dhash, phash, whash: 64 bits; colorhash: 42 bits; \
                baselines that know nothing of the labels) on the same images: each row holds exactly the numbers \
                `eval` gives for that entry (mAP, mAP@k, P@k, P(r≤R), tie-aware mAP), its code length and the \
                seconds it took to encode both sets; the chart is `plot pr` of their precision–recall curves by \
                Hamming radius. Everything is checked before anything is encoded; Ctrl-C stops before the next \
                entry and keeps the finished ones. `show C` prints the table again, \
                `save C to FILE.csv` writes it at full precision. On a split p with trained models:
                compare dlbhc dsh dpsh triplet phash query p.query database p.database k 50
                compare A B shows two images side by side with their hashes of every kind and the distances.
                """,
            arguments: [Compare.entries],
            options: [Compare.query, Compare.database, Compare.k, Compare.radius, Compare.to, Compare.title],
            result: .optional(ComparisonTable.typeName),
            examples: ["compare photo turned", "compare m1 m2 phash query d database d k 5",
                       "compare m1 m2 ahash colorhash query d database d to out/compare.png as c"]) { invocation in
        let names = try invocation[Compare.entries]
        // Without query and database (the binder lets through both or neither), the entries are two images.
        if !invocation.has(Compare.query) {
            let isImage = { (name: String) in
                (try? invocation.session.value(named: name, as: Image.self)) != nil
                    || (try? invocation.session.value(named: name)) == nil && FileManager.default.fileExists(atPath: name)
            }
            if names.contains(where: isImage) {
                try compareImages(invocation, names)
                return nil
            }
            throw ShellError.message("compare: give query DATA and database DATA to compare models and hashes "
                                     + "(or two images: compare A B)")
        }
        return try compareMethods(invocation, names)
    },
]
