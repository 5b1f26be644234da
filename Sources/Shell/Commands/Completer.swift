import Foundation

/// Tab completion, worked out from the commands' declarations and the session's values.
public struct Completer {
    /// What Tab can put in place of the word being typed.
    public struct Completion: Sendable, Equatable {
        /// The candidates, each a whole replacement for the word being typed, sorted.
        public var candidates: [String]
        /// True when the candidates are paths: a folder (it ends with `/`) does not end the word.
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
        // What the next word is, read as the binder reads the words typed so far.
        let scan = ArgumentBinder.Scan(Array(line.completeTokens.dropFirst()), of: command)
        if scan.expectsResultName { return Completion(candidates: [], arePaths: false) }
        if let option = scan.expectedValue { return candidates(for: option.kind, partial) }
        var completion = Completion(candidates: [], arePaths: false)
        if let argument = scan.nextPositional {
            completion = candidates(for: argument.kind, partial)
        }
        if !completion.arePaths || completion.candidates.isEmpty {
            // Only the options this form of the command takes (`data synthetic` offers no `part`), each once.
            var keywords = command.options.filter { option in
                !scan.usedOptions.contains(option.name)
                    && (option.forms == nil || scan.form == nil || option.forms!.contains(scan.form!))
            }.map(\.name)
            if command.result != .none && !scan.usedAs { keywords.append("as") }
            completion.candidates = Array(Set(completion.candidates + filter(keywords, partial))).sorted()
        }
        return completion
    }

    /// What Tab does to the line: deletes the `deleting` characters before the cursor and types `inserting` there;
    /// or, when the candidates agree on nothing more than what was typed, shows them (`listing`). All empty: nothing
    /// matches.
    public struct Edit: Sendable, Equatable {
        /// Characters (Unicode scalars, as libedit counts them) to delete before the cursor.
        public var deleting = 0
        public var inserting = ""
        /// The candidates as a listing shows them: paths by their last part (`kitten.png`, `sub/`).
        public var listing: [String] = []

        public var isEmpty: Bool { deleting == 0 && inserting.isEmpty && listing.isEmpty }
    }

    /// The edit Tab makes at the end of `linePrefix`, the line up to the cursor.
    ///
    /// One candidate replaces the word being typed and ends it: the open quote closes and a blank follows, except
    /// after a folder, whose `/` waits for the next Tab. Several candidates replace the word by the start they share
    /// when that is longer than the word, and are listed otherwise. The new text reads back through the tokenizer as
    /// the candidate: inside `"…"` backslashes and quotes are escaped; outside quotes, an addition with a blank, a
    /// quote, a `;` or a backslash re-types the whole word inside `"…"` (`run my` → `run "my notes/`).
    public func edit(_ linePrefix: String) -> Edit {
        let completion = complete(linePrefix)
        let line = Tokenizer.partialLine(linePrefix)
        guard let first = completion.candidates.first else { return Edit() }
        let isSingle = completion.candidates.count == 1
        // Every candidate continues the partial word (`filter` and `paths` keep only those).
        let target = isSingle ? first : Self.sharedStart(completion.candidates)
        guard isSingle || target.count > line.partialWord.count else {
            return Edit(listing: completion.candidates.map { completion.arePaths ? Self.lastPart(ofPath: $0) : $0 })
        }
        let ends = isSingle && !(completion.arePaths && first.hasSuffix("/"))
        let addition = String(target.dropFirst(line.partialWord.count))
        switch line.openQuote {
        case "\"": return Edit(inserting: Self.escapedForDoubleQuotes(addition) + (ends ? "\" " : ""))
        case "'": return Edit(inserting: addition + (ends ? "' " : ""))
        default:
            guard addition.contains(where: { " \t\"';\\".contains($0) }) else {
                return Edit(inserting: addition + (ends ? " " : ""))
            }
            return Edit(deleting: line.partialWordSource.unicodeScalars.count,
                        inserting: "\"" + Self.escapedForDoubleQuotes(target) + (ends ? "\" " : ""))
        }
    }

    /// The longest start every one of `words` has.
    static func sharedStart(_ words: [String]) -> String {
        guard var shared = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            shared = Array(zip(shared, word).prefix { $0 == $1 }.map(\.0))
        }
        return String(shared)
    }

    /// A path's last part, a folder's with its `/`: `a/b/c.hl` → `c.hl`, `a/b/` → `b/`.
    static func lastPart(ofPath path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// `text` as it reads inside `"…"`: backslashes and double quotes escaped.
    static func escapedForDoubleQuotes(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    /// Candidates that an argument of `kind` accepts, starting with `partial`.
    public func candidates(for kind: ArgumentKind, _ partial: String) -> Completion {
        switch kind {
        case .value(let types):
            let names = filter(session.names(ofTypes: types), partial)
            // A kind that a file can stand for completes paths too, once the word cannot be a name any more.
            guard FileReadableValues.reader(forAnyOf: types) != nil, names.isEmpty || partial.contains("/") else {
                return Completion(candidates: names, arePaths: false)
            }
            let files = paths(partial, foldersOnly: false)
            return Completion(candidates: names + files, arePaths: !files.isEmpty)
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
    /// candidate continues what was typed (`~/Do` gives `~/Documents/`); a bare `~` is the home folder, `~/`.
    func paths(_ partial: String, foldersOnly: Bool) -> [String] {
        if partial == "~" { return ["~/"] }
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
