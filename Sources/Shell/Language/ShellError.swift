/// Everything that can go wrong while reading or running a command, each with a one-line description.
public enum ShellError: Error, CustomStringConvertible, Equatable {
    case unterminatedQuote(Character)
    case unknownCommand(String, suggestions: [String])
    case missingArgument(command: String, argument: String)
    case missingKeywordValue(command: String, keyword: String)
    case unexpectedArgument(command: String, word: String, suggestions: [String])
    case repeatedKeyword(command: String, keyword: String)
    case missingResultName(command: String)
    case resultNotAllowed(command: String)
    case invalidName(String)
    case wrongKind(argument: String, word: String, expected: String)
    case invalidChoice(argument: String, word: String, choices: [String], suggestions: [String])
    case unknownValue(String, suggestions: [String])
    case wrongValueType(name: String, actual: String, expected: [String])
    case noSuchFile(String)
    case noSuchFolder(String)
    /// A file that exists but could not be read as the value an argument takes (the reader's one-line reason).
    case unreadableFile(command: String, reason: String)
    case unknownField(value: String, field: String, fields: [String], suggestions: [String])
    case unknownOption(String, suggestions: [String])
    case scriptFailed(path: String, failures: Int, commands: Int)
    case interrupted
    /// A failure described in full by its message (commands' own checks).
    case message(String)

    public var description: String {
        switch self {
        case .unterminatedQuote(let quote):
            return "unterminated quote: a \(quote) has no closing \(quote)"
        case .unknownCommand(let name, let suggestions):
            return "unknown command `\(name)`" + Suggestions.phrase(suggestions)
                + (suggestions.isEmpty ? " (type help for the list)" : "")
        case .missingArgument(let command, let argument):
            return "\(command): missing \(argument) (see help \(command))"
        case .missingKeywordValue(let command, let keyword):
            return "\(command): `\(keyword)` needs a value after it"
        case .unexpectedArgument(let command, let word, let suggestions):
            return "\(command): unexpected `\(word)`" + Suggestions.phrase(suggestions)
                + (suggestions.isEmpty ? " (see help \(command))" : "")
        case .repeatedKeyword(let command, let keyword):
            return "\(command): `\(keyword)` is given twice"
        case .missingResultName(let command):
            return "\(command): say `as NAME` to keep the result"
        case .resultNotAllowed(let command):
            return "\(command): gives no value to keep with `as`"
        case .invalidName(let name):
            return "`\(name)` is not a valid name: use letters, digits and _ , starting with a letter or _"
        case .wrongKind(let argument, let word, let expected):
            return "\(argument): expected \(expected), got `\(word)`"
        case .invalidChoice(let argument, let word, let choices, let suggestions):
            return "\(argument): `\(word)` is not one of \(choices.joined(separator: ", "))"
                + Suggestions.phrase(suggestions)
        case .unknownValue(let name, let suggestions):
            return "no value named `\(name)`" + Suggestions.phrase(suggestions)
                + (suggestions.isEmpty ? " (vars lists them)" : "")
        case .wrongValueType(let name, let actual, let expected):
            return "`\(name)` is \(Article.with(actual)), expected "
                + expected.map(Article.with).joined(separator: " or ")
        case .noSuchFile(let path):
            return "\(path): no such file"
        case .noSuchFolder(let path):
            return "\(path): no such folder"
        case .unreadableFile(let command, let reason):
            return "\(command): \(reason)"
        case .unknownField(let value, let field, let fields, let suggestions):
            let known = fields.isEmpty ? " (it has no settable fields)"
                : " (fields: \(fields.joined(separator: ", ")))"
            return "`\(value)` has no field `\(field)`" + Suggestions.phrase(suggestions)
                + (suggestions.isEmpty ? known : "")
        case .unknownOption(let name, let suggestions):
            return "no session option `\(name)`" + Suggestions.phrase(suggestions)
                + (suggestions.isEmpty ? " (set with no arguments lists them)" : "")
        case .scriptFailed(let path, let failures, let commands):
            return "\(path): \(failures) of \(commands) command\(commands == 1 ? "" : "s") failed"
        case .interrupted:
            return "interrupted"
        case .message(let text):
            return text
        }
    }
}

/// A type name as a message says it: "an image", "a hash"; a plural or mass noun as a set ("a set of codes",
/// "a data set"), never "a codes".
enum Article {
    static func with(_ noun: String) -> String {
        guard let first = noun.lowercased().first else { return noun }
        if noun == "data" { return "a data set" }
        if noun.hasSuffix("s") { return "a set of " + noun }
        return ("aeiou".contains(first) ? "an " : "a ") + noun
    }
}
