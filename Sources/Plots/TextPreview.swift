import Imaging

extension TextPlot {
    /// Characters from dark to bright, for previews without colour (bright = dense ink, for dark terminals).
    public static let shadingRamp: [Character] = Array(" .:-=+*#%@")

    /// A terminal picture of `image`, `width` characters wide.
    ///
    /// With `color`, each character is an upper half block ▀ whose foreground is the upper pixel and whose
    /// background is the lower one (24-bit ANSI escapes `ESC[38;2;R;G;Bm`, `ESC[48;2;R;G;Bm`, reset at each line's
    /// end): two square pixels per cell, since a terminal cell is about twice as tall as wide. Without colour,
    /// each character is one pixel of luma (0.299 R + 0.587 G + 0.114 B) mapped onto `shadingRamp`, with half as
    /// many rows as the width-scaled height for the same reason.
    ///
    /// The image is first resampled to the character grid by area averaging (each output pixel is the mean of
    /// the source area it covers, fractional overlaps weighted) — a fine preview filter, not Pillow's.
    /// Alpha is composited over black; gray is shown as gray.
    public static func preview(_ image: Image, width: Int, color: Bool) -> String {
        guard image.width > 0, image.height > 0, width > 0 else { return "" }
        let scaledHeight = Double(image.height) * Double(width) / Double(image.width)
        if color {
            let rows = max(1, Int((scaledHeight / 2).rounded()))
            let pixels = areaAverage(image, width: width, height: rows * 2)
            var text = ""
            for row in 0..<rows {
                for column in 0..<width {
                    let upper = pixels[(2 * row) * width + column], lower = pixels[(2 * row + 1) * width + column]
                    text += ansiForeground(upper) + ansiBackground(lower) + "▀"
                }
                text += ansiReset + "\n"
            }
            return text
        }
        let rows = max(1, Int((scaledHeight / 2).rounded()))
        let pixels = areaAverage(image, width: width, height: rows)
        var text = ""
        for row in 0..<rows {
            for column in 0..<width {
                let p = pixels[row * width + column]
                let luma = 0.299 * Double(p.red) + 0.587 * Double(p.green) + 0.114 * Double(p.blue)
                text.append(shadingRamp[min(shadingRamp.count - 1, Int(luma / 256 * Double(shadingRamp.count)))])
            }
            text += "\n"
        }
        return text
    }

    /// `image` resampled to `width` × `height` RGB colours by area averaging (see `preview`).
    public static func areaAverage(_ image: Image, width: Int, height: Int) -> [PlotColor] {
        let columnWeights = boxWeights(source: image.width, target: width)
        let rowWeights = boxWeights(source: image.height, target: height)
        var result = [PlotColor]()
        result.reserveCapacity(width * height)
        for row in 0..<height {
            for column in 0..<width {
                var sum = (0.0, 0.0, 0.0), total = 0.0
                for (y, wy) in rowWeights[row] {
                    for (x, wx) in columnWeights[column] {
                        let weight = wx * wy
                        let base = (y * image.width + x) * image.channels
                        let opacity = image.hasAlpha ? Double(image.samples[base + image.channels - 1]) / 255 : 1
                        let r = Double(image.samples[base])
                        let (g, b) = image.channels >= 3
                            ? (Double(image.samples[base + 1]), Double(image.samples[base + 2])) : (r, r)
                        sum.0 += weight * r * opacity
                        sum.1 += weight * g * opacity
                        sum.2 += weight * b * opacity
                        total += weight
                    }
                }
                func byte(_ v: Double) -> UInt8 { UInt8(min(255, max(0, (v / total).rounded()))) }
                result.append(PlotColor(red: byte(sum.0), green: byte(sum.1), blue: byte(sum.2)))
            }
        }
        return result
    }

    /// For each of `target` output cells, the source indices it overlaps and by how much: cell i covers the
    /// source interval [i·s/t, (i+1)·s/t). When enlarging, that interval lies inside one source pixel.
    static func boxWeights(source: Int, target: Int) -> [[(Int, Double)]] {
        let ratio = Double(source) / Double(target)
        return (0..<target).map { i in
            let start = Double(i) * ratio, end = Double(i + 1) * ratio
            var weights = [(Int, Double)]()
            var index = Int(start)
            while Double(index) < end && index < source {
                let overlap = min(end, Double(index + 1)) - max(start, Double(index))
                if overlap > 1e-12 { weights.append((index, overlap)) }
                index += 1
            }
            if weights.isEmpty { weights.append((min(Int(start), source - 1), 1)) }
            return weights
        }
    }
}
