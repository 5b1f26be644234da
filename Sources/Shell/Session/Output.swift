import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging

/// Where text goes: standard output or standard error.
public enum OutputChannel: Sendable {
    case standard
    case error
}

/// Something that receives the shell's output: the terminal, a test's buffer, a notebook recorder.
public protocol OutputSink: AnyObject {
    /// Text for one channel, newlines included.
    func write(_ text: String, to channel: OutputChannel)
    /// A transient status line (a progress bar) that replaces the previous one; `isFinal` marks the last one, which
    /// stays. Sinks that cannot redraw keep only the final line.
    func progress(_ line: String, isFinal: Bool)
    /// A command is about to run (typed, or read from a script). `isEchoed` is true when the transcript shows it as
    /// `hashlab> command`; the default writes that line then, and nothing otherwise. A notebook recorder can
    /// implement this to start a new cell for every command.
    func command(_ source: String, isEchoed: Bool)
    /// A command wrote the file at `path` (a PNG chart or image). The default ignores it; a notebook recorder copies
    /// PNG files into the notebook.
    func wroteFile(_ path: String)
    /// A line without a command (a `#` comment, or blank) was read from a script or typed at the prompt. The default
    /// ignores it; a notebook turns the comments into the prose between its cells.
    func scriptComment(_ line: String)
    /// A command shows pictures (`show IMAGE`, `compare A B`, `search`, `explain`). The default writes the
    /// row's terminal drawing; a notebook keeps the images themselves, as PNG files, in its place.
    func pictures(_ row: PictureRow)
    /// A command speaks to the reader (`echo`): one line of prose. The default writes it as a line of text; a
    /// notebook makes it a paragraph between the cells, as a script's comments are.
    func prose(_ line: String)
    /// Long text to read at leisure (`help`): the default writes it; a terminal shows it through a pager when it
    /// is taller than the screen.
    func page(_ text: String)
}

extension OutputSink {
    public func command(_ source: String, isEchoed: Bool) {
        if isEchoed { write(Session.prompt + source + "\n", to: .standard) }
    }

    public func wroteFile(_ path: String) {}

    public func scriptComment(_ line: String) {}

    public func page(_ text: String) { write(text, to: .standard) }

    public func pictures(_ row: PictureRow) {
        write(row.text, to: .standard)
    }

    public func prose(_ line: String) {
        write(line + "\n", to: .standard)
    }
}

/// Pictures that a command shows, side by side, each with a caption: the images themselves, and the terminal's
/// drawing of them (half blocks in colour or ASCII shading, see `TextPlot.preview`, with whatever captions and
/// layout the command gives them). Sinks that can hold pictures (a notebook) keep the images; the others print
/// the drawing, so that a terminal shows exactly the characters it always did.
public struct PictureRow {
    /// One picture and its caption ("photo 32×32 RGB", "1. #12 cat, distance 3"); the caption may be empty.
    public struct Panel {
        public var image: Image
        public var caption: String

        public init(_ image: Image, caption: String = "") {
            self.image = image
            self.caption = caption
        }
    }

    public var panels: [Panel]
    /// The terminal's drawing: whole lines, each ending in a newline.
    public var text: String

    /// A row of `panels` drawn in a terminal as `lines` (without newlines).
    public init(_ panels: [Panel], lines: [String]) {
        self.panels = panels
        self.text = lines.map { $0 + "\n" }.joined()
    }
}

/// The session's output: every command prints through it, so that tests capture it and a notebook can tee it.
public final class Output {
    /// The receivers, in order; add one to record a session.
    public var sinks: [any OutputSink]
    /// Whether ANSI colour may be used (a terminal, and not turned off).
    public var usesColour: Bool
    /// The terminal's width in columns (80 when unknown).
    public var width: Int

    public init(sinks: [any OutputSink], usesColour: Bool = false, width: Int = 80) {
        self.sinks = sinks
        self.usesColour = usesColour
        self.width = width
    }

    /// Writes `text` as is.
    public func write(_ text: String, to channel: OutputChannel = .standard) {
        for sink in sinks { sink.write(text, to: channel) }
    }

    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        write(text + "\n")
    }

    /// Writes `text` wrapped at blanks to the terminal's width, its further lines indented by `indent`: for summaries
    /// and lists of numbers that can run longer than a terminal line.
    public func wrappedLine(_ text: String, indent: String = "    ") {
        for part in wrapped(text, width: width, indent: indent) { line(part) }
    }

    /// Writes a line to standard error.
    public func errorLine(_ text: String) {
        write(text + "\n", to: .error)
    }

    /// Announces a command to every sink (and echoes it when `isEchoed`).
    public func command(_ source: String, isEchoed: Bool) {
        for sink in sinks { sink.command(source, isEchoed: isEchoed) }
    }

    /// Tells every sink that a command wrote the file at `path`: call it after writing a PNG, so that a notebook
    /// being recorded shows the picture.
    public func wroteFile(_ path: String) {
        for sink in sinks { sink.wroteFile(path) }
    }

    /// Writes long text (newlines included) that a terminal pages when it is taller than the screen.
    public func paged(_ text: String) {
        for sink in sinks { sink.page(text) }
    }

    /// Passes a comment or blank line (of a script, or typed at the prompt) to every sink.
    public func scriptComment(_ line: String) {
        for sink in sinks { sink.scriptComment(line) }
    }

    /// Shows pictures: a terminal prints `row.text`, a notebook keeps the images (see `PictureRow`). Every command
    /// that previews an image goes through here, so that no notebook gets a drawing made of characters.
    public func pictures(_ row: PictureRow) {
        for sink in sinks { sink.pictures(row) }
    }

    /// Says one line of prose to the reader (`echo`): a terminal prints it, a notebook makes it a paragraph.
    public func prose(_ line: String) {
        for sink in sinks { sink.prose(line) }
    }

    /// Shows a progress line that the next one replaces.
    public func progress(_ line: String) {
        for sink in sinks { sink.progress(line, isFinal: false) }
    }

    /// Shows the last progress line, which stays.
    public func finishProgress(_ line: String) {
        for sink in sinks { sink.progress(line, isFinal: true) }
    }

    /// The context values render in.
    public var renderContext: RenderContext { RenderContext(usesColour: usesColour, width: width) }

    /// `text` in a style when colour is on, plain otherwise.
    public func styled(_ text: String, _ style: TextStyle) -> String {
        usesColour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// ANSI styles (SGR codes).
public enum TextStyle: String, Sendable {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case cyan = "36"
}

/// Writes to the process's standard output and error, unbuffered (so that it interleaves with libedit's own
/// writes and with the other stream in order).
public final class StandardStreamSink: OutputSink {
    /// True when standard output is a terminal that can redraw a progress line.
    public let redrawsProgress: Bool
    private var progressShown = false

    public init(redrawsProgress: Bool) {
        self.redrawsProgress = redrawsProgress
    }

    public func write(_ text: String, to channel: OutputChannel) {
        if progressShown {
            writeAll("\n", descriptor: 1)
            progressShown = false
        }
        writeAll(text, descriptor: channel == .standard ? 1 : 2)
    }

    /// Through `$PAGER` (else `less -FRX`, when installed) when both ends are a terminal and the text is taller than
    /// it; written as it is otherwise, or when the pager cannot start.
    public func page(_ text: String) {
        let rows = terminalHeight()
        let lineCount = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        let environment = ProcessInfo.processInfo.environment
        let pager = environment["PAGER"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/less") ? "less -FRX" : nil)
        guard redrawsProgress, isatty(0) == 1, rows > 0, lineCount >= rows - 1, let pager,
              let pipe = popen(pager, "w") else {
            write(text, to: .standard)
            return
        }
        if progressShown {
            writeAll("\n", descriptor: 1)
            progressShown = false
        }
        _ = fputs(text, pipe)
        pclose(pipe)
    }

    public func progress(_ line: String, isFinal: Bool) {
        if redrawsProgress {
            writeAll("\r\u{1B}[K" + line + (isFinal ? "\n" : ""), descriptor: 1)
            progressShown = !isFinal
        } else if isFinal {
            writeAll(line + "\n", descriptor: 1)
        }
    }

    private func writeAll(_ text: String, descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                #if canImport(Glibc)
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }
}

/// Keeps everything written, for tests: `standard` and `error` separately, and `all` interleaved.
public final class CapturingSink: OutputSink {
    public private(set) var standard = ""
    public private(set) var error = ""
    public private(set) var all = ""

    public init() {}

    public func write(_ text: String, to channel: OutputChannel) {
        switch channel {
        case .standard: standard += text
        case .error: error += text
        }
        all += text
    }

    public func progress(_ line: String, isFinal: Bool) {
        if isFinal { write(line + "\n", to: .standard) }
    }

    /// Forgets what was captured.
    public func clear() {
        standard = ""
        error = ""
        all = ""
    }
}
