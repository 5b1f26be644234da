import CEditLine
import Foundation

/// What reading a line at the prompt gave.
public enum LineInput: Equatable {
    case line(String)
    /// Ctrl-C: the half-typed line is dropped.
    case cancelled
    /// Ctrl-D on an empty line, or the end of input.
    case end
}

/// Line editing in a terminal through libedit's native API (histedit.h): emacs keys, history, Tab completion, Ctrl-C.
///
/// History: read from `historyPath` at start, capped at `historyLimit` entries, blank lines never kept, and a line
/// typed again moves to the end instead of repeating; written back after every line, so that a session that ends
/// abruptly (a closed terminal, a kill) keeps what was typed. The file is libedit's (`_HiStOrY_V2_`).
///
/// Tab is HashLab's own editor command (see `Completer.edit`): it replaces the word being typed, quoting what needs
/// quotes, or lists the candidates by their short names when they agree on nothing more; the bell rings only when
/// nothing matches. (libedit's readline emulation rang it after every completion and listed paths by libedit's word.)
public final class LineEditor {
    public let historyPath: String
    public let historyLimit: Int
    private var entries: [String] = []
    private let editor: OpaquePointer
    private let history: OpaquePointer

    /// The history file: `HASHLAB_HISTORY`, else `~/.hashlab_history`.
    public static var defaultHistoryPath: String {
        if let path = ProcessInfo.processInfo.environment["HASHLAB_HISTORY"], !path.isEmpty { return path }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".hashlab_history")
    }

    public init(session: Session, historyPath: String = LineEditor.defaultHistoryPath, historyLimit: Int = 1000) {
        self.historyPath = historyPath
        self.historyLimit = historyLimit
        setlocale(LC_CTYPE, "")  // before el_init, which decides whether input is UTF-8
        editor = hashlab_el_init("hashlab")
        history = history_init()
        hashlab_history_set_size(history, Int32(historyLimit))
        hashlab_el_set_history(editor, history)
        hashlab_el_set_prompt(editor, currentPrompt)
        hashlab_el_set_getc(editor, readKey)
        hashlab_el_set_signal(editor, 0)  // the shell's own SIGINT handler stops commands and drops lines
        hashlab_el_set_editor(editor, "emacs")
        // The keys terminals send for Home, End, Delete and Ctrl-arrows, and Ctrl-R for searching the history.
        for (keys, command) in [("\\e[1~", "ed-move-to-beg"), ("\\e[H", "ed-move-to-beg"), ("\\e[4~", "ed-move-to-end"),
                                ("\\e[F", "ed-move-to-end"), ("\\e[3~", "ed-delete-next-char"),
                                ("\\e[1;5C", "em-next-word"), ("\\e[1;5D", "ed-prev-word"),
                                ("^R", "em-inc-search-prev")] {
            hashlab_el_bind(editor, keys, command)
        }
        EditLineBridge.shared.completer = Completer(session: session)
        hashlab_el_add_function(editor, "hashlab-complete", "Complete the word before the cursor", completeWord)
        hashlab_el_bind(editor, "^I", "hashlab-complete")
        _ = el_source(editor, nil)  // ~/.editrc (or $EDITRC): lines for every program, then those for `hashlab:`
        if hashlab_history_load(history, historyPath) >= 0 {
            var loaded: [String] = []
            var line = hashlab_history_oldest(history)
            while let entry = line {
                loaded.append(String(cString: entry))
                line = hashlab_history_newer(history)
            }
            for line in loaded { remember(line, rebuild: false) }
            rebuildHistory()
        }
    }

    deinit {
        el_end(editor)
        history_end(history)
    }

    /// Reads one line with the prompt.
    public func readLine(prompt: String) -> LineInput {
        InterruptFlag.shared.lower()
        EditLineBridge.shared.setPrompt(prompt)
        el_resize(editor)  // the terminal may have changed size since the last line
        var count: Int32 = 0
        let raw = el_gets(editor, &count)
        // Ctrl-C makes `readKey` report the end of input; whatever libedit returns then is dropped.
        if InterruptFlag.shared.isRaised {
            InterruptFlag.shared.lower()
            return .cancelled
        }
        guard let raw, count > 0 else { return .end }
        var line = String(cString: raw)
        if line.hasSuffix("\n") { line.removeLast() }
        return .line(line)
    }

    /// Adds a line to the history (blank lines are skipped; a repeated line moves to the end).
    public func addToHistory(_ line: String) {
        remember(line, rebuild: true)
        saveHistory()
    }

    /// Writes the history file: to a temporary file beside it, then renamed over it, so that the file is always
    /// either the old history or the new one, never half written.
    public func saveHistory() {
        let temporary = historyPath + ".\(getpid()).tmp"
        if hashlab_history_save(history, temporary) >= 0 {
            if rename(temporary, historyPath) != 0 { unlink(temporary) }
        } else {
            unlink(temporary)
        }
    }

    private func remember(_ typed: String, rebuild: Bool) {
        // Completion leaves a blank after the last word: "show cat " and "show cat" are the same line.
        var line = typed
        while line.last == " " || line.last == "\t" { line.removeLast() }
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        if let existing = entries.firstIndex(of: line) {
            entries.remove(at: existing)
            entries.append(line)
            if rebuild { rebuildHistory() }
            return
        }
        entries.append(line)
        if entries.count > historyLimit { entries.removeFirst(entries.count - historyLimit) }
        if rebuild {
            if entries.count == historyLimit { rebuildHistory() } else { hashlab_history_enter(history, line) }
        }
    }

    private func rebuildHistory() {
        hashlab_history_clear(history)
        for line in entries { hashlab_history_enter(history, line) }
    }
}

/// libedit's key reader: one character from standard input, decoded from UTF-8 to a code point, stored in
/// `character`; 1 when there is one, 0 at the end of input. Once Ctrl-C has raised the flag it reports the end of
/// input, so that `el_gets` returns at once. It waits with `poll` in short slices and looks at the flag between them:
/// a SIGINT that arrives while libedit is busy drawing (not blocked in `read`, so no EINTR) is still seen within
/// 50 ms, and libedit's own retry of an interrupted read cannot swallow it.
private func readKey(_ editor: OpaquePointer?, _ character: UnsafeMutablePointer<wchar_t>?) -> Int32 {
    func readByte() -> Int32 {
        var byte: UInt8 = 0
        while true {
            if InterruptFlag.shared.isRaised { return -1 }
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 50)
            if ready == 0 || (ready < 0 && errno == EINTR) { continue }
            if ready < 0 { return -1 }
            let count = read(0, &byte, 1)
            if count == 1 { return Int32(byte) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return -1
        }
    }
    func decodedScalar() -> Int32 {
        let lead = readByte()
        guard lead >= 0xC0 else { return lead }
        let continuationCount = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : 1
        var scalar = lead & (0x3F >> Int32(continuationCount))
        for _ in 0..<continuationCount {
            let next = readByte()
            guard next >= 0x80 && next < 0xC0 else { return next < 0 ? -1 : 0xFFFD }
            scalar = (scalar << 6) | (next & 0x3F)
        }
        return scalar
    }
    let value = decodedScalar()
    guard value >= 0 else { return 0 }
    character?.pointee = wchar_t(value)
    return 1
}

/// What libedit's C callbacks consult: the completer and the prompt. Touched only on the thread that runs `el_gets`.
final class EditLineBridge: @unchecked Sendable {
    static let shared = EditLineBridge()
    var completer: Completer?
    /// The prompt as a C string that stays valid while libedit draws it.
    private(set) var prompt: UnsafeMutablePointer<CChar>? = strdup("")

    func setPrompt(_ text: String) {
        free(prompt)
        prompt = strdup(text)
    }
}

/// libedit's prompt callback.
private func currentPrompt(_ editor: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    EditLineBridge.shared.prompt
}

/// The Tab command: asks the completer what to do with the line up to the cursor and does it. Returns what libedit
/// must redraw: the changed line (`CC_REFRESH`), everything after a listing (`CC_REDISPLAY`), or nothing but the
/// bell when nothing matches (`CC_ERROR`).
private func completeWord(_ editor: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let editor, let completer = EditLineBridge.shared.completer, let line = el_line(editor)?.pointee,
          let start = line.buffer, let cursor = line.cursor, let end = line.lastchar else { return UInt8(CC_ERROR) }
    // `el_line` gives the line in UTF-8 bytes; `el_deletestr` counts characters (Unicode scalars).
    func text(upTo position: UnsafePointer<CChar>) -> String {
        String(decoding: UnsafeRawBufferPointer(start: start, count: start.distance(to: position)), as: UTF8.self)
    }
    let prefix = text(upTo: cursor)
    let edit = completer.edit(prefix)
    if !edit.listing.isEmpty {
        // A long line wraps onto several rows. The listing goes below its last row; after it come as many blank rows
        // as the cursor's row in the line, because CC_REDISPLAY climbs that many rows to redraw the line from its
        // first row.
        let width = terminalWidth()
        let promptWidth = EditLineBridge.shared.prompt.map { String(cString: $0).count } ?? 0
        let cursorRow = (promptWidth + prefix.unicodeScalars.count) / width
        let lastRow = (promptWidth + text(upTo: end).unicodeScalars.count) / width
        hashlab_el_print(String(repeating: "\n", count: lastRow - cursorRow + 1)
                         + LineEditor.columns(edit.listing, width: width) + "\n"
                         + String(repeating: "\n", count: cursorRow))
        return UInt8(CC_REDISPLAY)
    }
    guard !edit.isEmpty else { return UInt8(CC_ERROR) }
    if edit.deleting > 0 { el_deletestr(editor, Int32(edit.deleting)) }
    if !edit.inserting.isEmpty && el_insertstr(editor, edit.inserting) != 0 { return UInt8(CC_ERROR) }
    return UInt8(CC_REFRESH)
}

extension LineEditor {
    /// At most this many names are listed; the rest are counted.
    public static let listingLimit = 100

    /// `names` in columns down then across, as `ls` does, fitting `width`; past `listingLimit` names, a count of
    /// the others.
    public static func columns(_ names: [String], width: Int) -> String {
        let shown = Array(names.prefix(listingLimit))
        let cellWidth = (shown.map(\.count).max() ?? 0) + 2
        let columnCount = max(1, min(shown.count, (width + 2) / cellWidth))
        let rowCount = (shown.count + columnCount - 1) / columnCount
        var rows: [String] = []
        for row in 0..<rowCount {
            var text = ""
            for column in 0..<columnCount where column * rowCount + row < shown.count {
                let name = shown[column * rowCount + row]
                let isLast = (column + 1) * rowCount + row >= shown.count
                text += isLast ? name : name.padding(toLength: cellWidth, withPad: " ", startingAt: 0)
            }
            rows.append(text)
        }
        if names.count > shown.count { rows.append("… and \(names.count - shown.count) more: type more of the name") }
        return rows.joined(separator: "\n")
    }
}
