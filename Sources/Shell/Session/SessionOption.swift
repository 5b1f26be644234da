/// A setting of the session changed with `set OPTION VALUE` (`set timer on`). Topic files may add their own.
public struct SessionOption: Sendable {
    public var name: String
    public var kind: ArgumentKind
    public var abstract: String
    /// The current value as text, for `set` without arguments.
    public var current: @Sendable (Session) -> String
    /// Applies a value already checked against `kind`.
    public var apply: @Sendable (Session, ArgumentValue) throws -> Void

    public init(_ name: String, _ kind: ArgumentKind, _ abstract: String,
                current: @escaping @Sendable (Session) -> String,
                apply: @escaping @Sendable (Session, ArgumentValue) throws -> Void) {
        self.name = name
        self.kind = kind
        self.abstract = abstract
        self.current = current
        self.apply = apply
    }

    /// An on/off option backed by a Boolean property of the session.
    public static func toggle(_ name: String, _ abstract: String,
                              _ property: ReferenceWritableKeyPath<Session, Bool> & Sendable) -> SessionOption {
        SessionOption(name, .word(["on", "off"]), abstract,
                      current: { $0[keyPath: property] ? "on" : "off" },
                      apply: { session, value in session[keyPath: property] = value.text == "on" })
    }
}
