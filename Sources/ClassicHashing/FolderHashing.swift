import Foundation
import Imaging

/// The hashes of one file of a folder, or why it could not be hashed.
public struct HashRow: Sendable, Equatable {
    /// The path relative to the hashed folder, with `/` between directories.
    public var file: String
    /// One hash per requested kind, in the requested order; empty when `failure` is set.
    public var hashes: [ImageHash]
    /// A one-line error (an unreadable PNG or JPEG, an image too small for a kind…), or nil.
    public var failure: String?
}

/// The image files under `folder` (recursively: names ending `.png`, `.jpg` or `.jpeg` in any case, as
/// `Image.isImageFileName` says), relative to it, sorted by path.
public func imageFiles(in folder: String) throws -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
        throw HashError("\(folder): no such folder")
    }
    guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
        throw HashError("\(folder): cannot list the folder")
    }
    var files: [String] = []
    while let entry = enumerator.nextObject() as? String {
        if Image.isImageFileName(entry) { files.append(entry) }
    }
    return files.sorted()
}

/// Hashes every PNG and JPEG under `folder` with each of `kinds` (`size` = hash_size, `binBits` = colorhash's
/// binbits), spreading the files over `workers` threads (default: every core). Rows come back sorted by file; a file that fails gets a row with `failure` set and
/// the others go on.
public func hashFolder(_ folder: String, kinds: [HashKind], size: Int = 8, binBits: Int = 3,
                       workers: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> [HashRow] {
    let files = try imageFiles(in: folder)
    let base = folder.hasSuffix("/") ? folder : folder + "/"
    return parallelMap(files, workers: workers) { file in
        do {
            let image = try Image.read(imageAt: base + file)
            return HashRow(file: file, hashes: try hashes(image, kinds: kinds, size: size, binBits: binBits),
                           failure: nil)
        } catch {
            return HashRow(file: file, hashes: [], failure: "\(error)")
        }
    }
}

/// `transform` applied to every element on `workers` threads, which take the next element as they finish
/// (so big and small images balance); the results keep the input order.
public func parallelMap<Element: Sendable, Result: Sendable>(
    _ elements: [Element], workers: Int, _ transform: @escaping @Sendable (Element) -> Result
) -> [Result] {
    let count = elements.count
    if count == 0 { return [] }
    let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize(); results.deallocate() }
    let shared = SharedSlots(results)
    let next = WorkCounter()
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
        while true {
            let index = next.take()
            if index >= count { break }
            shared.store(transform(elements[index]), at: index)
        }
    }
    return results.map { $0! }
}

/// Result slots written by several threads, each slot by exactly one of them.
private struct SharedSlots<Value>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Value?>
    init(_ buffer: UnsafeMutableBufferPointer<Value?>) { self.buffer = buffer }
    func store(_ value: Value, at index: Int) { buffer[index] = value }
}

/// A thread-safe "next index" counter.
private final class WorkCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value - 1
    }
}
