extension Notebook {
    /// The notebook as Markdown: the title, then a script's comments as paragraphs (its `── … ──` lines as
    /// headings), and for every command a fenced code block with `hashlab> COMMAND`, a
    /// fenced block with its output (when it printed anything) and an image link for each PNG it wrote,
    /// `![name](FOLDER/name)`, relative to the Markdown file.
    public func markdown(imageFolder: String) -> String {
        var lines = ["# \(title)", ""]
        for cell in cells {
            for block in cell.noteBlocks {
                switch block {
                case .heading(let text): lines += ["## " + Notebook.markdownNoteLine(text), ""]
                case .paragraph(let noteLines):
                    // Two blanks at a line's end keep the script's line breaks.
                    lines += [noteLines.map(Notebook.markdownNoteLine).joined(separator: "  \n"), ""]
                }
            }
            if let command = cell.command {
                lines += [fence(for: command) + "console", Session.prompt + command, fence(for: command), ""]
            }
            let text = cell.outputText
            if !text.isEmpty {
                lines += [fence(for: text) + "text", text, fence(for: text), ""]
            }
            for image in cell.images {
                lines += ["![\(image)](\(linkPath(imageFolder + "/" + image)))", ""]
            }
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A fence longer than any run of backticks inside `text` (CommonMark closes a fence only with one as long).
    private func fence(for text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// A link destination with blanks and brackets percent-encoded, so that any file name stays one link.
    private func linkPath(_ path: String) -> String {
        var result = ""
        for character in path {
            switch character {
            case " ": result += "%20"
            case "(": result += "%28"
            case ")": result += "%29"
            case "<": result += "%3C"
            case ">": result += "%3E"
            default: result.append(character)
            }
        }
        return result
    }
}

