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

    /// One command and its results.
    public struct Cell: Sendable, Equatable {
        public var command: String?
        /// Output in the order it came, ANSI escapes already stripped.
        public var output: [Piece] = []
        /// The images the command wrote, as file names inside the notebook's image folder.
        public var images: [String] = []

        public init(command: String?) {
            self.command = command
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
