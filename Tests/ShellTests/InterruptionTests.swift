import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C through a pseudo-terminal never loses a session: long commands answer at once ("stopping after the
/// current step …"), stop at their next check and keep what they finished; a second Ctrl-C repeats the message;
/// SIGTERM ends the shell the way `quit` does, writing the notebook being recorded.
final class InterruptionTests: XCTestCase {
    private func startShell(in folder: URL) throws -> PseudoTerminal {
        try PseudoTerminal(program: HashLabProgram.path(), environment: [
            "TERM": "xterm", "HOME": folder.path, "HASHLAB_HISTORY": folder.appendingPathComponent("history").path,
            "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin",
        ])
    }

    /// Presses Ctrl-C and returns how long the shell took to answer with its message (printed by the signal
    /// handler itself, so it does not wait for the command's next check).
    private func pressControlC(_ shell: PseudoTerminal, file: StaticString = #filePath, line: UInt = #line) -> Double {
        let start = Date()
        shell.type("\u{3}")
        shell.read(until: "stopping after the current step", timeout: 5, file: file, line: line)
        return Date().timeIntervalSince(start)
    }

    func testControlCStopsEncodeSweepAndCompareKeepingTheSession() throws {
        let folder = try TemporaryFolder()
        let shell = try startShell(in: folder.url)
        shell.readPrompt()
        shell.type("cd \(folder.url.path); notebook start lesson.md\r")
        shell.readPrompt()
        // A big set (encoding it takes seconds) and a small one (a sweep run takes about a second).
        shell.type("data synthetic per-class 1000 seed 1 as big; split big protocol full seed 1 as p\r")
        shell.readPrompt(timeout: 60)
        shell.type("data synthetic per-class 40 seed 2 as small; split small protocol full seed 1 as s\r")
        shell.readPrompt()
        shell.type("model dsh bits 12 as m; train m on s.train epochs 1\r")
        shell.readPrompt(timeout: 60)

        // encode: stops between batches; no code set is made, the session goes on.
        shell.type("echo started; encode big with m as codes\r")
        shell.read(until: "started\r\n")
        var answers = [pressControlC(shell)]
        shell.read(until: "interrupted\r\n")  // "error: interrupted", in red
        shell.readPrompt()

        // sweep: the finished run is kept, the one in progress is dropped.
        shell.type("sweep m.alpha 0,0.01,0.1 on s.train epochs 6 query s.query database s.database as sw\r")
        shell.read(until: "run 1/3 alpha=0: loss", timeout: 120)
        answers.append(pressControlC(shell))
        shell.read(until: "stopped after 1 of 3 runs; the finished ones are kept", timeout: 30)
        shell.readPrompt()

        // compare: the first entry is kept, the model's encoding of the big set is stopped.
        shell.type("compare phash m query p.query database p.database as c\r")
        shell.read(until: "1/2 phash: 64 bits", timeout: 60)
        answers.append(pressControlC(shell))
        shell.read(until: "stopped after 1 of 2 entries; the finished ones are kept", timeout: 30)
        shell.readPrompt()

        // Ctrl-C twice in a row (one write, so that the second comes before the command has stopped, as from an
        // impatient user): the shell stays. Each Ctrl-C that finds the command running repeats the message.
        shell.type("echo waiting; sleep 60\r")
        shell.read(until: "waiting\r\n")
        shell.type("\u{3}\u{3}")
        shell.read(until: "stopping after the current step", timeout: 5)
        shell.readPrompt()
        shell.type("vars\r")
        let values = shell.readPrompt()
        for name in ["big", "p", "small", "s", "m", "sw", "c"] {
            XCTAssertTrue(values.contains("\r\n\(name) "), "\(name) kept: " + values.debugDescription)
        }
        XCTAssertFalse(values.contains("codes "), "a stopped encode makes no code set")
        print("Ctrl-C answered after " + answers.map { String(format: "%.3f s", $0) }.joined(separator: ", "))

        // SIGTERM: the shell leaves as `quit` does and the notebook being recorded is written.
        kill(shell.processID, SIGTERM)
        XCTAssertEqual(shell.waitForExit(timeout: 30), 128 + SIGTERM)
        let notebook = try String(contentsOf: folder.url.appendingPathComponent("lesson.md"), encoding: .utf8)
        XCTAssertTrue(notebook.contains("stopped after 1 of 3 runs"), notebook)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("lesson.html").path))
    }

    func testHangUpWhileACommandRunsWritesTheNotebook() throws {
        let folder = try TemporaryFolder()
        let shell = try startShell(in: folder.url)
        shell.readPrompt()
        shell.type("cd \(folder.url.path); notebook start talk.md; echo before the hang-up\r")
        shell.readPrompt()
        shell.type("echo sleeping; sleep 60\r")
        shell.read(until: "sleeping\r\n")
        kill(shell.processID, SIGHUP)
        XCTAssertEqual(shell.waitForExit(timeout: 30), 128 + SIGHUP)
        let notebook = try String(contentsOf: folder.url.appendingPathComponent("talk.md"), encoding: .utf8)
        XCTAssertTrue(notebook.contains("before the hang-up"), notebook)
    }
}
