import Codes
import Foundation
import Imaging
import Shell
import XCTest

/// `eval`, `pr`, `plot pr`, `code`, and code sets through `load codes` and `save`, in the shell.
final class EvaluationCommandTests: XCTestCase {
    private let databaseCodes = ["00000000", "00000001", "10000000", "11000000", "11111111", "00000111",
                                 "00011000", "00100000", "11110000", "00001111"]
    private let databaseLabels: [Int32] = [0, 1, 0, 1, 2, 1, 0, 2, 2, 1]
    private let queryCodes = ["00000000", "11111110", "00000011"]
    private let queryLabels: [Int32] = [0, 2, 1]

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-eval-\(UUID().uuidString)-\(name)").path
    }

    private func makeSession() throws -> (Session, CapturingSink) {
        let (session, sink) = Session.capturing()
        try session.store(CodeSet(strings: databaseCodes, labels: databaseLabels), as: "db")
        try session.store(CodeSet(strings: queryCodes, labels: queryLabels), as: "q")
        return (session, sink)
    }

    /// The reference: rank by (distance, index) and count, written out plainly.
    private func bruteForce(k: Int, radius: Int) -> (map: Double, mapAtK: Double, precisionAtK: Double,
                                                      precisionWithinRadius: Double) {
        var sums = (0.0, 0.0, 0.0, 0.0)
        var withRelevant = 0
        for (query, label) in zip(queryCodes, queryLabels) {
            let distances = databaseCodes.map { code in zip(code, query).filter { $0 != $1 }.count }
            let ranking = databaseCodes.indices.sorted { (distances[$0], $0) < (distances[$1], $1) }
            let relevant = ranking.map { databaseLabels[$0] == label }
            var hits = 0, ap = 0.0, apAtK = 0.0
            for (rank, isRelevant) in relevant.enumerated() where isRelevant {
                hits += 1
                ap += Double(hits) / Double(rank + 1)
                if rank < k { apAtK += Double(hits) / Double(rank + 1) }
            }
            let hitsAtK = relevant.prefix(k).filter { $0 }.count
            if hits > 0 { withRelevant += 1; sums.0 += ap / Double(hits) }
            sums.1 += hitsAtK == 0 ? 0 : apAtK / Double(hitsAtK)
            sums.2 += Double(hitsAtK) / Double(k)
            let within = databaseCodes.indices.filter { distances[$0] <= radius }
            sums.3 += within.isEmpty ? 0
                : Double(within.filter { databaseLabels[$0] == label }.count) / Double(within.count)
        }
        let n = Double(queryCodes.count)
        return (sums.0 / Double(withRelevant), sums.1 / n, sums.2 / n, sums.3 / n)
    }

    func testEvalPrintsAndKeepsTheMetricsOfHandMadeCodes() throws {
        let (session, sink) = try makeSession()
        let path = temporaryPath("metrics.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "eval q db k 4 radius 1 to \"\(path)\" as m")
        XCTAssertEqual(sink.error, "")
        let metrics = try session.value(named: "m", as: RetrievalMetrics.self)
        let expected = bruteForce(k: 4, radius: 1)
        XCTAssertEqual(metrics.mapAll, expected.map, accuracy: 1e-12)
        XCTAssertEqual(metrics.mapAtK, expected.mapAtK, accuracy: 1e-12)
        XCTAssertEqual(metrics.precisionAtK, expected.precisionAtK, accuracy: 1e-12)
        XCTAssertEqual(metrics.precisionWithinRadius, expected.precisionWithinRadius, accuracy: 1e-12)
        let library = try evaluateRetrieval(queries: session.value(named: "q", as: CodeSet.self),
                                            database: session.value(named: "db", as: CodeSet.self), k: 4, radius: 1)
        XCTAssertEqual(metrics, library)
        for label in ["mAP", "mAP@4", "P@4", "P(r≤1)", "tie-aware mAP"] {
            XCTAssertTrue(sink.standard.contains(label), label)
        }
        XCTAssertTrue(sink.standard.contains(String(format: "%.4f", expected.map)), sink.standard)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            as? [String: Any]
        XCTAssertEqual(Set(json?.keys.map { $0 } ?? []).isSuperset(of: ["map_all", "map_tie_aware", "map_at_k",
                                                                          "precision_at_k", "precision_radius1"]),
                       true, "\(String(describing: json))")
        XCTAssertEqual(json?["map_all"] as? Double ?? -1, expected.map, accuracy: 1e-12)
    }

    func testEvalMatchesTheGoldenCasesWhenPresent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shared = ProcessInfo.processInfo.environment["HASHLAB_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent("../shared").standardized
        let file = shared.appendingPathComponent("golden/metrics/cases.json")
        guard let data = try? Data(contentsOf: file) else {
            throw XCTSkip("../shared/golden/metrics/cases.json is absent: no golden metrics to compare")
        }
        let cases = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        XCTAssertFalse(cases.isEmpty)
        for (number, golden) in cases.enumerated() {
            let (session, sink) = Session.capturing()
            let queries = try CodeSet(strings: XCTUnwrap(golden["query_codes"] as? [String]),
                                      labels: XCTUnwrap(golden["query_labels"] as? [Int]).map(Int32.init))
            let database = try CodeSet(strings: XCTUnwrap(golden["db_codes"] as? [String]),
                                       labels: XCTUnwrap(golden["db_labels"] as? [Int]).map(Int32.init))
            try session.store(queries, as: "q")
            try session.store(database, as: "db")
            let k = try XCTUnwrap(golden["k"] as? Int)
            let path = temporaryPath("golden-\(number).json")
            defer { try? FileManager.default.removeItem(atPath: path) }
            session.execute(line: "eval q db k \(k) to \"\(path)\"")
            XCTAssertEqual(sink.error, "")
            let written = try XCTUnwrap(JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            let expected = try XCTUnwrap(golden["expected"] as? [String: Double])
            for (key, value) in expected {
                let found = try XCTUnwrap(written[key] as? Double, "case \(number): key \(key) is written")
                XCTAssertEqual(found, value, accuracy: 1e-9, "case \(number) \(key)")
            }
        }
    }

    func testPrecisionRecallCurvesArePlottedAsTextAndPNG() throws {
        let (session, sink) = try makeSession()
        let single = temporaryPath("pr.png"), both = temporaryPath("both.png")
        defer {
            try? FileManager.default.removeItem(atPath: single)
            try? FileManager.default.removeItem(atPath: both)
        }
        session.execute(line: "pr q db to \"\(single)\" as first")
        XCTAssertEqual(sink.error, "")
        let curve = try session.value(named: "first", as: PrecisionRecallValue.self)
        let expected = try precisionRecallByRadius(queries: session.value(named: "q", as: CodeSet.self),
                                                   database: session.value(named: "db", as: CodeSet.self))
        XCTAssertEqual(curve.curve, expected)
        XCTAssertEqual(curve.name, "first")
        XCTAssertEqual(curve.curve.recall.last ?? 0, 1, accuracy: 1e-12, "radius = bits retrieves everything")
        let image = try Image.read(pngAt: single)
        XCTAssertEqual([image.width, image.height], [480, 480])
        XCTAssertTrue(sink.standard.contains("precision"))

        try session.store(CodeSet(strings: queryCodes.reversed(), labels: queryLabels.reversed()), as: "q2")
        session.execute(line: "pr q2 db as second; plot pr first second to \"\(both)\" title \"two curves\"")
        XCTAssertEqual(sink.error, "")
        XCTAssertEqual(try Image.read(pngAt: both).width, 480)
        sink.clear()
        session.execute(line: "plot pr first q")
        XCTAssertTrue(sink.error.hasPrefix("error: `q` is a set of codes, expected a curve")
                      || sink.error.hasPrefix("error: `q` is "), sink.error)
        sink.clear()
        session.execute(line: "pr q db to \"\(temporaryPath("chart.txt"))\"")
        XCTAssertTrue(sink.error.contains("end the name with .png"), sink.error)
    }

    func testCodeDrawsAGridOfBits() throws {
        XCTAssertEqual(bitGridWidth(64), 8)
        XCTAssertEqual(bitGridWidth(48), 8)
        XCTAssertEqual(bitGridWidth(12), 4)
        XCTAssertEqual(bitGridWidth(13), 4, "a prime bit count: the rounded-up square root")
        let (session, sink) = try makeSession()
        session.execute(line: "code db index 5")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("code 5 of 10, 8 bits, label 1"), sink.standard)
        XCTAssertTrue(sink.standard.contains("···\n··██\n█\n") || sink.standard.contains("····\n·███\n"),
                      sink.standard)
        sink.clear()
        session.execute(line: "code db index 10")
        XCTAssertEqual(sink.error, "error: code: index 10 is outside 0…9\n")
    }

    func testCodeSetsRoundTripThroughTSVAndNumpyFiles() throws {
        let (session, sink) = try makeSession()
        let tsv = temporaryPath("db.tsv"), npy = temporaryPath("db.npy"), labels = temporaryPath("labels.npy")
        defer { for path in [tsv, npy, labels] { try? FileManager.default.removeItem(atPath: path) } }
        session.execute(line: "save db to \"\(tsv)\"; load codes \"\(tsv)\" as fromText")
        session.execute(line: "save db to \"\(npy)\" labels \"\(labels)\"")
        session.execute(line: "load codes \"\(npy)\" labels \"\(labels)\" bits 8 as fromNumpy")
        XCTAssertEqual(sink.error, "")
        let original = try session.value(named: "db", as: CodeSet.self)
        XCTAssertEqual(try session.value(named: "fromText", as: CodeSet.self), original)
        XCTAssertEqual(try session.value(named: "fromNumpy", as: CodeSet.self), original)
        sink.clear()
        session.execute(line: "load codes \"\(tsv)\" labels \"\(labels)\" as bad")
        XCTAssertTrue(sink.error.hasPrefix("error: load codes: labels FILE goes with .npy codes"), sink.error)
    }

    func testEvaluationErrorsAreOneLineAndKeepValues() throws {
        let (session, sink) = try makeSession()
        try session.store(CodeSet(strings: ["0000000000000000"], labels: [0]), as: "long")
        try session.store(CodeSet(strings: ["00000000"]), as: "unlabelled")
        let cases: [(String, String)] = [
            ("eval long db as m", "error: eval: `long` has 16-bit codes but `db` has 8-bit codes"),
            ("eval unlabelled db as m", "error: eval: `unlabelled` has no labels"),
            ("eval q unlabelled as m", "error: eval: `unlabelled` has no labels"),
            ("eval q db k 0 as m", "error: eval: k must be 1 or more, not 0"),
            ("pr unlabelled db as c", "error: pr: `unlabelled` has no labels"),
            ("eval q nothing", "error: no value named `nothing`"),
        ]
        for (line, prefix) in cases {
            sink.clear()
            session.execute(line: line)
            XCTAssertTrue(sink.error.hasPrefix(prefix), "\(line) → \(sink.error)")
            XCTAssertEqual(sink.error.filter { $0 == "\n" }.count, 1, "one line: \(sink.error)")
        }
        XCTAssertEqual(session.valueNames, ["db", "q", "long", "unlabelled"])
    }
}
