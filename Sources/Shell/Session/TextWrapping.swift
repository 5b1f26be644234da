/// `text` broken at blanks into lines of at most `width` characters (a longer word stays whole): the first line
/// starts with `firstIndent`, the others with `indent`.
func wrapped(_ text: String, width: Int, indent: String = "", firstIndent: String = "") -> [String] {
    var lines: [String] = []
    var current = firstIndent
    var isEmpty = true
    for word in text.split(separator: " ", omittingEmptySubsequences: true) {
        if !isEmpty && current.count + 1 + word.count > width {
            lines.append(current)
            current = indent
            isEmpty = true
        }
        current += (isEmpty ? "" : " ") + word
        isEmpty = false
    }
    if !isEmpty || lines.isEmpty { lines.append(current) }
    return lines
}

/// Rows of a label and its text: the labels `margin` blanks in, padded to the widest label of at most `maximumLabel`
/// characters, and the texts wrapped to `width` two blanks beside them. A longer label has a line of its own, its
/// text below under the column, and does not widen the column; one longer than the line (a list of alternatives,
/// `lsh|pcah|…`) is broken after a `|`, its later lines two blanks further in.
func labelledRows(_ rows: [(String, String)], width: Int, margin: Int = 2, maximumLabel: Int) -> [String] {
    let column = rows.map(\.0.count).filter { $0 <= maximumLabel }.max() ?? 0
    let blanks = String(repeating: " ", count: margin)
    let hanging = String(repeating: " ", count: margin + column + 2)
    return rows.flatMap { label, text -> [String] in
        guard label.count <= column else {
            var labelLines = [""]
            for piece in label.split(separator: "|", omittingEmptySubsequences: false).enumerated().map({
                $0.offset == 0 ? String($0.element) : "|" + $0.element
            }) {
                let room = width - margin - (labelLines.count > 1 ? 2 : 0) - 1   // the "|" that ends a broken line
                if !labelLines[labelLines.count - 1].isEmpty && labelLines[labelLines.count - 1].count + piece.count > room {
                    labelLines[labelLines.count - 1] += "|"
                    labelLines.append(String(piece.dropFirst()))
                } else {
                    labelLines[labelLines.count - 1] += piece
                }
            }
            return labelLines.enumerated().map { blanks + ($0.offset > 0 ? "  " : "") + $0.element }
                + wrapped(text, width: width, indent: hanging, firstIndent: hanging)
        }
        let padded = label + String(repeating: " ", count: column + 2 - label.count)
        return wrapped(text, width: width, indent: hanging, firstIndent: blanks + padded)
    }
}
