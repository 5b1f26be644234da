import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A program running on a pseudo-terminal, driven like a user at a keyboard: the program sees a real terminal
/// (its controlling terminal, so that Ctrl-C raises SIGINT), and the test reads what it draws.
final class PseudoTerminal {
    let primary: Int32
    let processID: pid_t
    /// Everything the program wrote so far, bell characters removed (counted in `bellCount`).
    private(set) var transcript = ""
    /// How many times the program rang the terminal's bell.
    private(set) var bellCount = 0
    /// Where the next `read(until:)` starts looking, in Unicode scalars from the start.
    private var markOffset = 0

    private var mark: String.Index {
        transcript.unicodeScalars.index(transcript.startIndex, offsetBy: markOffset)
    }

    init(program: String, arguments: [String] = [], environment: [String: String]) throws {
        // Everything the child needs is prepared before fork: after it, the child only calls execve.
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var size = winsize(ws_row: 24, ws_col: 100, ws_xpixel: 0, ws_ypixel: 0)
        var primary: Int32 = -1
        let processID = forkpty(&primary, nil, nil, &size)
        if processID == 0 {
            execve(program, argv, envp)
            _exit(127)
        }
        guard processID > 0 else { throw XCTSkip("forkpty failed: errno \(errno)") }
        self.primary = primary
        self.processID = processID
    }

    /// Types `text` (use "\r" for Return, "\t" for Tab, "\u{3}" for Ctrl-C, "\u{4}" for Ctrl-D, "\u{1B}[A" for Up).
    func type(_ text: String) {
        var bytes = Array(text.utf8)
        _ = write(primary, &bytes, bytes.count)
    }

    /// Reads until `expected` appears after the mark (then moves the mark past it), or fails after `timeout`.
    @discardableResult
    func read(until expected: String, timeout: TimeInterval = 15, file: StaticString = #filePath,
              line: UInt = #line) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let found = transcript.range(of: expected, range: mark..<transcript.endIndex) {
                let seen = String(transcript[mark..<found.upperBound])
                markOffset = transcript.unicodeScalars.distance(from: transcript.startIndex, to: found.upperBound)
                return seen
            }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 || !pump(timeout: remaining) {
                XCTFail("timed out waiting for \(expected.debugDescription); the terminal shows: "
                        + String(transcript[mark...]).debugDescription, file: file, line: line)
                return String(transcript[mark...])
            }
        }
    }

    /// Reads until the prompt, then waits until libedit has put the terminal in raw mode (the primary side reports
    /// the terminal's modes): keys typed before that are handled by the kernel's line discipline, which drops a
    /// Ctrl-D at the start of a line when the mode changes.
    @discardableResult
    func readPrompt(_ prompt: String = "hashlab> ", timeout: TimeInterval = 15, file: StaticString = #filePath,
                    line: UInt = #line) -> String {
        let seen = read(until: prompt, timeout: timeout, file: file, line: line)
        let deadline = Date().addingTimeInterval(timeout)
        var modes = termios()
        while Date() < deadline {
            if tcgetattr(primary, &modes) == 0 && modes.c_lflag & tcflag_t(ICANON) == 0 { return seen }
            drain(for: 0.01)
        }
        XCTFail("the terminal never left canonical mode after the prompt", file: file, line: line)
        return seen
    }

    /// Reads what arrives for a short while (used only to drain; never to decide a result).
    func drain(for seconds: TimeInterval) {
        let deadline = Date().addingTimeInterval(seconds)
        while deadline.timeIntervalSinceNow > 0 && pump(timeout: deadline.timeIntervalSinceNow) {}
    }

    /// Waits for one chunk of output; false at end of output or timeout.
    private func pump(timeout: TimeInterval) -> Bool {
        var descriptor = pollfd(fd: primary, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, Int32(max(1, min(timeout, 1) * 1000)))
        if ready < 0 { return errno == EINTR }
        if ready == 0 { return timeout > 1 }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = Glibc.read(primary, &buffer, buffer.count)
        guard count > 0 else { return false }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        bellCount += text.unicodeScalars.filter { $0 == "\u{07}" }.count
        transcript += text.replacingOccurrences(of: "\u{07}", with: "")
        return true
    }

    /// Waits for the program to end and returns its exit status (nil if it does not end in time).
    func waitForExit(timeout: TimeInterval = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            drain(for: 0.05)
            let result = waitpid(processID, &status, WNOHANG)
            if result == processID {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
        }
        return nil
    }

    deinit {
        var status: Int32 = 0
        if waitpid(processID, &status, WNOHANG) == 0 {
            kill(processID, SIGKILL)
            waitpid(processID, &status, 0)
        }
        close(primary)
    }
}
