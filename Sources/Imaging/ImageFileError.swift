/// The formats HashLab reads images from; PNG is also the one it writes.
public enum ImageFileFormat: String, Sendable, Equatable {
    case png = "PNG"
    case jpeg = "JPEG"

    /// PNG's eight-byte signature.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// What Pillow's JPEG plugin accepts as a JPEG (`_accept`): the SOI marker FF D8 and the 0xFF of the next marker.
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

    /// The format `bytes` are in, judged by their content as Pillow does (never by a file name), or nil.
    ///
    /// A file cut short inside its signature — a JPEG holding only its SOI marker FF D8, a PNG cut inside its
    /// first eight bytes — is still recognised, so that it is reported as truncated rather than as a stranger.
    static func recognising(_ bytes: [UInt8]) -> ImageFileFormat? {
        func startsLike(_ signature: [UInt8], atLeast minimum: Int) -> Bool {
            bytes.count >= minimum && bytes.prefix(signature.count).elementsEqual(signature.prefix(bytes.count))
        }
        if startsLike(pngSignature, atLeast: 4) { return .png }
        if startsLike(jpegSignature, atLeast: 2) { return .jpeg }
        return nil
    }
}

/// Why an image file could not be read or written. The description is one line and names the file when there is
/// one. `PNGError` is the same type under the name it had when HashLab read PNG only.
public struct ImageFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        case missing
        case folder
        case unreadable(String)
        case empty
        /// Neither a PNG nor a JPEG by content (whatever the file's name says).
        case notAnImage
        /// Read as PNG only (`read(pngAt:)`), and not a PNG.
        case notPNG
        case damaged(ImageFileFormat, String)
        /// The data ends before the image does.
        case truncated(ImageFileFormat)
        /// A well-formed file of a kind Pillow does not open either (a 12-bit JPEG, a JPEG of 2 components).
        case unsupported(ImageFileFormat, String)
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
        let subject = path.map { "\($0): " } ?? "image data: "
        switch reason {
        case .missing: return subject + "no such file"
        case .folder: return subject + "is a folder, not an image file"
        case .unreadable(let why): return subject + "cannot read (\(why))"
        case .empty: return subject + "empty file (0 bytes), not a PNG or JPEG"
        case .notAnImage: return subject + "not a PNG or JPEG file"
        case .notPNG: return subject + "not a PNG file"
        case .damaged(let format, let why): return subject + "damaged \(format.rawValue) (\(why))"
        case .truncated(let format): return subject + "truncated \(format.rawValue) (the file ends before the image does)"
        case .unsupported(let format, let why): return subject + "unsupported \(format.rawValue) (\(why))"
        case .unwritable(let why): return subject + "cannot write PNG (\(why))"
        }
    }
}

/// The error type's name from when HashLab read PNG only.
public typealias PNGError = ImageFileError
