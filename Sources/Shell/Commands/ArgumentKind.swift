/// What an argument accepts. The kind decides how a word is checked, what completion offers and how `help` names it.
public indirect enum ArgumentKind: Sendable {
    /// The name of an existing value whose `typeName` is one of these (empty: any value). Dotted names reach
    /// members (`p.train`).
    case value([String])
    /// A name for a value that need not exist yet.
    case newName
    /// Any file system path (for a file to be written, say).
    case path
    /// A path to an existing regular file.
    case file
    /// A path to an existing folder.
    case folder
    /// A whole number.
    case int
    /// A finite real number.
    case double
    /// One word out of a fixed list.
    case word([String])
    /// Any word (quote it to include blanks).
    case text
    /// A keyword that takes no value: present or absent (keyword options only).
    case flag
    /// The first of these kinds that accepts the word.
    case oneOf([ArgumentKind])
    /// Free text with its own completion list (e.g. `set`'s targets).
    case custom(placeholder: String, description: String, completions: @Sendable (Session) -> [String])

    /// An existing value of one of these Swift types.
    public static func value(of types: any ShellValue.Type...) -> ArgumentKind {
        .value(types.map { $0.typeName })
    }

    /// The upper-case placeholder used in synopses: IMAGE, FILE, N, …
    public var placeholder: String {
        switch self {
        case .value(let types): return types.count == 1 ? types[0].uppercased() : "NAME"
        case .newName: return "NAME"
        case .path, .file: return "FILE"
        case .folder: return "FOLDER"
        case .int: return "N"
        case .double: return "X"
        case .word(let choices): return choices.joined(separator: "|")
        case .text: return "TEXT"
        case .flag: return ""
        case .oneOf(let kinds): return kinds.map(\.placeholder).joined(separator: "|")
        case .custom(let placeholder, _, _): return placeholder
        }
    }

    /// A phrase for messages and `help`: "an image", "one of on, off", …
    public var description: String {
        switch self {
        case .value(let types):
            if types.isEmpty { return "the name of a value" }
            let byName = types.map(Article.with).joined(separator: " or ") + " (by name"
            if let readable = FileReadableValues.reader(forAnyOf: types) {
                return byName + ", or \(Article.with(readable.typeName)) file)"
            }
            return byName + ")"
        case .newName: return "a new name"
        case .path: return "a path"
        case .file: return "an existing file"
        case .folder: return "an existing folder"
        case .int: return "a whole number"
        case .double: return "a number"
        case .word(let choices): return "one of " + choices.joined(separator: ", ")
        case .text: return "text"
        case .flag: return "no value"
        case .oneOf(let kinds): return kinds.map(\.description).joined(separator: " or ")
        case .custom(_, let description, _): return description
        }
    }
}

/// One argument of a command: positional (by position) or a keyword option (`keyword value`).
public struct Argument: Sendable {
    /// For a positional argument, the name the `run` closure asks for; for an option, the keyword itself.
    public var name: String
    public var kind: ArgumentKind
    /// One line for `help CMD`.
    public var abstract: String
    /// True when the argument may be left out.
    public var isOptional: Bool
    /// True for a last positional argument that takes every remaining word (until a keyword).
    public var isRepeating: Bool
    /// What happens when it is left out, for `help` ("10", "2 × bits").
    public var defaultDescription: String?
    /// The placeholder shown in the synopsis; defaults to the kind's.
    public var placeholder: String

    /// A positional argument.
    public static func positional(_ name: String, _ kind: ArgumentKind, _ abstract: String,
                                  optional: Bool = false, repeating: Bool = false,
                                  default defaultDescription: String? = nil,
                                  placeholder: String? = nil) -> Argument {
        Argument(name: name, kind: kind, abstract: abstract, isOptional: optional, isRepeating: repeating,
                 defaultDescription: defaultDescription, placeholder: placeholder ?? kind.placeholder)
    }

    /// A keyword option `keyword VALUE`, optional unless `required` is true.
    public static func keyword(_ keyword: String, _ kind: ArgumentKind, _ abstract: String,
                               required: Bool = false, default defaultDescription: String? = nil,
                               placeholder: String? = nil) -> Argument {
        Argument(name: keyword, kind: kind, abstract: abstract, isOptional: !required, isRepeating: false,
                 defaultDescription: defaultDescription, placeholder: placeholder ?? kind.placeholder)
    }

    /// A keyword option without a value (`force`).
    public static func flag(_ keyword: String, _ abstract: String) -> Argument {
        Argument(name: keyword, kind: .flag, abstract: abstract, isOptional: true, isRepeating: false,
                 defaultDescription: nil, placeholder: "")
    }
}
