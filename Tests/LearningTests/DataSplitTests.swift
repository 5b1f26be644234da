import XCTest
import Learning

final class DataSplitTests: XCTestCase {
    /// A CIFAR-like pair in miniature: 60 training and 12 test images per class, labels cycling, traced by content.
    func miniature() throws -> TrainTestImages {
        try TrainTestImages(training: tracedImages(labels: (0..<600).map { Int32($0 % 10) }),
                            test: tracedImages(labels: (0..<120).map { Int32(($0 * 3) % 10) }, offset: 600))
    }

    func assertPartsMatchIndices(_ split: DataSplit, line: UInt = #line) {
        XCTAssertEqual(tracedIndices(split.training), split.trainingIndices, line: line)
        XCTAssertEqual(tracedIndices(split.query), split.queryIndices, line: line)
        XCTAssertEqual(tracedIndices(split.database), split.databaseIndices, line: line)
    }

    func testDPSHProtocol() throws {
        let source = try miniature()
        let split = try DataSplit.make(.dpsh, from: source, seed: 4, queriesPerClass: 10, trainingPerClass: 50)
        XCTAssertEqual(split.query.count, 100)
        XCTAssertEqual(split.training.count, 500)
        XCTAssertEqual(split.database.count, 720 - 100)
        XCTAssertEqual(split.query.classCounts, [Int](repeating: 10, count: 10))
        XCTAssertEqual(split.training.classCounts, [Int](repeating: 50, count: 10))
        XCTAssertEqual(split.database.classCounts, [Int](repeating: 62, count: 10))
        let queries = Set(split.queryIndices), database = Set(split.databaseIndices)
        XCTAssertTrue(queries.isDisjoint(with: database))
        XCTAssertEqual(queries.union(database), Set(0..<720))
        XCTAssertTrue(Set(split.trainingIndices).isSubset(of: database), "dpsh trains on database images")
        XCTAssertTrue(split.queryIndices.allSatisfy { $0 >= 600 }, "queries come from the test part")
        XCTAssertTrue(split.trainingIndices.allSatisfy { $0 < 600 }, "training comes from the training part")
        XCTAssertEqual(Set(split.trainingIndices).count, 500)
        assertPartsMatchIndices(split)
        // Labels travel with their images.
        for n in 0..<split.query.count {
            XCTAssertEqual(split.query.labels[n], source.test.labels[split.queryIndices[n] - 600])
        }
        XCTAssertEqual(try DataSplit.make(.dpsh, from: source, seed: 4, queriesPerClass: 10, trainingPerClass: 50), split)
        let other = try DataSplit.make(.dpsh, from: source, seed: 5, queriesPerClass: 10, trainingPerClass: 50)
        XCTAssertNotEqual(other.queryIndices, split.queryIndices)
        XCTAssertNotEqual(other.trainingIndices, split.trainingIndices)
        XCTAssertEqual(split.part(named: "train"), split.training)
        XCTAssertEqual(split.part(named: "database"), split.database)
        XCTAssertNil(split.part(named: "validation"))
    }

    func testDSHAndFullProtocols() throws {
        let source = try miniature()
        let dsh = try DataSplit.make(.dsh, from: source, seed: 1)
        XCTAssertEqual(dsh.trainingIndices, Array(0..<600))
        XCTAssertEqual(dsh.queryIndices, Array(600..<720))
        XCTAssertEqual(dsh.databaseIndices, Array(600..<720))
        assertPartsMatchIndices(dsh)
        let full = try DataSplit.make(.full, from: source, seed: 1)
        XCTAssertEqual(full.trainingIndices, Array(0..<600))
        XCTAssertEqual(full.databaseIndices, Array(0..<600))
        XCTAssertEqual(full.queryIndices, Array(600..<720))
        XCTAssertEqual(full.database, source.training)
        XCTAssertEqual(full.query, source.test)
    }

    func testTooFewImagesIsAClearError() throws {
        let source = try miniature()
        XCTAssertThrowsError(try DataSplit.make(.dpsh, from: source, seed: 1)) { error in
            // 12 test images per class cannot give 100 queries per class.
            XCTAssertEqual("\(error)", "class 'class0' has 12 images, 100 needed for dpsh: 100 test images per class as queries")
        }
        XCTAssertThrowsError(try DataSplit.make(.dpsh, from: source, seed: 1, queriesPerClass: 5, trainingPerClass: 61)) {
            XCTAssertTrue("\($0)".contains("has 60 images, 61 needed"), "\($0)")
        }
    }

    func testSplitByCounts() throws {
        // Uneven classes: class k has 20 + k images.
        var labels: [Int32] = []
        for k in 0..<10 { labels += [Int32](repeating: Int32(k), count: 20 + k) }
        let source = tracedImages(labels: labels)
        let split = try DataSplit.byCounts(from: source, queriesPerClass: 3, trainingPerClass: 5, databasePerClass: 7,
                                           seed: 9)
        XCTAssertEqual(split.query.classCounts, [Int](repeating: 3, count: 10))
        XCTAssertEqual(split.training.classCounts, [Int](repeating: 5, count: 10))
        XCTAssertEqual(split.database.classCounts, [Int](repeating: 7, count: 10))
        let q = Set(split.queryIndices), t = Set(split.trainingIndices), d = Set(split.databaseIndices)
        XCTAssertTrue(q.isDisjoint(with: t) && q.isDisjoint(with: d) && t.isDisjoint(with: d))
        assertPartsMatchIndices(split)
        XCTAssertEqual(try DataSplit.byCounts(from: source, queriesPerClass: 3, trainingPerClass: 5, databasePerClass: 7,
                                              seed: 9), split)

        let rest = try DataSplit.byCounts(from: source, queriesPerClass: 3, trainingPerClass: 5, trainingInDatabase: true,
                                          seed: 9)
        XCTAssertEqual(rest.database.classCounts, (0..<10).map { 20 + $0 - 3 })
        XCTAssertEqual(Set(rest.queryIndices).union(rest.databaseIndices), Set(0..<source.count))
        XCTAssertTrue(Set(rest.trainingIndices).isSubset(of: Set(rest.databaseIndices)))
        assertPartsMatchIndices(rest)

        XCTAssertThrowsError(try DataSplit.byCounts(from: source, queriesPerClass: 10, trainingPerClass: 10,
                                                    databasePerClass: 1, seed: 1)) {
            XCTAssertEqual("\($0)", "class 'class0' has 20 images, 21 needed for 10 queries + 10 training + 1 database per class")
        }
        XCTAssertThrowsError(try DataSplit.byCounts(from: source, queriesPerClass: -1, trainingPerClass: 1, seed: 1))
    }

    func testProtocolOnOnePool() throws {
        let pool = tracedImages(labels: (0..<300).map { Int32($0 % 10) })
        let split = try DataSplit.make(.dpsh, from: pool, seed: 3, testPerClass: 10, queriesPerClass: 4,
                                       trainingPerClass: 15)
        XCTAssertEqual(split.query.count, 40)
        XCTAssertEqual(split.training.count, 150)
        XCTAssertEqual(split.database.count, 260)
        XCTAssertTrue(Set(split.queryIndices).isDisjoint(with: split.databaseIndices))
        XCTAssertEqual(Set(split.queryIndices).union(split.databaseIndices), Set(0..<300))
        // Indices refer to the pool, and the content agrees.
        XCTAssertEqual(tracedIndices(split.query), split.queryIndices)
        XCTAssertEqual(tracedIndices(split.training), split.trainingIndices)
        XCTAssertEqual(tracedIndices(split.database), split.databaseIndices)
        let dsh = try DataSplit.make(.dsh, from: pool, seed: 3, testPerClass: 10)
        XCTAssertEqual(dsh.query.count, 100)
        XCTAssertEqual(dsh.training.count, 200)
        XCTAssertEqual(dsh.queryIndices, dsh.databaseIndices)
        XCTAssertTrue(Set(dsh.trainingIndices).isDisjoint(with: dsh.queryIndices))

        let parts = try TrainTestImages.dividing(pool, testPerClass: 10, seed: 3)
        XCTAssertEqual(parts.test.classCounts, [Int](repeating: 10, count: 10))
        XCTAssertEqual(parts.training.classCounts, [Int](repeating: 20, count: 10))
        XCTAssertTrue(Set(tracedIndices(parts.test)).isDisjoint(with: tracedIndices(parts.training)))
    }
}
