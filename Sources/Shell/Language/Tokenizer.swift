import Foundation

/// One word of a command line: a verb, an argument, a keyword or a value.
public struct Token: Sendable, Equatable {
    /// The word with its quotes removed and escapes resolved.
    public var text: String
    /// True when any part of the word was quoted: a quoted word is never taken for a keyword or for `as`.
    public var isQuoted: Bool

    public init(text: String, isQuoted: Bool = false) {
        self.text = text
        self.isQuoted = isQuoted
    }
}

/// One command of a line: lines hold several commands separated by `;`.
public struct Statement: Sendable, Equatable {
    /// The words of the command, the verb first.
    public var tokens: [Token]
    /// The command's own text, trimmed and without its comment: what a transcript echoes.
    public var source: String
}

/// Splits a line into statements and words.
///
/// The grammar: words are separated by blanks; `"…"` quotes a word with blanks (`\"`, `\\`, `\n`, `\t` are escapes
/// inside it); `'…'` quotes a word literally; a `#` that starts a word begins a comment to the end of the line; a `;`
/// outside quotes ends a command. Quoted parts join the unquoted characters next to them (`a"b c"` is `ab c`).
public enum Tokenizer {
    /// What a lenient scan of an unfinished line finds (used for completion).
    public struct PartialLine: Sendable, Equatable {
        /// The words of the last statement before the word being typed.
        public var completeTokens: [Token]
        /// The word under the cursor (empty if the cursor follows a blank).
        public var partialWord: String
        /// That word as typed, quotes and escapes included: `"my fo` for the word `my fo`. Completion replaces it.
        public var partialWordSource: String
        /// The quote (`"` or `'`) the word being typed opened and did not close, if any.
        public var openQuote: Character?
    }

    /// Splits `line` into statements; empty statements (blank, comment-only) are dropped.
    public static func statements(in line: String) throws(ShellError) -> [Statement] {
        let scan = scan(line, lenient: false)
        if let quote = scan.openQuote {
            throw .unterminatedQuote(quote)
        }
        return scan.statements.filter { !$0.tokens.isEmpty }
    }

    /// Scans an unfinished line up to the cursor, never failing: the basis of Tab completion.
    public static func partialLine(_ line: String) -> PartialLine {
        let scan = scan(line, lenient: true)
        var tokens = scan.statements.last?.tokens ?? []
        if scan.endsInsideWord, let last = tokens.popLast() {
            return PartialLine(completeTokens: tokens, partialWord: last.text,
                               partialWordSource: String(Array(line)[scan.lastWordStart...]), openQuote: scan.openQuote)
        }
        return PartialLine(completeTokens: tokens, partialWord: "", partialWordSource: "", openQuote: nil)
    }

    private struct Scan {
        var statements: [Statement] = []
        var openQuote: Character?
        var endsInsideWord = false
        /// Where the last word started, in characters.
        var lastWordStart = 0
    }

    private static func scan(_ line: String, lenient: Bool) -> Scan {
        var scan = Scan()
        var tokens: [Token] = []
        var word = ""
        var wordStarted = false
        var wordQuoted = false
        var statementStart = 0
        var endedInComment = false
        let characters = Array(line)
        var index = 0

        func endWord() {
            if wordStarted {
                tokens.append(Token(text: word, isQuoted: wordQuoted))
            }
            word = ""
            wordStarted = false
            wordQuoted = false
        }
        func endStatement(at end: Int) {
            endWord()
            let source = String(characters[statementStart..<max(statementStart, end)])
                .trimmingCharacters(in: .whitespaces)
            scan.statements.append(Statement(tokens: tokens, source: source))
            tokens = []
        }

        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {  // also "\r\n", a single Character
                endWord()
                index += 1
                continue
            }
            if character == ";" {
                endStatement(at: index)
                index += 1
                statementStart = index
                continue
            }
            if character == "#" && !wordStarted {
                // A comment runs to the end of the line.
                endStatement(at: index)
                endedInComment = true
                break
            }
            if !wordStarted { scan.lastWordStart = index }
            wordStarted = true
            if character == "\"" || character == "'" {
                wordQuoted = true
                let quote = character
                index += 1
                var closed = false
                while index < characters.count {
                    let inner = characters[index]
                    if inner == quote {
                        closed = true
                        index += 1
                        break
                    }
                    if quote == "\"" && inner == "\\" && index + 1 < characters.count {
                        let escaped = characters[index + 1]
                        switch escaped {
                        case "n": word.append("\n")
                        case "t": word.append("\t")
                        default: word.append(escaped)
                        }
                        index += 2
                        continue
                    }
                    word.append(inner)
                    index += 1
                }
                if !closed {
                    scan.openQuote = quote
                    if !lenient { return scan }
                }
                continue
            }
            word.append(character)
            index += 1
        }
        if !endedInComment {
            scan.endsInsideWord = wordStarted
            endStatement(at: characters.count)
        }
        return scan
    }
}
