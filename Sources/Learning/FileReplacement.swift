import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes `bytes` to a temporary file beside `path`, then renames it over `path`: a reader never sees half a
/// file, and a write that fails (a full disk, a folder without write permission) leaves the old file as it was.
/// Throws the reason as one line, without the path (callers name the file in their own error type).
func replaceFile(atPath path: String, with bytes: [UInt8]) throws(FileReplacementError) {
    let temporary = path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
    guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
        throw FileReplacementError(reason: "cannot create \(temporary)")
    }
    if rename(temporary, path) != 0 {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw FileReplacementError(reason: reason)
    }
}

/// Why `replaceFile` could not write.
struct FileReplacementError: Error {
    var reason: String
}
