import Foundation

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
            arguments: [.positional("action", .word(["start", "stop"]), "start or stop recording"),
                        .positional("file", .path, "with start: the Markdown file to write (.md)",
                                    optional: true, placeholder: "FILE.md")],
            options: [.keyword("title", .text, "with start: the notebook's heading", default: "the first comment, or the file's name")],
            examples: ["notebook start lessons/phash.md", "notebook stop"]) { invocation in
        let session = invocation.session
        switch invocation.string("action")! {
        case "start":
            guard let path = invocation.string("file") else {
                throw ShellError.message("notebook start: give the Markdown file to write: notebook start FILE.md")
            }
            try session.startNotebook(at: path, title: invocation.string("title"))
            invocation.output.line("recording to \(path) (and \(session.notebookRecorder!.htmlPath)); "
                                   + "`notebook stop` writes them")
        default:
            guard !invocation.has("file"), !invocation.has("title") else {
                throw ShellError.message("notebook stop takes no file or title")
            }
            let recorder = try session.stopNotebook(droppingCurrentCommand: true)
            invocation.output.line("wrote \(recorder.markdownPath) and \(recorder.htmlPath)")
        }
        return nil
    },
]
