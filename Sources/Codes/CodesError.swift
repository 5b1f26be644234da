/// Everything that can go wrong while building, searching, evaluating, reading or writing binary codes.
///
/// Each case prints as one line; file errors name the file.
public enum CodesError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A code length below one bit. (The 8…256 bits hashing models learn are the models' own check,
    /// `BitCode.learnedBitCounts`.)
    case unsupportedBitCount(Int)
    /// Codes of different lengths were mixed (in a set, or a query against a database).
    case lengthMismatch(expected: Int, found: Int)
    /// A string that should hold only `0` and `1` holds something else.
    case invalidBitString(String)
    /// Labels, names or outputs whose count does not match the number of codes.
    case countMismatch(what: String, expected: Int, found: Int)
    /// An argument out of its range (k < 0, a negative radius, an index past the end…).
    case invalidArgument(String)
    /// A metric needs labels but a code set has none.
    case missingLabels(String)
    /// A file that cannot be read or written.
    case io(path: String, reason: String)
    /// A file whose contents do not follow its format.
    case malformedFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupportedBitCount(let bits):
            return "a code needs at least 1 bit, not \(bits)"
        case .lengthMismatch(let expected, let found):
            return "code length mismatch: expected \(expected) bits, found \(found)"
        case .invalidBitString(let text):
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "not a code of 0s and 1s: \"\(shown)\""
        case .countMismatch(let what, let expected, let found):
            return "\(what): expected \(expected), found \(found)"
        case .invalidArgument(let reason):
            return reason
        case .missingLabels(let which):
            return "\(which) has no labels"
        case .io(let path, let reason):
            return "\(path): \(reason)"
        case .malformedFile(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
