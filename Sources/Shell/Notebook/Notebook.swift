/// A recorded session as a document: the commands in order, each with what it printed, the pictures it showed and
/// the PNG files it wrote. `NotebookRecorder` fills it; `markdown(imageFolder:)` and `html(imageData:)` render it.
public struct Notebook: Sendable, Equatable {
    /// One piece of a command's output, in the order it came.
    public enum Piece: Sendable, Equatable {
        /// Text from standard output or (`isError`) standard error, ANSI escapes already stripped.
        case text(String, isError: Bool)
        /// Pictures the command showed side by side (`show IMAGE`, `compare A B`, …), where a terminal drew them
        /// with characters.
        case pictures([Picture])
    }

    /// A picture a command showed: a PNG file in the notebook's image folder, and its caption (may be empty).
    public struct Picture: Sendable, Equatable {
        public var file: String
        public var caption: String

        public init(file: String, caption: String) {
            self.file = file
            self.caption = caption
        }
    }

    /// One command and its results, or (with `command` nil) a note: the comment lines between two commands (of a
    /// script or typed at the prompt), kept in `noteLines` without their `#`, and the lines `echo` said; an empty
    /// line separates paragraphs.
    public struct Cell: Sendable, Equatable {
        public var command: String?
        public var noteLines: [String] = []
        /// Output in the order it came.
        public var output: [Piece] = []
        /// The images the command wrote, as file names inside the notebook's image folder.
        public var images: [String] = []

        public init(command: String?, noteLines: [String] = []) {
            self.command = command
            self.noteLines = noteLines
        }

        /// A decorative heading line of the tutorials, `── 2. Its hashes ─────`, as its words (nil otherwise).
        static func heading(_ line: String) -> String? {
            guard line.hasPrefix("── ") else { return nil }
            var text = line.dropFirst(3)
            while text.last == "─" || text.last == " " { text.removeLast() }
            return text.isEmpty ? nil : String(text)
        }

        /// All output text joined (pictures left out), without the final newline.
        public var outputText: String {
            var text = output.map { piece in
                if case .text(let text, _) = piece { return text }
                return ""
            }.joined()
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
    }

    /// The heading given with `notebook start FILE.md title TEXT`, or nil (see `title`).
    public var givenTitle: String?
    /// The heading when none is given and there is no comment: the file's (or scripts') name.
    public var fallbackTitle: String
    /// The lesson's first comment line (without its `#`), which the recorder notes; nil when there is none.
    public var firstComment: String?
    public var cells: [Cell] = []

    public init(title: String? = nil, fallbackTitle: String) {
        self.givenTitle = title
        self.fallbackTitle = fallbackTitle
    }

    /// The document's heading: the given title, else the lesson's first heading or comment (a tutorial's
    /// `# Tutorial 01 — …`, a live session's first `# …`), else `fallbackTitle`.
    public var title: String { titleAndBody.title }

    /// The heading, and the cells under it. A heading taken from the comment that opens the notebook is left out
    /// of that note, so that the page does not say it twice; one taken from a later comment stays where it is.
    var titleAndBody: (title: String, cells: [Cell]) {
        if let givenTitle { return (givenTitle, cells) }
        guard let firstComment else { return (fallbackTitle, cells) }
        let title = Cell.heading(firstComment) ?? firstComment
        guard var note = cells.first, note.command == nil,
              let lineIndex = note.noteLines.firstIndex(where: { !$0.isEmpty }),
              note.noteLines[lineIndex] == firstComment else { return (title, cells) }
        note.noteLines.removeSubrange(...lineIndex)
        while note.noteLines.first == "" { note.noteLines.removeFirst() }
        var body = cells
        if note.noteLines.isEmpty { body.removeFirst() } else { body[0] = note }
        return (title, body)
    }
}

/// A cell's output grouped for rendering: runs of text (one output block each) between rows of pictures.
extension Notebook.Cell {
    enum OutputSegment {
        case text([(text: String, isError: Bool)])
        case pictures([Notebook.Picture])
    }

    /// The output as segments, in order; a text run ends where pictures come, and one after pictures starts
    /// without blank lines (the pictures end the block the terminal's drawing and its blank line ended).
    var outputSegments: [OutputSegment] {
        var segments: [OutputSegment] = []
        var run: [(text: String, isError: Bool)] = []
        for piece in output {
            switch piece {
            case .text(var text, let isError):
                if run.isEmpty, case .pictures? = segments.last {
                    while text.first == "\n" { text.removeFirst() }
                    if text.isEmpty { continue }
                }
                run.append((text, isError))
            case .pictures(let pictures):
                if !run.isEmpty { segments.append(.text(run)) }
                run = []
                segments.append(.pictures(pictures))
            }
        }
        if !run.isEmpty { segments.append(.text(run)) }
        return segments
    }

    /// `texts` joined, without the final newlines.
    static func joinedWithoutFinalNewlines(_ texts: [String]) -> String {
        var text = texts.joined()
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
