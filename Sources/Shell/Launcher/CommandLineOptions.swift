/// What `hashlab`'s command line asks for.
public struct CommandLineOptions: Sendable, Equatable {
    /// Script files to replay, in order.
    public var scripts: [String] = []
    /// The text after `-c` (commands separated by `;`).
    public var commands: String?
    public var isQuiet = false
    public var bails = false
    public var showsHelp = false
    public var showsVersion = false
    public var showsReference = false
    /// `--notebook FILE.md`: record the run as a notebook (FILE.md, FILE.html, FILE-files/).
    public var notebook: String?

    public init() {}

    /// A bad command line (exit status 2).
    public struct UsageError: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Parses the arguments after the program name.
    public static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
        var options = CommandLineOptions()
        var index = 0
        var onlyFiles = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyFiles || !argument.hasPrefix("-") || argument == "-" {
                options.scripts.append(argument)
                continue
            }
            switch argument {
            case "--": onlyFiles = true
            case "-c", "--command":
                guard index < arguments.count else { throw UsageError(description: "\(argument) needs commands") }
                options.commands = (options.commands.map { $0 + "\n" } ?? "") + arguments[index]
                index += 1
            case "--notebook":
                guard index < arguments.count else { throw UsageError(description: "--notebook needs a FILE.md") }
                options.notebook = arguments[index]
                index += 1
            case "-q", "--quiet": options.isQuiet = true
            case "--bail": options.bails = true
            case "-h", "--help": options.showsHelp = true
            case "--version": options.showsVersion = true
            case "--reference": options.showsReference = true
            default:
                let known = ["-c", "--command", "--notebook", "-q", "--quiet", "--bail", "-h", "--help", "--version", "--reference"]
                let suggestions = Suggestions.closest(to: argument, among: known)
                throw UsageError(description: "unknown option \(argument)" + Suggestions.phrase(suggestions))
            }
        }
        return options
    }

    /// `hashlab --help`.
    public static let usage = """
        usage: hashlab [options] [SCRIPT…]
               hashlab -c 'COMMAND; COMMAND'
               COMMANDS | hashlab

        An interactive shell for image hashing, classic and deep. Without scripts or -c, reads commands from the
        terminal (line editing, history, Tab completion) or from standard input when it is not a terminal.

        options:
          -c, --command TEXT  run the commands in TEXT (separated by ; or newlines), then leave
          -q, --quiet         do not echo each command of a script before its output
          --bail              stop at the first command that fails
          --notebook FILE.md  record the commands, their output and PNG plots as FILE.md and FILE.html
          -h, --help          show this help
          --version           show the version
          --reference         print the command reference as Markdown (README.md's section)

        Exit status: 0 when every command succeeded, 1 when any failed, 2 for a bad command line.
        Inside the shell, `help` lists the commands.
        """
}
