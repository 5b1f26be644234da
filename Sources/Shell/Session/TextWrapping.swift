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
/// text below under the column, and does not widen the column.
func labelledRows(_ rows: [(String, String)], width: Int, margin: Int = 2, maximumLabel: Int) -> [String] {
    let column = rows.map(\.0.count).filter { $0 <= maximumLabel }.max() ?? 0
    let blanks = String(repeating: " ", count: margin)
    let hanging = String(repeating: " ", count: margin + column + 2)
    return rows.flatMap { label, text -> [String] in
        guard label.count <= column else {
            return [blanks + label] + wrapped(text, width: width, indent: hanging, firstIndent: hanging)
        }
        let padded = label + String(repeating: " ", count: column + 2 - label.count)
        return wrapped(text, width: width, indent: hanging, firstIndent: blanks + padded)
    }
}
