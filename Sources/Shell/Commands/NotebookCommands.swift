import Foundation

/// `notebook`'s arguments: start or stop, and with start the file and a title (`Notebook` is what it records).
enum NotebookCommand {
    enum Action: String, CaseIterable, Sendable, ArgumentWord { case start, stop }
    static let action = Argument.positional("action", Action.self, "start or stop recording")
    static let file = Argument.path("file", .path, "with start: the Markdown file to write (.md)", positional: true,
                                    placeholder: "FILE.md")
    static let title = Argument.keyword("title", String.self, "with start: the notebook's heading",
                                        otherwise: "the first comment, or the file's name", forms: ["start"])
}

/// `notebook start FILE.md` … `notebook stop`: records the session as a lesson to share.
let notebookCommands: [Command] = [
    Command("notebook", topic: .session,
            abstract: "Records the session as a notebook: start FILE.md, then stop writes FILE.md and FILE.html.",
            discussion: """
                Every command after `notebook start`, its output and every PNG it writes are recorded; `#` \
                comment lines and what `echo` says become the prose between the commands, and the first comment \
                is the title (unless title TEXT gives one). Pictures that commands show (show IMAGE, compare A B, \
                search IMAGE, explain KIND IMAGE) are kept as PNG images, small ones enlarged without blurring, \
                where the terminal draws them with characters. `notebook stop` writes FILE.md (Markdown: commands \
                as code, outputs as text blocks, images written into FILE-files/ and linked) and FILE.html (one \
                self-contained page, images embedded). Progress bars keep only their last line; colour is \
                dropped. A notebook still open when the shell ends is written then. From the command line: \
                hashlab --notebook FILE.md SCRIPT.
                """,
            arguments: [NotebookCommand.action, NotebookCommand.file], options: [NotebookCommand.title],
            examples: ["notebook start lessons/phash.md", "notebook stop"]) { invocation in
        let session = invocation.session
        // `notebook stop title …` is refused by the binder (title goes with notebook start); the file is a
        // positional argument, which forms do not cover, so start and stop check it here.
        let file = try invocation[NotebookCommand.file]
        switch try invocation[NotebookCommand.action] {
        case .start:
            guard let path = file?.path else {
                throw ShellError.message("notebook start: give the Markdown file to write: notebook start FILE.md")
            }
            try session.startNotebook(at: path, title: try invocation[NotebookCommand.title])
            invocation.output.line("recording to \(path) (and \(session.notebookRecorder!.htmlPath)); "
                                   + "`notebook stop` writes them")
        case .stop:
            guard file == nil else {
                throw ShellError.message("notebook stop takes no file or title")
            }
            let recorder = try session.stopNotebook(droppingCurrentCommand: true)
            invocation.output.line("wrote \(recorder.markdownPath) and \(recorder.htmlPath)")
        }
        return nil
    },
]
