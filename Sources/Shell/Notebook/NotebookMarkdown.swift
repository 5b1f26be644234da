extension Notebook {
    /// The notebook as Markdown: the title, then the notes (a script's or a live session's comments, and what
    /// `echo` said) as paragraphs (the tutorials' `── … ──` lines as headings), and for every command a fenced code
    /// block with `hashlab> COMMAND`, fenced blocks with its output text (when it printed anything), the pictures
    /// it showed where it showed them (`![caption](FOLDER/file)`, side by side, with a line of their captions)
    /// and an image link for each PNG it wrote, `![name](FOLDER/name)`; links are relative to the Markdown file.
    public func markdown(imageFolder: String) -> String {
        let (title, cells) = titleAndBody
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
            for segment in cell.outputSegments {
                switch segment {
                case .text(let pieces):
                    let text = Notebook.Cell.joinedWithoutFinalNewlines(pieces.map(\.text))
                    if !text.isEmpty { lines += [fence(for: text) + "text", text, fence(for: text), ""] }
                case .pictures(let pictures):
                    lines.append(pictures.map { picture in
                        let path = linkPath(imageFolder + "/" + picture.file)
                        return "![\(Notebook.markdownCaption(picture.caption))](\(path))"
                    }.joined(separator: " "))
                    let captions = pictures.map(\.caption).filter { !$0.isEmpty }
                    if !captions.isEmpty {
                        lines[lines.count - 1] += "  "
                        lines.append("*" + captions.map(Notebook.markdownCaption).joined(separator: " · ") + "*")
                    }
                    lines.append("")
                }
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

