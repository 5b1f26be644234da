/// Starting and stopping the notebook that records a session.
extension Session {
    /// Starts recording to `path` (a `.md` file): from the next command on, every command, its output and the PNG
    /// files it writes go into the notebook. A one-line error when a notebook is already being recorded.
    public func startNotebook(at path: String, title: String? = nil) throws {
        if let recorder = notebookRecorder {
            throw NotebookError("notebook: already recording to \(recorder.markdownPath); `notebook stop` first")
        }
        let recorder = try NotebookRecorder(path: path, title: title)
        notebookRecorder = recorder
        output.sinks.append(recorder)
    }

    /// Stops recording and writes the notebook's Markdown and HTML files; returns the recorder (for its paths).
    /// `droppingCurrentCommand` leaves out the cell of the command being run (`notebook stop` itself).
    @discardableResult
    public func stopNotebook(droppingCurrentCommand: Bool = false) throws -> NotebookRecorder {
        guard let recorder = notebookRecorder else {
            throw NotebookError("notebook: no notebook is being recorded; start one with `notebook start FILE.md`")
        }
        output.sinks.removeAll { $0 === recorder }
        notebookRecorder = nil
        if droppingCurrentCommand { recorder.dropLastCell() }
        try recorder.finish()
        return recorder
    }
}
