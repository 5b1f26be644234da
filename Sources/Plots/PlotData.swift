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

    /// Bins `values` into `bins` equal bins placed so that `edge` (a binarisation threshold: 0 for outputs in
    /// ±1, 0.5 for a sigmoid's) is a bin edge, so that no bin mixes outputs that binarise differently. The bins
    /// left of the edge and right of it are in proportion to the values' spread on each side, and their common
    /// width is the smallest that covers both sides.
    public init(values: [Double], bins: Int, edgeAt edge: Double, range: ClosedRange<Double>? = nil) {
        precondition(bins > 0, "a histogram needs at least one bin")
        let finite = values.filter { $0.isFinite }
        let low = min(range?.lowerBound ?? finite.min() ?? edge - 1, edge)
        let high = max(range?.upperBound ?? finite.max() ?? edge + 1, edge)
        guard high > low, bins > 1 else { self.init(values: values, bins: bins, range: range); return }
        var left = Int(((edge - low) / (high - low) * Double(bins)).rounded())
        if edge > low { left = max(left, 1) }
        if high > edge { left = min(left, bins - 1) }
        left = min(max(left, 0), bins)
        let width = max(left > 0 ? (edge - low) / Double(left) : 0, left < bins ? (high - edge) / Double(bins - left) : 0)
        let lower = edge - Double(left) * width, upper = edge + Double(bins - left) * width
        var counts = [Int](repeating: 0, count: bins)
        var outside = values.count - finite.count
        for value in finite {
            guard value >= lower, value <= upper else { outside += 1; continue }
            // Counted by which side of the edge the value is on first, so rounding never moves a value across it.
            let index = value < edge ? min(Int((value - lower) / width), left - 1)
                                     : left + min(Int((value - edge) / width), bins - left - 1)
            counts[max(index, 0)] += 1
        }
        self.init(lowerBound: lower, upperBound: upper, counts: counts, outside: outside)
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

/// A straight line across a plot at a data value: a binarisation threshold, the targets ±1, a chance level.
public struct ReferenceLine: Sendable {
    /// The data value it marks (x for a vertical line, y for a horizontal one).
    public var value: Double
    public var label: String
    /// True: a vertical line at x = value; false: a horizontal one at y = value.
    public var vertical: Bool
    public var color: PlotColor
    public var width: Double
    /// Cairo's on/off dash pattern in pixels; empty for a solid line.
    public var dash: [Double]

    public init(value: Double, label: String, vertical: Bool, color: PlotColor = .black, width: Double = 1.5,
                dash: [Double] = [6, 4]) {
        self.value = value
        self.label = label
        self.vertical = vertical
        self.color = color
        self.width = width
        self.dash = dash
    }

    /// A binarisation threshold: a solid dark line, labelled "threshold T".
    public static func threshold(_ value: Double) -> ReferenceLine {
        ReferenceLine(value: value, label: "threshold \(formatNumber(value))", vertical: true, color: .black,
                      width: 1.5, dash: [])
    }

    /// A target the outputs are pushed towards (±1, or 0 and 1 for a sigmoid): a dashed gray line, unlabelled (a
    /// histogram puts a tick under every line).
    public static func target(_ value: Double) -> ReferenceLine {
        ReferenceLine(value: value, label: "", vertical: true, color: .darkGray, width: 1, dash: [5, 4])
    }

    /// The precision (or mAP) of a random ranking, 1/classes for balanced classes: a dotted gray line.
    public static func chance(_ value: Double) -> ReferenceLine {
        ReferenceLine(value: value, label: "chance \(formatNumber(value))", vertical: false, color: .darkGray,
                      width: 1, dash: [2, 3])
    }
}

/// The look of a chart. Every field has a readable default; set only what you need.
public struct ChartStyle: Sendable {
    public var width = 640
    public var height = 400
    public var title = ""
    public var xLabel = ""
    public var yLabel = ""
    /// Lines of small text under the chart (e.g. the numbers the terminal printed beside it).
    public var caption: [String] = []
    public var background = PlotColor.white
    public var foreground = PlotColor.black
    public var gridColor = PlotColor.lightGray
    public var palette = PlotColor.palette
    public var lineWidth = 2.0
    /// Diameter of the markers at data points, in pixels.
    public var markerSize = 7.0
    /// Fixed axis ranges; nil means fitted to the data (with "nice" tick values).
    public var xRange: ClosedRange<Double>? = nil
    public var yRange: ClosedRange<Double>? = nil
    /// The x axis' scale; nil chooses by the data (`AxisScale.fitting`: log or categorical for values that
    /// span decades).
    public var xScale: AxisScale? = nil
    /// The y axis starts at 0 (precision, mAP, recall, counts): differences are drawn at their true size.
    public var yFromZero = false
    /// Lines at fixed values: thresholds, targets, chance levels.
    public var referenceLines: [ReferenceLine] = []
    public var showLegend = true
    /// Draw a marker at every data point (a series of one point is always a marker).
    public var showMarkers = true

    public init(title: String = "", xLabel: String = "", yLabel: String = "", width: Int = 640, height: Int = 400) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.width = width
        self.height = height
    }

    /// The colour of series number `index`, cycling through the palette.
    public func color(_ index: Int) -> PlotColor { palette.isEmpty ? foreground : palette[index % palette.count] }

    /// The marker of series number `index`: shapes as well as colours tell series apart (in gray print too).
    public func marker(_ index: Int) -> MarkerShape { MarkerShape.allCases[index % MarkerShape.allCases.count] }

    var labelColor: PlotColor { foreground == .black ? .darkGray : foreground }
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
