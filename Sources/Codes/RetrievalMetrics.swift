import Foundation

/// The retrieval quality of query codes against database codes, as `eval` prints it.
///
/// Ranking: the database sorted by Hamming distance to the query, ties broken by database index (a stable sort).
/// Relevance: same label. All values are means over queries:
/// - `mapAll`: average precision over the whole ranking, AP = (1/R) Σ over relevant items of (relevant items up to
///   and including it) / (its rank); queries with no relevant item (R = 0) are skipped.
/// - `mapTieAware`: the expected AP when each group of tied items comes in random order (He et al., "Hashing as
///   Tie-Aware Learning to Rank", CVPR 2018). A tie group of n items at one distance, n⁺ of them relevant, ranked
///   after N items of which N⁺ are relevant, contributes (n⁺/n) Σₜ₌₁..ₙ (N⁺ + 1 + (t−1)(n⁺−1)/(n−1)) / (N + t)
///   (the middle term 0 when n = 1); AP is the sum over groups divided by R. Same skipped queries as `mapAll`.
/// - `mapAtK`: AP over the top k, normalised by the relevant items found in the top k (0 if none).
/// - `precisionAtK`: relevant items in the top k, divided by k.
/// - `precisionWithinRadius`: relevant fraction of the items within Hamming distance `radius` (0 if none).
/// These follow `../shared/golden/metrics/cases.json` (`map_all`, `map_tie_aware`, `map_at_k`, `precision_at_k`,
/// `precision_radius2`) exactly; the only rounding is in the floating-point sums.
public struct RetrievalMetrics: Sendable, Equatable {
    public var mapAll: Double
    public var mapTieAware: Double
    public var mapAtK: Double
    public var precisionAtK: Double
    public var precisionWithinRadius: Double
    /// The k of `mapAtK` and `precisionAtK`.
    public var k: Int
    /// The radius of `precisionWithinRadius`.
    public var radius: Int
    public var queryCount: Int
    /// Queries that have at least one relevant database item (those averaged by the two mAPs).
    public var queriesWithRelevantItems: Int
    /// Queries with at least one database item within `radius`: the others retrieve nothing there and count as
    /// precision 0 in `precisionWithinRadius` (with 64-bit hashes, often every query).
    public var queriesRetrievingWithinRadius: Int

    /// The metrics as JSON, with the key names of the golden cases (`precision_radius2` when the radius is 2,
    /// otherwise `precision_radius<r>`).
    public var json: String {
        func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
        return """
        {"map_all": \(number(mapAll)), "map_tie_aware": \(number(mapTieAware)), "map_at_k": \(number(mapAtK)), \
        "precision_at_k": \(number(precisionAtK)), "precision_radius\(radius)": \(number(precisionWithinRadius)), \
        "k": \(k), "queries": \(queryCount), "queries_retrieving_within_radius": \(queriesRetrievingWithinRadius)}
        """
    }
}

/// Mean precision and recall over queries when everything within each Hamming radius 0…bitCount is retrieved.
///
/// For radius r and one query: precision = relevant retrieved / retrieved (0 when nothing is retrieved),
/// recall = relevant retrieved / relevant in the database. Both are averaged over the queries with at least one
/// relevant database item. Exact apart from floating-point sums.
public struct PrecisionRecallCurve: Sendable, Equatable {
    public var radii: [Int]
    public var precision: [Double]
    public var recall: [Double]
}

/// Computes `RetrievalMetrics` of `queries` against `database` (both labelled, same code length) over both cores.
/// `shouldStop` is asked every 64 queries; once it answers true the measurement ends with a `CancellationError`.
///
/// The ranking is a stable counting sort by distance, done implicitly: a first pass over the database computes
/// every distance and counts items and relevant items per distance; their prefix sums give where each distance's
/// group starts, so a second pass in index order knows each item's exact rank (group start + items of that group
/// already seen) and the relevant items ranked before it. Linear in the database, no comparison sort.
public func evaluateRetrieval(queries: CodeSet, database: CodeSet, k: Int, radius: Int = 2,
    shouldStop: @escaping @Sendable () -> Bool = { false }) throws
    -> RetrievalMetrics {
    try measureRetrieval(queries: queries, database: database, k: k, radius: radius, curve: false,
                         shouldStop: shouldStop).metrics
}

/// The precision-recall curve by Hamming radius (see `PrecisionRecallCurve`).
public func precisionRecallByRadius(queries: CodeSet, database: CodeSet,
    shouldStop: @escaping @Sendable () -> Bool = { false }) throws -> PrecisionRecallCurve {
    try measureRetrieval(queries: queries, database: database, k: nil, radius: 0, curve: true,
                         shouldStop: shouldStop).curve!
}

/// Both `evaluateRetrieval` and `precisionRecallByRadius` from one ranking of the database per query, as
/// `compare` needs them: each query's distances are computed once.
public func evaluateRetrievalWithCurve(queries: CodeSet, database: CodeSet, k: Int, radius: Int = 2,
    shouldStop: @escaping @Sendable () -> Bool = { false }) throws
    -> (metrics: RetrievalMetrics, curve: PrecisionRecallCurve) {
    let both = try measureRetrieval(queries: queries, database: database, k: k, radius: radius, curve: true,
                                    shouldStop: shouldStop)
    return (both.metrics, both.curve!)
}

/// The one pass behind the three: per query (in parallel chunks), the distance groups, then the metrics (when `k`
/// is given) and the precision and recall at every radius (when `curve`). Per-query values are kept and summed in
/// query order afterwards, so the results do not depend on how the queries were split between the cores.
private func measureRetrieval(queries: CodeSet, database: CodeSet, k: Int?, radius: Int, curve: Bool,
                              shouldStop: @escaping @Sendable () -> Bool) throws
    -> (metrics: RetrievalMetrics, curve: PrecisionRecallCurve?) {
    let (queryLabels, databaseLabels) = try checkedLabels(queries: queries, database: database)
    if let k { guard k >= 1 else { throw CodesError.invalidArgument("k must be ≥ 1, not \(k)") } }
    guard radius >= 0 else { throw CodesError.invalidArgument("radius must be ≥ 0, not \(radius)") }
    let queryCount = queries.count
    let bits = database.bitCount
    // Per query: AP, tie-aware AP, AP@k, P@k, P within radius, has-relevant, retrieves within radius (lanes 0…6).
    var perQuery = [SIMD8<Double>](repeating: .zero, count: queryCount)
    // Per query (when `curve`): precision at radius 0…bits, then recall at radius 0…bits.
    let curveWidth = 2 * (bits + 1)
    var curveRows = [Double](repeating: 0, count: curve ? queryCount * curveWidth : 0)
    perQuery.withUnsafeMutableBufferPointer { out in
    curveRows.withUnsafeMutableBufferPointer { rows in
        let (output, rowBase) = (out.baseAddress, rows.baseAddress)
        forEachChunk(count: queryCount, chunkCount: ProcessInfo.processInfo.activeProcessorCount * 4) { range in
            var ranker = DistanceGroups(database: database, databaseLabels: databaseLabels)
            for q in range {
                if q % 64 == 0 && shouldStop() { break }  // every 64 queries: a few milliseconds
                ranker.measure(queries: queries, at: q, label: queryLabels[q])
                var values = SIMD8<Double>.zero
                let relevantTotal = ranker.relevantStarts[bits + 1]
                if relevantTotal > 0 {
                    values[5] = 1
                    if let k {
                        let (ap, apAtK, hitsAtK) = ranker.averagePrecisions(k: k)
                        values[0] = ap
                        values[1] = ranker.tieAwareAveragePrecision()
                        values[2] = apAtK
                        values[3] = Double(hitsAtK) / Double(k)
                    }
                    if curve {
                        let row = rowBase! + q * curveWidth
                        for r in 0...bits {
                            let retrieved = ranker.starts[r + 1], relevant = ranker.relevantStarts[r + 1]
                            row[r] = retrieved == 0 ? 0 : Double(relevant) / Double(retrieved)
                            row[bits + 1 + r] = Double(relevant) / Double(relevantTotal)
                        }
                    }
                }
                let r = min(radius, bits)
                let retrieved = ranker.starts[r + 1]
                values[4] = retrieved == 0 ? 0 : Double(ranker.relevantStarts[r + 1]) / Double(retrieved)
                values[6] = retrieved == 0 ? 0 : 1
                output![q] = values
            }
        }
    }
    }
    if shouldStop() { throw CancellationError() }  // some queries were left out: no metrics
    var sums = [Double](repeating: 0, count: 7)
    for values in perQuery {
        for j in 0..<7 { sums[j] += values[j] }
    }
    let withRelevant = Int(sums[5])
    let queriesDouble = Double(max(queryCount, 1))
    let relevantDouble = Double(max(withRelevant, 1))
    let metrics = RetrievalMetrics(mapAll: sums[0] / relevantDouble, mapTieAware: sums[1] / relevantDouble,
                                   mapAtK: sums[2] / queriesDouble, precisionAtK: sums[3] / queriesDouble,
                                   precisionWithinRadius: sums[4] / queriesDouble, k: k ?? 0, radius: radius,
                                   queryCount: queryCount, queriesWithRelevantItems: withRelevant,
                                   queriesRetrievingWithinRadius: Int(sums[6]))
    guard curve else { return (metrics, nil) }
    // Queries without a relevant item are left out of the curve's means (their rows stay 0).
    var columnSums = [Double](repeating: 0, count: curveWidth)
    for q in 0..<queryCount where perQuery[q][5] == 1 {
        for j in 0..<curveWidth { columnSums[j] += curveRows[q * curveWidth + j] }
    }
    let scale = withRelevant == 0 ? 0 : 1 / Double(withRelevant)
    let summed = PrecisionRecallCurve(radii: Array(0...bits),
                                      precision: columnSums[0...bits].map { $0 * scale },
                                      recall: columnSums[(bits + 1)...].map { $0 * scale })
    return (metrics, summed)
}

/// The whole database ranked for one query: indices by increasing distance, ties by index (a stable counting sort).
public func rankedIndices(of query: BitCode, in database: CodeSet) throws -> [Int] {
    guard query.bitCount == database.bitCount else {
        throw CodesError.lengthMismatch(expected: database.bitCount, found: query.bitCount)
    }
    let n = database.count
    var distances = [UInt16](repeating: 0, count: n)
    database.words.withUnsafeBufferPointer { words in
        query.words.withUnsafeBufferPointer { q in
            distances.withUnsafeMutableBufferPointer { out in
                guard n > 0 else { return }
                HammingKernels.distances(words: words.baseAddress!, wordsPerCode: database.wordsPerCode, start: 0,
                                         end: n, query: q.baseAddress!, into: out.baseAddress!)
            }
        }
    }
    var starts = [Int](repeating: 0, count: database.bitCount + 2)
    for d in distances { starts[Int(d) + 1] += 1 }
    for d in 0...database.bitCount { starts[d + 1] += starts[d] }
    var order = [Int](repeating: 0, count: n)
    for i in 0..<n {
        let d = Int(distances[i])
        order[starts[d]] = i
        starts[d] += 1
    }
    return order
}

private func checkedLabels(queries: CodeSet, database: CodeSet) throws -> ([Int32], [Int32]) {
    guard queries.bitCount == database.bitCount else {
        throw CodesError.lengthMismatch(expected: database.bitCount, found: queries.bitCount)
    }
    guard let queryLabels = queries.labels else { throw CodesError.missingLabels("the query code set") }
    guard let databaseLabels = database.labels else { throw CodesError.missingLabels("the database code set") }
    return (queryLabels, databaseLabels)
}

/// One query's distances to the whole database, grouped by distance: the implicit stable counting sort.
struct DistanceGroups {
    let database: CodeSet
    let databaseLabels: [Int32]
    var distances: [UInt16]
    var relevant: [Bool]
    /// starts[d] = items at distance < d (so starts[bits + 1] = n); relevantStarts likewise for relevant items.
    var starts: [Int]
    var relevantStarts: [Int]
    /// harmonic[i] = 1/1 + 1/2 + … + 1/i, summed in that order.
    let harmonic: [Double]

    init(database: CodeSet, databaseLabels: [Int32]) {
        self.database = database
        self.databaseLabels = databaseLabels
        distances = [UInt16](repeating: 0, count: database.count)
        relevant = [Bool](repeating: false, count: database.count)
        starts = [Int](repeating: 0, count: database.bitCount + 2)
        relevantStarts = starts
        var sums = [Double](repeating: 0, count: database.count + 1)
        for i in stride(from: 1, through: database.count, by: 1) { sums[i] = sums[i - 1] + 1 / Double(i) }
        harmonic = sums
    }

    mutating func measure(queries: CodeSet, at q: Int, label: Int32) {
        let n = database.count
        let bits = database.bitCount
        let width = database.wordsPerCode
        for d in starts.indices {
            starts[d] = 0
            relevantStarts[d] = 0
        }
        guard n > 0 else { return }
        database.words.withUnsafeBufferPointer { words in
            queries.words.withUnsafeBufferPointer { queryWords in
                distances.withUnsafeMutableBufferPointer { out in
                    HammingKernels.distances(words: words.baseAddress!, wordsPerCode: width, start: 0, end: n,
                                             query: queryWords.baseAddress! + q * width, into: out.baseAddress!)
                }
            }
        }
        databaseLabels.withUnsafeBufferPointer { labels in
            relevant.withUnsafeMutableBufferPointer { rel in
                distances.withUnsafeBufferPointer { dist in
                    starts.withUnsafeMutableBufferPointer { counts in
                        relevantStarts.withUnsafeMutableBufferPointer { relevantCounts in
                            for i in 0..<n {
                                let d = Int(dist[i]) &+ 1
                                let isRelevant = labels[i] == label
                                rel[i] = isRelevant
                                counts[d] &+= 1
                                relevantCounts[d] &+= isRelevant ? 1 : 0
                            }
                        }
                    }
                }
            }
        }
        for d in 0...bits {
            starts[d + 1] += starts[d]
            relevantStarts[d + 1] += relevantStarts[d]
        }
    }

    /// AP over the whole ranking, AP over the top k (normalised by the hits there), and the hits in the top k.
    func averagePrecisions(k: Int) -> (all: Double, atK: Double, hitsAtK: Int) {
        var seen = starts
        var relevantSeen = relevantStarts
        var sum = 0.0, sumAtK = 0.0
        var hitsAtK = 0
        let relevantTotal = relevantStarts[database.bitCount + 1]
        distances.withUnsafeBufferPointer { dist in
            relevant.withUnsafeBufferPointer { rel in
                for i in 0..<dist.count {
                    let d = Int(dist[i])
                    // 0-based rank in the stable order: every item at a smaller distance, plus the items at this
                    // distance with a smaller index, which this index-order pass has already counted.
                    let rank = seen[d]
                    seen[d] = rank &+ 1
                    guard rel[i] else { continue }
                    relevantSeen[d] += 1
                    let precision = Double(relevantSeen[d]) / Double(rank + 1)
                    sum += precision
                    if rank < k {
                        sumAtK += precision
                        hitsAtK += 1
                    }
                }
            }
        }
        return (sum / Double(relevantTotal), hitsAtK == 0 ? 0 : sumAtK / Double(hitsAtK), hitsAtK)
    }

    /// He et al.'s expected AP under random order within tie groups.
    ///
    /// A group's sum Σₜ₌₁..ₙ (a + (t−1)s)/(N + t), with a = N⁺ + 1 and s the slope (n⁺−1)/(n−1), splits as
    /// (a − s(N+1)) Σ 1/(N+t) + s·n, and Σₜ 1/(N+t) = H(N+n) − H(N) with harmonic numbers H: O(1) a group instead
    /// of n divisions. The difference of two harmonic numbers loses a few ulps of H (about 1e-15 absolute), far
    /// inside the 1e-9 the golden cases ask for; the tests also check it against an enumeration of all tie orders.
    func tieAwareAveragePrecision() -> Double {
        let bits = database.bitCount
        var total = 0.0
        for d in 0...bits {
            let n = starts[d + 1] - starts[d]
            let nRelevant = relevantStarts[d + 1] - relevantStarts[d]
            guard nRelevant > 0 else { continue }
            let before = Double(starts[d]), relevantBefore = Double(relevantStarts[d])
            let slope = n > 1 ? Double(nRelevant - 1) / Double(n - 1) : 0
            let reciprocalSum = harmonic[starts[d] + n] - harmonic[starts[d]]
            let group = (relevantBefore + 1 - slope * (before + 1)) * reciprocalSum + slope * Double(n)
            total += Double(nRelevant) / Double(n) * group
        }
        return total / Double(relevantStarts[bits + 1])
    }
}
