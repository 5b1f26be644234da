/// Plain text from what a terminal would be sent: ANSI escape sequences removed and carriage returns resolved.
enum TerminalText {
    /// `text` without escape sequences: CSI (`ESC [` parameters, then a final byte in @…~, e.g. colours `ESC[31m` and
    /// `ESC[K`), OSC (`ESC ]` … ended by BEL or `ESC \`), and two-character escapes (`ESC` and one character).
    /// The bell is dropped too. Within a line, a carriage return keeps only what was written after it, as a terminal
    /// would show it when the later text is at least as long (the case of redrawn status lines).
    static func plain(_ text: String) -> String {
        var result: [Unicode.Scalar] = []
        var scalars = text.unicodeScalars.makeIterator()
        var lineStart = 0
        while let scalar = scalars.next() {
            switch scalar {
            case "\u{1B}":
                guard let kind = scalars.next() else { break }
                if kind == "[" {
                    while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
                } else if kind == "]" {
                    var previous: Unicode.Scalar = " "
                    while let next = scalars.next() {
                        if next == "\u{07}" || (previous == "\u{1B}" && next == "\\") { break }
                        previous = next
                    }
                }
            case "\u{07}":
                continue
            case "\r":
                result.removeSubrange(lineStart...)
            case "\n":
                result.append(scalar)
                lineStart = result.count
            default:
                result.append(scalar)
            }
        }
        var plain = String.UnicodeScalarView()
        plain.append(contentsOf: result)
        return String(plain)
    }
}
