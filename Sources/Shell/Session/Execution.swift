import Foundation
import Learning

/// Running commands: one line, one statement, or a whole script, with error reporting and transcript echo.
extension Session {
    /// The outcome of running several commands.
    public struct RunSummary: Sendable, Equatable {
        public var commands = 0
        public var failures = 0
        /// True when a failure (with `bails`), `quit` or Ctrl-C stopped the run early.
        public var stoppedEarly = false

        public init(commands: Int = 0, failures: Int = 0, stoppedEarly: Bool = false) {
            self.commands = commands
            self.failures = failures
            self.stoppedEarly = stoppedEarly
        }
    }

    /// Parses and runs every statement of `line`; errors are printed (prefixed by `location` when given).
    /// `echo` prints `hashlab> command` before each command's output.
    @discardableResult
    public func execute(line: String, at location: SourceLocation? = nil, echo: Bool = false) -> RunSummary {
        var summary = RunSummary()
        let statements: [Statement]
        do {
            statements = try Tokenizer.statements(in: line)
        } catch {
            output.command(line.trimmingCharacters(in: .whitespaces), isEchoed: echo)
            report(error, at: location)
            summary.commands = 1
            summary.failures = 1
            return summary
        }
        for (index, statement) in statements.enumerated() {
            summary.commands += 1
            let succeeded = execute(statement, at: location, echo: echo)
            if !succeeded { summary.failures += 1 }
            if isInterrupted && succeeded && index + 1 < statements.count {
                report(ShellError.interrupted, at: location)
                summary.failures += 1
            }
            if quitRequested || isInterrupted || (bails && summary.failures > 0) {
                summary.stoppedEarly = true
                break
            }
        }
        return summary
    }

    /// The prompt, also used to echo commands in transcripts.
    public static let prompt = "hashlab> "

    /// Runs one statement; returns false (after printing the error) when it failed. A failure leaves the values as
    /// they were before the command. `echo` prints `hashlab> command` first. The Ctrl-C flag is not lowered here: the
    /// interactive loop lowers it at the prompt, and a raised flag stops a script.
    @discardableResult
    public func execute(_ statement: Statement, at location: SourceLocation? = nil, echo: Bool = false) -> Bool {
        guard let verb = statement.tokens.first else { return true }
        output.command(statement.source, isEchoed: echo)
        let start = monotonicSeconds()
        let snapshot = self.snapshot()
        let outermost = !interruptFlag.isCommandRunning
        if outermost { interruptFlag.isCommandRunning = true }
        defer { if outermost { interruptFlag.isCommandRunning = false } }
        var succeeded = true
        var restores = true
        do {
            let command = try registry.lookUp(verb.text)
            restores = command.restoresValuesOnFailure
            let (arguments, resultName) = try ArgumentBinder.bind(statement.tokens.dropFirst(), to: command, in: self)
            let invocation = Invocation(command: command, session: self, resultName: resultName,
                                        arguments: arguments)
            let result = try command.run(invocation)
            if let resultName, let result {
                try store(result, as: resultName)
            }
        } catch {
            if restores { restore(snapshot) }
            report(error, at: location)
            succeeded = false
        }
        if isTimerOn {
            let seconds = monotonicSeconds() - start
            output.line(output.styled("time: " + Session.formatDuration(seconds), .dim))
        }
        return succeeded
    }

    /// Prints `FILE:LINE: error: message` (or `error: message` without a location) to standard error.
    public func report(_ error: any Error, at location: SourceLocation?) {
        let message = error is CancellationError ? ShellError.interrupted.description : String(describing: error)
        let prefix = location.map { "\($0): " } ?? ""
        output.errorLine(prefix + output.styled("error:", .red) + " " + message)
    }

    /// "12.3 ms", "4.56 s", "2 min 3.4 s".
    public static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1 { return String(format: "%.2f ms", seconds * 1000) }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        return String(format: "%d min %.1f s", Int(seconds / 60), seconds.truncatingRemainder(dividingBy: 60))
    }

    /// Runs the lines of a script named `name`. Lines are numbered from 1, unless `numbersStatements` is true
    /// (for `-c`), when each command gets the next number. Goes on after errors unless `bails` is set.
    @discardableResult
    public func runScript(lines: some Sequence<String>, named name: String, numbersStatements: Bool = false)
        -> RunSummary {
        var summary = RunSummary()
        var number = 0
        for line in lines {
            if numbersStatements {
                let statements: [Statement]
                do {
                    statements = try Tokenizer.statements(in: line)
                } catch {
                    number += 1
                    absorb(execute(line: line, at: SourceLocation(file: name, line: number), echo: !isQuiet),
                           into: &summary)
                    if summary.stoppedEarly { break }
                    continue
                }
                for statement in statements {
                    number += 1
                    summary.commands += 1
                    if !execute(statement, at: SourceLocation(file: name, line: number), echo: !isQuiet) {
                        summary.failures += 1
                    }
                    if quitRequested || isInterrupted || (bails && summary.failures > 0) {
                        summary.stoppedEarly = true
                        break
                    }
                }
            } else {
                number += 1
                if Session.isCommentOrBlank(line) { output.scriptComment(line) }
                absorb(execute(line: line, at: SourceLocation(file: name, line: number), echo: !isQuiet),
                       into: &summary)
            }
            if summary.stoppedEarly { break }
        }
        return summary
    }

    /// True for a script line that holds no command: blank, or a `#` comment only.
    static func isCommentOrBlank(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix("#")
    }

    private func absorb(_ part: RunSummary, into summary: inout RunSummary) {
        summary.commands += part.commands
        summary.failures += part.failures
        summary.stoppedEarly = summary.stoppedEarly || part.stoppedEarly
    }

    /// Runs the script file at `path` (errors are reported as `path:LINE`); throws only when it cannot be read.
    /// Tests that replay the tutorials call this and check `failures == 0`.
    @discardableResult
    public func runScript(atPath path: String) throws(ShellError) -> RunSummary {
        runScript(lines: try Session.scriptLines(atPath: path), named: path)
    }

    /// The lines of a script file (a one-line error when it cannot be read).
    public static func scriptLines(atPath path: String) throws(ShellError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
                throw .message(isFolder.boolValue ? "\(path): is a folder, not a script"
                                                  : "\(path): cannot be read")
            }
            throw .noSuchFile(path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .message("\(path): is not UTF-8 text")
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

extension Session {
    /// Checks that `line` parses and binds to its commands' declarations without running anything: value names
    /// need only be valid names and files need not exist. `help`'s examples are checked with it.
    public func checkSyntax(of line: String) throws(ShellError) {
        for statement in try Tokenizer.statements(in: line) {
            guard let verb = statement.tokens.first else { continue }
            let command = try registry.lookUp(verb.text)
            _ = try ArgumentBinder.bind(statement.tokens.dropFirst(), to: command, in: self, strictness: .syntaxOnly)
        }
    }
}
