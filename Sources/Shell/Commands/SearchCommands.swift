import ClassicHashing
import Codes
import Imaging
import Learning
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
            [String(index), names?[index] ?? "", labels.map { className(ofLabel: $0[index]) } ?? "", string(ofCode: index)]
        }
        lines.append(TextPlot.table(header: ["#", "name", "class", "code"], rows: rows))
        if count > shown { lines.append("… \(count - shown) more") }
        if count > 0 {
            // A good code uses every bit half of the time: a bit stuck at 0 or 1 carries no information.
            lines.append("bit balance (share of 1s per bit): " + TextPlot.sparkline(bitBalance))
        }
        return lines.joined(separator: "\n")
    }
}

/// An exact Hamming index kept in the session, with the provenance of its codes when `encode` made them.
struct IndexValue: ShellValue {
    static let typeName = "index"
    let index: any HammingIndex
    var provenance: CodeProvenance?

    var summary: String { "\(index.methodName) index over \(index.database.summary)" }
}

/// The codes to search for: a code set, or a classic hash as a set of one code named by its kind (its bits keep
/// imagehash's row-major order, so the Hamming distances equal `distance`'s).
func queryCodes(of value: any ShellValue) throws -> CodeSet {
    if let codes = unwrapped(value, as: CodeSet.self) { return codes }
    if let hash = value as? ImageHash { return try CodeSet(hashes: [hash], names: [hash.kind.rawValue]) }
    throw ShellError.message("\(value.typeName) values have no binary code to search for")
}

/// What made the codes a `search … in` value holds, or nil (codes loaded from a file, or made by hand).
func provenance(of value: any ShellValue) -> CodeProvenance? {
    if let encoded = value as? EncodedCodeSet { return encoded.provenance }
    return (value as? IndexValue)?.provenance
}

/// The index an argument names: an index as it is, or a code set indexed on the fly by a linear scan.
func searchIndex(of value: any ShellValue) throws -> any HammingIndex {
    if let index = value as? IndexValue { return index.index }
    if let codes = unwrapped(value, as: CodeSet.self) { return LinearHammingIndex(codes) }
    throw ShellError.message("cannot search in a \(value.typeName); give a code set or an index")
}

/// Prints the neighbours of each query as one table (at most `maximumQueries` queries).
func printNeighbors(_ results: [[Neighbor]], queries: CodeSet, database: CodeSet, output: Output,
                    maximumQueries: Int = 10) {
    for (queryIndex, neighbors) in results.prefix(maximumQueries).enumerated() {
        // The query's class, when its codes are labelled: each hit is then marked same class (✓) or not (·).
        let queryLabel = queries.labels?[queryIndex]
        let name = queries.names?[queryIndex] ?? "query \(queryIndex)"
        let classPart = queryLabel.map { " (class \(queries.className(ofLabel: $0)))" } ?? ""
        if results.count > 1 || queryLabel != nil {
            let same = queryLabel.flatMap { label in
                database.labels.map { labels in neighbors.filter { labels[$0.index] == label }.count }
            }
            output.line("\(name)\(classPart): \(neighbors.count) found"
                        + (same.map { ", \($0) of the same class" } ?? ""))
        }
        let rows = neighbors.enumerated().map { rank, neighbor -> [String] in
            let label = database.labels?[neighbor.index]
            let mark = queryLabel == nil || label == nil ? "" : label == queryLabel ? "✓" : "·"
            return [String(rank + 1), String(neighbor.index), database.names?[neighbor.index] ?? "",
                    label.map { database.className(ofLabel: $0) } ?? "", mark, String(neighbor.distance)]
        }
        if !rows.isEmpty {
            output.line(TextPlot.table(header: ["rank", "index", "name", "class", "same", "distance"], rows: rows))
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

extension SearchMethod: ArgumentWord {}

/// `index`'s arguments.
enum Index {
    /// The codes, as given: an encoded set's provenance goes into the index, for `search IMAGE in INDEX`.
    static let codes = Argument.positional("codes", valueOf: [CodeSet.self], "the codes to index")
    static let method = Argument.keyword("method", SearchMethod.self, "how to search", default: .linear)
}

/// `search`'s arguments.
enum Search {
    static let query = Argument.positional("query", valueOf: [CodeSet.self, ImageHash.self, Image.self],
                                           "the code(s) to look for, or an image", placeholder: "CODES|IMAGE")
    static let place = Argument.keyword("in", valueOf: [IndexValue.self, CodeSet.self], "where to look",
                                        required: true)
    static let top = Argument.keyword("top", Int.self, "how many neighbours per query", default: 10,
                                      bounds: .atLeast(1))
    static let within = Argument.keyword("within", Int.self, "every code within this Hamming distance instead",
                                         bounds: .atLeast(0))
}

/// `image`'s arguments (named so beside `Image`, the picture type).
enum ImageCommand {
    static let data = Argument.images("data", "the images (data, or a split's part)", required: true, positional: true)
    static let index = Argument.keyword("index", Int.self, "which image, from 0", required: true)
}

let searchCommands: [Command] = [
    Command("index", topic: .search,
            abstract: "Builds an exact Hamming index over a code set.",
            discussion: """
                linear scans the codes in cache-sized blocks on both cores: best for top-N search.
                mih (multi-index hashing) splits each code into substrings with a hash table each: sub-linear \
                for small radii on large databases. Both return exactly the same neighbours.
                """,
            arguments: [Index.codes], options: [Index.method],
            result: .required(IndexValue.typeName),
            examples: ["index db method mih as ix"]) { invocation in
        let given = try invocation[Index.codes]
        let codes = try given.as(CodeSet.self)
        let index = try makeHammingIndex(codes, method: try invocation[Index.method])
        invocation.output.line("\(index.methodName) index over \(codes.summary)")
        return IndexValue(index: index, provenance: provenance(of: given.value))
    },

    Command("search", topic: .search,
            abstract: "Finds the nearest codes in Hamming distance: the top N, or all within a radius; "
                + "for an image, shows the nearest images.",
            discussion: """
                Ties are broken by database index, so results are exact and reproducible.
                The query may be an image when the codes were made by `encode DATA with MODEL|KIND` (or are an \
                index over such codes): the image is encoded as the codes were, with the model as it was at that \
                `encode` (later training does not change it) or hashed with the same kind, and the nearest \
                database images are drawn as terminal previews, each captioned with its rank, its index in the \
                database, its class and its Hamming distance. For a model, an image of another size or channel \
                count is prepared as `data folder` prepares its files: converted to the model's channels (alpha \
                over black) and resized to its input (area averaging when shrinking, bilinear when growing). Code \
                sets loaded from files do not know what made them, and take codes only.
                """,
            arguments: [Search.query], options: [Search.place, Search.top, Search.within],
            result: .optional(SearchResults.typeName),
            examples: ["search q in ix top 5", "search h1 in db within 4", "search photo in dbc top 5"]) { invocation in
        let query = try invocation[Search.query], place = try invocation[Search.place]
        let index = try searchIndex(of: place.value)
        let queries: CodeSet
        var imageQuery: (image: Image, provenance: CodeProvenance)?
        if let image = unwrapped(query.value, as: Image.self) {
            guard let provenance = provenance(of: place.value) else {
                throw ShellError.message("search: `\(place.name)` does not know what made its codes (loaded from a "
                    + "file, or not made by `encode`), so `\(query.name)` cannot be encoded like them; search it with codes, "
                    + "or make it with `encode DATA with MODEL|KIND`")
            }
            queries = try prefixingErrors("search") { try provenance.encoder.encode(image, name: query.name) }
            imageQuery = (image, provenance)
        } else {
            queries = try queryCodes(of: query.value)
        }
        let radius = try invocation[Search.within], count = try invocation[Search.top]
        // Many queries (a whole code set) are searched a block at a time, so that Ctrl-C stops between blocks.
        var results: [[Neighbor]] = []
        results.reserveCapacity(queries.count)
        let block = 1024
        for start in stride(from: 0, to: queries.count, by: block) {
            try invocation.checkInterruption()
            let part = queries.count <= block ? queries : try queries.subset(start..<min(queries.count, start + block))
            results += try radius.map { try index.within(radius: $0, of: part) } ?? index.nearest(to: part, count: count)
        }
        if let (image, provenance) = imageQuery {
            let neighbors = results[0], maximum = 30
            invocation.output.line("\(query.name): code \(queries.string(ofCode: 0)) by "
                + "\(provenance.encoder.description); \(neighbors.count) nearest of \(index.database.count) in "
                + "\(place.name) (images of \(provenance.imagesName)):")
            // A query taken out of a data set knows its class: say it, and mark the neighbours of that class.
            let queryClass = (query.value as? DataSetImage)?.className
            if let queryClass {
                let same = neighbors.filter { className(of: provenance.images.labels[$0.index], in: provenance.images)
                    == queryClass }.count
                invocation.output.line("the query is of class \(queryClass); \(same) of the \(neighbors.count) "
                                       + "neighbours share it (✓)")
            }
            invocation.output.pictures(neighborPreviews(query: image, queryName: query.name,
                                                      neighbors: neighbors, images: provenance.images,
                                                      context: invocation.output.renderContext, maximum: maximum,
                                                      queryClass: queryClass))
            if neighbors.count > maximum {
                invocation.output.line("… \(neighbors.count - maximum) more not drawn (keep them with `as NAME`)")
            }
        } else {
            printNeighbors(results, queries: queries, database: index.database, output: invocation.output)
        }
        return SearchResults(neighbors: results, database: index.database)
    },

    // Picking one image out of a data set: the smallest way to get a query image for `search IMAGE in CODES` from
    // a synthetic or CIFAR-10 set (it lives here because searching by image is what it is for).
    Command("image", topic: .images,
            abstract: "Takes one image out of a data set (or a split's part) as an image value, e.g. to search with.",
            arguments: [ImageCommand.data], options: [ImageCommand.index],
            result: .required(Image.typeName),
            examples: ["image d index 3 as photo3"]) { invocation in
        let images = try invocation[ImageCommand.data], index = try invocation[ImageCommand.index]
        let name = invocation.name(of: ImageCommand.data) ?? ""
        guard (0..<images.count).contains(index) else {
            throw ShellError.message("image: index \(index) is outside `\(name)`'s 0…\(images.count - 1)")
        }
        let picked = DataSetImage(image: images.image(at: index),
                                  className: className(of: images.labels[index], in: images),
                                  origin: "image \(index) of \(name)")
        invocation.output.line("\(invocation.resultName!): \(picked.image.summary), image \(index) of \(name), class "
                               + picked.className)
        return picked
    },
]

/// The class name of `label`, or "label N" when the set has no name for it.
func className(of label: Int32, in images: LabeledImages) -> String {
    label >= 0 && Int(label) < images.classNames.count ? images.classNames[Int(label)] : "label \(label)"
}

/// The query image and its nearest database images as a row of pictures: in a terminal, previews side by side in rows that
/// fit it, the query first, then each neighbour captioned with its rank, database index, class and Hamming
/// distance (the same captions go under the pictures of a notebook). At most `maximum` neighbours are drawn.
func neighborPreviews(query: Image, queryName: String, neighbors: [Neighbor], images: LabeledImages,
                      context: RenderContext, tileWidth: Int = 12, maximum: Int = 30,
                      queryClass: String? = nil) -> PictureRow {
    let gap = "  "
    func fitted(_ text: String) -> String {
        let cut = String(text.prefix(tileWidth))
        return cut + String(repeating: " ", count: tileWidth - cut.count)
    }
    func tile(_ image: Image, captions: [String]) -> [String] {
        TextPlot.preview(image, width: tileWidth, color: context.usesColour)
            .split(separator: "\n").map(String.init) + captions.map(fitted)
    }
    var panels = [PictureRow.Panel(query, caption: "query \(queryName)")]
    var tiles = [tile(query, captions: ["query", queryName, queryClass ?? ""])]
    for (rank, neighbor) in neighbors.prefix(maximum).enumerated() {
        let image = images.image(at: neighbor.index)
        let name = className(of: images.labels[neighbor.index], in: images)
        let mark = queryClass == nil ? "" : name == queryClass ? " ✓" : " ·"
        let captions = ["\(rank + 1). #\(neighbor.index)", name + mark, "distance \(neighbor.distance)"]
        panels.append(PictureRow.Panel(image, caption: captions.joined(separator: " ")))
        tiles.append(tile(image, captions: captions))
    }
    let perRow = max(1, (context.width + gap.count) / (tileWidth + gap.count))
    var rows: [String] = []
    for start in stride(from: 0, to: tiles.count, by: perRow) {
        let row = Array(tiles[start..<min(tiles.count, start + perRow)])
        // Pictures of other shapes have other heights: align the captions by padding pictures at the top.
        let height = row.map(\.count).max() ?? 0
        let padded = row.map { Array(repeating: String(repeating: " ", count: tileWidth), count: height - $0.count) + $0 }
        for line in 0..<height {
            rows.append(padded.map { $0[line] }.joined(separator: gap).trimmingTrailingBlanks())
        }
    }
    return PictureRow(panels, lines: rows)
}
