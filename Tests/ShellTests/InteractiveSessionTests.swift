import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real `hashlab` on a pseudo-terminal: line editing, completion, history, Ctrl-C and Ctrl-D.
final class InteractiveSessionTests: XCTestCase {
    private func startShell(history: URL, home: URL) throws -> PseudoTerminal {
        try PseudoTerminal(program: HashLabProgram.path(), environment: [
            "TERM": "xterm", "HOME": home.path, "HASHLAB_HISTORY": history.path, "LANG": "C.UTF-8",
            "PATH": "/usr/bin:/bin",
        ])
    }

    /// The lines of a libedit history file (`_HiStOrY_V2_` header; blanks escaped as `\040`).
    private func historyLines(_ file: URL) throws -> [String] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.components(separatedBy: "\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.first, "_HiStOrY_V2_")
        lines.removeFirst()
        return lines.map { $0.replacingOccurrences(of: "\\040", with: " ") }
    }

    func testEditingCompletionHistoryAndControlKeys() throws {
        let folder = try TemporaryFolder()
        let history = folder.url.appendingPathComponent("history")
        try Data("_HiStOrY_V2_\necho\\040from\\040the\\040past\n".utf8).write(to: history)
        let shell = try startShell(history: history, home: folder.url)

        shell.read(until: "Type help")
        shell.readPrompt()

        // Up arrow recalls the previous session's last line.
        shell.type("\u{1B}[A")
        shell.read(until: "echo from the past")
        shell.type("\r")
        shell.read(until: "from the past\r\n")
        shell.readPrompt()

        // A typed command runs and prints; non-ASCII input arrives whole.
        shell.type("let kitten 42\r")
        shell.readPrompt()
        // The history file has the line at once, not only when the shell ends (a closed terminal loses nothing).
        XCTAssertEqual(try historyLines(history).suffix(2), ["echo from the past", "let kitten 42"])
        shell.type("echo «héllo» ünïcode\r")
        shell.read(until: "«héllo» ünïcode\r\n")
        shell.readPrompt()

        // Tab completes a command name ("sh" → "show ") and a value name ("kit" → "kitten").
        shell.type("sh\t")
        shell.read(until: "ow ")
        shell.type("kit\t")
        shell.read(until: "ten")
        shell.type("\r")
        shell.read(until: "42\r\n")
        shell.readPrompt()

        // Ctrl-C at the prompt drops the half-typed line and prompts again.
        shell.type("echo half")
        shell.read(until: "half")
        shell.type("\u{3}")
        shell.readPrompt()
        shell.type("echo whole\r")
        let output = shell.readPrompt()
        XCTAssertTrue(output.contains("whole\r\n"), output.debugDescription)
        XCTAssertFalse(output.contains("half"), "the cancelled text does not leak into the next line")

        // Ctrl-C during a running command stops it; the shell goes on.
        // ("started" is printed by the command itself, so the Ctrl-C surely comes after the line was accepted.)
        shell.type("echo started; sleep 60\r")
        shell.read(until: "started\r\n")
        shell.type("\u{3}")
        shell.read(until: "interrupted")
        shell.readPrompt()

        // Blank and repeated lines stay out of the history.
        shell.type("\r")
        shell.readPrompt()
        shell.type("   \r")
        shell.readPrompt()
        shell.type("echo whole\r")
        shell.readPrompt()

        // Ctrl-D leaves, with status 0, and the history is written.
        shell.type("\u{4}")
        XCTAssertEqual(shell.waitForExit(), 0, "the terminal shows: " + shell.transcript.suffix(300).debugDescription)

        let lines = try historyLines(history)
        XCTAssertEqual(lines, ["echo from the past", "let kitten 42", "echo «héllo» ünïcode", "show kitten", "echo started; sleep 60",
                               "echo whole"])
        XCTAssertFalse(lines.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty })
        XCTAssertEqual(Set(lines).count, lines.count, "no repeated lines")
    }

    func testQuitLeavesAndPathCompletionAddsSlash() throws {
        let folder = try TemporaryFolder()
        try folder.write("echo from a script\n", to: "lessons/intro.hl")
        try folder.write("echo an idea\n", to: "lessons/idea.hl")
        try folder.write("echo from notes\n", to: "my notes/outro.hl")
        let history = folder.url.appendingPathComponent("history")
        // A long history from earlier sessions, with a repeated line: the shell keeps the last 1,000 distinct lines.
        let earlier = (0..<1200).map { "echo\\040\($0)" } + ["echo\\0405"]
        try Data(("_HiStOrY_V2_\n" + earlier.joined(separator: "\n") + "\n").utf8).write(to: history)
        let shell = try startShell(history: history, home: folder.url)
        shell.readPrompt()
        shell.type("cd \(folder.url.path)\r")
        shell.readPrompt()
        // Types each step's keys and waits for what they draw; then Return, the script's output and the prompt.
        func complete(_ steps: [(keys: String, draws: String)], output: String) {
            for step in steps {
                shell.type(step.keys)
                shell.read(until: step.draws)
            }
            shell.type("\r")
            shell.read(until: output)
            shell.readPrompt()
        }
        // "les" completes to the folder "lessons/" (no blank after it); "i" fits two files, which Tab lists by
        // their names (not "lessons/idea.hl") in cells as wide as the longest name and two blanks (8 + 2: "idea.hl"
        // and three blanks), redrawing the line below; "int" then completes.
        complete([("run les\t", "sons/"), ("i\t", "idea.hl   intro.hl\r\n"), ("nt\t", "ro.hl")],
                 output: "from a script\r\n")
        XCTAssertFalse(shell.transcript.contains("lessons/idea.hl"), shell.transcript.suffix(300).debugDescription)
        // A path with a blank: Tab quotes it, and inside the quote completes the file and closes the quote.
        // (libedit may draw the opening quote apart from the rest; the history below shows the whole line.)
        // A single file ends the word with a blank, which the history drops.
        complete([("run my\t", "notes/"), ("ou\t", "tro.hl\"")], output: "from notes\r\n")
        // Completion after non-ASCII text (libedit's line is UTF-8 bytes; it deletes characters).
        complete([("echo «é»; ru\t", "n "), ("les\t", "sons/"), ("in\t", "tro.hl")], output: "from a script\r\n")
        // The bell rings only when Tab finds nothing (Ctrl-U then clears the line).
        XCTAssertEqual(shell.bellCount, 0, "no bell for a completion or a listing")
        shell.type("run zz\t\u{15}echo after the bell\r")
        shell.read(until: "after the bell\r\n")
        shell.readPrompt()
        XCTAssertEqual(shell.bellCount, 1)
        shell.type("quit\r")
        XCTAssertEqual(shell.waitForExit(), 0)
        let lines = try historyLines(history)
        XCTAssertEqual(lines.count, 1000, "the history is capped")
        XCTAssertEqual(Set(lines).count, lines.count, "no repeated lines")
        XCTAssertEqual(Array(lines.suffix(7)), ["echo 5", "cd \(folder.url.path)", "run lessons/intro.hl",
                                                #"run "my notes/outro.hl""#, "echo «é»; run lessons/intro.hl",
                                                "echo after the bell", "quit"])
        XCTAssertEqual(lines.first, "echo 207", "the oldest lines go first")
    }
}
