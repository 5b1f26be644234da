import Foundation
import Plots

/// A value that is a table of results — one row per run or per method — which `show` prints as aligned columns and
/// `save NAME to FILE.csv` writes as CSV.
///
/// A conforming type gives its rows twice: as display text (numbers rounded for reading) and as CSV cells (numbers
/// at full precision, `%.17g`, which reads back as the same `Double`). The display header may use symbols
/// ("P(r≤2)"); the CSV header should use plain snake_case names that survive any spreadsheet or `pandas.read_csv`.
public protocol TableValue: ShellValue {
    /// The column headers of the display table.
    var header: [String] { get }
    /// The display rows, one cell per header column.
    var rows: [[String]] { get }
    /// How each display column lines up.
    var alignments: [TextPlot.Alignment] { get }
    /// The CSV header names.
    var csvHeader: [String] { get }
    /// The CSV rows, one cell per CSV header column, numbers at full precision.
    var csvRows: [[String]] { get }
}

extension TableValue {
    /// The summary line, then the table.
    public func render(in context: RenderContext) -> String {
        summary + "\n" + withoutFinalNewline(TextPlot.table(header: header, rows: rows, alignments: alignments))
    }

    /// The table as CSV (RFC 4180: a cell holding a comma, a quote or a line break is quoted, its quotes doubled),
    /// lines ending in `\n`.
    public var csv: String {
        ([csvHeader] + csvRows).map { $0.map(csvCell).joined(separator: ",") + "\n" }.joined()
    }
}

/// `number` at full precision for CSV: `%.17g` reads back as the same `Double`; NaN and infinities as `nan`, `inf`.
public func csvNumber(_ number: Double) -> String {
    String(format: "%.17g", number)
}

/// One CSV cell, quoted when it must be.
private func csvCell(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
