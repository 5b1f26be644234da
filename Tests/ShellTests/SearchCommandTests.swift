import Codes
import Shell
import XCTest

/// `index` and `search` in the shell: the neighbours they print are the brute-force answer.
final class SearchCommandTests: XCTestCase {
    /// Eight 8-bit codes with distances from 00000000 of 0, 1, 1, 2, 8, 3, 2, 1.
    private let database = ["00000000", "00000001", "10000000", "11000000",
                            "11111111", "00000111", "00011000", "00100000"]

    private func makeSession() throws -> (Session, CapturingSink) {
        let (session, sink) = Session.capturing()
        try session.store(CodeSet(strings: database, labels: [0, 1, 0, 1, 0, 1, 0, 1],
                                  names: database.map { "img-\($0).png" }), as: "db")
        try session.store(CodeSet(strings: ["00000000", "11111110"]), as: "q")
        return (session, sink)
    }

    /// Brute force: indices sorted by (distance, index).
    private func bruteForce(_ query: String) -> [(index: Int, distance: Int)] {
        database.enumerated().map { index, code in
            (index, zip(code, query).filter { $0 != $1 }.count)
        }.sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
    }

    func testTopNMatchesBruteForceWithTiesByIndex() throws {
        for method in ["linear", "mih"] {
            let (session, sink) = try makeSession()
            session.execute(line: "index db method \(method) as ix; search q in ix top 3 as r")
            XCTAssertEqual(sink.error, "", method)
            let result = try session.value(named: "r", as: SearchResults.self)
            for (queryIndex, query) in ["00000000", "11111110"].enumerated() {
                let expected = bruteForce(query).prefix(3)
                XCTAssertEqual(result.neighbors[queryIndex].map(\.index), expected.map(\.index), method)
                XCTAssertEqual(result.neighbors[queryIndex].map(\.distance), expected.map(\.distance), method)
            }
            XCTAssertTrue(sink.standard.contains("img-00000001.png"), sink.standard)
        }
    }

    func testRadiusSearchReturnsEveryCodeWithin() throws {
        let (session, sink) = try makeSession()
        session.execute(line: "search q in db within 1 as r")
        XCTAssertEqual(sink.error, "")
        let result = try session.value(named: "r", as: SearchResults.self)
        XCTAssertEqual(result.neighbors[0].map(\.index), bruteForce("00000000").filter { $0.distance <= 1 }.map(\.index))
        XCTAssertEqual(result.neighbors[1].map(\.index), bruteForce("11111110").filter { $0.distance <= 1 }.map(\.index))
    }

    func testBadInputIsAOneLineErrorAndKeepsValues() throws {
        let (session, sink) = try makeSession()
        session.execute(line: "search q in db top 0")
        XCTAssertEqual(sink.error, "error: search: top must be 1 or more, not 0\n")
        sink.clear()
        session.execute(line: "search q in db within -1")
        XCTAssertEqual(sink.error, "error: search: within must be 0 or more, not -1\n", "the bound of within")
        sink.clear()
        session.execute(line: "search q in nowhere")
        XCTAssertTrue(sink.error.hasPrefix("error: no value named `nowhere`"), sink.error)
        sink.clear()
        try session.store(CodeSet(strings: ["0101010101010101"]), as: "short")
        session.execute(line: "search short in db")
        XCTAssertFalse(sink.error.isEmpty)
        XCTAssertEqual(sink.error.filter { $0 == "\n" }.count, 1, sink.error)
        XCTAssertEqual(session.valueNames, ["db", "q", "short"])
    }
}

