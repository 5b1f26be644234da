import ClassicHashing
import Foundation
import Imaging
import Learning
import Plots

/// What `explain` can explain by a word: the classic hashes (walked through on an image) and the deep methods
/// (their loss, papers and knobs). A model's name explains the model's method with its own values.
private let explainWords = HashKind.allCases.map(\.rawValue) + HashingMethod.allCases.map(\.rawValue)

/// `explain`'s arguments. Which of image and bits a subject takes depends on what the word names (a hash kind, a
/// method, a model), not on a form the binder can see: the body checks them.
enum Explain {
    static let subject = Argument.positional(
        "subject", .custom(placeholder: "KIND|METHOD|MODEL", description: "a hash kind, a method or a model",
                           completions: { session in explainWords + session.names(ofTypes: [ModelValue.typeName]) }),
        "what to explain").readAsText
    static let image = Argument.positional("image", value: Image.self, "the image to walk a classic hash through",
                                           optional: true)
    /// The code length `explain METHOD` shows the defaults for.
    static let bits = Argument.keyword("bits", Int.self, "explain METHOD: the code length whose defaults are shown",
                                       default: 12)
}

let explainCommands: [Command] = [
    Command("explain", topic: .hashing,
            abstract: "Explains a classic hash step by step on an image, or a deep method's loss, paper and knobs "
                + "(a model's with its own values).",
            discussion: """
                explain KIND IMAGE (ahash, dhash, phash, whash, colorhash): shows the Pillow gray picture and the \
                thumbnail as terminal previews, the numbers the transform gives (as a table), the mean or median \
                they are compared with, the bits, and the hex that `hash KIND IMAGE` prints.
                explain METHOD (\(deepMethodNames); or a shallow one): the loss with the default values \
                substituted (for 12 bits, or `bits K`), what each term does, how codes are read, the paper and its \
                section, the knobs that matter (as `set M.NAME` takes them) and known pitfalls with the fixes \
                HashLab offers.
                explain MODEL: the same with the model's current values (after `set m.alpha 0.1` it shows \
                α = 0.1), its net, and its training so far.
                """,
            arguments: [Explain.subject, Explain.image], options: [Explain.bits],
            examples: ["explain phash photo", "explain ahash photo", "explain dsh", "explain m"]) { invocation in
        let subject = try invocation[Explain.subject]
        let image = try invocation[Explain.image]
        let bitsGiven = invocation.has(Explain.bits)
        if let value = try? invocation.session.value(named: subject) {
            if let model = value as? ModelValue {
                if image != nil {
                    throw ShellError.message("explain \(subject): a model takes no image "
                                             + "(search IMAGE in CODES encodes one)")
                }
                if bitsGiven {
                    throw ShellError.message("explain \(subject): a model's bits are its own "
                                             + "(set \(subject).bits before training)")
                }
                explainModel(model.model, name: subject, output: invocation.output)
                return nil
            }
            if HashKind(rawValue: subject) == nil && HashingMethod(rawValue: subject) == nil {
                throw ShellError.message("explain: `\(subject)` is \(Article.with(value.typeName)); explain takes a "
                    + "hash kind, a method (\(HashingMethod.allCases.map(\.rawValue).joined(separator: ", "))) or a model")
            }
        }
        if let method = HashingMethod(rawValue: subject) {
            if image != nil {
                throw ShellError.message("explain \(method): a method takes no image (explain \(method) [bits K])")
            }
            try explainMethod(method, bits: try invocation[Explain.bits], output: invocation.output)
            return nil
        }
        guard let kind = HashKind(rawValue: subject) else {
            let candidates = explainWords + invocation.session.names(ofTypes: [ModelValue.typeName])
            throw ShellError.message("explain: nothing to explain about `\(subject)`: explain takes a hash kind ("
                + HashKind.allCases.map(\.rawValue).joined(separator: ", ") + "), a method ("
                + HashingMethod.allCases.map(\.rawValue).joined(separator: ", ") + ") or a model"
                + Suggestions.phrase(Suggestions.closest(to: subject, among: candidates)))
        }
        if bitsGiven {
            throw ShellError.message("explain: bits applies to a method (explain dsh bits 48), not to \(subject)")
        }
        guard let image, let name = invocation.name(of: Explain.image) else {
            throw ShellError.message("explain \(subject) walks through an image: explain \(subject) IMAGE")
        }
        let walkthrough = try prefixingErrors("explain") { try ClassicHashWalkthrough(kind: kind, image: image) }
        let reference = try prefixingErrors("explain") { try ClassicHashing.hash(image, kind: kind) }
        for part in explanationParts(walkthrough, imageName: name, image: image,
                                     context: invocation.output.renderContext) {
            switch part {
            case .lines(let lines): lines.forEach { invocation.output.line($0) }
            case .pictures(let row): invocation.output.pictures(row)
            }
        }
        if walkthrough.hash != reference {
            invocation.output.line("(note: `hash` gives \(reference.hexString): coefficients that tie with the "
                + "median come out by rounding, and the library's order of sums decides them)")
        }
        invocation.output.line(kind.rawValue.padding(kind.rawValue.count + 2) + reference.hexString)
        return nil
    },
]

/// `explain METHOD [bits K]`: the method with its default hyperparameters for `bits` bits.
private func explainMethod(_ method: HashingMethod, bits: Int, output: Output) throws {
    let hyperparameters = try prefixingErrors("explain") { try HashingHyperparameters(method: method, bits: bits) }
    let heading = ["(the defaults for \(bits) bits; `model \(method) bits K as M` makes one, `explain M` shows a "
                   + "model's own values)"]
    for line in methodExplanationLines(hyperparameters.explanation, heading: heading, target: "M",
                                       width: output.renderContext.width) {
        output.line(line)
    }
}

/// `explain MODEL`: the model's method with its current values, its net and its training so far.
private func explainModel(_ model: HashingModel, name: String, output: Output) {
    let hyperparameters = model.hyperparameters
    var heading: [String] = []
    if let spec = try? model.netSpec() {
        heading.append("\(name): \(model.method), \(model.bits) bits, net \(spec.name) (\(spec.layers.count) layers"
                       + (model.network.map { ", \($0.trainableCount) trainable numbers" } ?? ", built at first use")
                       + ")")
    }
    if model.method.isShallow {
        heading.append("\(name): \(model.method), \(model.bits) bits on \(hyperparameters.features) features")
    }
    let history = model.history
    var training = model.onePassTraining?.summary ?? (history.isEmpty ? "not trained yet"
        : "trained \(history.count) epoch\(history.count == 1 ? "" : "s"), last loss " + formatLoss(history.last!.loss))
    if history.count > 1 { training += " (first \(formatLoss(history.first!.loss)))" }
    let (epoch, batch) = model.position
    if batch > 0 { training += "; stopped in epoch \(epoch + 1) after batch \(batch)" }
    heading.append(training)
    for line in methodExplanationLines(hyperparameters.explanation, heading: heading, target: name,
                                       width: output.renderContext.width) {
        output.line(line)
    }
}

/// A part of a walkthrough: lines of text, or a picture (a terminal preview, an image in a notebook).
private enum ExplanationPart {
    case lines([String])
    case pictures(PictureRow)
}

/// The walkthrough, step by step (the final `KIND HEX` line is the caller's).
private func explanationParts(_ walk: ClassicHashWalkthrough, imageName: String, image: Image,
                              context: RenderContext) -> [ExplanationPart] {
    var parts: [ExplanationPart] = []
    var lines: [String] = []
    /// Ends the lines so far as one part.
    func flush() {
        if !lines.isEmpty { parts.append(.lines(lines)) }
        lines = []
    }
    let colour = context.usesColour
    /// A sentence of the walk, wrapped to the terminal; a numbered step's further lines go under its text.
    func say(_ text: String) {
        let hanging = text.first?.isNumber == true ? "   " : ""
        lines += wrapped(text, width: context.width, indent: hanging)
    }
    func preview(_ picture: Image, width: Int, caption: String) {
        var text = TextPlot.preview(picture, width: width, color: colour)
        if text.hasSuffix("\n") { text.removeLast() }
        flush()
        parts.append(.pictures(PictureRow([PictureRow.Panel(picture, caption: caption)],
                                    lines: text.split(separator: "\n", omittingEmptySubsequences: false)
                                        .map { "    " + $0 })))
    }
    func table(_ values: [Double], columns: Int, format: String) {
        table(values, columns: columns) { String(format: format, $0) }
    }
    func table(_ values: [Double], columns: Int, formatted: (Double) -> String) {
        let rows = stride(from: 0, to: values.count, by: columns).map { start in
            values[start..<min(values.count, start + columns)].map(formatted)
        }
        var text = TextPlot.table(header: (0..<columns).map { "c\($0)" }, rows: rows,
                                  alignments: Array(repeating: .right, count: columns))
        if text.hasSuffix("\n") { text.removeLast() }
        lines += text.split(separator: "\n").map { "    " + $0 }
    }
    let kind = walk.kind.rawValue
    say("\(kind) of \(imageName) (\(image.width)×\(image.height), \(image.channels) channel"
         + "\(image.channels == 1 ? "" : "s")), as imagehash 4.3.2 computes it:")
    let previewWidth = max(16, min(48, context.width - 8))
    if let gray = walk.gray, let small = walk.thumbnail {
        say("1. gray: Pillow's convert(\"L\"), L = (19595 R + 38470 G + 7471 B + 32768) >> 16 per pixel")
        preview(gray, width: min(32, previewWidth, max(8, gray.width)),
                caption: "gray, \(gray.width)×\(gray.height)")
        let why: String
        switch walk.kind {
        case .ahash: why = "one pixel per bit"
        case .dhash: why = "one column more than bits, to compare neighbours"
        case .phash: why = "4 × the bits per side, for the DCT"
        default: why = "the largest power of two not above the image's smaller side"
        }
        say("2. resize to \(small.width)×\(small.height) with Lanczos (a = 3; Pillow's ANTIALIAS): \(why); "
             + "enlarged:")
        preview(small, width: min(previewWidth, max(16, small.width * 2)),
                caption: "resized to \(small.width)×\(small.height)")
    }
    switch walk.kind {
    case .ahash:
        say("3. the thumbnail's gray values:")
        table(walk.values, columns: walk.columns, format: "%.0f")
        say(String(format: "4. threshold: their mean %.3f; a bit is 1 where the pixel is brighter",
                    walk.threshold))
    case .dhash:
        say("3. each pixel minus its left neighbour (9 columns give 8 differences a row):")
        table(walk.values, columns: walk.columns, format: "%.0f")
        say("4. threshold: a bit is 1 where the difference is above 0 (the right pixel is brighter)")
    case .phash:
        say("3. the 2-D DCT-II of the 32×32 thumbnail (scipy's unnormalised dct over columns, then rows); "
             + "the 8×8 lowest frequencies (row 0, column 0 is the sum of all pixels × 4):")
        // An exact 0 prints as 0, and rounding noise (±1e-13 where symmetry cancels a term) as what it is,
        // not as a 0.0 that hides which side of the median it falls on.
        func coefficient(_ value: Double, decimals: Int = 1) -> String {
            value == 0 ? "0" : abs(value) < 0.05 ? String(format: "%.0e", value)
                : String(format: "%.\(decimals)f", value)
        }
        table(walk.values, columns: walk.columns) { coefficient($0) }
        say("4. threshold: their median \(coefficient(walk.threshold, decimals: 3)); a bit is 1 where a "
             + "coefficient is above it")
    case .whash:
        let side = walk.thumbnail.map(\.width) ?? 0
        say("3. Haar wavelet: the low band after \(side.trailingZeroBitCount - 3) levels is the mean of each "
             + "\(side / 8)×\(side / 8) block (scaled); with the image's mean removed (imagehash zeroes the "
             + "coarsest coefficient), on 0…1:")
        table(walk.values, columns: walk.columns, format: "%+.3f")
        say(String(format: "4. threshold: their median %+.4f; a bit is 1 where a block is above it",
                    walk.threshold))
    case .colorhash:
        say("1. every pixel goes to one bin, from Pillow's gray and HSV bytes: black if gray < 32, else gray "
             + "if saturation < 85, else a hue bin (6 bins of 42.5 on 0…255), faint if saturation < 170 and "
             + "bright if above 170")
        say("2. black and gray as shares of all pixels, hue bins as shares of the coloured pixels, each "
             + "quantised to 3 bits: min(7, ⌊share × 8⌋):")
        let rows = ClassicHashWalkthrough.colorBinNames.indices.map { index -> [String] in
            let value = Int(walk.values[index])
            let bits = (0..<3).map { walk.hash.bits[index * 3 + $0] ? "1" : "0" }.joined()
            return [ClassicHashWalkthrough.colorBinNames[index], String(format: "%.3f", walk.binFractions[index]),
                    String(value), bits]
        }
        var text = TextPlot.table(header: ["bin", "share", "value", "bits"], rows: rows,
                                  alignments: [.left, .right, .right, .left])
        if text.hasSuffix("\n") { text.removeLast() }
        lines += text.split(separator: "\n").map { "    " + $0 }
        say("3. the bits column above, bin after bin (imagehash's own pattern: 4 → 110), "
             + "as hexadecimal, as `hash \(kind) \(imageName)` prints it:")
        flush()
        return parts
    }
    say("5. the bits, row by row (█ = 1, · = 0):")
    var grid = TextPlot.bitGrid(bits: walk.hash.bits, width: walk.hash.gridWidth)
    if grid.hasSuffix("\n") { grid.removeLast() }
    lines += grid.split(separator: "\n").map { "    " + $0 }
    say("6. as hexadecimal, as `hash \(kind) \(imageName)` prints it:")
    flush()
    return parts
}
