import Foundation

/// Binds the words of a statement to a command's declared arguments and checks each against its kind.
enum ArgumentBinder {
    /// How far a word is checked: against the session (names resolve to values, files must exist), or for its
    /// shape alone (a value's name need only be a valid name) — the latter checks a declaration's examples.
    enum Strictness { case resolving, syntaxOnly }

    /// The checked arguments and the result name of a statement whose first word named `command`.
    static func bind(_ words: ArraySlice<Token>, to command: Command, in session: Session,
                     strictness: Strictness = .resolving) throws(ShellError)
        -> (arguments: [String: [ArgumentValue]], resultName: String?) {
        var words = Array(words)
        if strictness == .resolving {
            for index in words.indices { words[index] = try expandingVariables(words[index], in: session) }
        }
        var resultName: String?
        if words.count >= 2, let asWord = words.dropLast().last, asWord.text == "as", !asWord.isQuoted {
            guard command.result != .none else { throw .resultNotAllowed(command: command.name) }
            let name = words.last!.text
            guard Session.isValidName(name) else { throw .invalidName(name) }
            resultName = name
            words.removeLast(2)
        } else if words.last?.text == "as" && words.last?.isQuoted == false {
            throw .missingKeywordValue(command: command.name, keyword: "as")
        }

        let scan = Scan(words, of: command)
        var bound: [String: [ArgumentValue]] = [:]
        for (word, role) in zip(words, scan.roles) {
            switch role {
            case .option(let option):
                if bound[option.name] != nil { throw .repeatedKeyword(command: command.name, keyword: option.name) }
                if option.kind.isFlag { bound[option.name] = [.flag] }
            case .optionValue(let option):
                bound[option.name] = [try check(word.text, as: option, argument: "\(command.name) \(option.name)",
                                                in: session, strictness: strictness)]
            case .positional(let argument):
                let label: String
                if case .word = argument.kind { label = argument.name } else { label = argument.placeholder }
                let value = try check(word.text, as: argument, argument: "\(command.name) \(label)", in: session,
                                      strictness: strictness)
                bound[argument.name, default: []].append(value)
            case .asKeyword, .resultName:
                // (A trailing `as NAME` was taken off above: this one is elsewhere.)
                throw .message("\(command.name): `as NAME` must come last")
            case .extra:
                let keywords = command.options.map(\.name) + (command.result == .none ? [] : ["as"])
                throw .unexpectedArgument(command: command.name, word: word.text,
                                          suggestions: word.isQuoted ? []
                                              : Suggestions.closest(to: word.text, among: keywords))
            }
        }
        if let option = scan.expectedValue {
            throw .missingKeywordValue(command: command.name, keyword: option.name)
        }
        if case .required = command.result, resultName == nil {
            throw .missingResultName(command: command.name)
        }
        for argument in command.arguments where !argument.isOptional && bound[argument.name] == nil {
            throw .missingArgument(command: command.name, argument: argument.placeholder)
        }
        for option in command.options where !option.isOptional && bound[option.name] == nil {
            throw .missingArgument(command: command.name, argument: "\(option.name) \(option.placeholder)")
        }
        try checkCombinations(bound, of: command, form: scan.form)
        return (bound, resultName)
    }

    /// The options given must belong to the form chosen (`data synthetic` takes no `part`) and come with the options
    /// they go with (`every` with `query` and `database`; `query` and `database` together).
    private static func checkCombinations(_ bound: [String: [ArgumentValue]], of command: Command,
                                          form: String?) throws(ShellError) {
        for option in command.options where bound[option.name] != nil {
            if let forms = option.forms, let form, !forms.contains(form) {
                throw .message("\(command.name) \(form): \(option.name) goes with "
                               + forms.map { "\(command.name) \($0)" }.joined(separator: " or "))
            }
            guard option.goesWith.contains(where: { bound[$0] == nil }) else { continue }
            let partners = option.goesWith.compactMap(command.option)
            let phrase = { (argument: Argument) in
                argument.kind.isFlag ? argument.name : "\(argument.name) \(argument.placeholder)"
            }
            // Two options that name each other come together.
            if partners.count == 1, partners[0].goesWith == [option.name] {
                throw .message("\(command.name): give both \(phrase(option)) and \(phrase(partners[0]))")
            }
            throw .message("\(command.name): \(option.name) goes with "
                           + partners.map(phrase).joined(separator: " and "))
        }
    }

    /// What each word of a statement is to a command, read left to right as `bind` reads it and as Tab completion
    /// reads a line being typed: an option's keyword or its value, the next positional argument, `as` or the name
    /// after it, or a word too many. Also where the line stands after its last word.
    struct Scan {
        enum Role {
            case option(Argument), optionValue(Argument), positional(Argument), asKeyword, resultName, extra
        }
        var roles: [Role] = []
        /// The option whose value the next word is, if any.
        var expectedValue: Argument?
        /// True when the next word names the result.
        var expectsResultName = false
        /// The positional argument the next word fills, if any.
        var nextPositional: Argument?
        var usedOptions = Set<String>()
        var usedAs = false
        /// The word given for the command's form argument (`cifar10` in `data cifar10 …`), if any.
        var form: String?

        init(_ words: [Token], of command: Command) {
            var positionalIndex = 0
            let formArgument = command.formArgument
            for word in words {
                if expectsResultName {
                    expectsResultName = false
                    roles.append(.resultName)
                } else if let option = expectedValue {
                    expectedValue = nil
                    roles.append(.optionValue(option))
                } else if !word.isQuoted && word.text == "as" && command.result != .none {
                    expectsResultName = true
                    usedAs = true
                    roles.append(.asKeyword)
                } else if !word.isQuoted, let option = command.option(word.text) {
                    usedOptions.insert(option.name)
                    if !option.kind.isFlag { expectedValue = option }
                    roles.append(.option(option))
                } else if positionalIndex < command.arguments.count {
                    let argument = command.arguments[positionalIndex]
                    if argument.name == formArgument?.name { form = word.text }
                    if !argument.isRepeating { positionalIndex += 1 }
                    roles.append(.positional(argument))
                } else {
                    roles.append(.extra)
                }
            }
            nextPositional = positionalIndex < command.arguments.count ? command.arguments[positionalIndex] : nil
        }
    }

    /// Checks one word against an argument's kind and its bounds. `label` names it in messages ("train epochs").
    static func check(_ word: String, as argument: Argument, argument label: String, in session: Session,
                      strictness: Strictness = .resolving) throws(ShellError) -> ArgumentValue {
        let value = try check(word, as: argument.kind, argument: label, in: session, strictness: strictness)
        if let bounds = argument.bounds {
            let number: Double?
            switch value {
            case .int(let whole): number = Double(whole)
            case .double(let real): number = real
            default: number = nil
            }
            if let number, !bounds.contains(number) {
                let command = label.split(separator: " ").first.map(String.init) ?? label
                throw .message("\(command): \(argument.name) must be \(bounds.phrase), not \(word)")
            }
        }
        return value
    }

    /// Checks one word against a kind. `argument` names it in messages ("train epochs").
    static func check(_ word: String, as kind: ArgumentKind, argument: String, in session: Session,
                      strictness: Strictness = .resolving) throws(ShellError) -> ArgumentValue {
        if strictness == .syntaxOnly {
            switch kind {
            case .value:
                guard Session.isValidName(word.split(separator: ".").first.map(String.init) ?? word) else {
                    throw .invalidName(word)
                }
                return .text(word)
            case .file, .folder:
                return .path(word)
            default:
                break
            }
        }
        switch kind {
        case .value(let types):
            let value: any ShellValue
            do {
                value = try session.value(named: word)
            } catch {
                // No value of that name: a kind that a file can stand for reads the file the word names.
                guard let reader = FileReadableValues.reader(forAnyOf: types) else { throw error }
                let path = expandingTilde(word)
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                    if looksLikePath(word) { throw .message("\(argument): no value or file named \(word)") }
                    throw error
                }
                guard !isFolder.boolValue else {
                    throw .message("\(argument): \(word) is a folder, not \(Article.with(reader.typeName)) file")
                }
                do {
                    return .value(name: word, value: try reader.read(fromFile: path))
                } catch {
                    throw .unreadableFile(command: String(argument.split(separator: " ").first ?? ""),
                                          reason: "\(error)")
                }
            }
            if !types.isEmpty && !types.contains(value.typeName) {
                throw .wrongValueType(name: word, actual: value.typeName, expected: types)
            }
            return .value(name: word, value: value)
        case .newName:
            guard Session.isValidName(word) else { throw .invalidName(word) }
            return .newName(word)
        case .path:
            return .path(expandingTilde(word))
        case .file:
            let path = expandingTilde(word)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw .noSuchFile(word) }
            guard !isFolder.boolValue else { throw .message("\(argument): \(word) is a folder, not a file") }
            return .path(path)
        case .folder:
            let path = expandingTilde(word)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw .noSuchFolder(word)
            }
            return .path(path)
        case .int:
            guard let number = Int(word.replacingOccurrences(of: "_", with: "")) else {
                throw .wrongKind(argument: argument, word: word, expected: kind.description)
            }
            return .int(number)
        case .double:
            guard let number = Double(word.replacingOccurrences(of: "_", with: "")), number.isFinite else {
                throw .wrongKind(argument: argument, word: word, expected: kind.description)
            }
            return .double(number)
        case .word(let choices):
            guard choices.contains(word) else {
                throw .invalidChoice(argument: argument, word: word, choices: choices,
                                     suggestions: Suggestions.closest(to: word, among: choices))
            }
            return .word(word)
        case .text, .custom:
            return .text(word)
        case .flag:
            return .flag
        case .oneOf(let kinds):
            var firstError: ShellError?
            var fileError: ShellError?
            for candidate in kinds {
                do {
                    return try check(word, as: candidate, argument: argument, in: session, strictness: strictness)
                } catch {
                    // A value kind's error (with its suggestions) is the most telling when the word names nothing;
                    // a file that exists but could not be read says why.
                    if firstError == nil { firstError = error }
                    if case .unreadableFile = error, fileError == nil { fileError = error }
                }
            }
            if let fileError { throw fileError }
            if case .unknownValue(_, let suggestions)? = firstError, !suggestions.isEmpty {
                throw .message("\(argument): expected \(kind.description), got `\(word)`"
                               + Suggestions.phrase(suggestions))
            }
            throw .wrongKind(argument: argument, word: word, expected: kind.description)
        }
    }

    /// The word with every `$NAME` (or `${NAME}`) replaced by the number or text kept with `let NAME …`: a number as
    /// it reads (`12`, `0.01`), a text as it is — so `let n 12` then `model dsh bits $n`, or `let alphas 0,0.01,0.1`
    /// then `sweep m.alpha $alphas …`. `$$` is a dollar sign. Any other `$` word is an error naming what is missing.
    static func expandingVariables(_ token: Token, in session: Session) throws(ShellError) -> Token {
        guard token.text.contains("$") else { return token }
        var result = ""
        var characters = token.text[...]
        while let dollar = characters.firstIndex(of: "$") {
            result += characters[..<dollar]
            var rest = characters[characters.index(after: dollar)...]
            if rest.first == "$" {
                result += "$"
                characters = rest.dropFirst()
                continue
            }
            let braced = rest.first == "{"
            if braced { rest = rest.dropFirst() }
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            guard !name.isEmpty, !braced || rest.dropFirst(name.count).first == "}" else {
                throw .message("`\(token.text)`: a $ must be followed by a name (`$n`, `${n}`), or written $$")
            }
            let value: any ShellValue
            do { value = try session.value(named: String(name)) } catch {
                throw .message("`$\(name)`: no number or text called \(name) (keep one with `let \(name) VALUE`)")
            }
            switch value {
            case let number as NumberValue: result += number.summary
            case let text as TextValue: result += text.text
            default:
                throw .message("`$\(name)`: \(name) is \(Article.with(value.typeName)); only numbers and texts kept "
                               + "with `let` can be put into a command (name other values without the $)")
            }
            characters = rest.dropFirst(name.count + (braced ? 1 : 0))
        }
        result += characters
        return Token(text: result, isQuoted: token.isQuoted)
    }

    /// True for a word that can only be a path: it has a slash, starts with `~` or ends with a file extension
    /// that no value name has (value names have no dots but between a value and its member).
    static func looksLikePath(_ word: String) -> Bool {
        if word.contains("/") || word.hasPrefix("~") { return true }
        let lower = word.lowercased()
        return [".png", ".jpg", ".jpeg"].contains { lower.hasSuffix($0) }
    }

    static func expandingTilde(_ path: String) -> String {
        if path == "~" || path.hasPrefix("~/") {
            return NSString(string: path).expandingTildeInPath
        }
        return path
    }
}
