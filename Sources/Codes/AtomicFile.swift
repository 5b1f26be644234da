import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes `data` to `path` through a temporary file in the same directory and a rename, so a reader never sees a
/// half-written file and a failed write leaves the old file intact.
func writeAtomically(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
    do {
        try data.write(to: temporary)
    } catch {
        throw CodesError.io(path: path, reason: "cannot write: \(error.localizedDescription)")
    }
    if rename(temporary.path, url.path) != 0 {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw CodesError.io(path: path, reason: "cannot replace the file: \(reason)")
    }
}

/// The contents of `path`, or a one-line error naming it.
func readFile(_ path: String) throws -> Data {
    guard FileManager.default.fileExists(atPath: path) else { throw CodesError.io(path: path, reason: "no such file") }
    do {
        return try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
        throw CodesError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
    }
}
