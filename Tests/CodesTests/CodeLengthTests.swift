import Codes
import XCTest

/// Codes of any length: the lengths classic hashes have (4 bits for hash size 2, 14·binbits for a colour hash,
/// up to 4,096 for hash size 64) next to the 8…256 bits models learn. Distances, sets, files, search and
/// near-duplicate groups must be exact at every length, especially around word boundaries.
final class CodeLengthTests: XCTestCase {
    /// Lengths below, at and across the 64-bit word boundaries, and past the models' 256 bits.
    let lengths = [1, 4, 7, 14, 42, 63, 64, 65, 255, 256, 257, 300, 1024, 4096]

    func testDistanceAndDifferingBitsAtEveryLength() throws {
        var random = TestRandom(16)
        for bits in lengths {
            let rows = randomBitRows(count: 2, bits: bits, random: &random)
            let a = try BitCode(bits: rows[0]), b = try BitCode(bits: rows[1])
            XCTAssertEqual(a.bitCount, bits)
            XCTAssertEqual(a.words.count, (bits + 63) / 64)
            XCTAssertEqual(a.bits, rows[0])
            XCTAssertEqual(a.distance(to: b), hamming(rows[0], rows[1]), "\(bits) bits")
            XCTAssertEqual(a.differingBits(from: b), (0..<bits).filter { rows[0][$0] != rows[1][$0] }, "\(bits) bits")
            XCTAssertEqual(a.distance(to: a), 0)
            XCTAssertEqual(try BitCode(string: a.description), a)
        }
        let ones = try BitCode(bits: [Bool](repeating: true, count: 4096))
        let zeros = try BitCode(bits: [Bool](repeating: false, count: 4096))
        XCTAssertEqual(ones.distance(to: zeros), 4096)
        XCTAssertEqual(ones.differingBits(from: zeros), Array(0..<4096))
    }

    func testTheModelsRangeIsNoLongerTheCodesRange() throws {
        XCTAssertEqual(BitCode.learnedBitCounts, 8...256)
        XCTAssertEqual(try CodeSet(strings: ["1010", "0110"]).bitCount, 4)
        XCTAssertEqual(try CodeSet(realOutputs: [1, -1, 1, 1, -1, -1], bitCount: 3).string(ofCode: 1), "100")
    }

    func testSearchAndFilesAtLengthsOutsideTheModelsRange() throws {
        var random = TestRandom(4)
        for bits in [4, 42, 300, 1024] {
            let rows = randomBitRows(count: 40, bits: bits, varyingBits: min(bits, 24), duplicateEvery: 7,
                                     random: &random)
            let database = try CodeSet(bits: rows, labels: (0..<40).map { Int32($0 % 3) })
            let queries = try database.subset([0, 5, 13])
            for method in SearchMethod.allCases {
                let index = try makeHammingIndex(database, method: method)
                let nearest = try index.nearest(to: queries, count: 10)
                for (q, row) in [0, 5, 13].enumerated() {
                    let expected = Array(bruteForceRanking(query: rows[row], database: rows).prefix(10))
                    XCTAssertEqual(nearest[q], expected, "\(bits) bits, \(method)")
                }
            }
            // TSV and .npy keep every length.
            XCTAssertEqual(try CodeSet.parseTSV(database.tsvText()), database)
            let path = NSTemporaryDirectory() + "hashlab-lengths-\(bits)-\(UUID().uuidString).npy"
            defer { try? FileManager.default.removeItem(atPath: path) }
            try NumpyFiles.writeCodes(database, to: path)
            XCTAssertEqual(try NumpyFiles.readCodes(from: path, bitCount: bits).words, database.words)
        }
    }

    /// Near-duplicate groups against a brute-force union of every pair within the radius, by the linear scan
    /// (few codes) and by multi-index hashing (more than 1,000 codes, a radius small next to the length).
    func testNearDuplicateGroupsEqualBruteForce() throws {
        var random = TestRandom(23)
        for (count, bits, radius) in [(30, 4, 1), (60, 42, 5), (1_200, 64, 3), (1_100, 300, 3), (50, 1024, 40)] {
            let rows = randomBitRows(count: count, bits: bits, varyingBits: min(bits, 12), duplicateEvery: 9,
                                     random: &random)
            let codes = try CodeSet(bits: rows)
            var expectedPairs: [[Int]] = []
            for i in 0..<count {
                for j in (i + 1)..<count where hamming(rows[i], rows[j]) <= radius { expectedPairs.append([i, j]) }
            }
            let pairs = try codes.nearDuplicatePairs(within: radius)
            XCTAssertEqual(Set(pairs.map { [$0.first, $0.second] }), Set(expectedPairs), "\(count) × \(bits) bits")
            XCTAssertTrue(pairs.allSatisfy { $0.distance == hamming(rows[$0.first], rows[$0.second]) })
            // Groups: connected components of those pairs, found here by flooding.
            var linked = [[Int]](repeating: [], count: count)
            for pair in expectedPairs {
                linked[pair[0]].append(pair[1])
                linked[pair[1]].append(pair[0])
            }
            var seen = [Bool](repeating: false, count: count)
            var expectedGroups: [[Int]] = []
            for start in 0..<count where !seen[start] {
                var members = [start], stack = [start]
                seen[start] = true
                while let i = stack.popLast() {
                    for other in linked[i] where !seen[other] {
                        seen[other] = true
                        members.append(other)
                        stack.append(other)
                    }
                }
                if members.count > 1 { expectedGroups.append(members.sorted()) }
            }
            XCTAssertEqual(try codes.nearDuplicateGroups(within: radius), expectedGroups, "\(count) × \(bits) bits")
        }
        XCTAssertThrowsError(try CodeSet(strings: ["0101"]).nearDuplicateGroups(within: -1))
    }
}
