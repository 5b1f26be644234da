import Imaging

/// An RGB picture to draw charts on: filled rectangles, straight lines, markers and bitmap text. No
/// anti-aliasing — every pixel is either background or ink, which keeps the output exact and testable.
/// Drawing outside the picture is clipped silently.
public struct Canvas: Sendable {
    public private(set) var image: Image
    /// When set, drawing is confined to this rectangle (left, top inclusive; right, bottom exclusive).
    public var clip: (left: Int, top: Int, right: Int, bottom: Int)? = nil

    public init(width: Int, height: Int, background: PlotColor = .white) {
        precondition(width > 0 && height > 0, "a canvas needs a positive size")
        image = Image(width: width, height: height, channels: 3)
        fillRectangle(x: 0, y: 0, width: width, height: height, color: background)
    }

    public var width: Int { image.width }
    public var height: Int { image.height }

    /// Paints one pixel (ignored outside the canvas).
    @inline(__always)
    public mutating func setPixel(x: Int, y: Int, color: PlotColor) {
        guard x >= 0, y >= 0, x < image.width, y < image.height else { return }
        if let clip, x < clip.left || y < clip.top || x >= clip.right || y >= clip.bottom { return }
        let base = (y * image.width + x) * 3
        image.samples[base] = color.red
        image.samples[base + 1] = color.green
        image.samples[base + 2] = color.blue
    }

    /// The colour at (x, y); the point must be inside.
    public func pixel(x: Int, y: Int) -> PlotColor {
        PlotColor(red: image[x, y, 0], green: image[x, y, 1], blue: image[x, y, 2])
    }

    public mutating func fillRectangle(x: Int, y: Int, width: Int, height: Int, color: PlotColor) {
        let left = max(x, 0), top = max(y, 0)
        let right = min(x + width, image.width), bottom = min(y + height, image.height)
        guard left < right, top < bottom else { return }
        for row in top..<bottom { for column in left..<right { setPixel(x: column, y: row, color: color) } }
    }

    /// A one-pixel rectangle outline.
    public mutating func strokeRectangle(x: Int, y: Int, width: Int, height: Int, color: PlotColor) {
        fillRectangle(x: x, y: y, width: width, height: 1, color: color)
        fillRectangle(x: x, y: y + height - 1, width: width, height: 1, color: color)
        fillRectangle(x: x, y: y, width: 1, height: height, color: color)
        fillRectangle(x: x + width - 1, y: y, width: 1, height: height, color: color)
    }

    /// A straight line from (x0, y0) to (x1, y1) by Bresenham's algorithm (step along the longer axis, carry
    /// the error along the shorter one), each step stamped as a `thickness` × `thickness` square.
    public mutating func drawLine(fromX x0: Int, y y0: Int, toX x1: Int, y y1: Int, color: PlotColor,
                                  thickness: Int = 1) {
        let offset = (thickness - 1) / 2
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let stepX = x0 < x1 ? 1 : -1, stepY = y0 < y1 ? 1 : -1
        var error = dx + dy
        // Guard against absurd coordinates (e.g. from infinite data) looping for ever.
        var remaining = dx - dy + 1
        while remaining > 0 {
            if thickness <= 1 { setPixel(x: x, y: y, color: color) }
            else { fillRectangle(x: x - offset, y: y - offset, width: thickness, height: thickness, color: color) }
            if x == x1 && y == y1 { break }
            let doubled = 2 * error
            if doubled >= dy { error += dy; x += stepX }
            if doubled <= dx { error += dx; y += stepY }
            remaining -= 1
        }
    }

    /// `text` in the 5 × 7 bitmap font with its top-left corner at (x, y), each font pixel `scale` pixels wide.
    public mutating func drawText(_ text: String, x: Int, y: Int, color: PlotColor, scale: Int = 1) {
        var left = x
        for character in text {
            for column in 0..<BitmapFont.glyphWidth {
                for row in 0..<BitmapFont.glyphHeight where BitmapFont.isSet(character, column: column, row: row) {
                    fillRectangle(x: left + column * scale, y: y + row * scale, width: scale, height: scale, color: color)
                }
            }
            left += BitmapFont.advance * scale
        }
    }

    /// Draws `image` (any channel count; alpha ignored, gray repeated) with its top-left corner at (x, y).
    public mutating func drawImage(_ picture: Image, x: Int, y: Int) {
        for row in 0..<picture.height {
            for column in 0..<picture.width {
                let r = picture[column, row, 0]
                let colour = picture.channels >= 3
                    ? PlotColor(red: r, green: picture[column, row, 1], blue: picture[column, row, 2])
                    : PlotColor(red: r, green: r, blue: r)
                setPixel(x: x + column, y: y + row, color: colour)
            }
        }
    }
}
