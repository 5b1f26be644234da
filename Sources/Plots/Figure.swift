import CCairo
import Foundation
import Imaging

/// A chart as a list of drawing operations in pixel coordinates (origin at the top left, y downwards), laid out
/// once and rendered by Cairo either into pixels (`image()`, for PNG) or into an SVG document (`svg()`, for
/// slides), so that both files show the same drawing. Lines are anti-aliased; text is DejaVu Sans through Cairo's
/// toy text API (fontconfig finds the font), so α β η ≤ ± × and descenders render as they should.
///
/// Keeping the operations as data, rather than drawing straight into a surface, is what lets one layout go to
/// two surfaces; it also lets tests ask where a line or a marker went without reading pixels.
public struct Figure: Sendable {
    public var width: Int
    public var height: Int
    public var background: PlotColor
    public internal(set) var items: [FigureItem] = []

    public init(width: Int, height: Int, background: PlotColor = .white) {
        precondition(width > 0 && height > 0, "a figure needs a positive size")
        self.width = width
        self.height = height
        self.background = background
    }

    /// The font every chart uses.
    public static let fontFamily = "DejaVu Sans"

    /// Appends one drawing operation.
    public mutating func add(_ item: FigureItem) { items.append(item) }

    /// A filled rectangle; `crisp` snaps its edges to whole pixels (bars and swatches), so that its inside is
    /// exactly `fill`.
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: PlotColor, crisp: Bool = true) {
        guard width > 0, height > 0 else { return }
        if crisp {
            let left = x.rounded(), top = y.rounded(), right = (x + width).rounded(), bottom = (y + height).rounded()
            add(.rectangle(x: left, y: top, width: max(right - left, 1), height: max(bottom - top, 1), fill: fill))
        } else {
            add(.rectangle(x: x, y: y, width: width, height: height, fill: fill))
        }
    }

    /// A horizontal or vertical hairline of `width` pixels centred on a pixel row/column, so that it stays crisp.
    mutating func hairline(from start: (x: Double, y: Double), to end: (x: Double, y: Double), color: PlotColor,
                           width: Double = 1, dash: [Double] = []) {
        func snap(_ v: Double) -> Double { width.truncatingRemainder(dividingBy: 2) == 1 ? v.rounded(.down) + 0.5 : v.rounded() }
        let a = (x: start.x == end.x ? snap(start.x) : start.x, y: start.y == end.y ? snap(start.y) : start.y)
        let b = (x: start.x == end.x ? snap(end.x) : end.x, y: start.y == end.y ? snap(end.y) : end.y)
        add(.polyline(points: [a, b], color: color, width: width, dash: dash))
    }

    /// Text in DejaVu Sans whose baseline starts (or is centred, or ends) at (x, y).
    public mutating func text(_ string: String, x: Double, y: Double, size: Double, color: PlotColor,
                       anchor: TextAnchor = .start, bold: Bool = false) {
        guard !string.isEmpty else { return }
        add(.text(string, x: x, y: y, size: size, color: color, anchor: anchor, bold: bold))
    }

    /// `string`'s width in pixels at `size` (the advance of its glyphs in DejaVu Sans).
    static func textWidth(_ string: String, size: Double, bold: Bool = false) -> Double {
        guard !string.isEmpty else { return 0 }
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        let context = cairo_create(surface)
        defer { cairo_destroy(context); cairo_surface_destroy(surface) }
        selectFont(context, size: size, bold: bold)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        return extents.x_advance
    }

    /// The height of capitals above the baseline, as a share of the font size (DejaVu Sans: 0.729).
    static let capitalHeight = 0.729

    static func selectFont(_ context: OpaquePointer?, size: Double, bold: Bool) {
        cairo_select_font_face(context, fontFamily, CAIRO_FONT_SLANT_NORMAL,
                               bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
    }
}

/// Where a text's x position lies along it.
public enum TextAnchor: String, Sendable { case start, middle, end }

/// The shape drawn at a data point.
public enum MarkerShape: Sendable, CaseIterable { case circle, square, diamond, triangle }

/// One drawing operation of a `Figure`.
public enum FigureItem: Sendable {
    case rectangle(x: Double, y: Double, width: Double, height: Double, fill: PlotColor)
    /// Connected straight segments; `dash` is Cairo's on/off pattern in pixels (empty for a solid line).
    case polyline(points: [(x: Double, y: Double)], color: PlotColor, width: Double, dash: [Double])
    /// A data point: a filled shape of `size` pixels across with a white rim, centred on (x, y).
    case marker(x: Double, y: Double, size: Double, shape: MarkerShape, color: PlotColor)
    /// Text whose baseline starts (or is centred, or ends) at (x, y).
    case text(String, x: Double, y: Double, size: Double, color: PlotColor, anchor: TextAnchor, bold: Bool)
}

// MARK: Rendering

extension Figure {
    /// The figure as RGB pixels, drawn by Cairo on an image surface.
    public func image() -> Image {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        let context = cairo_create(surface)
        render(on: context, textAsGlyphs: true)
        cairo_destroy(context)
        cairo_surface_flush(surface)
        var picture = Image(width: width, height: height, channels: 3)
        let stride = Int(cairo_image_surface_get_stride(surface))
        if let data = cairo_image_surface_get_data(surface) {
            // RGB24 keeps each pixel in a native-endian 32-bit word 0x00RRGGBB.
            data.withMemoryRebound(to: UInt32.self, capacity: stride / 4 * height) { words in
                picture.samples.withUnsafeMutableBufferPointer { samples in
                    for y in 0..<height {
                        for x in 0..<width {
                            let word = words[y * stride / 4 + x], base = (y * width + x) * 3
                            samples[base] = UInt8(word >> 16 & 0xFF)
                            samples[base + 1] = UInt8(word >> 8 & 0xFF)
                            samples[base + 2] = UInt8(word & 0xFF)
                        }
                    }
                }
            }
        }
        cairo_surface_destroy(surface)
        return picture
    }

    /// The figure as an SVG document written by Cairo's SVG surface. Text is not left to Cairo (which would turn
    /// every glyph into a path) but written as `<text>` elements in DejaVu Sans at the same places, so that a
    /// slide can still edit, search and copy it.
    public func svg() -> String {
        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        let unmanaged = Unmanaged.passRetained(sink)
        let surface = cairo_svg_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<Sink>.fromOpaque(closure).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
            return CAIRO_STATUS_SUCCESS
        }, unmanaged.toOpaque(), Double(width), Double(height))
        let context = cairo_create(surface)
        render(on: context, textAsGlyphs: false)
        cairo_destroy(context)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        unmanaged.release()
        var document = String(decoding: sink.bytes, as: UTF8.self)
        let texts = items.compactMap { item -> String? in
            guard case .text(let string, let x, let y, let size, let color, let anchor, let bold) = item else { return nil }
            return "<text x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" font-family=\"\(Figure.fontFamily)\" "
                + "font-size=\"\(svgNumber(size))\"\(bold ? " font-weight=\"bold\"" : "") "
                + "fill=\"rgb(\(color.red),\(color.green),\(color.blue))\" text-anchor=\"\(anchor.rawValue)\">"
                + xmlEscaped(string) + "</text>"
        }
        if let end = document.range(of: "</svg>", options: .backwards) {
            document.replaceSubrange(end, with: "<g id=\"text\">\n" + texts.joined(separator: "\n") + "\n</g>\n</svg>")
        }
        return document
    }

    /// Draws every item on `context`; text only when `textAsGlyphs` (the SVG writer adds it as elements).
    func render(on context: OpaquePointer?, textAsGlyphs: Bool) {
        func setColor(_ c: PlotColor) {
            cairo_set_source_rgb(context, Double(c.red) / 255, Double(c.green) / 255, Double(c.blue) / 255)
        }
        setColor(background)
        cairo_paint(context)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_BUTT)
        for item in items {
            switch item {
            case .rectangle(let x, let y, let w, let h, let fill):
                setColor(fill)
                cairo_rectangle(context, x, y, w, h)
                cairo_fill(context)
            case .polyline(let points, let color, let lineWidth, let dash):
                guard let first = points.first else { continue }
                setColor(color)
                cairo_set_line_width(context, lineWidth)
                dash.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
                cairo_move_to(context, first.x, first.y)
                for point in points.dropFirst() { cairo_line_to(context, point.x, point.y) }
                cairo_stroke(context)
                cairo_set_dash(context, nil, 0, 0)
            case .marker(let x, let y, let size, let shape, let color):
                let r = size / 2
                switch shape {
                case .circle:
                    cairo_new_sub_path(context)
                    cairo_arc(context, x, y, r, 0, 2 * Double.pi)
                case .square:
                    cairo_rectangle(context, x - r * 0.88, y - r * 0.88, r * 1.76, r * 1.76)
                case .diamond:
                    cairo_move_to(context, x, y - r * 1.2); cairo_line_to(context, x + r * 1.2, y)
                    cairo_line_to(context, x, y + r * 1.2); cairo_line_to(context, x - r * 1.2, y)
                    cairo_close_path(context)
                case .triangle:
                    cairo_move_to(context, x, y - r * 1.2); cairo_line_to(context, x + r * 1.1, y + r * 0.8)
                    cairo_line_to(context, x - r * 1.1, y + r * 0.8)
                    cairo_close_path(context)
                }
                setColor(color)
                cairo_fill_preserve(context)
                setColor(background)
                cairo_set_line_width(context, 1)
                cairo_stroke(context)
            case .text(let string, let x, let y, let size, let color, let anchor, let bold):
                guard textAsGlyphs else { continue }
                Figure.selectFont(context, size: size, bold: bold)
                var extents = cairo_text_extents_t()
                cairo_text_extents(context, string, &extents)
                let left = anchor == .start ? x : anchor == .middle ? x - extents.x_advance / 2 : x - extents.x_advance
                setColor(color)
                cairo_move_to(context, left, y)
                cairo_show_text(context, string)
                cairo_new_path(context)
            }
        }
    }

    /// Writes the figure to `path` as PNG or SVG, chosen by the name's ending (.png, .svg), atomically: the bytes
    /// go to a temporary file beside it, renamed over the old file only once complete, so a failed save leaves
    /// an existing file as it was.
    public func write(to path: String) throws {
        if path.lowercased().hasSuffix(".svg") {
            do {
                try Data(svg().utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                let reason = (error as NSError).localizedDescription.split(separator: "\n").first.map(String.init)
                throw FigureError(message: "\(path): cannot write (\(reason ?? "unknown error"))")
            }
        } else {
            try image().writePNG(to: path)   // PNGEncoding writes atomically too
        }
    }
}

/// A figure that could not be written.
public struct FigureError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}

/// A number for an SVG attribute: at most two decimals, no trailing zeros.
func svgNumber(_ value: Double) -> String {
    var text = String(format: "%.2f", value)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text == "-0" ? "0" : text
}

func xmlEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}
