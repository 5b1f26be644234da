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

/// Line editing in a terminal through libedit's readline API: history, Tab completion, Ctrl-C.
///
/// History: read from `historyPath` at start, capped at `historyLimit` entries, blank lines never kept, and a line
/// typed again moves to the end instead of repeating; written back after every line, so that a session that ends
/// abruptly (a closed terminal, a kill) keeps what was typed.
public final class LineEditor {
    public let historyPath: String
    public let historyLimit: Int
    private var entries: [String] = []

    /// The history file: `HASHLAB_HISTORY`, else `~/.hashlab_history`.
    public static var defaultHistoryPath: String {
        if let path = ProcessInfo.processInfo.environment["HASHLAB_HISTORY"], !path.isEmpty { return path }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".hashlab_history")
    }

    public init(session: Session, historyPath: String = LineEditor.defaultHistoryPath, historyLimit: Int = 1000) {
        self.historyPath = historyPath
        self.historyLimit = historyLimit
        setlocale(LC_CTYPE, "")
        hashlab_configure_readline()
        CompletionBridge.shared.completer = Completer(session: session)
        hashlab_set_attempted_completion(attemptCompletion)
        hashlab_set_getc_function(readKey)
        using_history()
        stifle_history(Int32(historyLimit))
        if read_history(historyPath) == 0 {
            var loaded: [String] = []
            for index in 0..<Int(hashlab_history_length()) {
                if let line = hashlab_history_entry(Int32(index)) { loaded.append(String(cString: line)) }
            }
            for line in loaded { remember(line, rebuild: false) }
            rebuildHistory()
        }
    }

    /// Reads one line with the prompt.
    public func readLine(prompt: String) -> LineInput {
        InterruptFlag.shared.lower()
        let raw = readline(prompt)
        defer { free(raw) }
        // Ctrl-C makes `readKey` report the end of input; whatever libedit returns then is dropped.
        if InterruptFlag.shared.isRaised {
            InterruptFlag.shared.lower()
            return .cancelled
        }
        guard let raw else { return .end }
        return .line(String(cString: raw))
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
        if write_history(temporary) == 0 {
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
            if entries.count == historyLimit { rebuildHistory() } else { _ = add_history(line) }
        }
    }

    private func rebuildHistory() {
        clear_history()
        for line in entries { _ = add_history(line) }
    }
}

/// libedit's key reader: one character from standard input, decoded from UTF-8 to a code point. Once Ctrl-C has
/// raised the flag it reports the end of input, so that `readline` returns at once. It waits with `poll` in short
/// slices and looks at the flag between them: a SIGINT that arrives while libedit is busy drawing (not blocked in
/// `read`, so no EINTR) is still seen within 50 ms, and libedit's own retry of an interrupted read cannot swallow it.
private func readKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
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

/// The completer the C callback consults. Touched only on the thread that runs `readline`.
final class CompletionBridge: @unchecked Sendable {
    static let shared = CompletionBridge()
    var completer: Completer?
    var candidates: [String] = []
}

/// libedit's attempted-completion callback: works out the candidates for the line up to the cursor, as texts to put
/// in place of libedit's word (`start..<end`, see `Completer.insertions`), then lets `rl_completion_matches` hand
/// them out (it also computes their common prefix).
private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    hashlab_set_attempted_completion_over(1)
    let bridge = CompletionBridge.shared
    guard let completer = bridge.completer, let buffer = hashlab_line_buffer() else { return nil }
    // libedit counts `start` and `end` in characters (its wide-character buffer), not in the bytes of the UTF-8
    // `rl_line_buffer`: "«é» sh" has its cursor at 6, byte 9.
    let characters = Array(String(cString: buffer).unicodeScalars)
    let endIndex = min(max(0, Int(end)), characters.count)
    let startIndex = min(max(0, Int(start)), endIndex)
    func joined(_ part: ArraySlice<Unicode.Scalar>) -> String { String(String.UnicodeScalarView(part)) }
    let prefix = joined(characters[..<endIndex])
    let tail = joined(characters[startIndex..<endIndex])
    let completion = completer.insertions(prefix, replacing: tail)
    bridge.candidates = completion.candidates
    hashlab_set_completion_append_character(completion.arePaths ? 0 : 32)
    guard !completion.candidates.isEmpty, let text else { return nil }
    return rl_completion_matches(text, nextCandidate)
}

/// The generator `rl_completion_matches` calls with state 0, 1, 2, …: the state-th candidate, `strdup`ed (libedit
/// frees it), then NULL.
private func nextCandidate(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    let candidates = CompletionBridge.shared.candidates
    guard Int(state) < candidates.count else { return nil }
    return strdup(candidates[Int(state)])
}
