import Shell
import XCTest

/// Binding words to declared arguments, the errors of each kind, and what a failed command leaves behind.
final class CommandParsingTests: XCTestCase {
    /// Runs one line and returns the error output (empty when it succeeded).
    private func errors(_ line: String, in session: Session, _ sink: CapturingSink) -> String {
        sink.clear()
        session.execute(line: line)
        return sink.error
    }

    func testPositionalKeywordsAndResultName() throws {
        let (session, sink) = makeSampleSession()
        XCTAssertEqual(errors("make 8 alpha 0.5 method dpsh as s", in: session, sink), "")
        XCTAssertEqual(try session.value(named: "s", as: Sample.self),
                       Sample(size: 8, alpha: 0.5, margin: 2, method: "dpsh"))
        // Keywords may come before positional arguments; values of other kinds of arguments resolve by name.
        XCTAssertEqual(errors("make alpha 0.25 3 like s as t", in: session, sink), "")
        XCTAssertEqual(try session.value(named: "t", as: Sample.self),
                       Sample(size: 3, alpha: 0.25, margin: 2, method: "dpsh"))
    }

    func testFlagsAndRepeatingArguments() throws {
        let (session, sink) = makeSampleSession()
        XCTAssertEqual(errors("make 500 as big", in: session, sink),
                       "error: make: size 500 is large; add force\n")
        XCTAssertEqual(errors("make 500 force as big", in: session, sink), "")
        XCTAssertEqual(errors("make 4 as s; add 1 2 s big.left as total", in: session, sink), "")
        XCTAssertEqual(sink.standard, "257\n")
        XCTAssertEqual((try session.value(named: "total", as: NumberValue.self)).number, 257)
    }

    func testQuotedAsIsAnOrdinaryWord() throws {
        let (session, sink) = makeSampleSession()
        XCTAssertEqual(errors(#"echo this "as" well"#, in: session, sink), "")
        XCTAssertEqual(sink.standard, "this as well\n")
        XCTAssertEqual(session.valueNames, [])
    }

    func testDottedNamesReachMembers() throws {
        let (session, sink) = makeSampleSession()
        session.execute(line: "make 9 as s")
        XCTAssertEqual(errors("show s.right", in: session, sink), "")
        XCTAssertEqual(sink.standard, "5\n")
        XCTAssertEqual(errors("show s.rigth", in: session, sink),
                       "error: no value named `s.rigth`; did you mean `s.right`?\n")
    }

    func testErrorMessages() {
        let (session, sink) = makeSampleSession()
        session.execute(line: "make 2 as sample1; let n 3")
        let cases: [(String, String)] = [
            ("mkae 3 as x", "unknown command `mkae`; did you mean `make`?"),
            ("zzzz", "unknown command `zzzz` (type help for the list)"),
            ("make as x", "make: missing SIZE (see help make)"),
            ("make 3", "make: say `as NAME` to keep the result"),
            ("make 3 as", "make: `as` needs a value after it"),
            ("make 3 alhpa 0.1 as x", "make: unexpected `alhpa`; did you mean `alpha`?"),
            ("make 3 alpha as x", "make: `alpha` needs a value after it"),
            ("make 3 alpha fast as x", "make alpha: expected a number, got `fast`"),
            ("make three as x", "make SIZE: expected a whole number, got `three`"),
            ("make 3 alpha nan as x", "make alpha: expected a number, got `nan`"),
            ("make 3 method dpshh as x", "make method: `dpshh` is not one of dsh, dpsh; did you mean `dpsh`?"),
            ("make 3 like sampel1 as x", "no value named `sampel1`; did you mean `sample1`?"),
            ("make 3 like n as x", "`n` is a number, expected a sample"),
            ("make 3 from /no/such/folder as x", "/no/such/folder: no such folder"),
            ("make 3 alpha 1 alpha 2 as x", "make: `alpha` is given twice"),
            ("make 3 as 9lives", "`9lives` is not a valid name: use letters, digits and _ , starting with a letter or _"),
            ("vars as x", "vars: gives no value to keep with `as`"),
            ("make 3 as s alpha 1", "make: `as NAME` must come last"),
            ("add 1 smaple1", "add NAME|N: expected a number or a sample (by name) or a whole number, got `smaple1`; did you mean `sample1`?"),
            ("show", "show: missing NAME (see help show)"),
            ("show n extra", "show: unexpected `extra` (see help show)"),
            (#"echo "unclosed"#, #"unterminated quote: a " has no closing ""#),
        ]
        for (line, message) in cases {
            XCTAssertEqual(errors(line, in: session, sink), "error: \(message)\n", line)
        }
    }

    /// The shell's own commands declare their bounds and forms; the binder refuses what falls outside them in one
    /// line, and Tab offers only the options of the form typed.
    func testBoundsAndFormsOfTheShellsOwnCommands() {
        let (session, sink) = makeSampleSession()
        XCTAssertEqual(errors("sleep -1", in: session, sink), "error: sleep: seconds must be 0 or more, not -1\n")
        XCTAssertEqual(errors("sleep 0", in: session, sink), "")
        XCTAssertEqual(errors("notebook stop title T", in: session, sink),
                       "error: notebook stop: title goes with notebook start\n")
        XCTAssertEqual(errors("notebook stop out.md", in: session, sink), "error: notebook stop takes no file or title\n")
        XCTAssertEqual(errors("timer maybe", in: session, sink), "error: timer state: `maybe` is not one of on, off\n")
        let completer = Completer(session: session)
        XCTAssertEqual(completer.complete("notebook stop n.md t").candidates, [], "stop takes no title")
        XCTAssertEqual(completer.complete("notebook start n.md t").candidates, ["title"])
    }

    func testFailedCommandLeavesValuesAsTheyWere() throws {
        let (session, sink) = makeSampleSession()
        session.execute(line: "make 2 as a; let b 7")
        XCTAssertEqual(errors("wreck", in: session, sink), "error: wreck: failed on purpose\n")
        XCTAssertEqual(session.valueNames, ["a", "b"])
        XCTAssertEqual(try session.value(named: "a", as: Sample.self).size, 2)
        // A failing `as NAME` command does not replace the value of that name.
        XCTAssertNotEqual(errors("make 500 as a", in: session, sink), "")
        XCTAssertEqual(try session.value(named: "a", as: Sample.self).size, 2)
    }

    func testSetFieldsOfValuesAndSessionOptions() throws {
        let (session, sink) = makeSampleSession()
        session.execute(line: "make 4 as m")
        XCTAssertEqual(errors("set m.alpha 0.1; set m.margin 6; set m.method dpsh", in: session, sink), "")
        XCTAssertEqual(try session.value(named: "m", as: Sample.self),
                       Sample(size: 4, alpha: 0.1, margin: 6, method: "dpsh"))
        XCTAssertEqual(errors("set m.alpah 1", in: session, sink),
                       "error: `m` has no field `alpah`; did you mean `alpha`?\n")
        XCTAssertEqual(errors("set m.margin -1", in: session, sink), "error: set m.margin: margin must not be negative\n")
        XCTAssertEqual(errors("set m.margin 1.5", in: session, sink),
                       "error: set m.margin: expected a whole number, got `1.5`\n")
        XCTAssertEqual(try session.value(named: "m", as: Sample.self).margin, 6, "a refused value changes nothing")
        session.execute(line: "let n 3")
        XCTAssertEqual(errors("set n.x 1", in: session, sink), "error: `n` has no field `x` (it has no settable fields)\n")

        XCTAssertFalse(session.isTimerOn)
        XCTAssertEqual(errors("set timer on", in: session, sink), "")
        XCTAssertTrue(session.isTimerOn)
        XCTAssertEqual(errors("set timre off", in: session, sink),
                       "error: no session option `timre`; did you mean `timer`?\n")
        XCTAssertEqual(errors("set bail maybe", in: session, sink),
                       "error: set bail: `maybe` is not one of on, off\n")
    }

    func testValueManagementCommands() throws {
        let (session, sink) = makeSampleSession()
        session.execute(line: #"make 3 as s; let n 12; let title "a title""#)
        sink.clear()
        session.execute(line: "vars")
        XCTAssertEqual(sink.standard, """
            s      sample  size 3, alpha 0.01, margin 2, dsh
            n      number  12
            title  text    "a title"

            """)
        XCTAssertEqual(errors("rename n bits; delete title", in: session, sink), "")
        XCTAssertEqual(session.valueNames, ["s", "bits"])
        sink.clear()
        session.execute(line: "show s")
        XCTAssertEqual(sink.standard, "sample of size 3\n  alpha  0.01\n  margin 2\n  method dsh\n")
        XCTAssertEqual(errors("delete nope", in: session, sink), "error: no value named `nope` (vars lists them)\n")
        XCTAssertEqual(errors("delete s.left", in: session, sink),
                       "error: delete: `s.left` is part of another value; delete the whole value\n")
    }

    func testTimerPrintsWallTime() {
        let (session, sink) = makeSampleSession()
        session.execute(line: "timer on; echo hi")
        XCTAssertTrue(sink.standard.hasPrefix("time: "), sink.standard)
        XCTAssertTrue(sink.standard.contains("hi\ntime: "), sink.standard)
        XCTAssertTrue(sink.standard.hasSuffix(" ms\n"), sink.standard)
    }

    func testInterruptionFlagStopsAPollingCommand() {
        let (session, sink) = makeSampleSession()
        // A raised flag stops a line after the command that is running: the rest is skipped, with a message.
        session.interruptFlag.raise()
        var summary = session.execute(line: "echo first; echo second")
        XCTAssertEqual(sink.standard, "first\n")
        XCTAssertEqual(sink.error, "error: interrupted\n")
        XCTAssertTrue(summary.stoppedEarly)
        XCTAssertTrue(session.interruptionCheck(), "library code sees the flag through the closure")

        session.interruptFlag.lower()
        sink.clear()
        let interrupter = Thread { [flag = session.interruptFlag] in
            Thread.sleep(forTimeInterval: 0.05)
            flag.raise()
        }
        interrupter.start()
        summary = session.execute(line: "sleep 60; echo never")
        XCTAssertEqual(sink.error, "error: interrupted\n", "the polling command stops and says so once")
        XCTAssertEqual(summary.failures, 1)
        XCTAssertTrue(summary.stoppedEarly, "the rest of the line is dropped after Ctrl-C")
        XCTAssertFalse(sink.standard.contains("never"))
    }

    func testCommandLineOptions() throws {
        let options = try CommandLineOptions.parse(["-q", "--bail", "-c", "echo a; echo b", "x.hl", "--", "-odd.hl"])
        XCTAssertTrue(options.isQuiet)
        XCTAssertTrue(options.bails)
        XCTAssertEqual(options.commands, "echo a; echo b")
        XCTAssertEqual(options.scripts, ["x.hl", "-odd.hl"])
        XCTAssertThrowsError(try CommandLineOptions.parse(["--qiet"])) { error in
            XCTAssertEqual("\(error)", "unknown option --qiet; did you mean `--quiet`?")
        }
        XCTAssertThrowsError(try CommandLineOptions.parse(["-c"]))
    }
}
