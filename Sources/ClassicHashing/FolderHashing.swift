import Foundation
import Imaging

/// The hashes of one image (a file of a folder, or a named image), or why they could not be computed.
public struct HashRow: Sendable, Equatable {
    /// The path relative to the hashed folder, with `/` between directories (or the image's name).
    public var file: String
    /// One hash per requested kind, in the requested order: nil where that kind failed for this image (see
    /// `cellFailures`), and every one nil when the whole file failed (see `failure`).
    public var hashes: [ImageHash?]
    /// Why the file could not be hashed at all (an unreadable file), or nil.
    public var failure: String?
    /// Why a single kind failed for this image, by kind; the other kinds' hashes stand.
    public var cellFailures: [HashKind: String]

    public init(file: String, hashes: [ImageHash?], failure: String? = nil, cellFailures: [HashKind: String] = [:]) {
        self.file = file
        self.hashes = hashes
        self.failure = failure
        self.cellFailures = cellFailures
    }

    /// A row for `image` with one cell per kind: a kind that throws leaves its cell empty and its error in
    /// `cellFailures`, without losing the other kinds.
    public init(file: String, image: Image, kinds: [HashKind], size: Int = 8, binBits: Int = 3) {
        var cellFailures: [HashKind: String] = [:]
        let cells = hashCells(image, kinds: kinds, size: size, binBits: binBits)
        let hashes = zip(kinds, cells).map { kind, cell -> ImageHash? in
            switch cell {
            case .success(let hash): return hash
            case .failure(let error):
                cellFailures[kind] = "\(error)"
                return nil
            }
        }
        self.init(file: file, hashes: hashes, cellFailures: cellFailures)
    }

    /// True when the file was read (some cells may still be empty).
    public var wasRead: Bool { failure == nil }

    /// One line per failure: the file's, or each empty cell's ("whash: …").
    public var failureLines: [String] {
        if let failure { return ["\(file): \(failure)"] }
        return cellFailures.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(file): \($0.value)" }
    }
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
/// binbits), spreading the files over `workers` threads (default: every core). Rows come back sorted by file; a file that
/// cannot be read gets a row with `failure` set, a kind that fails for one image an empty cell, and the others go
/// on. Once `isCancelled` answers true, the files not yet started get the failure "interrupted".
public func hashFolder(_ folder: String, kinds: [HashKind], size: Int = 8, binBits: Int = 3,
                       workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                       isCancelled: @escaping @Sendable () -> Bool = { false }) throws -> [HashRow] {
    let files = try imageFiles(in: folder)
    let base = folder.hasSuffix("/") ? folder : folder + "/"
    return parallelMap(files, workers: workers) { file in
        if isCancelled() { return HashRow(file: file, hashes: kinds.map { _ in nil }, failure: "interrupted") }
        do {
            let image = try Image.read(imageAt: base + file)
            return HashRow(file: file, image: image, kinds: kinds, size: size, binBits: binBits)
        } catch {
            return HashRow(file: file, hashes: kinds.map { _ in nil }, failure: "\(error)")
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
