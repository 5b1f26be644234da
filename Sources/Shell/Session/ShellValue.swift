import Imaging

/// How a value is drawn by `show`: whether ANSI colour may be used and how wide the terminal is.
public struct RenderContext: Sendable {
    public var usesColour: Bool
    public var width: Int

    public init(usesColour: Bool = false, width: Int = 80) {
        self.usesColour = usesColour
        self.width = width
    }
}

/// A value the session can hold under a name: an image, a hash, a code set, a model, …
///
/// Conform a type in the topic file that introduces it; `vars` uses `typeName` and `summary`, `show` uses `render`.
public protocol ShellValue {
    /// A lower-case noun naming the type in messages and in `ArgumentKind.value` ("image", "hash", "model").
    static var typeName: String { get }
    /// One line for `vars`: "64×64 RGB", "phash c2924c5532bddfc8", …
    var summary: String { get }
    /// The full display for `show NAME` (several lines allowed, no trailing newline). Defaults to `summary`.
    func render(in context: RenderContext) -> String
    /// Shows the value on `output` for `show NAME`. Defaults to `render(in:)` as text; a value with pictures (an
    /// image, a data set's previews) sends them as pictures (`Output.pictures`), so that a notebook keeps them as
    /// images while a terminal prints the same characters as `render(in:)`.
    func display(on output: Output)
    /// Names of read-only parts reachable as `NAME.PART` (a split's `train`, `query`, `database`). Defaults to none.
    var memberNames: [String] { get }
    /// The part called `name`, or nil.
    func member(named name: String) -> (any ShellValue)?
}

extension ShellValue {
    /// The type name of this value's dynamic type.
    public var typeName: String { Self.typeName }
    public func render(in context: RenderContext) -> String { summary }
    public func display(on output: Output) { output.line(render(in: output.renderContext)) }
    public var memberNames: [String] { [] }
    public func member(named name: String) -> (any ShellValue)? { nil }
}

/// A value type that a file can stand for: wherever an argument takes a value of this type by name, a path to an
/// existing file is read as one (`hash phash photo.png` as well as `hash phash photo`). A name in the session
/// always wins over a file of the same name.
public protocol FileReadableValue: ShellValue {
    /// Reads the file; a one-line error naming the file when it cannot.
    static func read(fromFile path: String) throws -> Self
}

/// The value types that files can stand for, by type name.
enum FileReadableValues {
    static let types: [any FileReadableValue.Type] = [Image.self]

    /// The reader for the first of `typeNames` that a file can stand for, if any.
    static func reader(forAnyOf typeNames: [String]) -> (any FileReadableValue.Type)? {
        types.first { typeNames.contains($0.typeName) }
    }
}

/// A field of a value that `set NAME.FIELD VALUE` changes (a model's `alpha`, `margin`, …).
public struct ValueField: Sendable {
    public var name: String
    /// What the new value must be; the shell checks it before `setField` is called.
    public var kind: ArgumentKind
    public var abstract: String
    /// Why setting the field now would change nothing (a model's margin that its method does not read), or nil.
    /// `set` refuses such a field with this reason, and completion does not offer it.
    public var unreadReason: String?

    public init(_ name: String, _ kind: ArgumentKind, _ abstract: String, unreadReason: String? = nil) {
        self.name = name
        self.kind = kind
        self.abstract = abstract
        self.unreadReason = unreadReason
    }
}

/// A value with fields that `set NAME.FIELD VALUE` can change.
public protocol ConfigurableValue: ShellValue {
    /// The fields that can be set (may depend on the value, e.g. on a model's method).
    var settableFields: [ValueField] { get }
    /// Sets `field` (one of `settableFields`) to `value`, already checked against the field's kind. Throw for values
    /// the kind cannot rule out (a negative margin); the value must then be unchanged.
    mutating func setField(_ field: String, to value: ArgumentValue) throws
}

/// A number kept with `let NAME 3.5`.
public struct NumberValue: ShellValue, Sendable, Equatable {
    public static let typeName = "number"
    public var number: Double

    public init(_ number: Double) { self.number = number }

    public var summary: String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

/// A text kept with `let NAME "some words"`.
public struct TextValue: ShellValue, Sendable, Equatable {
    public static let typeName = "text"
    public var text: String

    public init(_ text: String) { self.text = text }

    public var summary: String { "\"\(text)\"" }
    public func render(in context: RenderContext) -> String { text }
}
