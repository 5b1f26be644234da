import Foundation
import Imaging

/// A notebook that cannot be started or written, with the path concerned.
public struct NotebookError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// An output sink that records a session as a notebook: `FILE.md` (Markdown), `FILE.html` (self-contained) and the
/// folder `FILE-files/` with a copy of every PNG or SVG chart that a command wrote.
///
/// Every announced command starts a cell (output before the first command, such as `notebook start`'s own
/// message, is not recorded); text goes to the current cell with ANSI escapes stripped; a progress bar
/// contributes only its final line. Comment lines (of a script, or typed) and what `echo` says become the notes
/// between the cells. Pictures a command shows (`Output.pictures`) are written as PNG files, enlarged without
/// blurring (`Notebook.pictureImage`), in place of the terminal's drawing. PNG files are copied when they are
/// written (`Output.wroteFile`), so that a file overwritten later keeps each version in the notebook. Images go
/// into the image folder as they come; the two documents are written by `finish()`, each atomically (a temporary
/// file, then a rename).
public final class NotebookRecorder: OutputSink {
    /// The Markdown file.
    public let markdownPath: String
    /// The HTML file beside it: the same name ending in `.html`.
    public let htmlPath: String
    /// The folder beside it that holds the images: the same name ending in `-files`.
    public let imageFolderPath: String
    public private(set) var notebook: Notebook
    private var usedImageNames: Set<String> = []

    /// A recorder for `path`, which must end in `.md` and lie in an existing folder.
    /// Without a `title`, the lesson's first heading or comment line is the title, or else the file's name.
    public init(path: String, title: String? = nil, fallbackTitle: String? = nil) throws(NotebookError) {
        guard path.lowercased().hasSuffix(".md") else {
            throw NotebookError("notebook: \(path): a notebook is a Markdown file; end the name with .md")
        }
        let url = URL(fileURLWithPath: path)
        var isFolder: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw NotebookError("notebook: \(path): the folder \(folder) does not exist")
        }
        let stem = String(path.dropLast(3))
        markdownPath = path
        htmlPath = stem + ".html"
        imageFolderPath = stem + "-files"
        notebook = Notebook(title: title,
                            fallbackTitle: fallbackTitle ?? url.deletingPathExtension().lastPathComponent)
    }

    // MARK: OutputSink

    public func write(_ text: String, to channel: OutputChannel) {
        append(TerminalText.plain(text), isError: channel == .error)
    }

    public func progress(_ line: String, isFinal: Bool) {
        if isFinal { append(TerminalText.plain(line) + "\n", isError: false) }
    }

    public func command(_ source: String, isEchoed: Bool) {
        notebook.cells.append(Notebook.Cell(command: source))
    }

    public func scriptComment(_ line: String) {
        guard !notebook.cells.isEmpty || !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        var text = Substring(line.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("#") { text = text.dropFirst() }
        if text.hasPrefix(" ") { text = text.dropFirst() }
        while text.last == " " { text.removeLast() }
        // The first comment titles the notebook (a `#!` line is no title).
        if notebook.firstComment == nil && !text.isEmpty && !text.hasPrefix("!") {
            notebook.firstComment = String(text)
        }
        if let last = notebook.cells.last, last.command == nil {
            notebook.cells[notebook.cells.count - 1].noteLines.append(String(text))
        } else if !text.isEmpty {
            notebook.cells.append(Notebook.Cell(command: nil, noteLines: [String(text)]))
        }
    }

    public func prose(_ line: String) {
        let text = TerminalText.plain(line).trimmingCharacters(in: .whitespaces)
        if let last = notebook.cells.last, last.command != nil {
            // The command that said it (`echo`) gives way to its words, unless it printed something else first.
            guard last.output.isEmpty && last.images.isEmpty else {
                append(text + "\n", isError: false)
                return
            }
            notebook.cells.removeLast()
        }
        if let last = notebook.cells.last, last.command == nil {
            notebook.cells[notebook.cells.count - 1].noteLines.append(text)
        } else {
            notebook.cells.append(Notebook.Cell(command: nil, noteLines: [text]))
        }
    }

    public func pictures(_ row: PictureRow) {
        guard !notebook.cells.isEmpty else { return }
        let verb = notebook.cells.last?.command?.split(separator: " ").first.map(String.init) ?? "picture"
        let stem = verb.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } ? verb : "picture"
        var pictures: [Notebook.Picture] = []
        do {
            try FileManager.default.createDirectory(atPath: imageFolderPath, withIntermediateDirectories: true)
            for panel in row.panels {
                let name = uniqueImageName(for: stem + ".png")
                try Notebook.pictureImage(panel.image).writePNG(to: imageFolderPath + "/" + name)
                usedImageNames.insert(name)
                pictures.append(Notebook.Picture(file: name, caption: panel.caption))
            }
        } catch {
            append("notebook: could not write a picture into \(imageFolderPath) (\(error))\n", isError: true)
            append(TerminalText.plain(row.text), isError: false)
            return
        }
        notebook.cells[notebook.cells.count - 1].output.append(.pictures(pictures))
    }

    public func wroteFile(_ path: String) {
        let lower = path.lowercased()
        guard lower.hasSuffix(".png") || lower.hasSuffix(".svg"), !notebook.cells.isEmpty else { return }
        let name = uniqueImageName(for: URL(fileURLWithPath: path).lastPathComponent)
        do {
            try FileManager.default.createDirectory(atPath: imageFolderPath, withIntermediateDirectories: true)
            let copy = imageFolderPath + "/" + name
            if FileManager.default.fileExists(atPath: copy) { try FileManager.default.removeItem(atPath: copy) }
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            usedImageNames.insert(name)
            notebook.cells[notebook.cells.count - 1].images.append(name)
        } catch {
            append("notebook: could not copy \(path) into \(imageFolderPath) (\(error.localizedDescription))\n",
                   isError: true)
        }
    }

    // MARK: Finishing

    /// Forgets the last cell (the `notebook stop` command itself, which is not part of the lesson).
    public func dropLastCell() {
        if !notebook.cells.isEmpty { notebook.cells.removeLast() }
    }

    /// Writes the Markdown and HTML files (each atomically).
    public func finish() throws(NotebookError) {
        let folderName = URL(fileURLWithPath: imageFolderPath).lastPathComponent
        let markdown = notebook.markdown(imageFolder: folderName)
        let html = notebook.html { name in FileManager.default.contents(atPath: imageFolderPath + "/" + name) }
        for (text, path) in [(markdown, markdownPath), (html, htmlPath)] {
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw NotebookError("notebook: \(path): cannot write (\(error.localizedDescription))")
            }
        }
    }

    // MARK: Private

    private func append(_ text: String, isError: Bool) {
        guard !text.isEmpty, !notebook.cells.isEmpty else { return }
        let last = notebook.cells.count - 1
        if case .text(let previous, isError)? = notebook.cells[last].output.last {
            notebook.cells[last].output.removeLast()
            notebook.cells[last].output.append(.text(previous + text, isError: isError))
        } else {
            notebook.cells[last].output.append(.text(text, isError: isError))
        }
    }

    /// `name`, or `stem-2.png`, `stem-3.png`, … when a file of that name is already in the notebook.
    private func uniqueImageName(for name: String) -> String {
        guard usedImageNames.contains(name) else { return name }
        let stem = (name as NSString).deletingPathExtension, suffix = (name as NSString).pathExtension
        var number = 2
        while usedImageNames.contains("\(stem)-\(number).\(suffix)") { number += 1 }
        return "\(stem)-\(number).\(suffix)"
    }
}
