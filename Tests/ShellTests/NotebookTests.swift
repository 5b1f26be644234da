import Foundation
import Shell
import XCTest

/// Notebooks: a replayed tutorial written as Markdown and HTML, and `notebook start` … `stop` in a session.
final class NotebookTests: XCTestCase {
    private static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The fenced blocks of a notebook's Markdown, as (info string, text) in order.
    private func fencedBlocks(_ markdown: String) -> [(info: String, text: String)] {
        var blocks: [(String, String)] = []
        var lines = markdown.components(separatedBy: "\n")[...]
        while let line = lines.popFirst() {
            guard line.hasPrefix("```") else { continue }
            let fence = String(line.prefix { $0 == "`" })
            var body: [String] = []
            while let next = lines.popFirst(), next != fence { body.append(next) }
            blocks.append((String(line.dropFirst(fence.count)), body.joined(separator: "\n")))
        }
        return blocks
    }

    /// `![…](PATH)` links of a Markdown text.
    private func imageLinks(_ markdown: String) -> [String] {
        markdown.components(separatedBy: "\n").compactMap { line in
            guard line.hasPrefix("!["), let open = line.range(of: "]("), line.hasSuffix(")") else { return nil }
            return String(line[open.upperBound..<line.index(before: line.endIndex)])
        }
    }

    func testReplayedTutorialBecomesAMarkdownAndHTMLNotebook() throws {
        let folder = try TemporaryFolder()
        let tutorial = packageRoot.appendingPathComponent("tutorials/01-perceptual-hashes.hl").path
        let result = try HashLabProgram.run(["--notebook", "lesson.md", tutorial], in: folder.url)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertEqual(result.standardError, "")
        let markdown = try String(contentsOf: folder.url.appendingPathComponent("lesson.md"), encoding: .utf8)
        let blocks = fencedBlocks(markdown)
        XCTAssertTrue(markdown.hasPrefix("# 01-perceptual-hashes.hl\n"), "the title is the script's name")

        // Every command of the script is a console cell, in order.
        let commands = try Session.scriptLines(atPath: tutorial).flatMap { line in
            try Tokenizer.statements(in: line).filter { !$0.tokens.isEmpty }.map(\.source)
        }
        let cells = blocks.filter { $0.info == "console" }.map(\.text)
        XCTAssertGreaterThan(commands.count, 30)
        XCTAssertEqual(cells, commands.map { "hashlab> " + $0 })

        // The notebook read back as a transcript is the transcript the program printed (blank lines aside).
        let notebookTranscript = blocks.map(\.text).joined(separator: "\n").components(separatedBy: "\n")
            .filter { !$0.isEmpty }
        let printed = result.standardOutput.components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(notebookTranscript, printed)

        // The script's comments are the prose between the cells, its `── N. … ──` lines the headings.
        XCTAssertTrue(markdown.contains("\n## 1. A picture to work on\n"), "no heading from the comments")
        XCTAssertTrue(markdown.contains("\nHashLab draws its own pictures, so this lesson needs no files. `scene` is"))

        // The tutorial saves six PNG images: each is linked, exists beside the notebook and is a PNG.
        let links = imageLinks(markdown)
        XCTAssertEqual(links.count, 6, "\(links)")
        var files: [Data] = []
        for link in links {
            XCTAssertTrue(link.hasPrefix("lesson-files/"), link)
            let data = try XCTUnwrap(FileManager.default.contents(atPath: folder.url.appendingPathComponent(link).path),
                                     "\(link) is missing")
            XCTAssertEqual(Array(data.prefix(8)), Self.pngSignature, link)
            files.append(data)
        }

        // The HTML is well formed, holds every command and embeds the same six PNG files.
        let html = try String(contentsOf: folder.url.appendingPathComponent("lesson.html"), encoding: .utf8)
        let (problems, sources, elements) = HTMLChecker.check(html)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(elements["html"], 1)
        XCTAssertEqual(elements["body"], 1)
        XCTAssertEqual(elements["section"], commands.count)
        XCTAssertEqual(sources.count, 6)
        let prefix = "data:image/png;base64,"
        let embedded = sources.compactMap { source -> Data? in
            XCTAssertTrue(source.hasPrefix(prefix), String(source.prefix(40)))
            return Data(base64Encoded: String(source.dropFirst(prefix.count)))
        }
        XCTAssertEqual(embedded, files)
        for command in commands {
            XCTAssertTrue(html.contains(Notebook.escaped(command)), "the HTML lacks \(command)")
        }
        XCTAssertTrue(html.contains("<h2>1. A picture to work on</h2>"))
        XCTAssertTrue(html.contains("needs no files. <code>scene</code> is"))
    }

    func testNotebookStartAndStopInsideASession() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("session.md").path
        let image = folder.url.appendingPathComponent("out/p.png").path
        let shell = CommandSession()
        shell.run("picture shapes size 32 seed 1 as before")
        XCTAssertTrue(shell.failure("notebook stop").contains("no notebook is being recorded"))
        XCTAssertTrue(shell.run("notebook start \(path) title \"Shapes\"").contains("recording to \(path)"))
        XCTAssertTrue(shell.failure("notebook start \(path)").contains("already recording to \(path)"))
        shell.run("picture scene size 32 seed 2 as p")
        shell.run("save p to \(image)")
        _ = shell.failure("hash phash nothing")
        XCTAssertTrue(shell.run("notebook stop").contains("wrote \(path)"))
        XCTAssertTrue(shell.failure("notebook stop").contains("no notebook"))
        shell.run("picture scene size 32 seed 3 as after")

        let markdown = try String(contentsOfFile: path, encoding: .utf8)
        let blocks = fencedBlocks(markdown)
        XCTAssertTrue(markdown.hasPrefix("# Shapes\n"))
        XCTAssertEqual(blocks.filter { $0.info == "console" }.map(\.text),
                       ["hashlab> notebook start \(path)", "hashlab> picture scene size 32 seed 2 as p",
                        "hashlab> save p to \(image)", "hashlab> hash phash nothing"])
        XCTAssertTrue(markdown.contains("p: 32×32 RGB"))
        XCTAssertTrue(markdown.contains("error: hash IMAGE|FOLDER: expected an image"), markdown)
        XCTAssertEqual(imageLinks(markdown), ["session-files/p.png"])
        let copied = folder.url.appendingPathComponent("session-files/p.png").path
        XCTAssertTrue(FileManager.default.fileExists(atPath: copied))
        let html = try String(contentsOfFile: folder.url.appendingPathComponent("session.html").path, encoding: .utf8)
        XCTAssertEqual(HTMLChecker.check(html).problems, [])
        XCTAssertTrue(html.contains("<span class=\"error\">error: hash IMAGE|FOLDER: expected an image"))
        XCTAssertFalse(html.contains("seed 3"))
    }

    /// Notebooks nest: the inner one records what lies between its start and stop, the outer one everything.
    func testNotebooksNest() throws {
        let folder = try TemporaryFolder()
        let outer = folder.url.appendingPathComponent("outer.md").path
        let inner = folder.url.appendingPathComponent("inner.md").path
        let shell = CommandSession()
        shell.run("notebook start \(outer)")
        shell.run("picture shapes size 32 seed 1 as a")
        shell.run("notebook start \(inner)")
        shell.run("picture scene size 32 seed 2 as b")
        XCTAssertTrue(shell.run("notebook stop").contains("wrote \(inner)"))
        shell.run("picture scene size 32 seed 3 as c")
        XCTAssertTrue(shell.run("notebook stop").contains("wrote \(outer)"))
        func commands(_ path: String) throws -> [String] {
            fencedBlocks(try String(contentsOfFile: path, encoding: .utf8)).filter { $0.info == "console" }.map(\.text)
        }
        // A notebook begins with the command after its `notebook start`, and leaves out its own `notebook stop`.
        XCTAssertEqual(try commands(inner), ["hashlab> picture scene size 32 seed 2 as b"])
        XCTAssertEqual(try commands(outer),
                       ["hashlab> picture shapes size 32 seed 1 as a",
                        "hashlab> notebook start \(inner)", "hashlab> picture scene size 32 seed 2 as b",
                        "hashlab> notebook stop", "hashlab> picture scene size 32 seed 3 as c"])
    }

    func testRecorderStripsColourAndKeepsTheLastProgressLine() throws {
        let folder = try TemporaryFolder()
        let recorder = try NotebookRecorder(path: folder.url.appendingPathComponent("n.md").path)
        recorder.write("before any command\n", to: .standard)
        recorder.command("train m", isEchoed: false)
        recorder.write("\u{1B}[1mbold\u{1B}[0m and \u{1B}[38;2;10;20;30m▀\u{1B}[0m <tag> & done\u{07}\n", to: .standard)
        recorder.progress("epoch 1/2 ━━── 50%", isFinal: false)
        recorder.progress("epoch 2/2 ━━━━ 100%", isFinal: true)
        recorder.write("half\rwhole\n", to: .standard)
        try recorder.finish()
        let cells = recorder.notebook.cells
        XCTAssertEqual(cells.count, 1)
        XCTAssertEqual(cells[0].outputText, "bold and ▀ <tag> & done\nepoch 2/2 ━━━━ 100%\nwhole")
        let html = try String(contentsOfFile: recorder.htmlPath, encoding: .utf8)
        XCTAssertTrue(html.contains("&lt;tag&gt; &amp; done"))
        XCTAssertFalse(html.contains("\u{1B}"))
        XCTAssertEqual(HTMLChecker.check(html).problems, [])
    }

    func testAnOpenNotebookIsWrittenWhenTheProgramEnds() throws {
        let folder = try TemporaryFolder()
        let result = try HashLabProgram.run(["-c", "notebook start left.md; picture scene size 32 seed 1 as p; "
                                             + "plot hist p to charts/h.png"], in: folder.url)
        XCTAssertEqual(result.status, 0, result.standardError)
        let markdown = try String(contentsOf: folder.url.appendingPathComponent("left.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("hashlab> plot hist p to charts/h.png"))
        XCTAssertEqual(imageLinks(markdown), ["left-files/h.png"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("left.html").path))
    }

    func testBadNotebookPathsAreRefusedInOneLine() throws {
        let shell = CommandSession()
        XCTAssertTrue(shell.failure("notebook start notes.txt").contains("end the name with .md"))
        XCTAssertTrue(shell.failure("notebook start /no/such/folder/n.md").contains("does not exist"))
        XCTAssertTrue(shell.failure("notebook start").contains("notebook start FILE.md"))
        let result = try HashLabProgram.run(["--notebook", "x.txt", "-c", "echo hi"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("end the name with .md"), result.standardError)
    }
}
