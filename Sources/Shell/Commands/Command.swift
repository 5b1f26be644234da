/// A group of commands in `help`, in the order of `rank`.
public struct Topic: Sendable, Hashable {
    public var name: String
    /// One line under the topic's heading in `help`.
    public var abstract: String
    /// Smaller ranks come first in `help`.
    public var rank: Int

    public init(_ name: String, abstract: String, rank: Int) {
        self.name = name
        self.abstract = abstract
        self.rank = rank
    }

    /// The shell's own commands: values, scripts, settings.
    public static let session = Topic("session", abstract: "values, scripts and settings", rank: 90)
}

/// Whether a command's result can be kept with `as NAME`.
public enum ResultNaming: Sendable, Equatable {
    /// The command makes no value.
    case none
    /// `as NAME` keeps the value of this type; without it the value is dropped (the command prints what matters).
    case optional(String)
    /// `as NAME` must be given.
    case required(String)

    var typeName: String? {
        switch self {
        case .none: return nil
        case .optional(let type), .required(let type): return type
        }
    }
}

/// A command of the shell, declared once: parsing, `help`, completion and "did you mean" all come from this value.
///
/// The words after the verb bind as follows: a word equal to one of `options`' keywords (unquoted) starts that
/// option (its value is the next word, except for flags); `as NAME` at the end names the result; every other word
/// fills the next positional argument of `arguments`, a repeating last argument taking all the rest.
public struct Command: Sendable {
    public var name: String
    /// Other names that run the same command (`exit` for `quit`).
    public var aliases: [String]
    public var topic: Topic
    /// One line, a sentence: what the command does.
    public var abstract: String
    /// Further lines for `help CMD` (may be empty).
    public var discussion: String
    /// Positional arguments in order; optional ones come after the required ones.
    public var arguments: [Argument]
    /// Keyword options, in the order `help` lists them.
    public var options: [Argument]
    public var result: ResultNaming
    /// Complete command lines a user can type, for `help CMD`.
    public var examples: [String]
    /// Does the work. Reads its arguments from the invocation; prints through `invocation.output`; returns the value
    /// to keep under `as NAME` (or nil). A thrown error leaves every value of the session as it was.
    public var run: @Sendable (Invocation) throws -> (any ShellValue)?
    /// True (the default) when a failure puts every value back as it was before the command. `run` sets it to
    /// false, so that the values a script made before its failing line stay.
    public var restoresValuesOnFailure = true

    /// A command whose arguments are typed `Parameter`s (see Parameter.swift; an untyped `Argument` where no type
    /// fits).
    public init(_ name: String, aliases: [String] = [], topic: Topic, abstract: String, discussion: String = "",
                arguments: [any ArgumentDeclaration] = [], options: [any ArgumentDeclaration] = [],
                result: ResultNaming = .none, examples: [String] = [],
                run: @escaping @Sendable (Invocation) throws -> (any ShellValue)?) {
        self.name = name
        self.aliases = aliases
        self.topic = topic
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments.map(\.argument)
        self.options = options.map(\.argument)
        self.result = result
        self.examples = examples
        self.run = run
    }

    /// The usage line: `train MODEL on DATA [epochs N] [as NAME]`.
    public var synopsis: String {
        var parts = [name]
        for argument in arguments {
            var text = argument.placeholder
            if argument.isRepeating { text += "…" }
            parts.append(argument.isOptional ? "[\(text)]" : text)
        }
        for option in options {
            let text = option.kind.isFlag ? option.name : "\(option.name) \(option.placeholder)"
            parts.append(option.isOptional ? "[\(text)]" : text)
        }
        switch result {
        case .none: break
        case .optional: parts.append("[as NAME]")
        case .required: parts.append("as NAME")
        }
        return parts.joined(separator: " ")
    }

    /// The option with this keyword.
    public func option(_ keyword: String) -> Argument? {
        options.first { $0.name == keyword }
    }

    /// The positional argument whose word picks the command's form (`data cifar10|synthetic|folder`), when some
    /// option belongs to only some forms: its first argument of a word kind.
    public var formArgument: Argument? {
        guard options.contains(where: { $0.forms != nil }) else { return nil }
        return arguments.first { if case .word = $0.kind { return true } else { return false } }
    }
}

extension ArgumentKind {
    var isFlag: Bool {
        if case .flag = self { return true }
        return false
    }
}
