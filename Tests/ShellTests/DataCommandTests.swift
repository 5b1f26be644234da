import Foundation
import Imaging
import Learning
import Shell
import XCTest

/// `data` and `split` in the shell: the sets and parts they make have the sizes the protocols promise.
final class DataCommandTests: XCTestCase {
    private func syntheticSession(perClass: Int = 12) -> (Session, CapturingSink) {
        let (session, sink) = Session.capturing()
        session.execute(line: "data synthetic per-class \(perClass) size 16 seed 3 as d")
        return (session, sink)
    }

    func testSyntheticDataIsTheLibrarySetAndShowsEveryClass() throws {
        let (session, sink) = syntheticSession()
        XCTAssertEqual(sink.error, "")
        let data = try session.value(named: "d", as: LabeledImages.self)
        XCTAssertEqual(data, try SyntheticLabeledSet.make(perClass: 12, seed: 3, size: 16))
        XCTAssertEqual(data.classCounts, Array(repeating: 12, count: 10))
        sink.clear()
        session.execute(line: "show d")
        XCTAssertEqual(sink.error, "")
        for name in SyntheticLabeledSet.classNames {
            XCTAssertTrue(sink.standard.contains(name), "show lists \(name)")
        }
        XCTAssertGreaterThan(sink.standard.split(separator: "\n").count, 30, "a few preview rows per class")
    }

    func testProtocolSplitsOfOnePoolHaveThePromisedSizes() throws {
        let (session, sink) = syntheticSession()
        // Defaults for 12 a class: 2 test (12 / 6), 1 query (half of the test part), 5 training ((12 − 2) / 2).
        session.execute(line: "split d protocol dpsh seed 1 as p")
        XCTAssertEqual(sink.error, "")
        var split = try session.value(named: "p", as: DataSplit.self)
        XCTAssertEqual([split.training.count, split.query.count, split.database.count], [50, 10, 110])
        XCTAssertEqual(Set(split.queryIndices).intersection(split.databaseIndices), [])

        session.execute(line: "split d protocol dpsh test-per-class 3 queries-per-class 2 train-per-class 4 as p")
        XCTAssertEqual(sink.error, "")
        split = try session.value(named: "p", as: DataSplit.self)
        XCTAssertEqual([split.training.count, split.query.count, split.database.count], [40, 20, 100])
        XCTAssertEqual(split.query.classCounts, Array(repeating: 2, count: 10))
        XCTAssertEqual(try session.value(named: "p.train", as: LabeledImages.self), split.training)
        XCTAssertEqual(try session.value(named: "p.database", as: LabeledImages.self).count, 100)

        session.execute(line: "split d protocol dsh test-per-class 3 as s")
        split = try session.value(named: "s", as: DataSplit.self)
        XCTAssertEqual([split.training.count, split.query.count, split.database.count], [90, 30, 30])
        XCTAssertEqual(split.queryIndices, split.databaseIndices, "dsh: the test part is queries and database")

        session.execute(line: "split d protocol full test-per-class 3 as f")
        split = try session.value(named: "f", as: DataSplit.self)
        XCTAssertEqual([split.training.count, split.query.count, split.database.count], [90, 30, 90])
        XCTAssertEqual(split.trainingIndices, split.databaseIndices, "full: the training part is the database")
        XCTAssertEqual(sink.error, "")
    }

    func testSplitByCountsMatchesTheLibraryAndCanShareTrainingImages() throws {
        let (session, sink) = syntheticSession()
        session.execute(line: "split d query 2 train 5 database 3 seed 7 as p; show p")
        XCTAssertEqual(sink.error, "")
        let split = try session.value(named: "p", as: DataSplit.self)
        let data = try session.value(named: "d", as: LabeledImages.self)
        XCTAssertEqual(split, try DataSplit.byCounts(from: data, queriesPerClass: 2, trainingPerClass: 5,
                                                      databasePerClass: 3, seed: 7))
        XCTAssertEqual([split.training.count, split.query.count, split.database.count], [50, 20, 30])
        XCTAssertTrue(sink.standard.contains("database"))

        session.execute(line: "split d query 2 train 5 train-in-database as q")
        let shared = try session.value(named: "q", as: DataSplit.self)
        XCTAssertEqual(shared.database.count, 100, "the 50 not drawn plus the 50 training images")
        XCTAssertTrue(Set(shared.trainingIndices).isSubset(of: shared.databaseIndices))
    }

    func testFolderOfClassFoldersLoads() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        for (className, shade) in [("bright", UInt8(220)), ("dark", UInt8(20))] {
            let folder = root.appendingPathComponent(className)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for index in 0..<3 {
                let image = Image(width: 12, height: 10, channels: 3,
                                  samples: [UInt8](repeating: shade &+ UInt8(index), count: 12 * 10 * 3))
                try image.writePNG(to: folder.appendingPathComponent("\(index).png").path)
            }
        }
        let (session, sink) = Session.capturing()
        session.execute(line: "data folder \"\(root.path)\" size 8 as f")
        XCTAssertEqual(sink.error, "")
        let data = try session.value(named: "f", as: LabeledImages.self)
        XCTAssertEqual(data.classNames, ["bright", "dark"])
        XCTAssertEqual(data.classCounts, [3, 3])
        XCTAssertEqual([data.width, data.height, data.channels], [8, 8, 3])
        XCTAssertEqual(data.image(at: 0).samples[0], 220, "a flat image stays flat when resized")
    }

    func testCIFAR10TestPartLoadsWhenPresent() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared/data/cifar-10-batches-bin").standardized
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("test_batch.bin").path) else {
            throw XCTSkip("../shared/data/cifar-10-batches-bin is absent: nothing to load")
        }
        let (session, sink) = Session.capturing()
        session.execute(line: "data cifar10 \"\(folder.path)\" part test as t")
        XCTAssertEqual(sink.error, "")
        let test = try session.value(named: "t", as: LabeledImages.self)
        XCTAssertEqual(test.count, 10_000)
        XCTAssertEqual(test.classCounts, Array(repeating: 1_000, count: 10))
    }

    func testErrorsAreOneLineAndKeepValues() throws {
        let (session, sink) = syntheticSession()
        let before = try session.value(named: "d", as: LabeledImages.self)
        let cases: [(String, String)] = [
            ("split d protocol dhs as p", "error: split protocol: `dhs` is not one of dpsh, dsh, full"),
            ("split d query 10 train 5 as p", "error: split: "),
            ("split d protocol dsh query 2 train 3 as p", "error: split: give either a protocol or counts"),
            ("split d protocol dsh train-per-class 3 as p", "error: split: protocol dsh uses whole parts"),
            ("split d protocol dpsh test-per-class 12 as p", "error: split: 12 test images per class leave no"),
            ("split d as p", "error: split: give `protocol dpsh|dsh|full`"),
            ("data synthetic per-class 0 as e", "error: data: per-class must be positive"),
            ("data synthetic part test as e", "error: data synthetic: part goes with data cifar10"),
            ("data cifar10 /no/such/folder as c", "error: /no/such/folder: no such folder"),
        ]
        for (line, prefix) in cases {
            sink.clear()
            session.execute(line: line)
            XCTAssertTrue(sink.error.hasPrefix(prefix), "\(line) → \(sink.error)")
            XCTAssertEqual(sink.error.filter { $0 == "\n" }.count, 1, "one line: \(sink.error)")
        }
        XCTAssertTrue(sink.error.count > 0)
        XCTAssertEqual(session.valueNames, ["d"], "failed commands keep nothing new")
        XCTAssertEqual(try session.value(named: "d", as: LabeledImages.self), before)
    }
}
