import ClassicHashing
import Codes
import Foundation
import Imaging
import Plots

extension Topic {
    static let hashing = Topic("hashing", abstract: "classic perceptual hashes and their distances", rank: 20)
}

extension HashKind: ArgumentWord {}

/// What `hash` hashes: an image (by name, or a file read as one), or every image file of a folder.
enum HashSource {
    case image(Image, name: String)
    case folder(String)
}

/// `hash`'s arguments.
enum Hash {
    static let kinds = Argument.positional("kind", oneOrAll: HashKind.self, "the hash to compute", placeholder: "KIND")
    static let source = Parameter<HashSource>(
        .positional("source", .oneOf([.value(of: Image.self), .folder]),
                    "an image (by name or file) or a folder of image files", placeholder: "IMAGE|FOLDER")
    ) { invocation in
        switch invocation.argument("source") {
        case .value(let name, let value)?:
            if let image = unwrapped(value, as: Image.self) { return .image(image, name: name) }
        case .path(let folder)?:
            return .folder(folder)
        default:
            break
        }
        throw ShellError.missingArgument(command: "hash", argument: "IMAGE|FOLDER")
    }
    static let size = Argument.keyword("size", Int.self,
                                       "imagehash's hash_size: the grid is N×N bits (colorhash ignores it)",
                                       default: 8, bounds: .between(2, 64))
    static let binBits = Argument.keyword("binbits", Int.self, "colorhash's binbits: bits per colour bin",
                                          default: 3, bounds: .between(1, 16))
    static let to = Argument.path("to", .path, "a TSV file to write (header `file KIND…`)")
}

/// `bits`' arguments.
enum Bits {
    static let hash = Argument.positional("hash", valueOf: [ImageHash.self, CodeSet.self], "the hash or codes to draw",
                                          placeholder: "HASH|CODES")
    static let first = Argument.keyword("first", Int.self, "codes per class (or in all) to draw", default: 4,
                                        bounds: .atLeast(1))
}

/// `distance`'s arguments.
enum Distance {
    static let first = Argument.positional("first", valueOf: [ImageHash.self, ColorHistogram.self],
                                           "a hash or histogram", placeholder: "A")
    static let second = Argument.positional("second", valueOf: [ImageHash.self, ColorHistogram.self],
                                            "another of the same kind", placeholder: "B")
}

/// `dupes`' arguments.
enum Dupes {
    static let folder = Argument.path("folder", .folder, "the folder to search (recursively)", required: true,
                                      positional: true)
    static let using = Argument.keyword("using", HashKind.self, "the hash to compare", required: true,
                                        placeholder: "KIND")
    static let within = Argument.keyword("within", Int.self, "the largest Hamming distance that counts as a duplicate",
                                         required: true, placeholder: "D", bounds: .atLeast(0))
    static let size = Argument.keyword("size", Int.self, "imagehash's hash_size", default: 8, bounds: .between(2, 64))
    static let binBits = Argument.keyword("binbits", Int.self, "colorhash's binbits", default: 3,
                                          bounds: .between(1, 16))
}

/// Classic hashing commands: hash images and folders, draw bits, measure distances, find near-duplicates.
let hashCommands: [Command] = [
    Command("hash", topic: .hashing,
            abstract: "Hashes an image, or every image file of a folder, bit for bit as imagehash 4.3.2 "
                + "(KIND: ahash, dhash, phash, whash, colorhash or all).",
            discussion: """
                ahash: gray thumbnail pixels above their mean; dhash: is each pixel brighter than its right-hand \
                neighbour; phash: signs of low DCT frequencies about their median; whash: Haar wavelet low band \
                about its median; colorhash: fractions of black, gray and hue bins. `all` computes every kind.
                A folder is searched recursively and hashed on every core; file names in the table and the TSV are \
                relative to it, as in imagehash's expected.tsv. A kind that fails for one image leaves its cell \
                empty (`-`), and the reason is printed below the table; the image's other kinds stand.
                """,
            arguments: [Hash.kinds, Hash.source], options: [Hash.size, Hash.binBits, Hash.to],
            result: .optional("hash (hashes for all or a folder)"),
            examples: ["hash phash photo as h1", "hash all photo", "hash all pictures to hashes.tsv as table"]) { invocation in
        let kinds = try invocation[Hash.kinds]
        let size = try invocation[Hash.size], binBits = try invocation[Hash.binBits]
        let source = try invocation[Hash.source]
        let table: HashTable
        switch source {
        case .image(let image, let name):
            let row = HashTable.Row(file: name, image: image, kinds: kinds, size: size, binBits: binBits)
            if kinds.count == 1, let failure = row.cellFailures[kinds[0]] { throw ShellError.message("hash: \(failure)") }
            table = HashTable(source: name, kinds: kinds, rows: [row])
            let width = kinds.map(\.rawValue.count).max()! + 2
            for (kind, hash) in zip(kinds, row.hashes) {
                invocation.output.line(kind.rawValue.padding(width) + (hash?.hexString ?? "-"))
            }
            for (kind, failure) in row.cellFailures.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                invocation.output.line("no \(kind.rawValue): \(failure)")
            }
        case .folder(let folder):
            let (rows, complete) = try hashFolderRows(folder, kinds: kinds, size: size, binBits: binBits,
                                                      invocation: invocation)
            if !complete && rows.isEmpty { throw ShellError.interrupted }
            // Stopped by Ctrl-C: the rows so far are kept, and the table says it is partial.
            table = HashTable(source: complete ? folder : folder + " (partial: stopped by Ctrl-C)", kinds: kinds,
                              rows: rows)
            invocation.output.line("\(table.hashedRows.count) of \(rows.count) image files hashed in \(folder)"
                                   + (complete ? "" : "; stopped by Ctrl-C, the table is partial"))
            if !table.hashedRows.isEmpty {
                // A long table would scroll the session away: the first rows here, all of them with `show NAME`.
                let lines = table.render(in: invocation.output.renderContext).split(separator: "\n")
                let shown = 2 + 30
                invocation.output.line(lines.prefix(shown).joined(separator: "\n"))
                if lines.count > shown {
                    invocation.output.line("… \(lines.count - shown) more rows (keep the table with `as NAME` and "
                        + "`show NAME` for all of them, or write them with `to FILE.tsv`)")
                }
            }
            for row in rows where !row.wasRead { invocation.output.line("skipped \(row.file): \(row.failure!)") }
            for line in emptyCellLines(rows, kinds: kinds) { invocation.output.line(line) }
        }
        if let path = try invocation[Hash.to]?.path {
            try makeParentFolder(of: path)
            try writeText(table.tsv, to: path)
            invocation.output.line("wrote \(path)")
        }
        if case .image = source, kinds.count == 1, let hash = table.rows[0].hashes[0] { return hash }
        return table
    },

    Command("bits", topic: .hashing,
            abstract: "Draws bits as █ for 1 and · for 0: a hash as a grid, learned codes one per row, grouped by class.",
            discussion: """
                A hash is drawn as its grid (8×8 for 64 bits, row by row). A code set shows the first N codes of \
                every class (of the set, when it has no labels), one code per row: good learned codes look alike \
                within a class and differ between classes, and every column (bit) is 1 about half of the time.
                """,
            arguments: [Bits.hash], options: [Bits.first],
            examples: ["bits h1", "bits hs.phash", "bits db first 2"]) { invocation in
        let value = try invocation[Bits.hash].value
        if let codes = unwrapped(value, as: CodeSet.self) {
            let first = try invocation[Bits.first]
            for line in codeRows(codes, first: first, width: invocation.output.width) { invocation.output.line(line) }
        } else if let hash = value as? ImageHash {
            invocation.output.line(hash.render(in: invocation.output.renderContext))
        }
        return nil
    },

    Command("distance", topic: .hashing,
            abstract: "Measures how far apart two hashes (Hamming) or two histograms (Euclidean) are.",
            discussion: """
                Hashes: the number of bits that differ (imagehash's `h1 - h2`), drawn as the two grids and a third \
                marking the differing bits with ✕. Histograms: the Euclidean distance √Σ(a−b)² of the bin \
                fractions (0 for equal histograms, at most √2); `match` has the four compareHist measures.
                """,
            arguments: [Distance.first, Distance.second],
            result: .optional(NumberValue.typeName),
            examples: ["distance h1 h2", "distance hist1 hist2 as d"]) { invocation in
        let first = try invocation[Distance.first], second = try invocation[Distance.second]
        let firstName = first.name, secondName = second.name
        switch (first.value, second.value) {
        case let (a as ImageHash, b as ImageHash):
            guard a.kind == b.kind, a.bitCount == b.bitCount else {
                throw ShellError.message("distance: `\(firstName)` is a \(a.bitCount)-bit \(a.kind.rawValue), "
                    + "`\(secondName)` a \(b.bitCount)-bit \(b.kind.rawValue); compare hashes of one kind and size")
            }
            let distance = a.hammingDistance(to: b)
            invocation.output.line("hamming distance \(distance) of \(a.bitCount) bits ("
                + formatPercent(Double(distance) / Double(a.bitCount)) + " differ)")
            let width = a.gridWidth
            // Each grid is `width` characters followed by three blanks.
            let labels = [firstName, secondName, "differ"].map { String($0.prefix(width + 2)).padding(width + 3) }
            invocation.output.line(labels.joined().trimmingTrailingBlanks())
            var grid = TextPlot.bitDifference(a.bits, b.bits, width: width)
            if grid.hasSuffix("\n") { grid.removeLast() }
            invocation.output.line(grid)
            return NumberValue(Double(distance))
        case let (a as ColorHistogram, b as ColorHistogram):
            try checkComparable(a, b, names: firstName, secondName, command: "distance")
            let distance = zip(a.values, b.values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
            invocation.output.line("euclidean distance " + String(format: "%.6f", distance)
                + " between \(a.layout) histograms (0 = same colours, at most 1.414)")
            return NumberValue(distance)
        default:
            throw ShellError.message("distance: `\(firstName)` is \(Article.with(first.value.typeName)) and "
                + "`\(secondName)` \(Article.with(second.value.typeName)); give two hashes or two histograms")
        }
    },

    Command("dupes", topic: .hashing,
            abstract: "Lists groups of near-duplicate images (PNG or JPEG) in a folder: hashes within Hamming distance D.",
            discussion: """
                Every PNG or JPEG file under the folder is hashed (on every core), then every pair of hashes is compared; \
                images linked by a chain of close pairs form one group.
                """,
            arguments: [Dupes.folder], options: [Dupes.using, Dupes.within, Dupes.size, Dupes.binBits],
            examples: ["dupes pictures using phash within 10"]) { invocation in
        let folder = try invocation[Dupes.folder].path
        let kind = try invocation[Dupes.using], radius = try invocation[Dupes.within]
        let size = try invocation[Dupes.size], binBits = try invocation[Dupes.binBits]
        let (rows, complete) = try hashFolderRows(folder, kinds: [kind], size: size, binBits: binBits,
                                                  invocation: invocation)
        guard complete else { throw ShellError.interrupted }  // groups of part of a folder would mislead
        for row in rows { for line in row.failureLines { invocation.output.line("skipped \(line)") } }
        // The images hashed, and their hashes as codes (code i is image i's hash): grouped by the Codes module.
        let hashed = rows.filter { $0.hashes[0] != nil }
        let hashes = hashed.map { $0.hashes[0]! }
        let codes = hashed.isEmpty ? nil : try HashTable(source: folder, kinds: [kind], rows: rows).codes(of: kind)
        let groups = try codes?.nearDuplicateGroups(within: radius) ?? []
        let grouped = groups.reduce(0) { $0 + $1.count }
        invocation.output.line("\(groups.count) group\(groups.count == 1 ? "" : "s") of near-duplicates "
            + "(\(grouped) of \(hashed.count) images) by \(kind.rawValue) within distance \(radius)")
        for (number, group) in groups.enumerated() {
            invocation.output.line()
            invocation.output.line("group \(number + 1): \(group.count) images")
            let first = hashes[group[0]]
            var table = TextPlot.table(
                header: ["file", kind.rawValue, "distance to first"],
                rows: group.map { [hashed[$0].file, hashes[$0].hexString, String(hashes[$0].hammingDistance(to: first))] },
                alignments: [.left, .left, .right])
            if table.hasSuffix("\n") { table.removeLast() }
            invocation.output.line(table.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
        }
        return nil
    },
]

/// Every image file under `folder` hashed with `kinds` by ClassicHashing's `hashFolder` (files sorted, relative
/// to the folder, spread over every core, a failing file or kind becoming a row's failure or empty cell), polling
/// Ctrl-C: once it is pressed the files not yet started are skipped. `complete` is false then, and the rows hold
/// only the files that were hashed.
func hashFolderRows(_ folder: String, kinds: [HashKind], size: Int, binBits: Int,
                    invocation: Invocation) throws -> (rows: [HashTable.Row], complete: Bool) {
    let rows = try hashFolder(folder, kinds: kinds, size: size, binBits: binBits,
                              isCancelled: invocation.session.interruptionCheck)
    guard invocation.isInterrupted else { return (rows, true) }
    return (rows.filter { $0.failure != "interrupted" }, false)
}

/// Why cells of a folder's table are empty (`-`), one line per kind and reason, naming the first files:
/// "- whash (12 images: a.png, b.png, c.png, …): whash needs a power-of-two hash size, got 6".
func emptyCellLines(_ rows: [HashTable.Row], kinds: [HashKind]) -> [String] {
    var lines: [String] = []
    for kind in kinds {
        var filesByReason: [String: [String]] = [:]
        var order: [String] = []
        for row in rows where row.wasRead {
            guard let reason = row.cellFailures[kind] else { continue }
            if filesByReason[reason] == nil { order.append(reason) }
            filesByReason[reason, default: []].append(row.file)
        }
        for reason in order {
            let files = filesByReason[reason]!
            let named = files.prefix(3).joined(separator: ", ") + (files.count > 3 ? ", …" : "")
            let count = files.count == 1 ? "" : "\(files.count) images: "
            lines.append("- \(kind.rawValue) (\(count)\(named)): \(reason)")
        }
    }
    return lines
}

extension String {
    /// The string without blanks at its end.
    func trimmingTrailingBlanks() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}

/// The rows `bits CODES` prints: the first `first` codes of each label (or of the set), a code per row, its bits
/// in groups of eight, then each bit's share of 1s, wrapped to `width`.
private func codeRows(_ codes: CodeSet, first: Int, width: Int) -> [String] {
    func row(_ index: Int) -> String {
        let bits = (0..<codes.bitCount).map { codes.bit($0, ofCode: index) ? "█" : "·" }
        let groups = stride(from: 0, to: bits.count, by: 8).map { bits[$0..<min($0 + 8, bits.count)].joined() }
        let label = codes.labels.map { codes.className(ofLabel: $0[index]).padding(10) + "  " } ?? ""
        return "  #\(index)".padding(9) + label + groups.joined(separator: " ")
    }
    var lines = [codes.summary]
    if let labels = codes.labels {
        var byLabel: [Int32: [Int]] = [:]
        for (index, label) in labels.enumerated() where byLabel[label, default: []].count < first {
            byLabel[label, default: []].append(index)
        }
        for label in byLabel.keys.sorted() { lines += byLabel[label]!.map(row) }
    } else {
        lines += (0..<min(first, codes.count)).map(row)
    }
    if codes.count > 0 {
        lines += wrapped("share of 1s per bit: " + codes.bitBalance.map { String(format: "%.2f", $0) }
                             .joined(separator: " "), width: width, indent: "    ")
    }
    return lines
}
