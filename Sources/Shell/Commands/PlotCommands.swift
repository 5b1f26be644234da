import ClassicHashing
import Foundation
import Imaging
import Plots

extension Topic {
    static let plots = Topic("plots", abstract: "text plots in the terminal, PNG charts in files", rank: 80)
}

/// Plot commands. `plot` takes a kind of plot first, so that later kinds (curves, codes) can join.
let plotCommands: [Command] = [
    Command("plot", topic: .plots,
            abstract: "Draws a histogram as text bars, and as a PNG bar chart when `to` is given.",
            discussion: """
                An image is first counted into its default histogram (16 bins per channel). Text bars show \
                percentages of the pixels; histograms of more than 48 bins show their 24 fullest bins. The PNG \
                chart shows every bin.
                """,
            arguments: [.positional("kind", .word(["hist"]), "what to plot"),
                        .positional("value", .value(of: ColorHistogram.self, Image.self), "a histogram or an image",
                                    placeholder: "H")],
            options: [.keyword("to", .path, "a PNG file for the chart")],
            examples: ["plot hist hist1", "plot hist hist1 to out/hist1.png"]) { invocation in
        let histogram: ColorHistogram
        switch invocation.value("value") {
        case let image as Image: histogram = try ColorHistogram(of: image, layout: .perChannel(bins: 16))
        case let value as ColorHistogram: histogram = value
        default: throw ShellError.missingArgument(command: "plot", argument: "H")
        }
        let name = invocation.valueName("value")!
        let context = invocation.output.renderContext
        invocation.output.line("\(name): \(histogram.summary), \(histogram.barsCaption)")
        invocation.output.line(histogram.textBars(width: max(10, min(40, context.width - 30))))
        if let path = invocation.string("to") {
            var style = ChartStyle(title: "\(name): \(histogram.layout)", xLabel: "bin", yLabel: "% of pixels",
                                   width: max(640, min(2048, histogram.values.count * 4 + 160)), height: 400)
            style.showLegend = false
            let labels = histogram.values.count <= 48 ? histogram.binLabels : histogram.values.indices.map { _ in "" }
            let chart = Chart.bars(labels: labels, values: histogram.pixelShares.map { $0 * 100 }, style: style)
            try makeParentFolder(of: path)
            try chart.writePNG(to: path)
            invocation.output.line("wrote \(path)")
        }
        return nil
    },
]
