/// A recorded session as a document: the commands in order, each with what it printed and the PNG files it wrote.
/// `NotebookRecorder` fills it; `markdown(imageFolder:)` and `html(imageData:)` render it.
public struct Notebook: Sendable, Equatable {
    /// One piece of output text, from standard output or standard error.
    public struct Piece: Sendable, Equatable {
        public var text: String
        public var isError: Bool

        public init(text: String, isError: Bool) {
            self.text = text
            self.isError = isError
        }
    }

    /// One command and its results, or (with `command` nil) a note: the comment lines of a script between two
    /// commands, kept in `noteLines` without their `#`; an empty line separates paragraphs.
    public struct Cell: Sendable, Equatable {
        public var command: String?
        public var noteLines: [String] = []
        /// Output in the order it came, ANSI escapes already stripped.
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

        /// All output text joined, without the final newline.
        public var outputText: String {
            var text = output.map(\.text).joined()
            while text.hasSuffix("\n") { text.removeLast() }
            return text
        }
    }

    /// The document's heading.
    public var title: String
    public var cells: [Cell] = []

    public init(title: String) {
        self.title = title
    }
}
