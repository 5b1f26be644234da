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
