import Codes
import XCTest

/// Linear and multi-index search against a brute-force ranking, with many ties, for lengths that are and are not
/// multiples of 64.
final class HammingSearchTests: XCTestCase {
    static let lengths = [8, 48, 64, 100, 128, 200, 256]

    /// Databases with plentiful ties: few varying bits and duplicated rows; sizes not multiples of the SIMD width.
    private func fixture(bits: Int, seed: UInt64, count: Int = 301, queries: Int = 13)
        -> (database: [[Bool]], queries: [[Bool]]) {
        var random = TestRandom(seed)
        let varying = min(bits, 10 + Int(seed % 7))
        let database = randomBitRows(count: count, bits: bits, varyingBits: varying, duplicateEvery: 5,
                                     random: &random)
        var queryRows = randomBitRows(count: queries - 2, bits: bits, varyingBits: varying, random: &random)
        queryRows.append(database[17])
        queryRows.append(randomBitRows(count: 1, bits: bits, random: &random)[0])
        return (database, queryRows)
    }

    func testLinearTopKMatchesBruteForceWithTies() throws {
        for bits in Self.lengths {
            let (databaseRows, queryRows) = fixture(bits: bits, seed: UInt64(bits))
            let index = LinearHammingIndex(try CodeSet(bits: databaseRows))
            let queries = try CodeSet(bits: queryRows)
            for k in [0, 1, 7, 50, 301, 400] {
                let answers = try index.nearest(to: queries, count: k)
                XCTAssertEqual(answers.count, queryRows.count)
                for (q, query) in queryRows.enumerated() {
                    let expected = Array(bruteForceRanking(query: query, database: databaseRows).prefix(k))
                    XCTAssertEqual(answers[q], expected, "bits \(bits) k \(k) query \(q)")
                }
            }
        }
    }

    func testTiesAreBrokenByIndexAtTheCutOff() throws {
        // Ten identical codes at distance 1 from the query and one at distance 0: top 4 takes index order.
        let strings = (0..<10).map { _ in "1000000000" } + ["0000000000"]
        let index = LinearHammingIndex(try CodeSet(strings: strings))
        let answer = try index.nearest(to: try CodeSet(strings: ["0000000000"]), count: 4)[0]
        XCTAssertEqual(answer, [Neighbor(index: 10, distance: 0), Neighbor(index: 0, distance: 1),
                                Neighbor(index: 1, distance: 1), Neighbor(index: 2, distance: 1)])
    }

    func testRadiusSearchMatchesBruteForce() throws {
        for bits in Self.lengths {
            let (databaseRows, queryRows) = fixture(bits: bits, seed: UInt64(bits) + 1000)
            let index = LinearHammingIndex(try CodeSet(bits: databaseRows))
            let queries = try CodeSet(bits: queryRows)
            for radius in [0, 1, 3, 6, bits] {
                let answers = try index.within(radius: radius, of: queries)
                for (q, query) in queryRows.enumerated() {
                    let expected = bruteForceRanking(query: query, database: databaseRows)
                        .filter { $0.distance <= radius }
                    XCTAssertEqual(answers[q], expected, "bits \(bits) radius \(radius) query \(q)")
                }
            }
        }
    }

    func testLargeDatabaseAcrossBlocksAndCores() throws {
        // More codes than one cache block and more queries than one query block, uniformly random 64-bit codes.
        var random = TestRandom(99)
        let databaseRows = randomBitRows(count: 40_003, bits: 64, random: &random)
        let queryRows = randomBitRows(count: 70, bits: 64, random: &random)
        let answers = try LinearHammingIndex(try CodeSet(bits: databaseRows))
            .nearest(to: try CodeSet(bits: queryRows), count: 25)
        for q in [0, 33, 69] {
            XCTAssertEqual(answers[q], Array(bruteForceRanking(query: queryRows[q], database: databaseRows).prefix(25)))
        }
    }

    func testMultiIndexHashingEqualsLinearScan() throws {
        for bits in Self.lengths {
            let (databaseRows, queryRows) = fixture(bits: bits, seed: UInt64(bits) + 2000, count: 500)
            let database = try CodeSet(bits: databaseRows)
            let queries = try CodeSet(bits: queryRows)
            let linear = LinearHammingIndex(database)
            let minimum = (bits + 31) / 32
            for m in Set([minimum, minimum + 1, max(4, minimum)]).sorted() + [-1] {
                let mih = try MultiIndexHashingIndex(database, substringCount: m == -1 ? nil : m)
                XCTAssertEqual(mih.substringLengths.reduce(0, +), bits)
                for k in [1, 10, 120] {
                    XCTAssertEqual(try mih.nearest(to: queries, count: k), try linear.nearest(to: queries, count: k),
                                   "bits \(bits) m \(mih.substringCount) k \(k)")
                }
                for radius in [0, 2, 5, 9] {
                    XCTAssertEqual(try mih.within(radius: radius, of: queries),
                                   try linear.within(radius: radius, of: queries),
                                   "bits \(bits) m \(mih.substringCount) radius \(radius)")
                }
            }
        }
    }

    func testMultiIndexHashingOnRandomCodes() throws {
        var random = TestRandom(7)
        let databaseRows = randomBitRows(count: 3000, bits: 32, random: &random)
        var queryRows = randomBitRows(count: 10, bits: 32, random: &random)
        // Near duplicates of database codes: one and three bits flipped.
        for (i, flips) in [(5, [3]), (900, [0, 17, 31])] {
            var row = databaseRows[i]
            for f in flips { row[f].toggle() }
            queryRows.append(row)
        }
        let database = try CodeSet(bits: databaseRows)
        let queries = try CodeSet(bits: queryRows)
        let mih = try makeHammingIndex(database, method: .mih)
        let linear = try makeHammingIndex(database, method: .linear)
        XCTAssertEqual(mih.methodName, "mih")
        XCTAssertEqual(try mih.nearest(to: queries, count: 5), try linear.nearest(to: queries, count: 5))
        let nearby = try mih.within(radius: 3, of: queries)
        XCTAssertEqual(nearby, try linear.within(radius: 3, of: queries))
        XCTAssertTrue(nearby[10].contains(Neighbor(index: 5, distance: 1)))
        XCTAssertTrue(nearby[11].contains(Neighbor(index: 900, distance: 3)))
    }

    func testRejectsMismatchedLengthsAndBadArguments() throws {
        let index = LinearHammingIndex(try CodeSet(strings: ["00000000", "11111111"]))
        XCTAssertThrowsError(try index.nearest(to: try CodeSet(strings: ["000000000"]), count: 1))
        XCTAssertThrowsError(try index.nearest(to: try CodeSet(strings: ["00000000"]), count: -1))
        XCTAssertThrowsError(try index.within(radius: -1, of: try CodeSet(strings: ["00000000"])))
        XCTAssertThrowsError(try MultiIndexHashingIndex(try CodeSet(strings: ["00000000"]), substringCount: 9))
    }

    func testRankedIndicesIsAStableSortByDistance() throws {
        var random = TestRandom(3)
        let rows = randomBitRows(count: 200, bits: 100, varyingBits: 12, duplicateEvery: 3, random: &random)
        let query = rows[4]
        XCTAssertEqual(try rankedIndices(of: try BitCode(bits: query), in: try CodeSet(bits: rows)),
                       bruteForceRanking(query: query, database: rows).map(\.index))
    }
}
