import Foundation
import XCTest

/// `hashlab FILE…`, `hashlab -c`, and commands on a standard input that is not a terminal, through the built program.
final class ScriptModeTests: XCTestCase {
    func testScriptEchoesCommandsAndReportsFileAndLine() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("""
            # A lesson starts with a comment.
            let x 3   # keep a number

            show x; shw x
            echo "all done"
            """, to: "lesson.hl")
        let result = try HashLabProgram.run([script.path])
        XCTAssertEqual(result.standardOutput, """
            hashlab> let x 3
            hashlab> show x
            3
            hashlab> shw x
            hashlab> echo "all done"
            all done

            """)
        XCTAssertEqual(result.standardError, "\(script.path):4: error: unknown command `shw`; did you mean `show`?\n")
        XCTAssertEqual(result.status, 1)
    }

    func testSuccessfulScriptExitsWithZeroAndQuietDropsTheEcho() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("let x 2\nshow x\n", to: "ok.hl")
        let loud = try HashLabProgram.run([script.path])
        XCTAssertEqual(loud.standardOutput, "hashlab> let x 2\nhashlab> show x\n2\n")
        XCTAssertEqual(loud.status, 0)
        let quiet = try HashLabProgram.run(["--quiet", script.path])
        XCTAssertEqual(quiet.standardOutput, "2\n")
        XCTAssertEqual(quiet.standardError, "")
        XCTAssertEqual(quiet.status, 0)
    }

    func testBailStopsAtTheFirstError() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("echo one\nshow nothing\necho two\n", to: "bail.hl")
        let goesOn = try HashLabProgram.run([script.path])
        XCTAssertTrue(goesOn.standardOutput.hasSuffix("two\n"))
        XCTAssertEqual(goesOn.status, 1)
        let bails = try HashLabProgram.run(["--bail", script.path])
        XCTAssertEqual(bails.standardOutput, "hashlab> echo one\none\nhashlab> show nothing\n")
        XCTAssertEqual(bails.standardError, "\(script.path):2: error: no value named `nothing` (vars lists them)\n")
        XCTAssertEqual(bails.status, 1)
    }

    func testSeveralScriptsShareOneSession() throws {
        let folder = try TemporaryFolder()
        let first = try folder.write("let shared 5\n", to: "first.hl")
        let second = try folder.write("show shared\n", to: "second.hl")
        let result = try HashLabProgram.run(["-q", first.path, second.path])
        XCTAssertEqual(result.standardOutput, "5\n")
        XCTAssertEqual(result.status, 0)
    }

    func testCommandsAfterDashC() throws {
        let result = try HashLabProgram.run(["-c", "echo a; bogus; echo 'b c'"])
        XCTAssertEqual(result.standardOutput, "hashlab> echo a\na\nhashlab> bogus\nhashlab> echo 'b c'\nb c\n")
        XCTAssertEqual(result.standardError, "-c:2: error: unknown command `bogus` (type help for the list)\n")
        XCTAssertEqual(result.status, 1)
        let fine = try HashLabProgram.run(["-c", "let a 1; show a"])
        XCTAssertEqual(fine.status, 0)
        XCTAssertEqual(fine.standardError, "")
    }

    func testCommandsOnStandardInput() throws {
        let result = try HashLabProgram.run([], input: "echo hi\n\nnope 1\nquit\necho unreached\n")
        XCTAssertEqual(result.standardOutput, "hashlab> echo hi\nhi\nhashlab> nope 1\nhashlab> quit\n",
                       "no banner and no prompt without a terminal; quit stops the script")
        XCTAssertEqual(result.standardError, "<stdin>:3: error: unknown command `nope` (type help for the list)\n")
        XCTAssertEqual(result.status, 1)
        let lastLineWithoutNewline = try HashLabProgram.run(["-q"], input: "echo last")
        XCTAssertEqual(lastLineWithoutNewline.standardOutput, "last\n")
        XCTAssertEqual(lastLineWithoutNewline.status, 0)
    }

    func testNoColourWithoutATerminal() throws {
        let result = try HashLabProgram.run(["-c", "nope"], environment: ["TERM": "xterm-256color"])
        XCTAssertFalse(result.standardError.contains("\u{1B}["), result.standardError)
        XCTAssertFalse(result.standardOutput.contains("\u{1B}["), result.standardOutput)
    }

    func testRunReplaysAScriptWithNestedLocations() throws {
        let folder = try TemporaryFolder()
        let inner = try folder.write("let made 1\nshow missing\nlet after 2\n", to: "inner.hl")
        let outer = try folder.write("run \(inner.path)\nvars\n", to: "outer.hl")
        let result = try HashLabProgram.run([outer.path])
        XCTAssertEqual(result.standardOutput, """
            hashlab> run \(inner.path)
            hashlab> let made 1
            hashlab> show missing
            hashlab> let after 2
            hashlab> vars
            made   number  1
            after  number  2

            """, "values a script made before and after its failing line stay")
        XCTAssertEqual(result.standardError, """
            \(inner.path):2: error: no value named `missing` (vars lists them)
            \(outer.path):1: error: \(inner.path): 1 of 3 commands failed

            """)
        XCTAssertEqual(result.status, 1)
    }

    func testRunRefusesEndlessRecursion() throws {
        let folder = try TemporaryFolder()
        let script = folder.url.appendingPathComponent("self.hl")
        try folder.write("run \(script.path)\n", to: "self.hl")
        let result = try HashLabProgram.run(["-q", "--bail", script.path])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("scripts nested more than 16 deep"), result.standardError)
    }

    func testBadCommandLinesExitWithTwo() throws {
        let unknown = try HashLabProgram.run(["--frobnicate"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.standardError, "hashlab: unknown option --frobnicate\nTry hashlab --help.\n")
        let missingCommands = try HashLabProgram.run(["-c"])
        XCTAssertEqual(missingCommands.status, 2)
        XCTAssertEqual(missingCommands.standardError, "hashlab: -c needs commands\nTry hashlab --help.\n")
        let missingFile = try HashLabProgram.run(["/no/such/script.hl"])
        XCTAssertEqual(missingFile.status, 2)
        XCTAssertEqual(missingFile.standardError, "hashlab: /no/such/script.hl: no such script file\n")
        XCTAssertEqual(missingFile.standardOutput, "", "nothing runs after a bad command line")
    }

    func testHelpAndVersion() throws {
        let help = try HashLabProgram.run(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.standardOutput.hasPrefix("usage: hashlab [options] [SCRIPT…]"), help.standardOutput)
        let version = try HashLabProgram.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.standardOutput.hasPrefix("hashlab "), version.standardOutput)
    }
}
