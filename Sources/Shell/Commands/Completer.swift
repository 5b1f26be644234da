import Foundation

/// Tab completion, worked out from the commands' declarations and the session's values.
public struct Completer {
    /// What Tab can put in place of the word being typed.
    public struct Completion: Sendable, Equatable {
        /// The candidates, each a whole replacement for the word being typed, sorted.
        public var candidates: [String]
        /// True when the candidates are paths: no blank is added after them (folders end with `/`).
        public var arePaths: Bool
    }

    public let session: Session

    public init(session: Session) {
        self.session = session
    }

    /// The completions for the line up to the cursor.
    public func complete(_ linePrefix: String) -> Completion {
        let line = Tokenizer.partialLine(linePrefix)
        let partial = line.partialWord
        guard let verb = line.completeTokens.first else {
            return Completion(candidates: filter(session.registry.allNames, partial), arePaths: false)
        }
        guard let command = session.registry.command(named: verb.text) else {
            return Completion(candidates: [], arePaths: false)
        }
        // Walk the words typed so far the way the binder does, to know what the next word is.
        var positionalIndex = 0
        var usedOptions = Set<String>()
        var expecting: ArgumentKind?
        var expectingResultName = false
        var usedAs = false
        for word in line.completeTokens.dropFirst() {
            if expectingResultName {
                expectingResultName = false
                continue
            }
            if expecting != nil {
                expecting = nil
                continue
            }
            if !word.isQuoted && word.text == "as" && command.result != .none {
                expectingResultName = true
                usedAs = true
                continue
            }
            if !word.isQuoted, let option = command.option(word.text) {
                usedOptions.insert(option.name)
                if !option.kind.isFlag { expecting = option.kind }
                continue
            }
            if positionalIndex < command.arguments.count && !command.arguments[positionalIndex].isRepeating {
                positionalIndex += 1
            }
        }
        if expectingResultName { return Completion(candidates: [], arePaths: false) }
        if let kind = expecting { return candidates(for: kind, partial) }
        var completion = Completion(candidates: [], arePaths: false)
        if positionalIndex < command.arguments.count {
            completion = candidates(for: command.arguments[positionalIndex].kind, partial)
        }
        if !completion.arePaths || completion.candidates.isEmpty {
            var keywords = command.options.map(\.name).filter { !usedOptions.contains($0) }
            if command.result != .none && !usedAs { keywords.append("as") }
            completion.candidates = Array(Set(completion.candidates + filter(keywords, partial))).sorted()
        }
        return completion
    }

    /// What the line editor should put in place of `typedTail` for each candidate of `complete(linePrefix)`.
    ///
    /// libedit replaces only the end of the line after its last blank or quote (`typedTail`), while a candidate
    /// replaces the whole word being typed. In `cd "my fo` the word is `my fo` but libedit replaces `fo`; so each
    /// candidate becomes `typedTail` plus what the candidate adds to the word, written so that the tokenizer reads
    /// it back: escaped inside `"…"`, and quoted where it holds a blank, a quote, a `;` or a backslash outside
    /// quotes (from the tail's start when the word is all `typedTail`, else from where the addition starts; the
    /// tokenizer joins quoted and unquoted parts of a word). A single file candidate closes the quote it is in; a
    /// folder leaves it open, for the next Tab.
    public func insertions(_ linePrefix: String, replacing typedTail: String) -> Completion {
        let completion = complete(linePrefix)
        let line = Tokenizer.partialLine(linePrefix)
        let isSingleFile = completion.candidates.count == 1 && completion.arePaths
            && completion.candidates[0].last != "/"
        // The quote a single file closes: the open one, or the one opened here.
        let close = isSingleFile ? String(line.openQuote ?? "\"") : ""
        let insertions = completion.candidates.map { candidate -> String in
            // Every candidate continues the partial word (`filter` and `paths` keep only those).
            let addition = String(candidate.dropFirst(line.partialWord.count))
            switch line.openQuote {
            case "\"": return typedTail + Self.escapedForDoubleQuotes(addition) + close
            case "'": return typedTail + addition + close
            default:
                guard addition.contains(where: { " \t\"';\\".contains($0) }) else { return typedTail + addition }
                if line.partialWord == typedTail { return "\"" + Self.escapedForDoubleQuotes(candidate) + close }
                return typedTail + "\"" + Self.escapedForDoubleQuotes(addition) + close
            }
        }
        return Completion(candidates: insertions, arePaths: completion.arePaths)
    }

    /// `text` as it reads inside `"…"`: backslashes and double quotes escaped.
    static func escapedForDoubleQuotes(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// Candidates that an argument of `kind` accepts, starting with `partial`.
    public func candidates(for kind: ArgumentKind, _ partial: String) -> Completion {
        switch kind {
        case .value(let types):
            return Completion(candidates: filter(session.names(ofTypes: types), partial), arePaths: false)
        case .word(let choices):
            return Completion(candidates: filter(choices, partial), arePaths: false)
        case .path, .file:
            return Completion(candidates: paths(partial, foldersOnly: false), arePaths: true)
        case .folder:
            return Completion(candidates: paths(partial, foldersOnly: true), arePaths: true)
        case .custom(_, _, let completions):
            return Completion(candidates: filter(completions(session), partial), arePaths: false)
        case .oneOf(let kinds):
            var all = Set<String>()
            var arePaths = false
            for kind in kinds {
                let part = candidates(for: kind, partial)
                all.formUnion(part.candidates)
                arePaths = arePaths || (part.arePaths && !part.candidates.isEmpty)
            }
            return Completion(candidates: all.sorted(), arePaths: arePaths)
        case .newName, .int, .double, .text, .flag:
            return Completion(candidates: [], arePaths: false)
        }
    }

    private func filter(_ names: [String], _ partial: String) -> [String] {
        Array(Set(names.filter { $0.hasPrefix(partial) })).sorted()
    }

    /// Files and folders whose path starts with `partial`; folders end with `/`. Hidden entries only when the
    /// partial name starts with a dot. `partial` is split at its last slash before `~` is expanded, so that every
    /// candidate continues what was typed (`~/Do` gives `~/Documents/`).
    func paths(_ partial: String, foldersOnly: Bool) -> [String] {
        let shownFolder: String
        let namePart: String
        if let slash = partial.lastIndex(of: "/") {
            shownFolder = String(partial[...slash])
            namePart = String(partial[partial.index(after: slash)...])
        } else {
            shownFolder = ""
            namePart = partial
        }
        let fileManager = FileManager.default
        let listed = shownFolder.isEmpty ? fileManager.currentDirectoryPath : ArgumentBinder.expandingTilde(shownFolder)
        guard let entries = try? fileManager.contentsOfDirectory(atPath: listed) else { return [] }
        var result: [String] = []
        for entry in entries where entry.hasPrefix(namePart) {
            if entry.hasPrefix(".") && !namePart.hasPrefix(".") { continue }
            var isFolder: ObjCBool = false
            _ = fileManager.fileExists(atPath: (listed as NSString).appendingPathComponent(entry), isDirectory: &isFolder)
            if isFolder.boolValue {
                result.append(shownFolder + entry + "/")
            } else if !foldersOnly {
                result.append(shownFolder + entry)
            }
        }
        return result.sorted()
    }
}
