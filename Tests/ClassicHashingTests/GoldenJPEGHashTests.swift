import ClassicHashing
import Foundation
import Imaging
import XCTest

/// Every stable cell of ../shared/golden/jpeg/expected.tsv (imagehash 4.3.2 on Pillow 13, which decodes with
/// libjpeg-turbo 3.2; HashLab decodes with Debian's 2.1.5, which gives the same samples on these files), bit for bit,
/// through the folder API; and folders that mix PNG, JPEG and broken files.
final class GoldenJPEGHashTests: XCTestCase {
    /// The expected table: kinds from the header, and per file its hashes and the kinds named `unstable`.
    func expectedTable(_ path: String) throws -> (kinds: [HashKind], rows: [String: (hashes: [String], unstable: Set<String>)]) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(lines.first)
        XCTAssertEqual(header.first, "file")
        XCTAssertEqual(header.last, "unstable")
        let kinds = try header.dropFirst().dropLast().map { try XCTUnwrap(HashKind(rawValue: $0), $0) }
        var rows: [String: (hashes: [String], unstable: Set<String>)] = [:]
        for fields in lines.dropFirst() where fields.count > kinds.count {
            let unstable = fields.count > kinds.count + 1 ? fields[kinds.count + 1] : ""
            rows[fields[0]] = (Array(fields[1...kinds.count]),
                               Set(unstable.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
        }
        return (kinds, rows)
    }

    func testEveryStableGoldenJPEGCellMatchesImagehash() throws {
        let folder = try sharedFolder("golden/jpeg")
        let (kinds, expected) = try expectedTable(folder + "/expected.tsv")
        XCTAssertEqual(expected.count, 60)
        // Through the folder API, on two threads, as the shell hashes a folder.
        let computed = try hashFolder(folder + "/images", kinds: kinds, workers: 2)
        XCTAssertEqual(Set(computed.map(\.file)), Set(expected.keys), "one computed row per golden row")
        var matches: [HashKind: (match: Int, of: Int)] = [:]
        var unstableMatches = 0, unstableCells = 0
        for row in computed {
            XCTAssertNil(row.failure, row.file)
            guard let golden = expected[row.file], row.failure == nil else { continue }
            for (index, kind) in kinds.enumerated() {
                let same = row.hashes[index].hexString == golden.hashes[index]
                if golden.unstable.contains(kind.rawValue) {
                    unstableCells += 1
                    if same { unstableMatches += 1 }
                    continue
                }
                var tally = matches[kind] ?? (0, 0)
                tally.of += 1
                if same { tally.match += 1 }
                matches[kind] = tally
                XCTAssertEqual(row.hashes[index].hexString, golden.hashes[index], "\(row.file) \(kind.rawValue)")
            }
        }
        for kind in kinds {
            let tally = matches[kind] ?? (0, 0)
            print("golden jpeg \(kind.rawValue): \(tally.match)/\(tally.of) stable cells match")
        }
        print("golden jpeg unstable cells matching anyway: \(unstableMatches)/\(unstableCells)")
    }

    /// A folder of PNG, JPEG (`.jpg`, `.JPEG`) and broken files, and names that are not images: every image file is
    /// listed, the good ones hashed (a JPEG as the same picture's hash from its own file), the broken ones become
    /// rows with a one-line failure naming the file, and nothing else is listed.
    func testAFolderKeepsItsGoodFilesBesideBrokenJPEGs() throws {
        let source = try sharedFolder("golden/jpeg/images")
        let folder = NSTemporaryDirectory() + "hashlab-jpeg-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let photo = try Data(contentsOf: URL(fileURLWithPath: source + "/horse-006-q85-ss2.jpg"))
        let gray = try Data(contentsOf: URL(fileURLWithPath: source + "/camera-001-q50-ss0-gray.jpg"))
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
            XCTAssertEqual(byFile[good]?.hashes.count, 2, good)
        }
        let (_, expected) = try expectedTable(source + "/../expected.tsv")
        XCTAssertEqual(byFile["photo.jpg"]?.hashes.first?.hexString, expected["horse-006-q85-ss2.jpg"]?.hashes.first)
        XCTAssertEqual(byFile["sub/GRAY.JPEG"]?.hashes.first?.hexString,
                       expected["camera-001-q50-ss0-gray.jpg"]?.hashes.first)
        for (bad, words) in [("cut.jpg", "truncated JPEG"), ("empty.jpg", "empty file"), ("text.jpg", "not a PNG or JPEG")] {
            let failure = try XCTUnwrap(byFile[bad]?.failure, bad)
            XCTAssertTrue(failure.hasPrefix(folder + "/" + bad + ": "), failure)
            XCTAssertTrue(failure.contains(words), failure)
            XCTAssertFalse(failure.contains("\n"), failure)
            XCTAssertEqual(byFile[bad]?.hashes, [], bad)
        }
    }
}
