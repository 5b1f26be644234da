/// Why a PNG could not be read or written. The description is one line and names the file when there is one.
public struct PNGError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case missing
        case unreadable(String)
        case empty
        case notPNG
        case damaged(String)
        case unwritable(String)
    }

    /// The file involved, or nil for in-memory data.
    public var path: String?
    public var reason: Reason

    public init(path: String?, reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        let subject = path.map { "\($0): " } ?? "PNG data: "
        switch reason {
        case .missing: return subject + "no such file"
        case .unreadable(let why): return subject + "cannot read (\(why))"
        case .empty: return subject + "empty file (0 bytes), not a PNG"
        case .notPNG: return subject + "not a PNG file"
        case .damaged(let why): return subject + "damaged PNG (\(why))"
        case .unwritable(let why): return subject + "cannot write PNG (\(why))"
        }
    }
}
