import Imaging

/// Why a histogram could not be made or compared, as one printable line.
public struct HistogramError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// How a colour histogram divides colour space into bins.
public enum HistogramLayout: Sendable, Equatable, CustomStringConvertible {
    /// One histogram of `bins` bins per colour channel (gray: 1, colour: R, G, B), concatenated. Sample v goes to
    /// bin ⌊v·bins/256⌋, i.e. equal-width bins over 0…255. Ignores how channels co-occur.
    case perChannel(bins: Int)
    /// One bin per cell of an n × n × n grid over the RGB cube (n = `binsPerChannel`, n³ bins, index
    /// (r·n + g)·n + b with r = ⌊R·n/256⌋ …). Gray images count as R = G = B.
    case jointRGB(binsPerChannel: Int)
    /// A joint grid over hue × saturation × value (index (h·S + s)·V + v). HSV separates the colour's kind (hue)
    /// from its purity and lightness, so it is less sensitive to lighting than RGB. See `hsv(red:green:blue:)`.
    case jointHSV(hueBins: Int, saturationBins: Int, valueBins: Int)

    public var description: String {
        switch self {
        case .perChannel(let bins): "per-channel \(bins) bins"
        case .jointRGB(let n): "joint RGB \(n)×\(n)×\(n)"
        case .jointHSV(let h, let s, let v): "joint HSV \(h)×\(s)×\(v)"
        }
    }
}

/// A normalised colour histogram: the fraction of the image's pixels in each bin (alpha is ignored; every pixel
/// counts once). Normalising to sum 1 makes images of different sizes comparable; it is what OpenCV users do
/// with `normalize(…, NORM_L1)` before `compareHist`.
public struct ColorHistogram: Sendable, Equatable {
    public let layout: HistogramLayout
    /// Colour channels counted: 1 for gray (and gray + alpha), 3 for RGB(A). Only `.perChannel` depends on it.
    public let colorChannels: Int
    /// Bin fractions; they sum to 1 (up to rounding), or are all 0 for an empty image.
    public let values: [Double]

    /// The histogram of `image` in `layout`. Throws for bin counts outside 1…256.
    public init(of image: Image, layout: HistogramLayout) throws {
        self.layout = layout
        colorChannels = image.channels >= 3 ? 3 : 1
        var counts: [Double]
        let pixels = image.width * image.height
        let stride = image.channels
        let samples = image.samples
        /// The colour of pixel p as RGB (gray repeated).
        func rgb(_ p: Int) -> (Int, Int, Int) {
            let base = p * stride
            if stride >= 3 { return (Int(samples[base]), Int(samples[base + 1]), Int(samples[base + 2])) }
            let v = Int(samples[base])
            return (v, v, v)
        }
        switch layout {
        case .perChannel(let bins):
            try Self.check(bins, "bins")
            let channels = image.channels >= 3 ? 3 : 1
            counts = [Double](repeating: 0, count: bins * channels)
            for p in 0..<pixels {
                for c in 0..<channels {
                    counts[c * bins + Int(samples[p * stride + c]) * bins / 256] += 1
                }
            }
        case .jointRGB(let n):
            try Self.check(n, "bins per channel")
            counts = [Double](repeating: 0, count: n * n * n)
            for p in 0..<pixels {
                let (r, g, b) = rgb(p)
                counts[((r * n / 256) * n + g * n / 256) * n + b * n / 256] += 1
            }
        case .jointHSV(let hueBins, let saturationBins, let valueBins):
            try Self.check(hueBins, "hue bins")
            try Self.check(saturationBins, "saturation bins")
            try Self.check(valueBins, "value bins")
            counts = [Double](repeating: 0, count: hueBins * saturationBins * valueBins)
            for p in 0..<pixels {
                let (r, g, b) = rgb(p)
                let (hue, saturation, value) = Self.hsv(red: r, green: g, blue: b)
                let h = min(Int(hue / 360 * Double(hueBins)), hueBins - 1)
                let s = min(Int(saturation * Double(saturationBins)), saturationBins - 1)
                let v = min(Int(value * Double(valueBins)), valueBins - 1)
                counts[(h * saturationBins + s) * valueBins + v] += 1
            }
        }
        let total = counts.reduce(0, +)
        values = total > 0 ? counts.map { $0 / total } : counts
    }

    /// Hue in degrees [0, 360), saturation and value in [0, 1], from 8-bit RGB: the hexcone model of
    /// `HexconeHSV` (OpenCV's `cvtColor(…, COLOR_RGB2HSV)` up to its 8-bit scaling), which the HSV bins count.
    public static func hsv(red: Int, green: Int, blue: Int) -> (hue: Double, saturation: Double, value: Double) {
        HexconeHSV.fromRGB(red: red, green: green, blue: blue)
    }

    /// This histogram compared with `other` (same layout) by `method`; see `HistogramComparison`.
    public func compared(to other: ColorHistogram, using method: HistogramComparison) throws -> Double {
        guard layout == other.layout, values.count == other.values.count else {
            throw HistogramError("cannot compare a \(layout) histogram with a \(other.layout) one "
                + "(\(values.count) vs \(other.values.count) bins)")
        }
        return try method.compare(values, other.values)
    }

    private static func check(_ bins: Int, _ name: String) throws {
        guard (1...256).contains(bins) else { throw HistogramError("\(name) must be between 1 and 256, not \(bins)") }
    }
}
