import ClassicHashing
import Foundation
import Imaging
import XCTest

/// Folders that mix PNG, JPEG and broken files. (The golden JPEGs' hashes are checked in `GoldenHashTests`.)
final class JPEGFolderHashingTests: XCTestCase {
    /// A file's ahash in ../shared/golden/jpeg/expected.tsv (its second column).
    func expectedAverageHash(of file: String, in table: String) throws -> String {
        let line = try XCTUnwrap(table.split(separator: "\n").first { $0.hasPrefix(file + "\t") }, file)
        return String(line.split(separator: "\t")[1])
    }

    /// A folder of PNG, JPEG (`.jpg`, `.JPEG`) and broken files, and names that are not images: every image file is
    /// listed, the good ones hashed (a JPEG as imagehash hashes its golden copy), the broken ones become rows with a
    /// one-line failure naming the file and no hashes, and nothing else is listed.
    func testAFolderKeepsItsGoodFilesBesideBrokenJPEGs() throws {
        let source = try sharedFolder("golden/jpeg")
        let folder = NSTemporaryDirectory() + "hashlab-jpeg-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let photo = try Data(contentsOf: URL(fileURLWithPath: source + "/images/horse-006-q85-ss2.jpg"))
        let gray = try Data(contentsOf: URL(fileURLWithPath: source + "/images/camera-001-q50-ss0-gray.jpg"))
        let files: [(String, Data)] = [
            ("photo.jpg", photo), ("sub/GRAY.JPEG", gray),
            ("cut.jpg", photo.prefix(photo.count / 2)), ("empty.jpg", Data()), ("text.jpg", Data("hello\n".utf8)),
            ("notes.txt", Data("not listed\n".utf8)), ("photo.jpg.bak", photo),
        ]
        for (name, data) in files {
            XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/" + name, contents: data), name)
        }
        try Image(width: 9, height: 7, channels: 3, samples: (0..<189).map { UInt8($0) }).writePNG(to: folder + "/ramp.png")

        let rows = try hashFolder(folder, kinds: [.ahash, .phash], workers: 2)
        XCTAssertEqual(rows.map(\.file), ["cut.jpg", "empty.jpg", "photo.jpg", "ramp.png", "sub/GRAY.JPEG", "text.jpg"])
        let byFile = Dictionary(uniqueKeysWithValues: rows.map { ($0.file, $0) })
        for good in ["photo.jpg", "ramp.png", "sub/GRAY.JPEG"] {
            XCTAssertNil(byFile[good]?.failure, good)
            XCTAssertEqual(byFile[good]?.hashes.compactMap { $0 }.count, 2, good)
        }
        let table = try String(contentsOfFile: source + "/expected.tsv", encoding: .utf8)
        XCTAssertEqual(byFile["photo.jpg"]?.hashes.first??.hexString,
                       try expectedAverageHash(of: "horse-006-q85-ss2.jpg", in: table))
        XCTAssertEqual(byFile["sub/GRAY.JPEG"]?.hashes.first??.hexString,
                       try expectedAverageHash(of: "camera-001-q50-ss0-gray.jpg", in: table))
        for (bad, words) in [("cut.jpg", "truncated JPEG"), ("empty.jpg", "empty file"), ("text.jpg", "not a PNG or JPEG")] {
            let failure = try XCTUnwrap(byFile[bad]?.failure, bad)
            XCTAssertTrue(failure.hasPrefix(folder + "/" + bad + ": "), failure)
            XCTAssertTrue(failure.contains(words), failure)
            XCTAssertFalse(failure.contains("\n"), failure)
            XCTAssertEqual(byFile[bad]?.hashes.compactMap { $0 }, [], bad)
        }
    }
}
