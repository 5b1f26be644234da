import Foundation
import XCTest

/// `help` in a terminal goes through the pager when it is taller than the screen (24 rows here), and is written as
/// it is when it fits, or when the output is not a terminal.
final class PagerTests: XCTestCase {
    func testLongHelpIsPagedShortHelpIsNot() throws {
        let folder = try TemporaryFolder()
        // A pager that marks every line it shows, so that the test sees which text went through it.
        let shell = try PseudoTerminal(program: HashLabProgram.path(), environment: [
            "TERM": "xterm", "HOME": folder.url.path, "HASHLAB_HISTORY": folder.url.appendingPathComponent("h").path,
            "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "PAGER": "sed s/^/PAGED:/",
        ])
        shell.readPrompt()
        shell.type("help\r")
        let overview = shell.readPrompt()
        XCTAssertTrue(overview.contains("PAGED:"), overview.debugDescription)
        XCTAssertTrue(overview.contains("PAGED:  help"), "every command is listed through the pager")
        shell.type("help pwd\r")
        let short = shell.readPrompt()
        XCTAssertFalse(short.contains("PAGED:"), "a help that fits the screen is not paged: " + short.debugDescription)
        XCTAssertTrue(short.contains("Prints the working folder"), short.debugDescription)
        shell.type("quit\r")
        XCTAssertEqual(shell.waitForExit(), 0)

        // Not a terminal: written as it is, whatever its length.
        let piped = try HashLabProgram.run(["-c", "help"])
        XCTAssertFalse(piped.standardOutput.contains("PAGED:"))
        XCTAssertGreaterThan(piped.standardOutput.split(separator: "\n").count, 30)
    }
}
