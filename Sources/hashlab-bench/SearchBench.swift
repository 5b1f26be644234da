// The search section of the benchmark: exact Hamming k-nearest search, radius search (linear and multi-index
// hashing) and the retrieval metrics of `eval`, on seeded random codes.
import Codes
import Foundation
import Seeding

/// `count` uniformly random codes of `bits` bits, seeded.
private func randomCodes(count: Int, bits: Int, seed: UInt64, labelClasses: Int32? = nil) throws -> CodeSet {
    var generator = SeededGenerator(seed: seed)
    let width = (bits + 63) / 64
    var words = [UInt64](repeating: 0, count: count * width)
    for i in 0..<count {
        for w in 0..<width {
            let used = min(64, bits - 64 * w)
            let word = generator.next()
            words[i * width + w] = used == 64 ? word : word & ((1 << UInt64(used)) - 1)
        }
    }
    let labels = labelClasses.map { classes in (0..<count).map { _ in Int32(generator.next() % UInt64(classes)) } }
    return try CodeSet(bitCount: bits, words: words, labels: labels)
}

/// Queries per second of the linear top-100 search of 1,000 queries against `databaseCount` random codes.
private func topKFigure(bits: Int, databaseCount: Int, key: String) throws -> Figure {
    let database = try randomCodes(count: databaseCount, bits: bits, seed: 11)
    let queries = try randomCodes(count: 1000, bits: bits, seed: 12)
    let index = LinearHammingIndex(database)
    _ = try index.nearest(to: try queries.subset(0..<50), count: 100)  // warm up: page in, spin up threads
    var best = Double.infinity
    let repeats = databaseCount >= 10_000_000 ? 1 : 3
    for _ in 0..<repeats {
        best = min(best, try seconds { _ = try index.nearest(to: queries, count: 100) })
    }
    return Figure(key: key, value: Double(queries.count) / best, unit: "queries/s",
                  note: "\(bits)-bit, top 100, 1,000 queries vs \(databaseCount.formatted()) random codes, best of \(repeats)")
}

func searchBenchmarks() throws -> [Figure] {
    var figures: [Figure] = []
    for bits in [64, 48] {
        figures.append(try topKFigure(bits: bits, databaseCount: 1_000_000, key: "search_\(bits)bit_queries_per_s"))
        for (size, name) in [(10_000, "10k"), (100_000, "100k")] + (ProcessInfo.processInfo.environment["QUICK"] == nil ? [(10_000_000, "10m")] : []) {
            figures.append(try topKFigure(bits: bits, databaseCount: size,
                                          key: "search_\(bits)bit_\(name)_queries_per_s"))
        }
    }
    return figures
}
