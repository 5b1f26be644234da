import Shell
import XCTest

/// The output abstraction: sinks see every command and every line, progress keeps its final line.
final class OutputTests: XCTestCase {
    /// A sink that records commands separately, the way a notebook recorder would.
    final class RecordingSink: OutputSink {
        var events: [String] = []
        func write(_ text: String, to channel: OutputChannel) {
            events.append((channel == .standard ? "out " : "err ") + text)
        }
        func progress(_ line: String, isFinal: Bool) {
            events.append((isFinal ? "final " : "progress ") + line)
        }
        func command(_ source: String, isEchoed: Bool) {
            events.append("command \(source) echoed=\(isEchoed)")
        }
    }

    func testSinksSeeCommandsAndTheirOutput() {
        let recorder = RecordingSink()
        let capture = CapturingSink()
        let session = Session(output: Output(sinks: [capture, recorder]))
        session.execute(line: "echo a; nope", echo: false)
        session.runScript(lines: ["echo b # comment"], named: "x.hl")
        XCTAssertEqual(recorder.events, [
            "command echo a echoed=false", "out a\n",
            "command nope echoed=false", "err error: unknown command `nope` (type help for the list)\n",
            "command echo b echoed=true", "out b\n",
        ])
        XCTAssertEqual(capture.standard, "a\nhashlab> echo b\nb\n", "the default echoes only when asked")
    }

    func testScriptFileInProcess() throws {
        let folder = try TemporaryFolder()
        let script = try folder.write("let a 1\nshow b\n", to: "s.hl")
        let (session, sink) = Session.capturing()
        let summary = try session.runScript(atPath: script.path)
        XCTAssertEqual(summary, Session.RunSummary(commands: 2, failures: 1, stoppedEarly: false))
        XCTAssertEqual(sink.error, "\(script.path):2: error: no value named `b`; did you mean `a`?\n")
        XCTAssertThrowsError(try session.runScript(atPath: folder.url.path + "/none.hl")) { error in
            XCTAssertEqual("\(error)", folder.url.path + "/none.hl: no such file")
        }
    }

    func testProgressKeepsOnlyTheFinalLineWhereItCannotRedraw() {
        let capture = CapturingSink()
        let output = Output(sinks: [capture])
        output.progress("1/3")
        output.progress("2/3")
        output.finishProgress("3/3 done")
        XCTAssertEqual(capture.standard, "3/3 done\n")
    }

    func testProgressBarAndClock() {
        let bar = ProgressBar(width: 10)
        XCTAssertEqual(bar.bar(0), "────────── 0%")
        XCTAssertEqual(bar.bar(0.25), "━━╸─────── 25%")
        XCTAssertEqual(bar.bar(1), "━━━━━━━━━━ 100%")
        XCTAssertEqual(bar.bar(2), "━━━━━━━━━━ 100%", "clamped")
        XCTAssertEqual(bar.bar(0.5, usesUnicode: false), "=====..... 50%")
        XCTAssertEqual(ProgressBar.clock(41), "0:41")
        XCTAssertEqual(ProgressBar.clock(3723), "1:02:03")
        XCTAssertEqual(ProgressBar.clock(.nan), "-:--")
    }

    func testColourOnlyWhenAllowed() {
        let output = Output(sinks: [], usesColour: false)
        XCTAssertEqual(output.styled("x", .red), "x")
        output.usesColour = true
        XCTAssertEqual(output.styled("x", .red), "\u{1B}[31mx\u{1B}[0m")
    }
}
