import Foundation

extension Image {
    /// Reads a PNG or a JPEG file, whichever it holds, as Pillow 13 opens it (so hashes match imagehash).
    ///
    /// The format is judged by the content, as Pillow judges it — PNG's eight-byte signature, or JPEG's FF D8 FF —
    /// never by the file's name: a JPEG named `.png` is read as the JPEG it is. See `read(pngAt:)` and
    /// `init(jpegData:)` for what each format's samples become. Anything else — a missing file, a folder, an empty,
    /// truncated, corrupt or unsupported file, or one in another format — throws an `ImageFileError` whose
    /// description is one line naming the file.
    public static func read(imageAt path: String) throws -> Image {
        let bytes = try readFileBytes(path)
        do {
            return try Image(imageData: bytes)
        } catch var error as ImageFileError {
            error.path = path
            throw error
        }
    }

    /// Decodes PNG or JPEG bytes held in memory, whichever they are (see `read(imageAt:)`).
    public init(imageData bytes: [UInt8]) throws {
        if bytes.isEmpty { throw ImageFileError(path: nil, reason: .empty) }
        switch ImageFileFormat.recognising(bytes) {
        case .png?:
            guard bytes.count >= ImageFileFormat.pngSignature.count else {
                throw ImageFileError(path: nil, reason: .truncated(.png))
            }
            self = try Image.decodePNG(bytes).image
        case .jpeg?:
            self = try Image.decodeJPEG(bytes)
        case nil:
            throw ImageFileError(path: nil, reason: .notAnImage)
        }
    }

    /// Whether a file name is one `read(imageAt:)` is meant for when a folder is read: it ends in `.png`, `.jpg`
    /// or `.jpeg`, in any case. (Reading itself goes by content; the name only picks the files of a folder.)
    public static func isImageFileName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return imageFileExtensions.contains { lowered.hasSuffix($0) }
    }

    /// The endings `isImageFileName` accepts, lower-case.
    public static let imageFileExtensions = [".png", ".jpg", ".jpeg"]

    /// The whole file as bytes, or an `ImageFileError` (missing, a folder, unreadable, empty) naming it.
    static func readFileBytes(_ path: String) throws -> [UInt8] {
        guard let handle = fopen(path, "rb") else {
            let code = errno
            if code == ENOENT { throw ImageFileError(path: path, reason: .missing) }
            if code == EISDIR { throw ImageFileError(path: path, reason: .folder) }
            throw ImageFileError(path: path, reason: .unreadable(String(cString: strerror(code))))
        }
        defer { fclose(handle) }
        var info = stat()
        guard fstat(fileno(handle), &info) == 0 else {
            throw ImageFileError(path: path, reason: .unreadable(String(cString: strerror(errno))))
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw ImageFileError(path: path, reason: .folder)
        case S_IFREG: break
        default: throw ImageFileError(path: path, reason: .unreadable("not a regular file"))
        }
        let size = Int(info.st_size)
        if size == 0 { throw ImageFileError(path: path, reason: .empty) }
        var bytes = [UInt8](repeating: 0, count: size)
        let read = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, handle) }
        if read != size { throw ImageFileError(path: path, reason: .unreadable("short read")) }
        return bytes
    }
}
