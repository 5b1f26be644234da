import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The `hashlab` program: reads the command line, then runs scripts or the interactive shell.
public enum HashLab {
    public static let version = "0.1.0"

    /// Runs the program and returns its exit status: 0 when all commands succeeded, 1 when any failed, 2 for a bad
    /// command line.
    public static func main(arguments: [String]) -> Int32 {
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions.parse(Array(arguments.dropFirst()))
        } catch {
            FileHandle.standardError.write(Data("hashlab: \(error)\nTry hashlab --help.\n".utf8))
            return 2
        }
        if options.showsHelp {
            FileHandle.standardOutput.write(Data((CommandLineOptions.usage + "\n").utf8))
            return 0
        }
        if options.showsReference {
            FileHandle.standardOutput.write(Data((CommandReference.markdown() + "\n").utf8))
            return 0
        }
        if options.showsVersion {
            FileHandle.standardOutput.write(Data("hashlab \(version)\n".utf8))
            return 0
        }
        for script in options.scripts where script != "-" {
            var isFolder: ObjCBool = false
            if !FileManager.default.fileExists(atPath: script, isDirectory: &isFolder) || isFolder.boolValue {
                FileHandle.standardError.write(Data("hashlab: \(script): no such script file\n".utf8))
                return 2
            }
        }

        let outputIsTerminal = isatty(1) == 1
        let environment = ProcessInfo.processInfo.environment
        // Colour only when both output streams are terminals (an error log in a file stays plain text).
        let colour = outputIsTerminal && isatty(2) == 1 && environment["NO_COLOR"] == nil
            && environment["TERM"] != "dumb"
        let output = Output(sinks: [StandardStreamSink(redrawsProgress: outputIsTerminal)], usesColour: colour,
                            width: terminalWidth())
        let session = Session(output: output, interruptFlag: .shared)
        session.isQuiet = options.isQuiet
        session.bails = options.bails
        InterruptHandler.install()
        if let path = options.notebook {
            do {
                let scripts = options.scripts.filter { $0 != "-" }.map { URL(fileURLWithPath: $0).lastPathComponent }
                try session.startNotebook(at: path,
                                          fallbackTitle: scripts.isEmpty ? nil : scripts.joined(separator: ", "))
            } catch {
                FileHandle.standardError.write(Data("hashlab: \(error)\n".utf8))
                return 2
            }
        }
        var status = run(session, options: options)
        // Notebooks still open (from --notebook, or `notebook start` without a stop) are written now — also when
        // SIGTERM or SIGHUP ended the session, which then exits with 128 + the signal's number.
        let signal = session.interruptFlag.terminationSignal
        if signal != 0 { status = 128 + signal }
        while session.notebookRecorder != nil {
            do {
                try session.stopNotebook()
            } catch {
                session.report(error, at: nil)
                status = max(status, 1)
            }
        }
        return status
    }

    /// Runs the scripts, the `-c` commands, standard input or the interactive loop; returns the exit status.
    static func run(_ session: Session, options: CommandLineOptions) -> Int32 {
        let inputIsTerminal = isatty(0) == 1

        if options.commands == nil && options.scripts.isEmpty {
            if inputIsTerminal {
                session.isInteractive = true
                return interact(session)
            }
            let summary = session.runScript(lines: StandardInputLines(), named: "<stdin>")
            return summary.failures > 0 ? 1 : 0
        }
        var failures = 0
        if let commands = options.commands {
            let summary = session.runScript(lines: commands.components(separatedBy: "\n"), named: "-c",
                                            numbersStatements: true)
            failures += summary.failures
            if summary.stoppedEarly { return failures > 0 || session.isInterrupted ? 1 : 0 }
        }
        for script in options.scripts {
            let summary: Session.RunSummary
            if script == "-" {
                summary = session.runScript(lines: StandardInputLines(), named: "<stdin>")
            } else {
                do {
                    summary = session.runScript(lines: try Session.scriptLines(atPath: script), named: script)
                } catch {
                    session.report(error, at: nil)
                    return 2
                }
            }
            failures += summary.failures
            if summary.stoppedEarly { break }
        }
        return failures > 0 || session.isInterrupted ? 1 : 0
    }

    /// The interactive loop: banner, prompt, history, completion; Ctrl-C drops the line (or stops the running
    /// command), Ctrl-D or `quit` leaves (status 0), and so do SIGTERM and SIGHUP once the command has stopped.
    static func interact(_ session: Session) -> Int32 {
        let editor = LineEditor(session: session)
        session.output.line("HashLab \(version): image hashing, classic and deep. "
                            + "Type help for the commands, Tab to complete, quit or Ctrl-D to leave.")
        while !session.quitRequested && !session.interruptFlag.isTerminationRequested {
            switch editor.readLine(prompt: Session.prompt) {
            case .cancelled:
                session.output.write("\n")
                continue
            case .end:
                session.output.write("\n")
                session.quitRequested = true
            case .line(let line):
                editor.addToHistory(line)
                // A typed comment is a note, as in a script: a notebook being recorded keeps it as prose.
                if Session.isCommentOrBlank(line) { session.output.scriptComment(line) }
                session.execute(line: line)
                if session.isInterrupted && !session.interruptFlag.isTerminationRequested {
                    session.interruptFlag.lower()
                }
            }
        }
        editor.saveHistory()
        return 0
    }
}

/// Lines of standard input, read as they come (so that a pipe can feed the shell slowly).
struct StandardInputLines: Sequence, IteratorProtocol {
    mutating func next() -> String? { Swift.readLine(strippingNewline: true) }
}
