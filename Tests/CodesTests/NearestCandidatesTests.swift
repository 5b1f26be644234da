import Codes
import XCTest

/// Top-k answers that force the candidate buffer of the linear scan to compact and grow many times: large k, and
/// databases ordered so that almost every code enters the running top k. Checked against a brute-force ranking.
final class NearestCandidatesTests: XCTestCase {
    func testLargeKWithManyTiesMatchesBruteForce() throws {
        for bits in [48, 64, 100] {
            var random = TestRandom(UInt64(7 * bits))
            let databaseRows = randomBitRows(count: 3001, bits: bits, varyingBits: 12, duplicateEvery: 3,
                                             random: &random)
            let queryRows = randomBitRows(count: 5, bits: bits, varyingBits: 12, random: &random)
            let index = LinearHammingIndex(try CodeSet(bits: databaseRows))
            let queries = try CodeSet(bits: queryRows)
            let rankings = queryRows.map { bruteForceRanking(query: $0, database: databaseRows) }
            for k in [600, 1500, 3001, 5000] {
                let answers = try index.nearest(to: queries, count: k)
                for q in queryRows.indices {
                    XCTAssertEqual(answers[q], Array(rankings[q].prefix(k)), "bits \(bits) k \(k) query \(q)")
                }
            }
        }
    }

    func testEveryCodeNearerThanTheLastMatchesBruteForce() throws {
        // Codes sorted by decreasing distance to the first query (ties in random order), so the running k-th
        // distance drops with nearly every code and the buffer fills again and again.
        for bits in [48, 64] {
            var random = TestRandom(UInt64(bits) + 5)
            let queryRows = randomBitRows(count: 3, bits: bits, random: &random)
            let rows = randomBitRows(count: 4099, bits: bits, random: &random)
            let databaseRows = rows.map { (hamming($0, queryRows[0]), random.next(), $0) }
                .sorted { ($0.0, $0.1) > ($1.0, $1.1) }.map(\.2)
            let index = LinearHammingIndex(try CodeSet(bits: databaseRows))
            let queries = try CodeSet(bits: queryRows)
            for k in [1, 10, 700] {
                let answers = try index.nearest(to: queries, count: k)
                for q in queryRows.indices {
                    let expected = Array(bruteForceRanking(query: queryRows[q], database: databaseRows).prefix(k))
                    XCTAssertEqual(answers[q], expected, "bits \(bits) k \(k) query \(q)")
                }
            }
        }
    }
}
