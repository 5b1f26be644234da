import ClassicHashing
import Foundation
import Plots

extension ColorHistogram: ShellValue {
    public static let typeName = "histogram"

    /// "joint HSV 8×8×8 (512 bins, 37 used)".
    public var summary: String {
        let used = values.filter { $0 > 0 }.count
        return "\(layout) (\(values.count) bins, \(used) used)"
    }

    /// The summary and the bins as text bars (see `textBars`).
    public func render(in context: RenderContext) -> String {
        summary + ", " + barsCaption + "\n" + textBars(width: max(10, min(40, context.width - 30)))
    }

    /// What the bars measure, for the line above them.
    var barsCaption: String {
        if case .perChannel = layout, colorChannels > 1 { return "bars in % of the pixels, per channel" }
        return "bars in % of the pixels"
    }

    /// Each bin's share of the pixels: the values themselves, except for per-channel histograms of colour images,
    /// whose three channel histograms share one normalisation (each sums to ⅓) and are scaled back to 1 each.
    var pixelShares: [Double] {
        if case .perChannel = layout { return values.map { $0 * Double(colorChannels) } }
        return values
    }

    /// A name for each bin: "R 0–15" for a channel's bin; "r2 g5 b1" / "h3 s1 v2" for the cell of a joint grid
    /// (0-based indices along each axis, 0 the darkest / least saturated / reddest).
    public var binLabels: [String] {
        switch layout {
        case .perChannel(let bins):
            let names = colorChannels == 1 ? ["L"] : ["R", "G", "B"]
            return names.flatMap { name in
                (0..<bins).map { bin in
                    // Sample v lands in bin ⌊v·bins/256⌋: the bin's first and last samples.
                    let first = (bin * 256 + bins - 1) / bins, last = ((bin + 1) * 256 + bins - 1) / bins - 1
                    return "\(name) \(first)–\(last)"
                }
            }
        case .jointRGB(let n):
            return (0..<(n * n * n)).map { "r\($0 / (n * n)) g\($0 / n % n) b\($0 % n)" }
        case .jointHSV(let h, let s, let v):
            _ = h
            return values.indices.map { "h\($0 / (s * v)) s\($0 / v % s) v\($0 % v)" }
        }
    }

    /// Horizontal bars, one per bin, as percentages of the pixels (`pixelShares`). Histograms of more than 48 bins
    /// show only their 24 fullest bins (in bin order) and say how much the others hold, so a 512-bin joint
    /// histogram stays readable. No trailing newline.
    public func textBars(width: Int = 40) -> String {
        let shares = pixelShares
        var indices = Array(values.indices)
        var note = ""
        if values.count > 48 {
            indices = Array(values.indices.sorted { (shares[$0], $1) > (shares[$1], $0) }.prefix(24)).sorted()
            let shown = indices.reduce(0) { $0 + values[$1] }, total = values.reduce(0, +)
            note = "\n(the 24 fullest of \(values.count) bins; the other bins hold "
                + formatPercent(total > 0 ? max(0, 1 - shown / total) : 0) + " of the counts)"
        }
        let labels = binLabels
        var text = TextPlot.bars(labels: indices.map { labels[$0] }, values: indices.map { shares[$0] * 100 },
                                 width: width)
        if text.hasSuffix("\n") { text.removeLast() }
        return text + note
    }
}

/// "12.5%" with one decimal.
func formatPercent(_ fraction: Double) -> String {
    String(format: "%.1f%%", fraction * 100)
}

// MARK: Charts

extension ColorHistogram {
    /// The histogram as a chart a person can read: a per-channel histogram as one panel of bars per channel,
    /// coloured by its channel, over the sample values 0…256 with a tick at every bin edge (so each bar reads as
    /// its range) when there are at most 16 bins; a joint histogram as heat maps — hue × saturation for each band
    /// of value (HSV, with each hue column's colour under it), red × green for each band of blue (RGB) — on one
    /// colour scale, in % of the pixels.
    func chart(title: String) -> Figure {
        let shares = pixelShares.map { $0 * 100 }
        switch layout {
        case .perChannel(let bins):
            let channels: [(String, PlotColor)] = colorChannels == 1
                ? [("luma", PlotColor(hex: 0x555555))]
                : [("red", PlotColor(hex: 0xD03030)), ("green", PlotColor(hex: 0x2E9E3E)), ("blue", PlotColor(hex: 0x2F6FD0))]
            let edges = (0...bins).map { Double($0 * 256) / Double(bins) }
            let panels = channels.enumerated().map { index, channel in
                HistogramPanel(title: channel.0, edges: edges, heights: Array(shares[index * bins..<(index + 1) * bins]),
                               color: channel.1)
            }
            let ticks = bins <= 16 ? edges : stride(from: 0.0, through: 256, by: 32).map { $0 }
            var style = ChartStyle(title: title, xLabel: "sample value (each bar is one bin)", yLabel: "% of pixels",
                                   width: 640, height: colorChannels == 1 ? 400 : 580)
            style.showLegend = false
            return Chart.smallMultiples(panels, columns: 1, sharedYAxis: true, xTicks: ticks, style: style)
        case .jointHSV(let hueBins, let saturationBins, let valueBins):
            func range(_ i: Int, _ n: Int, scale: Double) -> String {
                formatNumber(Double(i) * scale / Double(n)) + "–" + formatNumber(Double(i + 1) * scale / Double(n))
            }
            let hueColours = (0..<hueBins).map { h -> PlotColor in
                let (r, g, b) = hsvToRGB(hue: (Double(h) + 0.5) * 360 / Double(hueBins), saturation: 0.85, value: 0.95)
                return PlotColor(red: r, green: g, blue: b)
            }
            let panels = (0..<valueBins).map { v in
                HeatMapPanel(title: "value " + range(v, valueBins, scale: 1), columns: hueBins, rows: saturationBins,
                             values: (0..<saturationBins).flatMap { s in
                                 (0..<hueBins).map { h in shares[(h * saturationBins + s) * valueBins + v] }
                             },
                             columnLabels: (0..<hueBins).map { formatNumber(Double($0) * 360 / Double(hueBins)) + "°" },
                             rowLabels: (0..<saturationBins).map { range($0, saturationBins, scale: 1) },
                             columnColors: hueColours)
            }
            let style = ChartStyle(title: title, width: max(760, 40 + 170 * valueBins), height: 400)
            return Chart.heatMaps(panels, xLabel: "hue (the strip shows each column's hue), one panel per band of value",
                                  yLabel: "saturation", unit: "% px", style: style)
        case .jointRGB(let n):
            let panels = (0..<n).map { b in
                HeatMapPanel(title: "blue " + String(b * 256 / n) + "–" + String((b + 1) * 256 / n - 1), columns: n, rows: n,
                             values: (0..<n).flatMap { g in (0..<n).map { r in shares[(r * n + g) * n + b] } },
                             columnLabels: (0..<n).map { String($0 * 256 / n) },
                             rowLabels: (0..<n).map { String($0 * 256 / n) })
            }
            let style = ChartStyle(title: title, width: max(760, 40 + 150 * n), height: 400)
            return Chart.heatMaps(panels, xLabel: "red (bin start), one panel per band of blue", yLabel: "green",
                                  unit: "% px", style: style)
        }
    }
}

/// 8-bit RGB of a colour given as hue (degrees), saturation and value (0…1): the hexcone model.
private func hsvToRGB(hue: Double, saturation: Double, value: Double) -> (UInt8, UInt8, UInt8) {
    let c = value * saturation, h = hue / 60
    let x = c * (1 - abs(h.truncatingRemainder(dividingBy: 2) - 1))
    let (r, g, b): (Double, Double, Double) = switch Int(h) % 6 {
    case 0: (c, x, 0)
    case 1: (x, c, 0)
    case 2: (0, c, x)
    case 3: (0, x, c)
    case 4: (x, 0, c)
    default: (c, 0, x)
    }
    let m = value - c
    func byte(_ v: Double) -> UInt8 { UInt8(min(255, max(0, ((v + m) * 255).rounded()))) }
    return (byte(r), byte(g), byte(b))
}
