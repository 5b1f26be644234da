import Codes
import Imaging
import Learning
import Plots

// Labelled image sets and their retrieval splits as session values.
//
// A `data` value is either a `LabeledImages` (one pool of images: the synthetic set, a folder of images, one part of
// CIFAR-10) or a `TrainTestImages` (a set published with a training and a test part, CIFAR-10 `part all`), whose
// parts the papers' split protocols need. Commands that only need images take either through `labeledImages(of:)`.

extension LabeledImages: ShellValue {
    public static let typeName = "data"

    /// The summary line, a table of images per class and a few previews of each class.
    public func render(in context: RenderContext) -> String {
        [summary, dataClassTable(self, context: context)].joined(separator: "\n")
    }

    /// As `render(in:)`, with the previews as pictures (`Output.pictures`).
    public func display(on output: Output) {
        output.line(summary)
        output.line(dataClassCounts(self))
        if count > 0 { showClassPreviews(self, on: output) }
    }
}

extension TrainTestImages: ShellValue {
    public static let typeName = LabeledImages.typeName

    public var summary: String {
        "\(count) images of \(training.width)×\(training.height)×\(training.channels), \(classNames.count) classes "
            + "(\(training.count) training + \(test.count) test)"
    }

    public var memberNames: [String] { ["training", "test"] }

    public func member(named name: String) -> (any ShellValue)? {
        switch name {
        case "training", "train": return training
        case "test": return test
        default: return nil
        }
    }

    public func render(in context: RenderContext) -> String {
        [summary, partCounts, "previews of training images:", dataClassPreviews(training, context: context)]
            .joined(separator: "\n")
    }

    /// As `render(in:)`, with the previews as pictures (`Output.pictures`).
    public func display(on output: Output) {
        output.line(summary)
        output.line(partCounts)
        output.line("previews of training images:")
        showClassPreviews(training, on: output)
    }

    /// A table of images per class in each part.
    private var partCounts: String {
        let rows = classNames.indices.map { label in
            [classNames[label], String(training.classCounts[label]), String(test.classCounts[label])]
        }
        return withoutFinalNewline(TextPlot.table(header: ["class", "training", "test"], rows: rows,
                                                  alignments: [.left, .right, .right]))
    }
}

extension DataSplit: ShellValue {
    public static let typeName = "split"

    public var memberNames: [String] { DataSplit.partNames }

    public func member(named name: String) -> (any ShellValue)? { part(named: name) }

    /// The summary and, per class, how many images each part holds.
    public func render(in context: RenderContext) -> String {
        let classNames = training.classNames
        let parts = [training, query, database]
        let counts = parts.map(\.classCounts)
        var rows = classNames.indices.map { label in [classNames[label]] + counts.map { String($0[label]) } }
        rows.append(["total"] + parts.map { String($0.count) })
        let table = withoutFinalNewline(TextPlot.table(header: ["class"] + DataSplit.partNames, rows: rows,
                                                       alignments: [.left, .right, .right, .right]))
        return [summary, table, "parts: " + DataSplit.partNames.map { "NAME.\($0)" }.joined(separator: ", ")]
            .joined(separator: "\n")
    }
}

/// The images of a `data` value: a pool as it is, a set with training and test parts as one pool (training
/// images first, a copy).
public func labeledImages(of value: any ShellValue) throws -> LabeledImages {
    if let images = value as? LabeledImages { return images }
    if let parts = value as? TrainTestImages { return parts.all() }
    throw ShellError.message("\(value.typeName) values are not labelled images")
}

/// Images per class, with the first few images of each class previewed side by side.
func dataClassTable(_ images: LabeledImages, context: RenderContext) -> String {
    dataClassCounts(images) + (images.count > 0 ? "\n" + dataClassPreviews(images, context: context) : "")
}

/// A table of images per class.
func dataClassCounts(_ images: LabeledImages) -> String {
    let rows = zip(images.classNames, images.classCounts).enumerated().map { label, entry in
        [String(label), entry.0, String(entry.1)]
    }
    return withoutFinalNewline(TextPlot.table(header: ["label", "class", "images"], rows: rows,
                                              alignments: [.right, .left, .right]))
}

/// For every class (at most `maximumClasses`), its name and up to `perClass` of its first images: as text, terminal
/// previews in a row (the picture rows' drawings), and a last line for the classes left out.
func dataClassPreviews(_ images: LabeledImages, context: RenderContext, perClass: Int = 4,
                       maximumClasses: Int = 10) -> String {
    let (rows, more) = dataClassPictureRows(images, context: context, perClass: perClass,
                                           maximumClasses: maximumClasses)
    return withoutFinalNewline(rows.map(\.text).joined() + (more.map { $0 + "\n" } ?? ""))
}

/// The previews of `dataClassPreviews` shown as pictures, a row per class.
func showClassPreviews(_ images: LabeledImages, on output: Output) {
    let (rows, more) = dataClassPictureRows(images, context: output.renderContext)
    rows.forEach(output.pictures)
    if let more { output.line(more) }
}

/// A row of pictures per class (at most `maximumClasses`): up to `perClass` of its first images, drawn in a terminal as
/// previews in a row after the class name; and the line that says how many classes are left out (nil if none).
func dataClassPictureRows(_ images: LabeledImages, context: RenderContext, perClass: Int = 4,
                      maximumClasses: Int = 10) -> (rows: [PictureRow], more: String?) {
    let previewWidth = 8
    let nameWidth = min(12, (images.classNames.map(\.count).max() ?? 0) + 1)
    var rows: [PictureRow] = []
    for (label, members) in images.indicesByClass.enumerated().prefix(maximumClasses) where !members.isEmpty {
        let pictures = members.prefix(perClass).map { images.image(at: $0) }
        let previews = pictures.map { picture in
            TextPlot.preview(picture, width: previewWidth, color: context.usesColour)
                .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        let height = previews.map(\.count).max() ?? 0
        var lines: [String] = []
        for row in 0..<height {
            let name = row == 0 ? String(images.classNames[label].prefix(nameWidth - 1)) : ""
            let padded = name + String(repeating: " ", count: max(0, nameWidth - name.count))
            lines.append(padded + previews.map { row < $0.count ? $0[row] : "" }.joined(separator: " "))
        }
        let panels = zip(members.prefix(perClass), pictures).map { index, picture in
            PictureRow.Panel(picture, caption: "\(images.classNames[label]) #\(index)")
        }
        rows.append(PictureRow(panels, lines: lines))
    }
    let more = images.classNames.count > maximumClasses
        ? "… \(images.classNames.count - maximumClasses) more classes" : nil
    return (rows, more)
}

/// `text` without its last "\n" (TextPlot's drawings end every line with one; `show` and `Output.line` add their own).
func withoutFinalNewline(_ text: String) -> String {
    text.hasSuffix("\n") ? String(text.dropLast()) : text
}
