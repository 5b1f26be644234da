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

/// The numbers a whole-number or real argument may take, checked when the line is bound: a word outside them is
/// refused in one line naming the argument ("train: epochs must be 1 or more, not 0", "hash: size must be between
/// 2 and 64, not 1").
public struct NumberBounds: Sendable, Equatable {
    public var lower: Double
    /// Whether `lower` itself is allowed (`false`: "must be positive").
    public var includesLower: Bool
    /// The largest number allowed, if any.
    public var upper: Double?

    /// `lower` or more.
    public static func atLeast(_ lower: Double) -> NumberBounds { NumberBounds(lower: lower, includesLower: true) }
    /// More than 0.
    public static let positive = NumberBounds(lower: 0, includesLower: false)
    /// From `lower` to `upper`, both included.
    public static func between(_ lower: Double, _ upper: Double) -> NumberBounds {
        NumberBounds(lower: lower, includesLower: true, upper: upper)
    }

    public func contains(_ number: Double) -> Bool {
        (includesLower ? number >= lower : number > lower) && number <= (upper ?? .infinity)
    }

    /// "1 or more", "positive", "between 2 and 64": what `help` and the refusal say.
    public var phrase: String {
        let text = { (number: Double) in number == number.rounded() ? String(Int(number)) : String(number) }
        if let upper { return "between \(text(lower)) and \(text(upper))" }
        return includesLower ? "\(text(lower)) or more" : "positive"
    }
}

/// One argument of a command: positional (by position) or a keyword option (`keyword value`).
///
/// Besides its kind, an argument declares what the binder checks for every command alike, so that no command body
/// repeats it: the numbers it may be (`bounds`), the forms of the command it belongs to (`forms`: the words of the
/// command's first word-kind argument, as `data cifar10|synthetic|folder`), and the options it goes with
/// (`goesWith`). Completion offers only what the form typed so far takes.
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
    /// The numbers a `.int` or `.double` argument may take (nil: any).
    public var bounds: NumberBounds?
    /// The forms of the command this option belongs to (nil: every form).
    public var forms: [String]?
    /// Options that must be given with this one; two options that name each other must be given together.
    public var goesWith: [String] = []

    /// A positional argument.
    public static func positional(_ name: String, _ kind: ArgumentKind, _ abstract: String,
                                  optional: Bool = false, repeating: Bool = false,
                                  default defaultDescription: String? = nil,
                                  placeholder: String? = nil, bounds: NumberBounds? = nil) -> Argument {
        Argument(name: name, kind: kind, abstract: abstract, isOptional: optional, isRepeating: repeating,
                 defaultDescription: defaultDescription, placeholder: placeholder ?? kind.placeholder, bounds: bounds)
    }

    /// A keyword option `keyword VALUE`, optional unless `required` is true.
    public static func keyword(_ keyword: String, _ kind: ArgumentKind, _ abstract: String,
                               required: Bool = false, default defaultDescription: String? = nil,
                               placeholder: String? = nil, bounds: NumberBounds? = nil, forms: [String]? = nil,
                               goesWith: [String] = []) -> Argument {
        Argument(name: keyword, kind: kind, abstract: abstract, isOptional: !required, isRepeating: false,
                 defaultDescription: defaultDescription, placeholder: placeholder ?? kind.placeholder,
                 bounds: bounds, forms: forms, goesWith: goesWith)
    }
}
