import Foundation
import Imaging
import Plots
import Shell
import XCTest

/// Notebooks: a replayed tutorial written as Markdown and HTML, `notebook start` … `stop` in a session and typed
/// live on a terminal, with comments and `echo` as prose and the pictures commands show as PNG images.
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

    /// The `![…](PATH)` links of a Markdown text outside fenced blocks, in order (several may share a line).
    private func imageLinks(_ markdown: String) -> [String] {
        var links: [String] = []
        for line in prose(markdown) {
            var rest = Substring(line)
            while let start = rest.range(of: "!["), let open = rest[start.upperBound...].range(of: "]("),
                  let close = rest[open.upperBound...].firstIndex(of: ")") {
                links.append(String(rest[open.upperBound..<close]))
                rest = rest[rest.index(after: close)...]
            }
        }
        return links
    }

    /// The lines of a Markdown text outside its fenced blocks.
    private func prose(_ markdown: String) -> [String] {
        var lines: [String] = []
        var fence: String?
        for line in markdown.components(separatedBy: "\n") {
            if let open = fence {
                if line == open { fence = nil }
            } else if line.hasPrefix("```") {
                fence = String(line.prefix { $0 == "`" })
            } else {
                lines.append(line)
            }
        }
        return lines
    }

    /// The size of the PNG file at `path`, decoded, as "W×H".
    private func pngSize(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            let image = try Image.read(pngAt: path)
            return "\(image.width)×\(image.height)"
        } catch {
            XCTFail("\(path) does not decode as PNG: \(error)", file: file, line: line)
            return nil
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
        // The title is the lesson's first comment, which the first paragraph then leaves out.
        let title = "Tutorial 01 — Perceptual hashes: which fingerprints survive an edit?"
        XCTAssertTrue(markdown.hasPrefix("# \(title)\n\nA cryptographic hash (SHA-256)"), String(markdown.prefix(200)))

        // Every command of the script is a console cell, in order.
        let commands = try Session.scriptLines(atPath: tutorial).flatMap { line in
            try Tokenizer.statements(in: line).filter { !$0.tokens.isEmpty }.map(\.source)
        }
        let cells = blocks.filter { $0.info == "console" }.map(\.text)
        XCTAssertGreaterThan(commands.count, 30)
        XCTAssertEqual(cells, commands.map { "hashlab> " + $0 })

        // The notebook read back as a transcript is the transcript the program printed (blank lines aside),
        // except for the terminal's drawings of pictures (shading characters, and `compare`'s line of captions
        // under its two drawings), which the notebook shows as images.
        let notebookTranscript = blocks.map(\.text).joined(separator: "\n").components(separatedBy: "\n")
            .filter { !$0.isEmpty }
        let printed = result.standardOutput.components(separatedBy: "\n").filter { !$0.isEmpty }
        var drawingLines: [String] = []
        var unmatched = notebookTranscript[...]
        for line in printed {
            if unmatched.first == line { unmatched.removeFirst() } else { drawingLines.append(line) }
        }
        XCTAssertEqual(Array(unmatched), [], "notebook lines the program did not print, in this order")
        let shading = Set(TextPlot.shadingRamp)
        for line in drawingLines where !line.allSatisfy(shading.contains) {
            XCTAssertTrue(line.hasPrefix("photo 256×256 RGB "), "not a drawing: \(line)")
        }
        XCTAssertGreaterThan(drawingLines.count, 100)

        // The script's comments are the prose between the cells, its `── N. … ──` lines the headings.
        XCTAssertTrue(markdown.contains("\n## 1. A picture to work on\n"), "no heading from the comments")
        XCTAssertTrue(markdown.contains("\nHashLab draws its own pictures, so this lesson needs no files. `scene` is"))

        // The pictures shown (`show photo`: 1, `explain phash photo`: 2, three `compare`s: 2 each) and the six PNG
        // images the tutorial saves: each is linked, exists beside the notebook and is a PNG.
        let links = imageLinks(markdown)
        XCTAssertEqual(links.count, 9 + 6, "\(links)")
        XCTAssertEqual(links.filter { $0.hasPrefix("lesson-files/compare") }.count, 6, "\(links)")
        XCTAssertEqual(links.filter { $0.hasPrefix("lesson-files/explain") }.count, 2, "\(links)")
        var files: [Data] = []
        for link in links {
            XCTAssertTrue(link.hasPrefix("lesson-files/"), link)
            let data = try XCTUnwrap(FileManager.default.contents(atPath: folder.url.appendingPathComponent(link).path),
                                     "\(link) is missing")
            XCTAssertEqual(Array(data.prefix(8)), Self.pngSignature, link)
            files.append(data)
        }

        // The HTML is well formed, holds every command and embeds the same PNG files.
        let html = try String(contentsOf: folder.url.appendingPathComponent("lesson.html"), encoding: .utf8)
        let (problems, sources, elements) = HTMLChecker.check(html)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(elements["html"], 1)
        XCTAssertEqual(elements["body"], 1)
        XCTAssertEqual(elements["section"], commands.count)
        XCTAssertEqual(sources.count, links.count)
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
        XCTAssertTrue(html.contains("<title>\(title)</title>"))
    }

    /// A lesson typed live on a terminal: comments and `echo` become prose, `show` and `compare` pictures become PNG
    /// images (enlarged ×4 without blurring), the title is the first comment; the terminal keeps its drawings.
    func testANotebookRecordedLiveKeepsCommentsEchoAndPictures() throws {
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("lesson.md").path
        let shell = try PseudoTerminal(program: HashLabProgram.path(), environment: [
            "TERM": "xterm", "HOME": folder.url.path, "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
            "HASHLAB_HISTORY": folder.url.appendingPathComponent("history").path,
        ])
        shell.readPrompt()
        for line in ["notebook start \(path)", "# A heading comment", "echo some words",
                     "picture scene size 32 seed 3 as photo", "# Look at it: every pixel is a square.", "show photo",
                     "compare photo photo", "notebook stop"] {
            shell.type(line + "\r")
            shell.readPrompt()
        }
        shell.type("quit\r")
        XCTAssertEqual(shell.waitForExit(), 0)
        XCTAssertTrue(shell.transcript.contains("▀"), "the terminal shows the pictures as half blocks")

        let markdown = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# A heading comment\n\n"), String(markdown.prefix(200)))
        // Outside the fenced blocks: the comment and what echo said, as paragraphs; no `echo` command cell.
        let proseLines = prose(markdown)
        XCTAssertTrue(proseLines.contains("some words"), "\(proseLines)")
        XCTAssertTrue(proseLines.contains("Look at it: every pixel is a square."), "\(proseLines)")
        XCTAssertEqual(fencedBlocks(markdown).filter { $0.info == "console" }.map(\.text),
                       ["hashlab> picture scene size 32 seed 3 as photo", "hashlab> show photo",
                        "hashlab> compare photo photo"])
        XCTAssertFalse(markdown.contains("▀"), "no drawing in the notebook")
        XCTAssertTrue(markdown.contains("kind       photo"), "compare's table stays text")

        // Three pictures (show: 1, compare: 2), each a 32×32 picture enlarged ×4 into the notebook's folder.
        let links = imageLinks(markdown)
        XCTAssertEqual(links, ["lesson-files/show.png", "lesson-files/compare.png", "lesson-files/compare-2.png"])
        for link in links {
            XCTAssertEqual(pngSize(folder.url.appendingPathComponent(link).path), "128×128", link)
        }
        let picture = try Image.read(pngAt: folder.url.appendingPathComponent(links[0]).path)
        // Nearest-neighbour enlargement: every 4×4 block is one colour.
        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            let base = (y * picture.width + x) * picture.channels
            return Array(picture.samples[base..<base + picture.channels])
        }
        for y in stride(from: 0, to: 128, by: 4) {
            for x in stride(from: 0, to: 128, by: 4) {
                XCTAssertEqual(pixel(x + 3, y + 3), pixel(x, y))
                XCTAssertEqual(pixel(x + 1, y + 2), pixel(x, y))
            }
        }
        XCTAssertGreaterThan(Set(stride(from: 0, to: 128, by: 4).map { pixel($0, 64) }).count, 4, "a picture, not bars")

        let html = try String(contentsOfFile: folder.url.appendingPathComponent("lesson.html").path, encoding: .utf8)
        let (problems, sources, elements) = HTMLChecker.check(html)
        XCTAssertEqual(problems, [])
        XCTAssertTrue(html.contains("<title>A heading comment</title>"))
        XCTAssertTrue(html.contains("<h1>A heading comment</h1>"))
        XCTAssertTrue(html.contains("<p class=\"note\">some words</p>"), html)
        XCTAssertTrue(html.contains("<p class=\"note\">Look at it: every pixel is a square.</p>"))
        XCTAssertEqual(elements["section"], 3)
        XCTAssertEqual(sources.count, 3)
        let prefix = "data:image/png;base64,"
        for (source, link) in zip(sources, links) {
            XCTAssertTrue(source.hasPrefix(prefix))
            XCTAssertEqual(Data(base64Encoded: String(source.dropFirst(prefix.count))),
                           FileManager.default.contents(atPath: folder.url.appendingPathComponent(link).path))
        }
        XCTAssertTrue(html.contains("<figcaption>photo 32×32 RGB</figcaption>"))
        // Long commands wrap in the page instead of scrolling.
        XCTAssertTrue(html.contains("pre.command {") && html.contains("white-space: pre-wrap"))
    }

    /// In a script, `echo` speaks as comments do: a paragraph of the notebook, not an output block; pictures of
    /// `explain` and `search` are images in place; without comments the title is the file's name.
    func testScriptEchoIsProseAndExplainAndSearchShowPictures() throws {
        let folder = try TemporaryFolder()
        try folder.write("""
            picture scene size 32 seed 3 as photo
            echo First the walkthrough,
            echo step by step.
            explain dhash photo
            data synthetic per-class 3 size 16 seed 1 as d
            encode d with ahash as codes
            search photo in codes top 2
            """, to: "lesson.hl")
        let result = try HashLabProgram.run(["--notebook", "n.md", "lesson.hl"], in: folder.url)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("hashlab> echo First the walkthrough,\nFirst the walkthrough,\n"))
        let markdown = try String(contentsOf: folder.url.appendingPathComponent("n.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("# lesson.hl\n"), "no comment: the script's name is the title")
        XCTAssertTrue(markdown.contains("\nFirst the walkthrough,  \nstep by step.\n"), markdown)
        XCTAssertFalse(fencedBlocks(markdown).contains { $0.text.contains("echo") || $0.text.contains("step by step") })
        let links = imageLinks(markdown)
        XCTAssertEqual(links, ["n-files/explain.png", "n-files/explain-2.png", "n-files/search.png",
                               "n-files/search-2.png", "n-files/search-3.png"])
        // The gray picture (32×32) and dhash's 9×8 thumbnail, enlarged by whole factors to fit 128 pixels.
        XCTAssertEqual(pngSize(folder.url.appendingPathComponent(links[0]).path), "128×128")
        XCTAssertEqual(pngSize(folder.url.appendingPathComponent(links[1]).path), "126×112")
        // Search: the query and its neighbours (16×16 images, ×8), captioned as in the terminal.
        XCTAssertEqual(pngSize(folder.url.appendingPathComponent(links[3]).path), "128×128")
        XCTAssertTrue(markdown.contains("*query photo · 1. #"), markdown)
        let html = try String(contentsOf: folder.url.appendingPathComponent("n.html"), encoding: .utf8)
        XCTAssertEqual(HTMLChecker.check(html).problems, [])
        XCTAssertEqual(HTMLChecker.check(html).imageSources.count, 5)
        XCTAssertTrue(html.contains("<p class=\"note\">First the walkthrough,<br>\nstep by step.</p>"))
    }

    /// A chart written as SVG (for slides) is kept in the notebook too, embedded as SVG in the HTML.
    func testSVGChartsAreKeptInTheNotebook() throws {
        let folder = try TemporaryFolder()
        try folder.write("""
            # Colours of a picture
            picture scene size 32 seed 3 as photo
            histogram photo as h
            plot hist h to chart.svg
            """, to: "lesson.hl")
        let result = try HashLabProgram.run(["--notebook", "n.md", "lesson.hl"], in: folder.url)
        XCTAssertEqual(result.status, 0, result.standardError)
        let markdown = try String(contentsOf: folder.url.appendingPathComponent("n.md"), encoding: .utf8)
        XCTAssertEqual(imageLinks(markdown), ["n-files/chart.svg"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("n-files/chart.svg").path))
        let html = try String(contentsOf: folder.url.appendingPathComponent("n.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<img src=\"data:image/svg+xml;base64,"), "the SVG is embedded as SVG")
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
