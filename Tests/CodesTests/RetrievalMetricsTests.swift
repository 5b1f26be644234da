import Codes
import Foundation
import XCTest

final class RetrievalMetricsTests: XCTestCase {
    /// Every case of ../shared/golden/metrics/cases.json to 1e-9.
    func testGoldenCases() throws {
        let url = sharedDirectory().appendingPathComponent("golden/metrics/cases.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("../shared/golden/metrics/cases.json is absent: \(url.path)")
        }
        let cases = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for (number, item) in cases.enumerated() {
            let bits = try XCTUnwrap(item["bits"] as? Int)
            let k = try XCTUnwrap(item["k"] as? Int)
            let queries = try CodeSet(strings: try XCTUnwrap(item["query_codes"] as? [String]), bitCount: bits,
                                      labels: try XCTUnwrap(item["query_labels"] as? [Int]).map(Int32.init))
            let database = try CodeSet(strings: try XCTUnwrap(item["db_codes"] as? [String]), bitCount: bits,
                                       labels: try XCTUnwrap(item["db_labels"] as? [Int]).map(Int32.init))
            let expected = try XCTUnwrap(item["expected"] as? [String: Double])
            let metrics = try evaluateRetrieval(queries: queries, database: database, k: k, radius: 2)
            let got: [String: Double] = [
                "map_all": metrics.mapAll, "map_tie_aware": metrics.mapTieAware, "map_at_k": metrics.mapAtK,
                "precision_at_k": metrics.precisionAtK, "precision_radius2": metrics.precisionWithinRadius,
            ]
            XCTAssertEqual(Set(expected.keys), Set(got.keys))
            for (key, value) in expected {
                XCTAssertEqual(try XCTUnwrap(got[key]), value, accuracy: 1e-9, "case \(number) \(key)")
            }
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(metrics.json.utf8)) as? [String: Any])
            XCTAssertEqual(try XCTUnwrap(json["map_all"] as? Double), metrics.mapAll, accuracy: 1e-15)
            XCTAssertNotNil(json["precision_radius2"])
        }
    }

    /// A direct implementation of the README's definitions: full comparison sort, then the sums.
    private func naiveMetrics(queries: [[Bool]], queryLabels: [Int32], database: [[Bool]], databaseLabels: [Int32],
                              k: Int, radius: Int) -> [Double] {
        var ap: [Double] = [], apAtK: [Double] = [], precisionAtK: [Double] = [], withinRadius: [Double] = []
        for (q, query) in queries.enumerated() {
            let ranking = bruteForceRanking(query: query, database: database)
            let relevant = ranking.map { databaseLabels[$0.index] == queryLabels[q] }
            let total = relevant.filter { $0 }.count
            var hits = 0, sum = 0.0
            for (rank, isRelevant) in relevant.enumerated() where isRelevant {
                hits += 1
                sum += Double(hits) / Double(rank + 1)
            }
            if total > 0 { ap.append(sum / Double(total)) }
            hits = 0
            sum = 0
            for (rank, isRelevant) in relevant.prefix(k).enumerated() where isRelevant {
                hits += 1
                sum += Double(hits) / Double(rank + 1)
            }
            apAtK.append(hits == 0 ? 0 : sum / Double(hits))
            precisionAtK.append(Double(hits) / Double(k))
            let near = ranking.filter { $0.distance <= radius }
            let nearRelevant = near.filter { databaseLabels[$0.index] == queryLabels[q] }.count
            withinRadius.append(near.isEmpty ? 0 : Double(nearRelevant) / Double(near.count))
        }
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        return [mean(ap), mean(apAtK), mean(precisionAtK), mean(withinRadius)]
    }

    func testAgreesWithNaiveDefinitionsOnRandomSets() throws {
        for (seed, bits) in [(1, 8), (2, 48), (3, 100), (4, 256)] as [(UInt64, Int)] {
            var random = TestRandom(seed)
            let databaseRows = randomBitRows(count: 257, bits: bits, varyingBits: 9, duplicateEvery: 4,
                                             random: &random)
            let queryRows = randomBitRows(count: 19, bits: bits, varyingBits: 9, random: &random)
            let databaseLabels = (0..<257).map { _ in Int32(random.below(4)) }
            // Label 9 is in no database item: that query is skipped by the mAPs and scores 0 elsewhere.
            let queryLabels = (0..<19).map { $0 == 5 ? 9 : Int32(random.below(4)) }
            for k in [1, 10, 300] {
                let metrics = try evaluateRetrieval(
                    queries: try CodeSet(bits: queryRows, labels: queryLabels),
                    database: try CodeSet(bits: databaseRows, labels: databaseLabels), k: k, radius: 3)
                let expected = naiveMetrics(queries: queryRows, queryLabels: queryLabels, database: databaseRows,
                                            databaseLabels: databaseLabels, k: k, radius: 3)
                XCTAssertEqual(metrics.mapAll, expected[0], accuracy: 1e-12)
                XCTAssertEqual(metrics.mapAtK, expected[1], accuracy: 1e-12)
                XCTAssertEqual(metrics.precisionAtK, expected[2], accuracy: 1e-12)
                XCTAssertEqual(metrics.precisionWithinRadius, expected[3], accuracy: 1e-12)
                XCTAssertEqual(metrics.queriesWithRelevantItems, 18)
            }
        }
    }

    /// The tie-aware mAP is the expectation of AP over random orders within tie groups: check it against the
    /// average over every such order, enumerated, on tiny sets.
    func testTieAwareEqualsAverageOverAllTieOrders() throws {
        func permutations(_ items: [Int]) -> [[Int]] {
            guard items.count > 1 else { return [items] }
            return items.indices.flatMap { i -> [[Int]] in
                var rest = items
                let head = rest.remove(at: i)
                return permutations(rest).map { [head] + $0 }
            }
        }
        var random = TestRandom(11)
        for trial in 0..<6 {
            let databaseRows = randomBitRows(count: 9, bits: 8, varyingBits: 3, random: &random)
            let databaseLabels = (0..<9).map { _ in Int32(random.below(2)) }
            let query = randomBitRows(count: 1, bits: 8, varyingBits: 3, random: &random)[0]
            guard databaseLabels.contains(1) else { continue }
            let distances = databaseRows.map { hamming(query, $0) }
            let groups = Set(distances).sorted().map { d in distances.indices.filter { distances[$0] == d } }
            var orders: [[Int]] = [[]]
            for group in groups {
                orders = orders.flatMap { prefix in permutations(group).map { prefix + $0 } }
            }
            let total = databaseLabels.filter { $0 == 1 }.count
            var expectedAP = 0.0
            for order in orders {
                var hits = 0, sum = 0.0
                for (rank, i) in order.enumerated() where databaseLabels[i] == 1 {
                    hits += 1
                    sum += Double(hits) / Double(rank + 1)
                }
                expectedAP += sum / Double(total)
            }
            expectedAP /= Double(orders.count)
            let metrics = try evaluateRetrieval(queries: try CodeSet(bits: [query], labels: [1]),
                                                database: try CodeSet(bits: databaseRows, labels: databaseLabels),
                                                k: 5)
            XCTAssertEqual(metrics.mapTieAware, expectedAP, accuracy: 1e-12, "trial \(trial)")
        }
    }

    func testPrecisionRecallByRadius() throws {
        // Query 0000, labels: A at distances 0 and 2, B at distance 1 and 4.
        let database = try CodeSet(strings: ["00000000", "10000000", "11000000", "11110000"], labels: [1, 2, 1, 2])
        let queries = try CodeSet(strings: ["00000000"], labels: [1])
        let curve = try precisionRecallByRadius(queries: queries, database: database)
        XCTAssertEqual(curve.radii, Array(0...8))
        XCTAssertEqual(curve.precision[0], 1)
        XCTAssertEqual(curve.precision[1], 0.5)
        XCTAssertEqual(curve.precision[2], 2.0 / 3.0, accuracy: 1e-15)
        XCTAssertEqual(curve.precision[4], 0.5)
        XCTAssertEqual(curve.recall[0], 0.5)
        XCTAssertEqual(curve.recall[2], 1)
        XCTAssertEqual(curve.recall[8], 1)
    }

    /// The curve over many queries (some without any relevant item, which are left out) against a direct count per
    /// query and radius; and the one-pass `evaluateRetrievalWithCurve` equals the two functions called apart.
    func testCurveOverManyQueriesAndTheOnePassEqualsBoth() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6364136223846793005 &+ 1442695040888963407; return state >> 33 }
        let bits = 10
        func code() -> String { String((0..<bits).map { _ in next() % 2 == 0 ? "0" : "1" }) }
        let database = try CodeSet(strings: (0..<150).map { _ in code() }, labels: (0..<150).map { _ in Int32(next() % 4) })
        // Label 9 has no database item: those queries have no relevant item.
        let queryLabels = (0..<37).map { $0 % 6 == 5 ? Int32(9) : Int32(next() % 4) }
        let queries = try CodeSet(strings: (0..<37).map { _ in code() }, labels: queryLabels)
        let curve = try precisionRecallByRadius(queries: queries, database: database)
        var precision = [Double](repeating: 0, count: bits + 1), recall = precision, counted = 0
        for q in 0..<queries.count {
            let relevant = (0..<database.count).filter { database.labels![$0] == queryLabels[q] }
            guard !relevant.isEmpty else { continue }
            counted += 1
            for r in 0...bits {
                let within = (0..<database.count).filter { item in
                    zip(queries.string(ofCode: q), database.string(ofCode: item)).filter { $0 != $1 }.count <= r
                }
                let hits = within.filter { database.labels![$0] == queryLabels[q] }.count
                precision[r] += within.isEmpty ? 0 : Double(hits) / Double(within.count)
                recall[r] += Double(hits) / Double(relevant.count)
            }
        }
        XCTAssertEqual(counted, 31)
        for r in 0...bits {
            XCTAssertEqual(curve.precision[r], precision[r] / Double(counted), accuracy: 1e-12, "radius \(r)")
            XCTAssertEqual(curve.recall[r], recall[r] / Double(counted), accuracy: 1e-12, "radius \(r)")
        }
        let both = try evaluateRetrievalWithCurve(queries: queries, database: database, k: 20, radius: 3)
        XCTAssertEqual(both.metrics, try evaluateRetrieval(queries: queries, database: database, k: 20, radius: 3))
        XCTAssertEqual(both.curve, curve)
    }

    func testNeedsLabels() throws {
        let unlabelled = try CodeSet(strings: ["00000000"])
        XCTAssertThrowsError(try evaluateRetrieval(queries: unlabelled, database: unlabelled, k: 1)) {
            XCTAssertEqual("\($0)", "the query code set has no labels")
        }
    }
}
