import Foundation
import XCTest
import Learning

final class DataCIFAR10Tests: XCTestCase {
    // MARK: The real data in ../shared

    func testTrainingAndTestPartsMatchThePublishedFacts() throws {
        let folder = try cifarFolder()
        let parts = try CIFAR10.loadTrainingAndTest(from: folder)
        XCTAssertEqual(parts.training.count, 50_000)
        XCTAssertEqual(parts.test.count, 10_000)
        XCTAssertEqual(parts.classNames, ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                                          "ship", "truck"])
        XCTAssertEqual(parts.training.classCounts, [Int](repeating: 5000, count: 10))
        XCTAssertEqual(parts.test.classCounts, [Int](repeating: 1000, count: 10))
        XCTAssertEqual(parts.training.pixels.count, 50_000 * 3072)
        XCTAssertEqual(parts.training.channels, 3)
        XCTAssertEqual(parts.training.height, 32)

        // Spot checks against the files' own bytes: test record 1234 and record 777 of the third training batch.
        let test = try Data(contentsOf: URL(fileURLWithPath: folder + "/test_batch.bin"))
        let record = Array(test[(1234 * 3073)..<(1235 * 3073)])
        XCTAssertEqual(parts.test.labels[1234], Int32(record[0]))
        XCTAssertEqual(Array(parts.test.pixels[(1234 * 3072)..<(1235 * 3072)]), Array(record[1...]))
        let batch3 = try Data(contentsOf: URL(fileURLWithPath: folder + "/data_batch_3.bin"))
        let record3 = Array(batch3[(777 * 3073)..<(778 * 3073)])
        let index = 20_000 + 777
        XCTAssertEqual(parts.training.labels[index], Int32(record3[0]))
        XCTAssertEqual(Array(parts.training.pixels[(index * 3072)..<((index + 1) * 3072)]), Array(record3[1...]))
        // Planar layout: pixel (x 5, y 9) of that image is R at 9·32+5, G 1024 further, B 2048 further.
        let image = parts.training.image(at: index)
        XCTAssertEqual(image[5, 9, 0], record3[1 + 9 * 32 + 5])
        XCTAssertEqual(image[5, 9, 1], record3[1 + 1024 + 9 * 32 + 5])
        XCTAssertEqual(image[5, 9, 2], record3[1 + 2048 + 9 * 32 + 5])

        // The protocols of the papers on the real thing.
        let dpsh = try DataSplit.make(.dpsh, from: parts, seed: 1)
        XCTAssertEqual(dpsh.query.count, 1000)
        XCTAssertEqual(dpsh.training.count, 5000)
        XCTAssertEqual(dpsh.database.count, 59_000)
        XCTAssertEqual(dpsh.query.classCounts, [Int](repeating: 100, count: 10))
        XCTAssertEqual(dpsh.training.classCounts, [Int](repeating: 500, count: 10))
        XCTAssertEqual(dpsh.database.classCounts, [Int](repeating: 5900, count: 10))
        XCTAssertTrue(Set(dpsh.queryIndices).isDisjoint(with: dpsh.databaseIndices))
        XCTAssertTrue(dpsh.queryIndices.allSatisfy { $0 >= 50_000 })
        XCTAssertTrue(dpsh.trainingIndices.allSatisfy { $0 < 50_000 })
        let q = dpsh.queryIndices[17] - 50_000
        XCTAssertEqual(Array(dpsh.query.pixels[(17 * 3072)..<(18 * 3072)]),
                       Array(parts.test.pixels[(q * 3072)..<((q + 1) * 3072)]))
    }

    func testAllIsTrainingThenTest() throws {
        let folder = try cifarFolder()
        let all = try CIFAR10.load(from: folder, part: .all)
        let test = try CIFAR10.load(from: folder, part: .test)
        XCTAssertEqual(all.count, 60_000)
        XCTAssertEqual(all.classCounts, [Int](repeating: 6000, count: 10))
        XCTAssertEqual(Array(all.labels[50_000...]), test.labels)
        XCTAssertEqual(Array(all.pixels[(50_000 * 3072)...]), test.pixels)
    }

    // MARK: Small hand-made files

    /// Writes a folder in the layout with `records[file]` records per batch; record r of file f has label
    /// `(f + r) % 10` and every pixel byte `(7·f + 3·r + k) % 256` at byte k of the image.
    func makeFakeFolder(records: Int = 3, names: String? = nil) throws -> String {
        let folder = try temporaryFolder(self)
        try (names ?? "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n")
            .write(toFile: folder + "/batches.meta.txt", atomically: true, encoding: .utf8)
        for (f, file) in (CIFAR10.trainingFiles + [CIFAR10.testFile]).enumerated() {
            var bytes: [UInt8] = []
            for r in 0..<records {
                bytes.append(UInt8((f + r) % 10))
                bytes += (0..<3072).map { UInt8((7 * f + 3 * r + $0) % 256) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + file))
        }
        return folder
    }

    func testReadsSmallFilesRecordByRecord() throws {
        let folder = try makeFakeFolder(records: 3)
        let training = try CIFAR10.load(from: folder, part: .training, recordsPerFile: nil)
        XCTAssertEqual(training.count, 15)
        XCTAssertEqual(training.labels, (0..<5).flatMap { f in (0..<3).map { r in Int32((f + r) % 10) } })
        for f in 0..<5 {
            for r in 0..<3 {
                let n = 3 * f + r
                XCTAssertEqual(Array(training.pixels[(n * 3072)..<((n + 1) * 3072)]),
                               (0..<3072).map { UInt8((7 * f + 3 * r + $0) % 256) })
            }
        }
        let test = try CIFAR10.load(from: folder, part: .test, recordsPerFile: 3)
        XCTAssertEqual(test.labels, [5, 6, 7])
        XCTAssertEqual(test.classNames.first, "airplane")
    }

    func assertError(_ expression: @autoclosure () throws -> Any, mentions fragments: [String],
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(error is DatasetError, "\(type(of: error))", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), "one line: \(text)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(text.contains(fragment), "'\(text)' should mention '\(fragment)'", file: file, line: line)
            }
        }
    }

    func testOfficialSizeIsRequiredByDefault() throws {
        let folder = try makeFakeFolder(records: 3)
        assertError(try CIFAR10.load(from: folder, part: .test), mentions: [folder + "/test_batch.bin", "9219 bytes",
                                                                          "30730000"])
    }

    func testTruncatedFile() throws {
        let folder = try makeFakeFolder(records: 3)
        let path = folder + "/data_batch_4.bin"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(2 * 3073 + 100).write(to: URL(fileURLWithPath: path))
        assertError(try CIFAR10.load(from: folder, part: .training, recordsPerFile: nil),
                    mentions: [path, "6246 bytes", "multiple of 3073"])
        try Data().write(to: URL(fileURLWithPath: path))
        assertError(try CIFAR10.load(from: folder, part: .all, recordsPerFile: nil), mentions: [path, "0 bytes"])
    }

    func testLabelAboveNine() throws {
        let folder = try makeFakeFolder(records: 3)
        let path = folder + "/data_batch_2.bin"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[2 * 3073] = 10
        try bytes.write(to: URL(fileURLWithPath: path))
        assertError(try CIFAR10.load(from: folder, part: .training, recordsPerFile: nil),
                    mentions: [path, "record 2", "label 10"])
    }

    func testMissingFolderAndFiles() throws {
        assertError(try CIFAR10.load(from: "/nonexistent/cifar"), mentions: ["/nonexistent/cifar", "no such folder"])
        let folder = try makeFakeFolder(records: 3)
        try FileManager.default.removeItem(atPath: folder + "/data_batch_5.bin")
        assertError(try CIFAR10.load(from: folder, part: .training, recordsPerFile: nil),
                    mentions: [folder + "/data_batch_5.bin", "no such file"])
        XCTAssertNoThrow(try CIFAR10.load(from: folder, part: .test, recordsPerFile: nil))
        try FileManager.default.removeItem(atPath: folder + "/batches.meta.txt")
        assertError(try CIFAR10.load(from: folder, part: .test, recordsPerFile: nil),
                    mentions: [folder + "/batches.meta.txt", "no such file"])
    }

    func testTooFewClassNames() throws {
        let folder = try makeFakeFolder(records: 3, names: "cat\ndog\n")
        assertError(try CIFAR10.load(from: folder, part: .test, recordsPerFile: nil),
                    mentions: [folder + "/batches.meta.txt", "2 class names"])
    }
}
