import Foundation

// Typed command arguments. A command declares each of its arguments once, as a `Parameter<Value>`: the `Argument`
// the binder, `help`, completion and "did you mean" read (kind, bounds, default, form, what it goes with), and how
// its checked word becomes a `Value`. The command body reads it back typed, `try invocation[Train.epochs]`: an
// `Int?` for an option without a default, an `Int` for one with a default or a required one, a `ModelValue` for a
// model's name — never a string key and a `!`.
//
//     enum Train {
//         static let model = Argument.positional("model", value: ModelValue.self, "the model to train")
//         static let epochs = Argument.keyword("epochs", Int.self, "how many more epochs", bounds: .atLeast(1))
//     }
//     Command("train", …, arguments: [Train.model], options: [Train.epochs]) { invocation in
//         let model = try invocation[Train.model]          // ModelValue
//         let epochs = try invocation[Train.epochs]        // Int?

/// Anything a command lists among its arguments or options: an untyped `Argument`, or a typed `Parameter`.
public protocol ArgumentDeclaration: Sendable {
    var argument: Argument { get }
}

extension Argument: ArgumentDeclaration {
    public var argument: Argument { self }
}

/// A declared argument read back with its type (see the top of this file).
public struct Parameter<Value>: ArgumentDeclaration {
    public let argument: Argument
    private let reader: @Sendable (Invocation) throws -> Value

    /// A parameter read by `read` (for kinds the factories below do not cover, such as `oneOf`).
    public init(_ argument: Argument, read: @escaping @Sendable (Invocation) throws -> Value) {
        self.argument = argument
        self.reader = read
    }

    /// The keyword or argument name.
    public var name: String { argument.name }

    func read(from invocation: Invocation) throws -> Value { try reader(invocation) }
}

extension Invocation {
    /// The value of a declared parameter, typed.
    public subscript<Value>(_ parameter: Parameter<Value>) -> Value {
        get throws { try parameter.read(from: self) }
    }

    /// True when the parameter was given on the line (a default does not count).
    public func has<Value>(_ parameter: Parameter<Value>) -> Bool { has(parameter.name) }

    /// The name by which a value parameter's value was given (`p.train`), for messages and provenance.
    public func name<Value>(of parameter: Parameter<Value>) -> String? { valueName(parameter.name) }
}

/// A type a word of the command line can be read as: its kind, and how a checked word becomes one.
public protocol ArgumentReadable: Sendable {
    static var argumentKind: ArgumentKind { get }
    /// The value of a word checked as `argumentKind`.
    static func read(_ value: ArgumentValue) -> Self?
    /// How `help` writes it as a default.
    var argumentText: String { get }
}

extension Int: ArgumentReadable {
    public static var argumentKind: ArgumentKind { .int }
    public static func read(_ value: ArgumentValue) -> Int? {
        if case .int(let number) = value { return number }
        return nil
    }
    public var argumentText: String { String(self) }
}

extension Double: ArgumentReadable {
    public static var argumentKind: ArgumentKind { .double }
    public static func read(_ value: ArgumentValue) -> Double? {
        switch value {
        case .double(let number): return number
        case .int(let number): return Double(number)
        default: return nil
        }
    }
    public var argumentText: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension String: ArgumentReadable {
    public static var argumentKind: ArgumentKind { .text }
    public static func read(_ value: ArgumentValue) -> String? { value.text }
    public var argumentText: String { self }
}

/// A word out of a closed list: an enumeration whose raw values are the words (`HashKind`, `HashingMethod`).
public protocol ArgumentWord: ArgumentReadable, CaseIterable, RawRepresentable where RawValue == String {}

extension ArgumentWord {
    public static var argumentKind: ArgumentKind { .word(allCases.map(\.rawValue)) }
    public static func read(_ value: ArgumentValue) -> Self? { Self(rawValue: value.text) }
    public var argumentText: String { rawValue }
}

/// A path as typed (`~` expanded): a file to write, or one that must exist (`.file`), or a folder (`.folder`).
public struct PathArgument: Sendable, Equatable {
    public var path: String
    public var url: URL { URL(fileURLWithPath: path) }
}

// The factories: `Argument.positional(…, Int.self, …)` and `Argument.keyword(…, Int.self, …)` give typed
// parameters, as the untyped `Argument.positional(…, .int, …)` gives an `Argument`. A keyword with a `default`
// reads as the type itself, one without as an optional, a `required` one as the type.
extension Argument {
    /// A required positional argument of a readable type.
    public static func positional<T: ArgumentReadable>(_ name: String, _ type: T.Type, _ abstract: String,
                                                       placeholder: String? = nil,
                                                       bounds: NumberBounds? = nil) -> Parameter<T> {
        let argument = Argument.positional(name, T.argumentKind, abstract, placeholder: placeholder, bounds: bounds)
        return Parameter(argument) { try $0.required(argument, T.read) }
    }

    /// An optional positional argument of a readable type: nil when left out.
    public static func positional<T: ArgumentReadable>(_ name: String, _ type: T.Type, _ abstract: String,
                                                       optional: Bool, otherwise: String? = nil,
                                                       placeholder: String? = nil,
                                                       bounds: NumberBounds? = nil) -> Parameter<T?> {
        precondition(optional, "an optional positional argument says optional: true")
        let argument = Argument.positional(name, T.argumentKind, abstract, optional: true, default: otherwise,
                                           placeholder: placeholder, bounds: bounds)
        return Parameter(argument) { $0.argument(argument.name).flatMap(T.read) }
    }

    /// A last positional argument taking every remaining word, at least one.
    public static func positional<T: ArgumentReadable>(_ name: String, _ type: T.Type, _ abstract: String,
                                                       repeating: Bool, placeholder: String? = nil) -> Parameter<[T]> {
        precondition(repeating, "a repeating positional argument says repeating: true")
        let argument = Argument.positional(name, T.argumentKind, abstract, repeating: true, placeholder: placeholder)
        return Parameter(argument) { $0.all(argument.name).compactMap(T.read) }
    }

    /// A keyword option with a default: the default when left out (`help` shows it).
    public static func keyword<T: ArgumentReadable>(_ keyword: String, _ type: T.Type, _ abstract: String,
                                                    default value: T, placeholder: String? = nil,
                                                    bounds: NumberBounds? = nil, forms: [String]? = nil,
                                                    goesWith: [String] = []) -> Parameter<T> {
        let argument = Argument.keyword(keyword, T.argumentKind, abstract, default: value.argumentText,
                                        placeholder: placeholder, bounds: bounds, forms: forms, goesWith: goesWith)
        return Parameter(argument) { $0.argument(keyword).flatMap(T.read) ?? value }
    }

    /// A keyword option without a default: nil when left out; `otherwise` says in `help` what happens then.
    public static func keyword<T: ArgumentReadable>(_ keyword: String, _ type: T.Type, _ abstract: String,
                                                    otherwise: String? = nil, placeholder: String? = nil,
                                                    bounds: NumberBounds? = nil, forms: [String]? = nil,
                                                    goesWith: [String] = []) -> Parameter<T?> {
        let argument = Argument.keyword(keyword, T.argumentKind, abstract, default: otherwise,
                                        placeholder: placeholder, bounds: bounds, forms: forms, goesWith: goesWith)
        return Parameter(argument) { $0.argument(keyword).flatMap(T.read) }
    }

    /// A keyword option that must be given.
    public static func keyword<T: ArgumentReadable>(_ keyword: String, _ type: T.Type, _ abstract: String,
                                                    required: Bool, placeholder: String? = nil,
                                                    bounds: NumberBounds? = nil) -> Parameter<T> {
        precondition(required, "a required keyword option says required: true")
        let argument = Argument.keyword(keyword, T.argumentKind, abstract, required: true, placeholder: placeholder,
                                        bounds: bounds)
        return Parameter(argument) { try $0.required(argument, T.read) }
    }

    /// A keyword without a value: true when given.
    public static func flag(_ keyword: String, _ abstract: String, forms: [String]? = nil,
                            goesWith: [String] = []) -> Parameter<Bool> {
        let argument = Argument.keyword(keyword, .flag, abstract, forms: forms, goesWith: goesWith)
        return Parameter(argument) { $0.has(keyword) }
    }

    /// A path of the kind given — a file to write (`.path`), an existing file (`.file`) or folder (`.folder`); nil
    /// when left out.
    public static func path(_ keyword: String, _ kind: ArgumentKind, _ abstract: String,
                            positional: Bool = false, otherwise: String? = nil, placeholder: String? = nil,
                            forms: [String]? = nil, goesWith: [String] = []) -> Parameter<PathArgument?> {
        let argument = positional
            ? Argument.positional(keyword, kind, abstract, optional: true, default: otherwise, placeholder: placeholder)
            : Argument.keyword(keyword, kind, abstract, default: otherwise, placeholder: placeholder, forms: forms,
                               goesWith: goesWith)
        return Parameter(argument) { invocation in invocation.argument(keyword).map { PathArgument(path: $0.text) } }
    }

    /// A path that must be given.
    public static func path(_ name: String, _ kind: ArgumentKind, _ abstract: String, required: Bool,
                            positional: Bool = false, placeholder: String? = nil) -> Parameter<PathArgument> {
        precondition(required, "a required path says required: true")
        let argument = positional
            ? Argument.positional(name, kind, abstract, placeholder: placeholder)
            : Argument.keyword(name, kind, abstract, required: true, placeholder: placeholder)
        return Parameter(argument) { try $0.required(argument) { PathArgument(path: $0.text) } }
    }

    /// A session value of type `T`, by name (or, for a type a file can stand for, a file): required.
    public static func positional<T: ShellValue>(_ name: String, value type: T.Type, _ abstract: String,
                                                 placeholder: String? = nil) -> Parameter<T> {
        let argument = Argument.positional(name, .value([T.typeName]), abstract, placeholder: placeholder)
        return Parameter(argument) { try $0.value(name, as: T.self) }
    }

    /// A session value of type `T`, by name: nil when left out.
    public static func positional<T: ShellValue>(_ name: String, value type: T.Type, _ abstract: String,
                                                 optional: Bool, placeholder: String? = nil) -> Parameter<T?> {
        precondition(optional, "an optional positional argument says optional: true")
        let argument = Argument.positional(name, .value([T.typeName]), abstract, optional: true,
                                           placeholder: placeholder)
        return Parameter(argument) { $0.has(name) ? try $0.value(name, as: T.self) : nil }
    }

    /// Every value of a repeating positional argument, each with the name it was given by.
    public static func positional<T: ShellValue>(_ name: String, value type: T.Type, _ abstract: String,
                                                 repeating: Bool, placeholder: String? = nil)
        -> Parameter<[(name: String, value: T)]> {
        precondition(repeating, "a repeating positional argument says repeating: true")
        let argument = Argument.positional(name, .value([T.typeName]), abstract, repeating: true,
                                           placeholder: placeholder)
        return Parameter(argument) { invocation in
            invocation.all(name).compactMap { word in
                guard case .value(let valueName, let value) = word, let typed = unwrapped(value, as: T.self) else {
                    return nil
                }
                return (valueName, typed)
            }
        }
    }

    /// A session value of type `T` as a keyword option: required.
    public static func keyword<T: ShellValue>(_ keyword: String, value type: T.Type, _ abstract: String,
                                              required: Bool, placeholder: String? = nil) -> Parameter<T> {
        precondition(required, "a required keyword option says required: true")
        let argument = Argument.keyword(keyword, .value([T.typeName]), abstract, required: true,
                                        placeholder: placeholder)
        return Parameter(argument) { try $0.value(keyword, as: T.self) }
    }

    /// A session value of type `T` as a keyword option: nil when left out.
    public static func keyword<T: ShellValue>(_ keyword: String, value type: T.Type, _ abstract: String,
                                              placeholder: String? = nil, forms: [String]? = nil,
                                              goesWith: [String] = []) -> Parameter<T?> {
        let argument = Argument.keyword(keyword, .value([T.typeName]), abstract, placeholder: placeholder,
                                        forms: forms, goesWith: goesWith)
        return Parameter(argument) { $0.has(keyword) ? try $0.value(keyword, as: T.self) : nil }
    }
}

extension Invocation {
    /// A required argument's value read by `read` (the binder has made sure it is there and of its kind).
    fileprivate func required<T>(_ argument: Argument, _ read: (ArgumentValue) -> T?) throws -> T {
        guard let value = self.argument(argument.name).flatMap(read) else {
            throw ShellError.missingArgument(command: command.name, argument: argument.placeholder)
        }
        return value
    }
}
