import Imaging
import Plots

extension Image: FileReadableValue {
    public static let typeName = "image"

    /// An image argument also takes a path to an image file, PNG or JPEG.
    public static func read(fromFile path: String) throws -> Image { try Image.read(imageAt: path) }

    /// "256×256 RGB", "32×32 gray+alpha".
    public var summary: String {
        let mode: String
        switch channels {
        case 1: mode = "gray"
        case 2: mode = "gray+alpha"
        case 3: mode = "RGB"
        default: mode = "RGBA"
        }
        return "\(width)×\(height) \(mode)"
    }

    /// A terminal preview (24-bit colour half blocks when colour is allowed, ASCII shading otherwise) and the size.
    public func render(in context: RenderContext) -> String {
        previewLines(width: Self.previewWidth(for: self, columns: context.width), colour: context.usesColour)
            .joined(separator: "\n") + "\n" + summary
    }

    /// `show IMAGE`: the preview as a picture (an image in a notebook), then the size.
    public func display(on output: Output) {
        let context = output.renderContext
        output.pictures(PictureRow([PictureRow.Panel(self)],
                             lines: previewLines(width: Self.previewWidth(for: self, columns: context.width),
                                                 colour: context.usesColour)))
        output.line(summary)
    }

    /// The preview as lines without newlines, `width` characters wide.
    func previewLines(width: Int, colour: Bool) -> [String] {
        TextPlot.preview(self, width: width, color: colour).split(separator: "\n").map(String.init)
    }

    /// How many characters wide a preview is: at most 64, the terminal's width and the image's own width (a
    /// 32-pixel image is drawn one character per pixel, not blown up into blurry blocks).
    static func previewWidth(for image: Image, columns: Int) -> Int {
        max(1, min(64, columns, image.width))
    }
}

/// An image taken out of a data set (`image DATA index N`): an image everywhere an image is taken, that also knows
/// its class, so that a search with it says the query's class and marks the neighbours of the same class.
struct DataSetImage: ShellValue, WrappingValue {
    static let typeName = Image.typeName
    let image: Image
    let className: String
    /// Where it came from: "image 3 of p.query".
    let origin: String

    var wrappedValue: any ShellValue { image }

    /// "32×32 RGB, class cat (image 3 of p.query)".
    var summary: String { image.summary + ", class \(className) (\(origin))" }

    func render(in context: RenderContext) -> String { image.render(in: context) + ", class \(className)" }

    func display(on output: Output) {
        image.display(on: output)
        output.line("class \(className) (\(origin))")
    }
}
