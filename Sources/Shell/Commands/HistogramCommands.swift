import ClassicHashing
import Foundation
import Imaging

extension Topic {
    static let histograms = Topic("histograms", abstract: "colour histograms and OpenCV's compareHist measures",
                                  rank: 30)
}

/// How `space` lays a histogram out: one per channel side by side, or one joint grid of RGB or HSV cells.
enum HistogramSpace: String, ArgumentWord {
    case channels, rgb, hsv
}

extension HistogramComparison: ArgumentWord {}

/// `histogram`'s arguments; `space` and `bins` also belong to `match` (which histograms images itself when given
/// images).
enum Histogram {
    static let image = Argument.positional("image", value: Image.self, "the image to count")
    static let space = Argument.keyword("space", HistogramSpace.self,
                                        "channels: one histogram per channel side by side; rgb or hsv: one joint grid "
                                            + "of N×N×N cells", default: .channels)
    static let bins = Argument.keyword("bins", Int.self, "bins per channel or per axis",
                                       otherwise: "16 for channels, 8 for rgb and hsv", bounds: .between(1, 256))
}

/// `match`'s arguments (and `Histogram.space`, `Histogram.bins`).
enum Match {
    static let first = Argument.positional("first", valueOf: [ColorHistogram.self, Image.self],
                                           "a histogram or an image", placeholder: "A")
    static let second = Argument.positional("second", valueOf: [ColorHistogram.self, Image.self],
                                            "another histogram or image", placeholder: "B")
    static let methods = Argument.keyword("method", oneOrAll: HistogramComparison.self, "the measure")
}

/// The histogram layout that `space` and `bins` ask for.
private func histogramLayout(space: HistogramSpace, bins: Int?, command: String) throws -> HistogramLayout {
    let bins = bins ?? (space == .channels ? 16 : 8)
    switch space {
    case .rgb: return .jointRGB(binsPerChannel: bins)
    case .hsv: return .jointHSV(hueBins: bins, saturationBins: bins, valueBins: bins)
    case .channels: return .perChannel(bins: bins)
    }
}

/// The layout `invocation`'s `space` and `bins` ask for.
private func histogramLayout(of invocation: Invocation) throws -> HistogramLayout {
    try histogramLayout(space: try invocation[Histogram.space], bins: try invocation[Histogram.bins],
                        command: invocation.command.name)
}

/// The histogram `match` was given, or the histogram of the image it was given, in `layout` (made only for an
/// image). `layoutGiven`: whether space or bins were on the line, which a histogram refuses.
private func histogram(of given: GivenValue, layout: () throws -> HistogramLayout, layoutGiven: Bool) throws
    -> ColorHistogram {
    switch unwrapped(given.value, as: Image.self) ?? given.value {
    case let histogram as ColorHistogram:
        if layoutGiven {
            throw ShellError.message("match: `\(given.name)` is already a histogram; space and bins apply to images")
        }
        return histogram
    case let image as Image:
        return try ColorHistogram(of: image, layout: layout())
    default:
        throw ShellError.wrongValueType(name: given.name, actual: given.value.typeName,
                                        expected: [ColorHistogram.typeName, Image.typeName])
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
            arguments: [Histogram.image], options: [Histogram.space, Histogram.bins],
            result: .optional(ColorHistogram.typeName),
            examples: ["histogram photo as hist", "histogram photo space hsv bins 8 as hsv"]) { invocation in
        let histogram = try ColorHistogram(of: try invocation[Histogram.image], layout: histogramLayout(of: invocation))
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
            arguments: [Match.first, Match.second], options: [Match.methods, Histogram.space, Histogram.bins],
            result: .optional(NumberValue.typeName),
            examples: ["match hist1 hist2", "match photo recoloured space hsv method bhattacharyya"]) { invocation in
        let first = try invocation[Match.first], second = try invocation[Match.second]
        let layoutGiven = invocation.has(Histogram.space) || invocation.has(Histogram.bins)
        let a = try histogram(of: first, layout: { try histogramLayout(of: invocation) }, layoutGiven: layoutGiven)
        let b = try histogram(of: second, layout: { try histogramLayout(of: invocation) }, layoutGiven: layoutGiven)
        try checkComparable(a, b, names: first.name, second.name, command: "match")
        let methods = try invocation[Match.methods]
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
