/// Why a data set could not be read, made, split or combined. Each description is one line and names the file or
/// folder concerned, so a shell can print it as it is.
public enum DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingFolder(path: String)
    case missingFile(path: String)
    case unreadable(path: String, reason: String)
    /// A file whose size is not what its format requires (e.g. a truncated CIFAR-10 batch).
    case wrongSize(path: String, bytes: Int, expected: String)
    /// A CIFAR-10 record whose label byte is outside 0…9.
    case badLabel(path: String, record: Int, label: Int)
    /// A class-names file with too few names.
    case badClassNames(path: String, found: Int, needed: Int)
    /// A folder data set with no class folders or no images.
    case empty(path: String, reason: String)
    /// An image file that the decoder refused.
    case undecodable(path: String, reason: String)
    /// A class with fewer images than a split or a sample asks for.
    case tooFewImages(className: String, available: Int, needed: Int, purpose: String)
    /// Sets that cannot be combined (different shapes or class names).
    case incompatible(reason: String)
    /// A parameter out of range (negative count, zero size, …).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .missingFolder(path): return "\(path): no such folder"
        case let .missingFile(path): return "\(path): no such file"
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .wrongSize(path, bytes, expected): return "\(path): \(bytes) bytes, expected \(expected)"
        case let .badLabel(path, record, label):
            return "\(path): record \(record) has label \(label), expected 0…9"
        case let .badClassNames(path, found, needed):
            return "\(path): \(found) class names, expected at least \(needed)"
        case let .empty(path, reason): return "\(path): \(reason)"
        case let .undecodable(path, reason): return "\(path): cannot decode: \(reason)"
        case let .tooFewImages(className, available, needed, purpose):
            return "class '\(className)' has \(available) images, \(needed) needed for \(purpose)"
        case let .incompatible(reason): return "cannot combine image sets: \(reason)"
        case let .invalidArgument(text): return text
        }
    }
}
