#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reader for CIFAR-10's binary layout, as its authors publish it (`cifar-10-batches-bin`):
/// `data_batch_1.bin` … `data_batch_5.bin` (training) and `test_batch.bin`, each 10,000 records of 3,073 bytes —
/// one label byte (0…9) followed by the 32×32 image as 1,024 red, 1,024 green and 1,024 blue bytes, rows top to
/// bottom — and `batches.meta.txt`, the class names one per line. A record is exactly a `LabeledImages` image
/// (N·C·H·W), so reading is one bulk read per file and one copy per record.
public enum CIFAR10 {
    public enum Part: String, CaseIterable, Sendable {
        /// The five training batches, 50,000 images.
        case training
        /// `test_batch.bin`, 10,000 images.
        case test
        /// Training then test, 60,000 images.
        case all
    }

    public static let trainingFiles = (1...5).map { "data_batch_\($0).bin" }
    public static let testFile = "test_batch.bin"
    public static let classNamesFile = "batches.meta.txt"
    public static let side = 32
    public static let recordSize = 1 + 3 * 32 * 32
    public static let recordsPerFile = 10_000

    /// Reads one part of the data set in `folder`.
    ///
    /// - Parameter recordsPerFile: how many records each batch file must hold; 10,000 in the official layout.
    ///   `nil` accepts any whole positive number of records (for small hand-made files).
    /// - Throws: `DatasetError` for a missing folder or file, a file whose size is not the expected number of
    ///   3,073-byte records (e.g. truncated), a label above 9, or a class-names file with fewer than 10 names.
    public static func load(from folder: String, part: Part = .all,
                            recordsPerFile: Int? = CIFAR10.recordsPerFile) throws -> LabeledImages {
        let files: [String]
        switch part {
        case .training: files = trainingFiles
        case .test: files = [testFile]
        case .all: files = trainingFiles + [testFile]
        }
        return try read(folder: folder, files: files, recordsPerFile: recordsPerFile)
    }

    /// Reads the training and the test part, keeping them apart (as the split protocols need).
    public static func loadTrainingAndTest(from folder: String,
                                           recordsPerFile: Int? = CIFAR10.recordsPerFile) throws -> TrainTestImages {
        try TrainTestImages(training: read(folder: folder, files: trainingFiles, recordsPerFile: recordsPerFile),
                            test: read(folder: folder, files: [testFile], recordsPerFile: recordsPerFile))
    }

    /// The class names in `batches.meta.txt` (the first ten non-empty lines, trimmed).
    public static func classNames(in folder: String) throws -> [String] {
        let path = joined(folder, classNamesFile)
        let bytes = try readWholeFile(path)
        let names = String(decoding: bytes, as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingWhitespace() }
            .filter { !$0.isEmpty }
        guard names.count >= 10 else { throw DatasetError.badClassNames(path: path, found: names.count, needed: 10) }
        return Array(names.prefix(10))
    }

    private static func read(folder: String, files: [String], recordsPerFile: Int?) throws -> LabeledImages {
        try checkFolder(folder)
        let names = try classNames(in: folder)
        let imageSize = recordSize - 1
        var pixels: [UInt8] = []
        var labels: [Int32] = []
        for file in files {
            let path = joined(folder, file)
            let bytes = try readWholeFile(path)
            if let expected = recordsPerFile {
                guard bytes.count == expected * recordSize else {
                    throw DatasetError.wrongSize(path: path, bytes: bytes.count,
                                                 expected: "\(expected * recordSize) (\(expected) records of \(recordSize))")
                }
            } else {
                guard bytes.count > 0, bytes.count % recordSize == 0 else {
                    throw DatasetError.wrongSize(path: path, bytes: bytes.count,
                                                 expected: "a positive multiple of \(recordSize)")
                }
            }
            let records = bytes.count / recordSize
            if pixels.isEmpty {
                // Reserve for every file at once: all batches of the layout have the same size.
                pixels.reserveCapacity(records * files.count * imageSize)
                labels.reserveCapacity(records * files.count)
            }
            let start = pixels.count
            pixels.append(contentsOf: repeatElement(0, count: records * imageSize))
            try bytes.withUnsafeBufferPointer { source in
                try pixels.withUnsafeMutableBufferPointer { destination in
                    for r in 0..<records {
                        let label = source[r * recordSize]
                        guard label < 10 else { throw DatasetError.badLabel(path: path, record: r, label: Int(label)) }
                        labels.append(Int32(label))
                        (destination.baseAddress! + start + r * imageSize)
                            .update(from: source.baseAddress! + r * recordSize + 1, count: imageSize)
                    }
                }
            }
        }
        return LabeledImages(count: labels.count, channels: 3, height: side, width: side, pixels: pixels,
                             labels: labels, classNames: names)
    }
}

// MARK: - Small file helpers shared by the readers in this folder.

func joined(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
}

func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
}

func checkFolder(_ path: String) throws {
    guard isDirectory(path) else { throw DatasetError.missingFolder(path: path) }
}

/// The whole file in one buffer, read with `read(2)` in large blocks.
func readWholeFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else {
        let code = errno
        if code == ENOENT { throw DatasetError.missingFile(path: path) }
        throw DatasetError.unreadable(path: path, reason: String(cString: strerror(code)))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
        throw DatasetError.unreadable(path: path, reason: String(cString: strerror(errno)))
    }
    guard (info.st_mode & S_IFMT) != S_IFDIR else { throw DatasetError.unreadable(path: path, reason: "is a folder") }
    let size = Int(info.st_size)
    var bytes = [UInt8](repeating: 0, count: size)
    var done = 0
    try bytes.withUnsafeMutableBytes { buffer in
        while done < size {
            let n = read(fd, buffer.baseAddress! + done, size - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw DatasetError.unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
    }
    guard done == size else { throw DatasetError.unreadable(path: path, reason: "file shrank while reading") }
    return bytes
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
