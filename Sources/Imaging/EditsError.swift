/// Why an image edit refused its arguments, as one line the shell can print as it is.
public struct EditError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String

    public init(_ description: String) { self.description = description }
}
