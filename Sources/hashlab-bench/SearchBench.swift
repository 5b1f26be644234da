// The search section of the benchmark: exact Hamming k-nearest search, radius search (linear and multi-index
// hashing) and the retrieval metrics of `eval`, on seeded random codes.
import Codes
import Foundation
import Seeding

/// User + system CPU seconds of this process so far (all threads).
private func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// The 1-minute load average, to judge how much of the machine the figures had.
private func loadAverage() -> String {
    let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?"
    return String(text.split(separator: " ").first ?? "?")
}

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
    let cpuBefore = processCPUSeconds()
    for _ in 0..<repeats {
        best = min(best, try seconds { _ = try index.nearest(to: queries, count: 100) })
    }
    // Queries per CPU-second stays meaningful when other processes share the cores.
    let perCPUSecond = Double(queries.count * repeats) / max(processCPUSeconds() - cpuBefore, 1e-9)
    return Figure(key: key, value: Double(queries.count) / best, unit: "queries/s",
                  note: "\(bits)-bit, top 100, 1,000 queries vs \(databaseCount.formatted()) random codes, best of "
                      + "\(repeats); \(Int(perCPUSecond)) per CPU-second, load \(loadAverage())")
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
    figures += try radiusFigures()
    figures.append(try evalFigure())
    return figures
}

/// Linear scan against multi-index hashing at a small radius: 1,000 near-duplicate queries (database codes with
/// 0–3 bits flipped) against 1,000,000 random 64-bit codes, everything within Hamming distance 3.
private func radiusFigures() throws -> [Figure] {
    let database = try randomCodes(count: 1_000_000, bits: 64, seed: 21)
    var generator = SeededGenerator(seed: 22)
    var queryWords: [UInt64] = []
    for _ in 0..<1000 {
        var word = database.words[Int(generator.next() % UInt64(database.count))]
        for _ in 0..<Int(generator.next() % 4) { word ^= 1 << (generator.next() % 64) }
        queryWords.append(word)
    }
    let queries = try CodeSet(bitCount: 64, words: queryWords)
    let linear = LinearHammingIndex(database)
    var mih: MultiIndexHashingIndex?
    let build = try seconds { mih = try MultiIndexHashingIndex(database) }
    guard let mih else { return [] }
    var linearAnswer: [[Neighbor]] = [], mihAnswer: [[Neighbor]] = []
    let linearTime = try seconds { linearAnswer = try linear.within(radius: 3, of: queries) }
    let mihTime = try seconds { mihAnswer = try mih.within(radius: 3, of: queries) }
    let agree = linearAnswer == mihAnswer ? "same answers" : "ANSWERS DIFFER"
    return [
        Figure(key: "search_64bit_radius3_linear_queries_per_s", value: 1000 / linearTime, unit: "queries/s",
               note: "within radius 3, 1,000 near-duplicate queries vs 1,000,000 random codes, linear scan"),
        Figure(key: "search_64bit_radius3_mih_queries_per_s", value: 1000 / mihTime, unit: "queries/s",
               note: "same with multi-index hashing, m = \(mih.substringCount) (\(agree))"),
        Figure(key: "mih_64bit_1m_build_seconds", value: build, unit: "s",
               note: "building the \(mih.substringCount) substring tables over 1,000,000 codes"),
    ]
}

/// `eval` at the DPSH protocol's size: 1,000 labelled queries against 59,000 labelled 48-bit codes, 10 classes.
private func evalFigure() throws -> Figure {
    let database = try randomCodes(count: 59_000, bits: 48, seed: 31, labelClasses: 10)
    let queries = try randomCodes(count: 1000, bits: 48, seed: 32, labelClasses: 10)
    var best = Double.infinity
    let cpuBefore = processCPUSeconds()
    for _ in 0..<3 {
        best = min(best, try seconds { _ = try evaluateRetrieval(queries: queries, database: database, k: 100) })
    }
    let cpuPerRun = (processCPUSeconds() - cpuBefore) / 3
    return Figure(key: "eval_1000x59000_seconds", value: best, unit: "s",
                  note: "mAP (all, tie-aware, @100), P@100, P(r≤2): 1,000 queries × 59,000 48-bit codes, best of 3; "
                      + String(format: "%.2f CPU-s a run, load ", cpuPerRun) + loadAverage())
}
