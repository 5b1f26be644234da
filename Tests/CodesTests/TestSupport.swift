import Codes
import Foundation

/// A small seeded generator for test data (splitmix64), independent of the code under test.
struct TestRandom {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Random codes as bit rows. `varyingBits` limits the bits that differ between codes (the rest are a fixed random
/// pattern), so that distances are small and ties are plentiful; `duplicates` copies earlier rows.
func randomBitRows(count: Int, bits: Int, varyingBits: Int? = nil, duplicateEvery: Int = 0,
                   random: inout TestRandom) -> [[Bool]] {
    let base = (0..<bits).map { _ in random.next() & 1 == 1 }
    let varying = varyingBits ?? bits
    var rows: [[Bool]] = []
    for i in 0..<count {
        if duplicateEvery > 0 && i > 0 && i % duplicateEvery == 0 {
            rows.append(rows[random.below(rows.count)])
            continue
        }
        var row = base
        for j in 0..<bits where j % max(1, bits / varying) == 0 { row[j] = random.next() & 1 == 1 }
        rows.append(row)
    }
    return rows
}

func hamming(_ a: [Bool], _ b: [Bool]) -> Int { zip(a, b).filter { $0 != $1 }.count }

/// The brute-force answer: every database row with its distance, by (distance, index).
func bruteForceRanking(query: [Bool], database: [[Bool]]) -> [Neighbor] {
    database.enumerated().map { Neighbor(index: $0.offset, distance: hamming(query, $0.element)) }
        .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
}

/// A fresh temporary directory for file tests.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "hashlab-codes-tests-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// ../shared beside the package root (or $HASHLAB_SHARED).
func sharedDirectory() -> URL {
    if let path = ProcessInfo.processInfo.environment["HASHLAB_SHARED"] { return URL(fileURLWithPath: path) }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
}
