import ClassicHashing
import Foundation
import Imaging

extension Topic {
    static let histograms = Topic("histograms", abstract: "colour histograms and OpenCV's compareHist measures",
                                  rank: 30)
}

/// The options shared by `histogram` and `match` (which histograms images itself when given images).
private let histogramOptions: [Argument] = [
    .keyword("space", .word(["channels", "rgb", "hsv"]),
             "channels: one histogram per channel side by side; rgb or hsv: one joint grid of N×N×N cells",
             default: "channels"),
    .keyword("bins", .int, "bins per channel or per axis (1 to 256)", default: "16 for channels, 8 for rgb and hsv"),
]

/// The histogram layout that `space` and `bins` ask for.
private func histogramLayout(_ invocation: Invocation) throws -> HistogramLayout {
    let space = invocation.string("space") ?? "channels"
    let bins = invocation.int("bins") ?? (space == "channels" ? 16 : 8)
    guard (1...256).contains(bins) else {
        throw ShellError.message("\(invocation.command.name): bins must be between 1 and 256, not \(bins)")
    }
    switch space {
    case "rgb": return .jointRGB(binsPerChannel: bins)
    case "hsv": return .jointHSV(hueBins: bins, saturationBins: bins, valueBins: bins)
    default: return .perChannel(bins: bins)
    }
}

/// The histogram an argument names, or the histogram of the image it names.
private func histogram(_ argument: String, of invocation: Invocation) throws -> ColorHistogram {
    switch invocation.value(argument).map({ unwrapped($0, as: Image.self) ?? $0 }) {
    case let histogram as ColorHistogram:
        if invocation.has("space") || invocation.has("bins") {
            throw ShellError.message("\(invocation.command.name): `\(invocation.valueName(argument)!)` is already "
                + "a histogram; space and bins apply to images")
        }
        return histogram
    case let image as Image:
        return try ColorHistogram(of: image, layout: histogramLayout(invocation))
    default:
        throw ShellError.missingArgument(command: invocation.command.name, argument: argument)
    }
}

/// Histogram commands: make colour histograms and compare them.
let histogramCommands: [Command] = [
    Command("histogram", topic: .histograms,
            abstract: "Counts an image's colours into bins: the fraction of its pixels in each.",
            discussion: """
                A histogram forgets where colours are: moving, mirroring or turning the picture keeps it, changing \
                the colours (hue, brightness) moves it. Fractions sum to 1, so image sizes do not matter.
                """,
            arguments: [.positional("image", .value(of: Image.self), "the image to count")],
            options: histogramOptions,
            result: .optional(ColorHistogram.typeName),
            examples: ["histogram photo as hist", "histogram photo space hsv bins 8 as hsv"]) { invocation in
        let image = try invocation.value("image", as: Image.self)
        let histogram = try ColorHistogram(of: image, layout: histogramLayout(invocation))
        invocation.output.line(histogram.render(in: invocation.output.renderContext))
        return histogram
    },

    Command("match", topic: .histograms,
            abstract: "Compares two histograms (or two images' histograms) with OpenCV's compareHist measures.",
            discussion: """
                correlation: Pearson correlation of the bins, 1 = same shape (similarity, −1…1); chisquare: \
                Σ(a−b)²/a, 0 = same (distance, not symmetric: A is the reference); intersection: Σmin(a,b), 1 = \
                same (similarity, 0…1); bhattacharyya: Hellinger distance, 0 = same, 1 = no colour in common.
                """,
            arguments: [.positional("first", .value(of: ColorHistogram.self, Image.self), "a histogram or an image",
                                    placeholder: "A"),
                        .positional("second", .value(of: ColorHistogram.self, Image.self),
                                    "another histogram or image", placeholder: "B")],
            options: [.keyword("method", .word(HistogramComparison.allCases.map(\.rawValue) + ["all"]),
                               "the measure", default: "all")] + histogramOptions,
            result: .optional(NumberValue.typeName),
            examples: ["match hist1 hist2", "match photo recoloured space hsv method bhattacharyya"]) { invocation in
        let a = try histogram("first", of: invocation), b = try histogram("second", of: invocation)
        try checkComparable(a, b, names: invocation.valueName("first")!, invocation.valueName("second")!,
                            command: "match")
        let word = invocation.string("method") ?? "all"
        let methods = word == "all" ? HistogramComparison.allCases : [HistogramComparison(rawValue: word)!]
        var last = 0.0
        let width = methods.map(\.rawValue.count).max()! + 2
        for method in methods {
            last = try a.compared(to: b, using: method)
            let meaning = method.isSimilarity ? "similarity, higher = closer" : "distance, lower = closer"
            invocation.output.line(method.rawValue.padding(width) + String(format: "%10.6f", last) + "  (\(meaning))")
        }
        if methods.count > 1 && invocation.resultName != nil {
            throw ShellError.message("match: choose one method to keep the result with `as`")
        }
        return NumberValue(last)
    },
]

/// Throws unless two histograms have the same layout and bin count (a gray image has one channel where a colour
/// one has three, so their per-channel histograms differ in length).
func checkComparable(_ a: ColorHistogram, _ b: ColorHistogram, names first: String, _ second: String,
                     command: String) throws {
    guard a.layout == b.layout else {
        throw ShellError.message("\(command): `\(first)` is \(a.layout), `\(second)` is \(b.layout); "
            + "make both with the same space and bins")
    }
    guard a.values.count == b.values.count else {
        throw ShellError.message("\(command): `\(first)` counts \(a.colorChannels) channel(s) and `\(second)` "
            + "\(b.colorChannels): a gray and a colour image have per-channel histograms of different lengths; "
            + "use space rgb or hsv")
    }
}
