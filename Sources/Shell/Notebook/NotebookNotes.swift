/// A note cell (a script's comments) as paragraphs and headings, for both renderings.
extension Notebook.Cell {
    /// One block of a note: a heading (the tutorials' `── 2. Its hashes ───` lines) or a paragraph of lines.
    enum NoteBlock: Equatable {
        case heading(String)
        case paragraph([String])
    }

    /// The note's blocks: blank lines end paragraphs, heading lines stand alone.
    var noteBlocks: [NoteBlock] {
        var blocks: [NoteBlock] = []
        var lines: [String] = []
        func flush() {
            if !lines.isEmpty { blocks.append(.paragraph(lines)) }
            lines = []
        }
        for line in noteLines {
            if line.isEmpty {
                flush()
            } else if let heading = Notebook.Cell.heading(line) {
                flush()
                blocks.append(.heading(heading))
            } else {
                lines.append(line)
            }
        }
        flush()
        return blocks
    }

    /// The parts of a line outside and inside `code spans`, alternating (outside first); a line with an odd
    /// number of backticks is one outside part.
    static func codeSpans(_ line: String) -> [String] {
        let parts = line.split(separator: "`", omittingEmptySubsequences: false).map(String.init)
        return parts.count % 2 == 1 ? parts : [line]
    }
}

extension Notebook {
    /// A note's text for Markdown: outside code spans, the characters Markdown would read as markup are escaped
    /// with a backslash; code spans stay as they are.
    static func markdownNoteLine(_ line: String) -> String {
        let parts = Notebook.Cell.codeSpans(line)
        let special: Set<Character> = ["\\", "*", "_", "[", "]", "<", ">", "#", "|", "`"]
        return parts.enumerated().map { index, part in
            if index % 2 == 1 { return "`" + part + "`" }
            var escaped = ""
            for character in part {
                if special.contains(character) { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped
        }.joined()
    }

    /// A picture's caption for Markdown (in an image's brackets, or in an emphasised line): the characters that
    /// Markdown would read as markup there escaped with a backslash. A `#` inside a line is no heading, and stays.
    static func markdownCaption(_ caption: String) -> String {
        let special: Set<Character> = ["\\", "*", "_", "[", "]", "<", ">", "`", "|"]
        var escaped = ""
        for character in caption {
            if special.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// A note's text for HTML: escaped, code spans as `<code>`.
    static func htmlNoteLine(_ line: String) -> String {
        Notebook.Cell.codeSpans(line).enumerated().map { index, part in
            index % 2 == 1 ? "<code>\(escaped(part))</code>" : escaped(part)
        }.joined()
    }
}
