extension TextPlot {
    /// How a table column lines up.
    public enum Alignment: Sendable { case left, right }

    /// Rows of cells as aligned columns separated by two spaces, with the header underlined by ─. Columns whose
    /// cells all read as numbers are right-aligned unless `alignments` says otherwise; missing cells are blank.
    public static func table(header: [String], rows: [[String]], alignments: [Alignment]? = nil) -> String {
        let columnCount = max(header.count, rows.map { $0.count }.max() ?? 0)
        func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }
        let widths = (0..<columnCount).map { column in
            ([cell(header, column)] + rows.map { cell($0, column) }).map { $0.count }.max() ?? 0
        }
        let aligned: [Alignment] = (0..<columnCount).map { column in
            if let alignments, column < alignments.count { return alignments[column] }
            let cells = rows.map { cell($0, column) }.filter { !$0.isEmpty }
            return !cells.isEmpty && cells.allSatisfy { Double($0) != nil || $0.hasSuffix("%") && Double($0.dropLast()) != nil }
                ? .right : .left
        }
        func line(_ row: [String]) -> String {
            let cells = (0..<columnCount).map { column in
                aligned[column] == .right ? padLeft(cell(row, column), widths[column]) : pad(cell(row, column), widths[column])
            }
            var text = cells.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text + "\n"
        }
        var text = ""
        if !header.isEmpty {
            text += line(header)
            text += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n"
        }
        for row in rows { text += line(row) }
        return text
    }
}
