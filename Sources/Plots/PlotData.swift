import Foundation

/// One named line of (x, y) points, drawn in the given order.
public struct Series: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]

    public init(name: String, points: [(x: Double, y: Double)]) {
        self.name = name
        self.points = points
    }

    /// A series whose x values are 0, 1, 2, … (e.g. a loss per epoch).
    public init(name: String, values: [Double], firstX: Double = 0) {
        self.init(name: name, points: values.enumerated().map { (x: firstX + Double($0.offset), y: $0.element) })
    }

    /// A series from parallel x and y arrays (the shorter one decides the length), e.g. recall and precision.
    public init(name: String, x: [Double], y: [Double]) {
        self.init(name: name, points: zip(x, y).map { (x: $0, y: $1) })
    }

    /// Points whose coordinates are both finite; the others are skipped when drawing.
    var finitePoints: [(x: Double, y: Double)] { points.filter { $0.x.isFinite && $0.y.isFinite } }
}

/// Counts of values in equal-width bins over [lowerBound, upperBound]: bin i covers
/// [lower + i·w, lower + (i+1)·w), the last bin also takes the upper bound itself. Values outside the range and
/// NaNs are not counted (`outside` says how many).
public struct HistogramBins: Sendable, Equatable {
    public var lowerBound: Double
    public var upperBound: Double
    public var counts: [Int]
    /// Values that fell outside [lowerBound, upperBound] or were not numbers.
    public var outside: Int

    public init(lowerBound: Double, upperBound: Double, counts: [Int], outside: Int = 0) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
        self.counts = counts
        self.outside = outside
    }

    /// Bins `values` into `bins` equal bins over `range`, or over the values' own minimum…maximum when nil
    /// (widened by ½ on each side when all values are equal, so that the bins have a width).
    public init(values: [Double], bins: Int, range: ClosedRange<Double>? = nil) {
        precondition(bins > 0, "a histogram needs at least one bin")
        let finite = values.filter { $0.isFinite }
        var low = range?.lowerBound ?? finite.min() ?? 0
        var high = range?.upperBound ?? finite.max() ?? 1
        if !(high > low) { low -= 0.5; high += 0.5 }
        var counts = [Int](repeating: 0, count: bins)
        var outside = values.count - finite.count
        let scale = Double(bins) / (high - low)
        for value in finite {
            guard value >= low, value <= high else { outside += 1; continue }
            counts[min(Int((value - low) * scale), bins - 1)] += 1
        }
        self.init(lowerBound: low, upperBound: high, counts: counts, outside: outside)
    }

    public var binWidth: Double { (upperBound - lowerBound) / Double(counts.count) }
    /// The bins' edges: counts.count + 1 values from lowerBound to upperBound.
    public var edges: [Double] { (0...counts.count).map { lowerBound + Double($0) * binWidth } }
}

/// An 8-bit RGB colour.
public struct PlotColor: Sendable, Equatable, Hashable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// From 0xRRGGBB.
    public init(hex: UInt32) {
        self.init(red: UInt8(hex >> 16 & 0xFF), green: UInt8(hex >> 8 & 0xFF), blue: UInt8(hex & 0xFF))
    }

    public static let white = PlotColor(hex: 0xFFFFFF)
    public static let black = PlotColor(hex: 0x000000)
    public static let lightGray = PlotColor(hex: 0xE6E6E6)
    public static let darkGray = PlotColor(hex: 0x555555)

    /// Ten colours that stay distinct from each other on white (the "Tableau 10" palette).
    public static let palette: [PlotColor] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD, 0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ].map { PlotColor(hex: $0) }
}

/// The look of a PNG chart. Every field has a readable default; set only what you need.
public struct ChartStyle: Sendable {
    public var width = 640
    public var height = 400
    public var title = ""
    public var xLabel = ""
    public var yLabel = ""
    public var background = PlotColor.white
    public var foreground = PlotColor.black
    public var gridColor = PlotColor.lightGray
    public var palette = PlotColor.palette
    /// Each font pixel becomes textScale × textScale image pixels (the font is 5 × 7).
    public var textScale = 2
    public var lineThickness = 2
    /// Fixed axis ranges; nil means fitted to the data (with "nice" tick values).
    public var xRange: ClosedRange<Double>? = nil
    public var yRange: ClosedRange<Double>? = nil
    public var showLegend = true
    /// Draw a small square at every data point.
    public var showMarkers = false

    public init(title: String = "", xLabel: String = "", yLabel: String = "", width: Int = 640, height: Int = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    /// The colour of series number `index`, cycling through the palette.
    public func color(_ index: Int) -> PlotColor { palette.isEmpty ? foreground : palette[index % palette.count] }
}

/// Short, readable numbers for axis labels and tables: up to 4 significant digits, no trailing zeros,
/// scientific notation only for very large or small magnitudes.
public func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value > 0 ? "inf" : "-inf" }
    if value == 0 { return "0" }
    let text = String(format: "%.4g", value)
    return text
}
