import Codes
import Plots

// Binary codes and fast Hamming search: the "fast image retrieval" of the papers' titles.
//
// A code set is many binary codes of one length; an index over it answers "which codes are nearest to this one"
// exactly, either by a blocked two-core linear scan or by multi-index hashing (Norouzi et al., CVPR 2012), which
// splits every code into m substrings: two codes within Hamming distance r agree to within ⌊r/m⌋ on at least one
// substring (pigeonhole), so probing m small hash tables finds every candidate without reading the whole database.

extension Topic {
    static let search = Topic("search", abstract: "binary code sets, Hamming indexes and search", rank: 40)
}

extension CodeSet: ShellValue {
    public static let typeName = "codes"

    public var summary: String {
        var text = "\(count) codes × \(bitCount) bits"
        if labels != nil { text += ", labelled" }
        if names != nil { text += ", named" }
        return text
    }

    public func render(in context: RenderContext) -> String {
        var lines = [summary]
        let shown = min(count, 8)
        let rows = (0..<shown).map { index -> [String] in
            [String(index), names?[index] ?? "", labels.map { String($0[index]) } ?? "", string(ofCode: index)]
        }
        lines.append(TextPlot.table(header: ["#", "name", "label", "code"], rows: rows))
        if count > shown { lines.append("… \(count - shown) more") }
        if count > 0 {
            // A good code uses every bit half of the time: a bit stuck at 0 or 1 carries no information.
            lines.append("bit balance (share of 1s per bit): " + TextPlot.sparkline(bitBalance))
        }
        return lines.joined(separator: "\n")
    }
}

/// An exact Hamming index kept in the session.
struct IndexValue: ShellValue {
    static let typeName = "index"
    let index: any HammingIndex

    var summary: String { "\(index.methodName) index over \(index.database.summary)" }
}

/// The codes to search for: a code set, or the codes of a value that has them (a classic hash).
func queryCodes(of value: any ShellValue) throws -> CodeSet {
    if let codes = value as? CodeSet { return codes }
    if let convertible = value as? CodeConvertible { return try convertible.codeSet() }
    throw ShellError.message("\(value.typeName) values have no binary code to search for")
}

/// A value that stands for one or more binary codes (an image hash is one code).
protocol CodeConvertible {
    func codeSet() throws -> CodeSet
}

/// The index an argument names: an index as it is, or a code set indexed on the fly by a linear scan.
func searchIndex(of value: any ShellValue) throws -> any HammingIndex {
    if let index = value as? IndexValue { return index.index }
    if let codes = value as? CodeSet { return LinearHammingIndex(codes) }
    throw ShellError.message("cannot search in a \(value.typeName); give a code set or an index")
}

/// Prints the neighbours of each query as one table (at most `maximumQueries` queries).
func printNeighbors(_ results: [[Neighbor]], queries: CodeSet, database: CodeSet, output: Output,
                    maximumQueries: Int = 10) {
    for (queryIndex, neighbors) in results.prefix(maximumQueries).enumerated() {
        if results.count > 1 {
            let name = queries.names?[queryIndex] ?? "query \(queryIndex)"
            output.line("\(name): \(neighbors.count) found")
        }
        let rows = neighbors.enumerated().map { rank, neighbor -> [String] in
            [String(rank + 1), String(neighbor.index), database.names?[neighbor.index] ?? "",
             database.labels.map { String($0[neighbor.index]) } ?? "", String(neighbor.distance)]
        }
        if !rows.isEmpty {
            output.line(TextPlot.table(header: ["rank", "index", "name", "label", "distance"], rows: rows))
        }
    }
    if results.count > maximumQueries {
        output.line("… results of \(results.count - maximumQueries) more queries not shown (keep them with `as NAME`)")
    }
}

/// The result of a search, kept with `as NAME`: every query's neighbours, nearest first.
public struct SearchResults: ShellValue {
    public static let typeName = "results"
    public let neighbors: [[Neighbor]]
    public let database: CodeSet

    public var summary: String {
        "\(neighbors.count) queries, \(neighbors.reduce(0) { $0 + $1.count }) neighbours"
    }
}

let searchCommands: [Command] = [
    Command("index", topic: .search,
            abstract: "Builds an exact Hamming index over a code set.",
            discussion: """
                linear scans the codes in cache-sized blocks on both cores: best for top-N search.
                mih (multi-index hashing) splits each code into substrings with a hash table each: sub-linear
                for small radii on large databases. Both return exactly the same neighbours.
                """,
            arguments: [.positional("codes", .value(of: CodeSet.self), "the codes to index")],
            options: [.keyword("method", .word(SearchMethod.allCases.map(\.rawValue)), "how to search",
                               default: "linear")],
            result: .required(IndexValue.typeName),
            examples: ["index db method mih as ix"]) { invocation in
        let codes = try invocation.value("codes", as: CodeSet.self)
        let method = SearchMethod(rawValue: invocation.string("method") ?? "linear")!
        let index = try makeHammingIndex(codes, method: method)
        invocation.output.line("\(index.methodName) index over \(codes.summary)")
        return IndexValue(index: index)
    },

    Command("search", topic: .search,
            abstract: "Finds the nearest codes in Hamming distance: the top N, or all within a radius.",
            discussion: "Ties are broken by database index, so results are exact and reproducible.",
            arguments: [.positional("query", .value([CodeSet.typeName, "hash"]), "the code(s) to look for")],
            options: [.keyword("in", .value([IndexValue.typeName, CodeSet.typeName]), "where to look",
                               required: true),
                      .keyword("top", .int, "how many neighbours per query", default: "10"),
                      .keyword("within", .int, "every code within this Hamming distance instead")],
            result: .optional(SearchResults.typeName),
            examples: ["search q in ix top 5", "search h1 in db within 4"]) { invocation in
        let queries = try queryCodes(of: invocation.value("query")!)
        let index = try searchIndex(of: invocation.value("in")!)
        let results: [[Neighbor]]
        if let radius = invocation.int("within") {
            guard radius >= 0 else { throw ShellError.message("search: the radius must be 0 or more") }
            results = try index.within(radius: radius, of: queries)
        } else {
            let count = invocation.int("top") ?? 10
            guard count > 0 else { throw ShellError.message("search: top needs a positive count") }
            results = try index.nearest(to: queries, count: count)
        }
        printNeighbors(results, queries: queries, database: index.database, output: invocation.output)
        return SearchResults(neighbors: results, database: index.database)
    },
]
