import Foundation

/// A checked argument: what a word became once its kind accepted it.
public enum ArgumentValue {
    /// An existing value and the name it was given by (`p.train` for a member).
    case value(name: String, value: any ShellValue)
    case newName(String)
    /// A path with `~` expanded, relative paths left relative to the working folder.
    case path(String)
    case int(Int)
    case double(Double)
    case word(String)
    case text(String)
    case flag

    /// The word as text (a value's name, a path, a number's digits, …).
    public var text: String {
        switch self {
        case .value(let name, _): return name
        case .newName(let name), .path(let name), .word(let name), .text(let name): return name
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .flag: return ""
        }
    }
}

/// One run of a command: the session and the checked arguments. A command body reads its arguments typed,
/// `try invocation[Train.epochs]` (Parameter.swift); the accessors by name below are what those readers use.
public struct Invocation {
    public let command: Command
    public let session: Session
    /// The name after `as`, if given.
    public let resultName: String?
    /// Checked arguments by argument name or keyword; a repeating argument has several.
    public let arguments: [String: [ArgumentValue]]

    public init(command: Command, session: Session, resultName: String?, arguments: [String: [ArgumentValue]]) {
        self.command = command
        self.session = session
        self.resultName = resultName
        self.arguments = arguments
    }

    /// The session's output.
    public var output: Output { session.output }

    /// True once Ctrl-C was pressed: long loops poll this and stop cleanly.
    public var isInterrupted: Bool { session.isInterrupted }

    /// True when the argument or option was given.
    public func has(_ name: String) -> Bool { arguments[name] != nil }

    /// The checked argument, or nil when it was left out.
    public func argument(_ name: String) -> ArgumentValue? { arguments[name]?.first }

    /// Every word of a repeating argument.
    public func all(_ name: String) -> [ArgumentValue] { arguments[name] ?? [] }

    /// The value an argument names, as type `T` (the argument's kind already checked its type name; a value that
    /// wraps a `T`, such as an encoded code set, gives the `T`).
    public func value<T: ShellValue>(_ name: String, as type: T.Type) throws -> T {
        guard case .value(let valueName, let value)? = argument(name) else {
            throw ShellError.missingArgument(command: command.name, argument: name)
        }
        guard let typed = unwrapped(value, as: T.self) else {
            throw ShellError.wrongValueType(name: valueName, actual: value.typeName, expected: [T.typeName])
        }
        return typed
    }

    /// The value an argument names, of any type.
    public func value(_ name: String) -> (any ShellValue)? {
        if case .value(_, let value)? = argument(name) { return value }
        return nil
    }

    /// The name by which the argument's value was given.
    public func valueName(_ name: String) -> String? {
        if case .value(let valueName, _)? = argument(name) { return valueName }
        return nil
    }

    /// Throws `ShellError.interrupted` when Ctrl-C was pressed.
    public func checkInterruption() throws { try session.checkInterruption() }
}
