/// Starting and stopping the notebooks that record a session. Notebooks nest: `notebook start` inside a replay
/// recorded with `--notebook` records the part between it and its `notebook stop` into a second notebook, while
/// the outer one keeps recording everything.
extension Session {
    /// Starts recording to `path` (a `.md` file): from the next command on, every command, its output and the PNG
    /// files it writes go into the notebook. Without a `title`, the lesson's first heading or comment is the
    /// title, or else `fallbackTitle` (the file's name when nil). A one-line error when that file is already being
    /// recorded.
    public func startNotebook(at path: String, title: String? = nil, fallbackTitle: String? = nil) throws {
        let recorder = try NotebookRecorder(path: path, title: title, fallbackTitle: fallbackTitle)
        if notebookRecorders.contains(where: { $0.markdownPath == recorder.markdownPath }) {
            throw NotebookError("notebook: already recording to \(recorder.markdownPath); `notebook stop` first")
        }
        notebookRecorders.append(recorder)
        output.sinks.append(recorder)
    }

    /// Stops recording the innermost notebook and writes its Markdown and HTML files; returns the recorder (for its
    /// paths). `droppingCurrentCommand` leaves out the cell of the command being run (`notebook stop` itself).
    @discardableResult
    public func stopNotebook(droppingCurrentCommand: Bool = false) throws -> NotebookRecorder {
        guard let recorder = notebookRecorders.popLast() else {
            throw NotebookError("notebook: no notebook is being recorded; start one with `notebook start FILE.md`")
        }
        output.sinks.removeAll { $0 === recorder }
        if droppingCurrentCommand { recorder.dropLastCell() }
        try recorder.finish()
        return recorder
    }
}
