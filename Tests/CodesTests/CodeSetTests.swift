import Codes
import XCTest

final class CodeSetTests: XCTestCase {
    func testBitLayoutIsFirstBitLowestBitOfFirstWord() throws {
        let code = try BitCode(string: "1" + String(repeating: "0", count: 63) + "01")
        XCTAssertEqual(code.bitCount, 66)
        XCTAssertEqual(code.words, [1, 2])
        XCTAssertEqual(code.description, "1" + String(repeating: "0", count: 63) + "01")
        XCTAssertTrue(code[0])
        XCTAssertFalse(code[64])
        XCTAssertTrue(code[65])
    }

    func testDistanceCountsDifferingBits() throws {
        let a = try BitCode(string: "1100110011")
        let b = try BitCode(string: "1010110010")
        XCTAssertEqual(a.distance(to: b), 3)
        XCTAssertEqual(a.distance(to: a), 0)
    }

    func testRejectsBadLengthsAndCharacters() {
        // Any length of at least one bit is a code (classic hashes have 4 to 4,096); none is not.
        XCTAssertThrowsError(try BitCode(string: "")) { XCTAssertEqual($0 as? CodesError, .unsupportedBitCount(0)) }
        XCTAssertThrowsError(try BitCode(bitCount: 0, words: [])) {
            XCTAssertEqual("\($0)", "a code needs at least 1 bit, not 0")
        }
        XCTAssertThrowsError(try CodeSet(bitCount: 0))
        XCTAssertThrowsError(try BitCode(string: "01010102"))
        XCTAssertThrowsError(try BitCode(bitCount: 8, words: [0x100]))
        XCTAssertThrowsError(try CodeSet(strings: ["01010101", "010101010"]))
        XCTAssertThrowsError(try CodeSet(strings: ["01010101"], labels: [1, 2]))
    }

    func testBuildsFromRowsStringsAndRealOutputs() throws {
        let rows: [[Bool]] = [[true, false, true, true, false, false, false, true, true],
                              [false, false, false, false, false, false, false, false, true]]
        let fromRows = try CodeSet(bits: rows, labels: [3, 4], names: ["a", "b"])
        let fromStrings = try CodeSet(strings: ["101100011", "000000001"], labels: [3, 4], names: ["a", "b"])
        XCTAssertEqual(fromRows, fromStrings)
        XCTAssertEqual(fromRows.count, 2)
        XCTAssertEqual(fromRows.wordsPerCode, 1)
        XCTAssertEqual(fromRows.words, [0b1_1000_1101, 0b1_0000_0000])
        XCTAssertEqual(fromRows.string(ofCode: 0), "101100011")
        XCTAssertEqual(fromRows[1], try BitCode(string: "000000001"))

        let outputs: [Float] = [0.3, -0.1, 0, 2, -5, 0.01, -0.01, 1, 0.5,
                                -1, -1, -1, -1, -1, -1, -1, -1, 0.2]
        let signs = try CodeSet(realOutputs: outputs, bitCount: 9)
        XCTAssertEqual(signs.string(ofCode: 0), "100101011")
        XCTAssertEqual(signs.string(ofCode: 1), "000000001")
        let sigmoid = try CodeSet(realOutputs: outputs, bitCount: 9, threshold: 0.5)
        XCTAssertEqual(sigmoid.string(ofCode: 0), "000100010")
    }

    func testSubsetKeepsLabelsAndNamesInOrder() throws {
        var random = TestRandom(5)
        let rows = randomBitRows(count: 20, bits: 130, random: &random)
        let set = try CodeSet(bits: rows, labels: (0..<20).map { Int32($0 * 10) }, names: (0..<20).map { "n\($0)" })
        let picked = try set.subset([7, 2, 7, 19])
        XCTAssertEqual(picked.count, 4)
        XCTAssertEqual(picked.labels, [70, 20, 70, 190])
        XCTAssertEqual(picked.names, ["n7", "n2", "n7", "n19"])
        XCTAssertEqual(picked[1].bits, rows[2])
        XCTAssertEqual(picked[3].bits, rows[19])
        XCTAssertThrowsError(try set.subset([20]))
    }

    func testAppendKeepsLabelsConsistent() throws {
        var set = try CodeSet(bitCount: 12)
        try set.append(try BitCode(string: "000000000001"), label: 1)
        try set.append(try BitCode(string: "100000000001"), label: 2)
        XCTAssertEqual(set.labels, [1, 2])
        XCTAssertThrowsError(try set.append(try BitCode(string: "100000000001")))
        XCTAssertThrowsError(try set.append(try BitCode(string: "1000000000011"), label: 3))
    }
}
