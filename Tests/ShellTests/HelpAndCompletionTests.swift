import Foundation
import Shell
import XCTest

/// `help`, completion and "did you mean", all made from the commands' declarations.
final class HelpAndCompletionTests: XCTestCase {
    func testSynopsisComesFromTheDeclaration() throws {
        let registry = CommandRegistry.standard.adding(sampleCommands)
        XCTAssertEqual(try registry.lookUp("make").synopsis,
                       "make SIZE [alpha X] [method dsh|dpsh] [like SAMPLE] [to FILE] [from FOLDER] [force] as NAME")
        XCTAssertEqual(try registry.lookUp("add").synopsis, "add NAME|N… [as NAME]")
        XCTAssertEqual(try registry.lookUp("exit").name, "quit", "aliases find their command")
    }

    func testHelpListsEveryCommandByTopic() {
        let (session, sink) = makeSampleSession()
        session.execute(line: "help")
        let text = sink.standard
        let samples = try! XCTUnwrap(text.range(of: "samples: commands of the tests"))
        let core = try! XCTUnwrap(text.range(of: "session: values, scripts and settings"))
        XCTAssertLessThan(samples.lowerBound, core.lowerBound, "topics come in rank order")
        // Abstracts may wrap onto several lines: compare the words.
        func words(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        for command in session.registry.commands {
            XCTAssertTrue(text.contains("  " + command.name), "help lists \(command.name)")
            XCTAssertTrue(words(text).contains(words(command.abstract)), "help shows the abstract of \(command.name)")
        }
        let overview = Help.overview(of: CommandRegistry.standard, width: 80)
        XCTAssertEqual(overview.split(separator: "\n").filter { $0.count > 80 }, [], "the overview fits 80 columns")
        // The column is "brightness" (10) and two blanks; the first line stops at 78 characters, as " as" would make 81.
        XCTAssertTrue(overview.contains("\n  save        Writes a value to a file: an image as PNG, hashes or a histogram\n"
                                        + "              as TSV,"), overview)
    }

    func testHelpOfOneCommand() {
        let (session, sink) = makeSampleSession()
        session.execute(line: "help make")
        XCTAssertEqual(sink.standard, """
            usage: make SIZE [alpha X] [method dsh|dpsh] [like SAMPLE] [to FILE] [from FOLDER] [force] as NAME

            Makes a sample.

            Arguments:
              SIZE             how big (a whole number)
              alpha X          the weight (a number; default 0.01)
              method dsh|dpsh  the loss (one of dsh, dpsh; default dsh)
              like SAMPLE      copy the other settings of this sample (a sample (by name))
              to FILE          a file to name (a path)
              from FOLDER      a folder to read (an existing folder)
              force            allow a large size
              as NAME          keep the resulting sample as NAME

            Example:
              hashlab> make 8 alpha 0.1 as s

            """)
        sink.clear()
        session.execute(line: "help quti")
        XCTAssertEqual(sink.error, "error: unknown command `quti`; did you mean `quit`?\n")
        sink.clear()
        session.execute(line: "help samples")
        XCTAssertTrue(sink.standard.hasPrefix("samples: commands of the tests\n  make SIZE"), sink.standard)
    }

    /// `help CMD` fits the terminal: the abstract, each line of the discussion and each argument's text are wrapped
    /// at blanks, an argument's under its column; the synopsis and examples stay whole.
    func testHelpWrapsToTheWidth() {
        let command = Command("fold", topic: sampleTopic,
                              abstract: "Folds a long text into lines that are no wider than the terminal.",
                              discussion: "A line of the discussion is a paragraph, wrapped on its own.\nThe next one.",
                              arguments: [Argument.positional("text", .text, "the text to fold, however long it needs to be",
                                                      placeholder: "TEXT")],
                              examples: ["fold \"a very long example that is never broken\""]) { _ in nil }
        XCTAssertEqual(Help.detail(of: command, width: 30), """
            usage: fold TEXT

            Folds a long text into lines
            that are no wider than the
            terminal.
            A line of the discussion is a
            paragraph, wrapped on its own.
            The next one.

            Arguments:
              TEXT  the text to fold,
                    however long it needs
                    to be (text)

            Example:
              hashlab> fold "a very long example that is never broken"
            """)
        // A label too long for the column has a line of its own and does not widen the column, which is as wide as
        // the longest other label ("as NAME", 7): the texts start at 2 + 7 + 2 = 11.
        let encode = Help.detail(of: CommandRegistry.standard.command(named: "encode")!, width: 80)
        XCTAssertTrue(encode.contains("\n  DATA     the images"), encode)
        XCTAssertTrue(encode.contains("\n  with MODEL|ahash|dhash|phash|whash|colorhash\n"
                                      + String(repeating: " ", count: 11) + "the model, or a classic hash"), encode)
        for command in CommandRegistry.standard.commands {
            let lines = Help.detail(of: command, width: 80).split(separator: "\n")
            let tooLong = lines.filter { $0.count > 80 && !$0.hasPrefix("usage: ") && !$0.hasPrefix("  hashlab> ") }
            XCTAssertEqual(tooLong, [], command.name)
        }
    }

    func testEveryExampleParses() {
        // The examples in the declarations are real commands: each one binds to its declaration (value names
        // need not exist here; every kind of word and every keyword is checked).
        let (session, _) = makeSampleSession()
        for command in session.registry.commands {
            XCTAssertFalse(command.examples.isEmpty, "\(command.name) has no example")
            for example in command.examples {
                XCTAssertNoThrow(try session.checkSyntax(of: example), example)
            }
        }
        XCTAssertThrowsError(try session.checkSyntax(of: "make three as s"), "a wrong kind of word is caught")
        XCTAssertThrowsError(try session.checkSyntax(of: "make 3 alhpa 0.1 as s"), "an unknown keyword is caught")
    }

    func testExamplesRunWhereTheirValuesExist() {
        let (session, sink) = makeSampleSession()
        for command in session.registry.commands where command.topic == .session || command.topic.name == "samples" {
            // notebook writes files: NotebookTests covers it.
            guard !["quit", "cd", "run", "wreck", "sleep", "notebook"].contains(command.name) else { continue }
            for example in command.examples {
                session.execute(line: "make 8 as s; make 3 as m; let h1 1; let h2 2")
                sink.clear()
                session.execute(line: example)
                XCTAssertEqual(sink.error, "", example)
            }
        }
    }

    func testDidYouMean() {
        XCTAssertEqual(Suggestions.editDistance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestions.editDistance("hsah", "hash"), 1, "a swap of neighbours costs one")
        XCTAssertEqual(Suggestions.editDistance("", "abc"), 3)
        XCTAssertEqual(Suggestions.closest(to: "shwo", among: ["show", "set", "sleep", "help"]), ["show"])
        XCTAssertEqual(Suggestions.closest(to: "de", among: ["delete", "echo", "cd"]), ["delete"],
                       "two edits away is too far for a two-letter word; a prefix counts")
        XCTAssertEqual(Suggestions.closest(to: "rnu", among: ["run", "rename", "sleep"]), ["run"])
        XCTAssertEqual(Suggestions.closest(to: "xyzzy", among: ["show", "set"]), [])
    }

    func testCompletionOfCommandNames() {
        let (session, _) = makeSampleSession()
        let completer = Completer(session: session)
        XCTAssertEqual(completer.complete("se").candidates, ["search", "set"])
        XCTAssertEqual(completer.complete("sh").candidates, ["show"])
        XCTAssertEqual(completer.complete("echo a; mak").candidates, ["make"])
        XCTAssertEqual(completer.complete("").candidates, session.registry.allNames)
        XCTAssertEqual(completer.complete("nosuch x").candidates, [])
    }

    func testCompletionOfKeywordsChoicesAndValuesByKind() {
        let (session, _) = makeSampleSession()
        session.execute(line: "make 1 as sa; make 2 as sb; let sn 3")
        let completer = Completer(session: session)
        XCTAssertEqual(completer.complete("make 3 al").candidates, ["alpha"])
        XCTAssertEqual(completer.complete("make 3 alpha 0.1 ").candidates, ["as", "force", "from", "like", "method", "to"],
                       "keywords already given are not offered again")
        XCTAssertEqual(completer.complete("make 3 method d").candidates, ["dpsh", "dsh"])
        XCTAssertEqual(completer.complete("make 3 like s").candidates, ["sa", "sb"], "only values of the kind asked for")
        XCTAssertEqual(completer.complete("show s").candidates, ["sa", "sa.left", "sa.right", "sb", "sb.left",
                                                                  "sb.right", "sn"])
        XCTAssertEqual(completer.complete("show sa.r").candidates, ["sa.right"])
        XCTAssertEqual(completer.complete("add s").candidates, ["sa", "sa.left", "sa.right", "sb", "sb.left",
                                                                 "sb.right", "sn"])
        XCTAssertEqual(completer.complete("make 3 as ").candidates, [], "a new name has nothing to complete")
        XCTAssertEqual(completer.complete("timer o").candidates, ["off", "on"])
        XCTAssertEqual(completer.complete("set sa.m").candidates, ["sa.margin", "sa.method"])
        XCTAssertEqual(completer.complete("set ti").candidates, ["timer"])
        XCTAssertEqual(completer.complete("help mak").candidates, ["make"])
    }

    func testCompletionOfPaths() throws {
        let folder = try TemporaryFolder()
        try folder.write("x", to: "scripts/one.hl")
        try folder.write("x", to: "scripts/two.hl")
        try folder.write("x", to: "scripts/.hidden")
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("scripts/sub"),
                                                withIntermediateDirectories: true)
        let (session, _) = makeSampleSession()
        let completer = Completer(session: session)
        let base = folder.url.path
        let files = completer.complete("run \(base)/scripts/")
        XCTAssertTrue(files.arePaths)
        XCTAssertEqual(files.candidates, ["\(base)/scripts/one.hl", "\(base)/scripts/sub/", "\(base)/scripts/two.hl"])
        XCTAssertEqual(completer.complete("run \(base)/scr").candidates, ["\(base)/scripts/"],
                       "a folder ends with /")
        XCTAssertEqual(completer.complete("cd \(base)/scripts/").candidates, ["\(base)/scripts/sub/"],
                       "a folder argument lists folders only")
        XCTAssertEqual(completer.complete("make 1 to \(base)/scripts/t").candidates, ["\(base)/scripts/two.hl"])
        XCTAssertEqual(completer.complete("run \(base)/scripts/.h").candidates, ["\(base)/scripts/.hidden"])
        // A path from the home folder keeps its `~` (a bare `~` used to complete to the home folder's own name,
        // "root/", dropping the tilde).
        for partial in ["~", "~/", "~/."] {
            for candidate in completer.complete("run \(partial)").candidates {
                XCTAssertTrue(candidate.hasPrefix(partial), "\(partial) → \(candidate)")
                let path = NSString(string: String(candidate.dropLast(candidate.hasSuffix("/") ? 1 : 0)))
                XCTAssertTrue(FileManager.default.fileExists(atPath: path.expandingTildeInPath), candidate)
            }
        }
    }

    /// Tab re-types or continues the word so that the completed line reads back as the candidate; when the
    /// candidates share nothing more than what was typed, it lists them by their short names.
    func testTabEditsQuotePathsWithBlanksAndListsShortNames() throws {
        let folder = try TemporaryFolder()
        try folder.write("x", to: "my data/kitten.hl")
        try folder.write("x", to: "my data/kit two.hl")
        try folder.write("x", to: "my data/sub dir/x.hl")
        try folder.write("x", to: #"my data/q"uote.hl"#)
        try folder.write("x", to: "plain/one.hl")
        let (session, _) = makeSampleSession()
        session.execute(line: "make 1 as sa; make 2 as sb")
        let completer = Completer(session: session)
        let base = folder.url.path
        /// The line after Tab.
        func tab(_ prefix: String) -> String {
            let edit = completer.edit(prefix)
            XCTAssertTrue(edit.listing.isEmpty, prefix)
            return String(String.UnicodeScalarView(prefix.unicodeScalars.dropLast(edit.deleting))) + edit.inserting
        }
        // One candidate ends the word with a blank; a folder waits for the next Tab.
        XCTAssertEqual(tab("sh"), "show ")
        XCTAssertEqual(tab("run \(base)/pl"), "run \(base)/plain/")
        XCTAssertEqual(tab("run \(base)/plain/o"), "run \(base)/plain/one.hl ")
        XCTAssertEqual(tab("run ~"), "run ~/", "a bare ~ is the home folder")
        // A blank to come outside quotes: the whole word is re-typed inside "…", the quote open after a folder.
        XCTAssertEqual(tab("run \(base)/my"), "run \"\(base)/my data/")
        XCTAssertEqual(tab("echo «é»; run \(base)/my"), "echo «é»; run \"\(base)/my data/",
                       "characters, not bytes, are deleted")
        XCTAssertEqual(tab("run \"\(base)/my data\"/su"), "run \"\(base)/my data/sub dir/",
                       "a word with a closed quote is re-typed whole")
        // Inside quotes, a single file closes the quote; a quote in a name is escaped inside "…".
        XCTAssertEqual(tab("run \"\(base)/my data/kitt"), "run \"\(base)/my data/kitten.hl\" ")
        XCTAssertEqual(tab("run '\(base)/my data/kitt"), "run '\(base)/my data/kitten.hl' ")
        XCTAssertEqual(tab("run \"\(base)/my data/q"), #"run "\#(base)/my data/q\"uote.hl" "#)
        // Several candidates: the start they share, the quote left open; then a listing, the line unchanged.
        XCTAssertEqual(tab("run \"\(base)/my data/ki"), "run \"\(base)/my data/kit")
        let atKit = completer.edit("run \"\(base)/my data/kit")
        XCTAssertEqual(atKit.listing, ["kit two.hl", "kitten.hl"])
        XCTAssertEqual([atKit.deleting, atKit.inserting.count], [0, 0])
        XCTAssertEqual(completer.edit("run \(base)/").listing, ["my data/", "plain/"])
        XCTAssertEqual(completer.edit("show sa").listing, ["sa", "sa.left", "sa.right"], "names are listed whole")
        // Nothing matches: no edit (the line editor rings the bell).
        XCTAssertTrue(completer.edit("run \(base)/nothing").isEmpty)
        // Every completed line reads back as the path.
        for prefix in ["run \(base)/my", "run \"\(base)/my data/kitt", "run \"\(base)/my data\"/su",
                       "run \"\(base)/my data/q"] {
            let line = tab(prefix)
            let words = try Tokenizer.statements(in: line.hasSuffix("/") ? line + "\"" : line)[0].tokens
            XCTAssertTrue(words[1].text.hasPrefix("\(base)/my data/"), line)
            XCTAssertTrue(FileManager.default.fileExists(atPath: words[1].text), line)
        }
    }

    /// A listing goes down the columns, then across, as `ls` does, and counts what it leaves out.
    func testListingInColumns() {
        XCTAssertEqual(LineEditor.columns(["a", "bb", "ccc", "d", "e"], width: 12), "a    d\nbb   e\nccc")
        XCTAssertEqual(LineEditor.columns(["one", "two"], width: 4), "one\ntwo", "one column when nothing fits")
        let many = (1...(LineEditor.listingLimit + 7)).map { "n\($0)" }
        let lines = LineEditor.columns(many, width: 80).components(separatedBy: "\n")
        XCTAssertEqual(lines.last, "… and 7 more: type more of the name")
        XCTAssertFalse(lines.joined().contains("n\(LineEditor.listingLimit + 1)"))
    }
}
