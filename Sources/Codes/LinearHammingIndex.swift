import Dispatch

/// Exact Hamming search by scanning every database code: blocked, on all cores, with SIMD popcount.
///
/// The queries are cut into blocks; each core takes query blocks, and for each database block (about 256 KB of
/// codes, which stays in the core's L2 cache) scans it against every query of its block before moving on, so the
/// database streams from memory once per query block rather than once per query; codes of one word are compared
/// with two queries per load. k-nearest search keeps a candidate buffer per query whose admission bound is the exact
/// k-th smallest distance so far, tracked by a distance histogram (`NearestCandidates`: O(n) scan + O(1) per
/// admission, and admissions thin out as the bound shrinks, to about k·(1 + ln(n/k)) of them for random codes);
/// radius search collects matches in index order and sorts them stably by distance with a counting sort
/// (distances ≤ bitCount).
/// Memory: the codes themselves (shared, not copied) plus O(queries × k) for the answers.
public struct LinearHammingIndex: HammingIndex {
    public let database: CodeSet
    public var methodName: String { "linear" }

    /// Query codes handled together against one cached database block (64: the database streams from memory once
    /// per 64 queries, and 1,000 queries still make 16 blocks to share between the cores).
    static let queryBlock = 64
    /// Bytes of database codes scanned against a query block at a time.
    static let databaseBlockBytes = 256 * 1024

    public init(_ database: CodeSet) {
        self.database = database
    }

    public func nearest(to queries: CodeSet, count k: Int) throws -> [[Neighbor]] {
        try validateSearch(queries: queries, database: database)
        guard k >= 0 else { throw CodesError.invalidArgument("top k must be ≥ 0, not \(k)") }
        let keep = min(k, database.count)
        let bits = database.bitCount
        return scanBlocks(queries: queries, makeState: { NearestCandidates(count: keep, bitCount: bits) },
                          threshold: { $0.threshold }, accept: { state, d, i in state.offer(distance: d, index: i) },
                          finish: { state in
                              defer { state.release() }
                              return state.sorted()
                          })
    }

    public func within(radius: Int, of queries: CodeSet) throws -> [[Neighbor]] {
        try validateSearch(queries: queries, database: database)
        guard radius >= 0 else { throw CodesError.invalidArgument("radius must be ≥ 0, not \(radius)") }
        let bound = radius + 1
        let bits = database.bitCount
        return scanBlocks(queries: queries, makeState: { [Neighbor]() }, threshold: { _ in bound },
                          accept: { state, d, i in state.append(Neighbor(index: i, distance: d)) },
                          finish: { sortedByDistance($0, bitCount: bits) })
    }

    /// The blocked, parallel scan shared by k-nearest and radius search.
    @inline(__always)
    private func scanBlocks<State>(queries: CodeSet, makeState: () -> State, threshold: (State) -> Int,
                                   accept: (inout State, Int, Int) -> Void,
                                   finish: (State) -> [Neighbor]) -> [[Neighbor]] {
        let queryCount = queries.count
        let n = database.count
        let width = database.wordsPerCode
        var results = [[Neighbor]](repeating: [], count: queryCount)
        guard queryCount > 0 else { return results }
        let blockCodes = max(64, Self.databaseBlockBytes / (8 * width))
        let queryBlocks = (queryCount + Self.queryBlock - 1) / Self.queryBlock
        database.words.withUnsafeBufferPointer { dbWords in
            queries.words.withUnsafeBufferPointer { queryWords in
                results.withUnsafeMutableBufferPointer { out in
                    let db = dbWords.baseAddress ?? UnsafePointer(bitPattern: 8)!
                    let qs = queryWords.baseAddress!
                    let output = out.baseAddress!
                    forEachChunk(count: queryBlocks, chunkCount: queryBlocks) { blocks in
                        for block in blocks {
                            let first = block * Self.queryBlock
                            let last = min(queryCount, first + Self.queryBlock)
                            // One state a query, addressed by pointer so admissions never copy or check uniqueness.
                            let states = UnsafeMutablePointer<State>.allocate(capacity: last - first)
                            for q in 0..<(last - first) { (states + q).initialize(to: makeState()) }
                            defer {
                                states.deinitialize(count: last - first)
                                states.deallocate()
                            }
                            var start = 0
                            while start < n {
                                let end = min(n, start + blockCodes)
                                var q = first
                                if width == 1 {
                                    // One-word codes: two queries share each database load.
                                    while q &+ 2 <= last {
                                        let slot0 = states + (q &- first)
                                        HammingKernels.scanOneWordPair(
                                            words: db, start: start, end: end, queries: (qs[q], qs[q &+ 1]),
                                            threshold: { threshold(slot0[$0]) },
                                            accept: { slot, d, i in accept(&slot0[slot], d, i) })
                                        q &+= 2
                                    }
                                }
                                for q in q..<last {
                                    HammingKernels.scan(
                                        words: db, wordsPerCode: width, start: start, end: end,
                                        query: qs + q * width, threshold: { threshold(states[q &- first]) },
                                        accept: { d, i in accept(&states[q &- first], d, i) })
                                }
                                start = end
                            }
                            for q in first..<last { (output + q).pointee = finish(states[q - first]) }
                        }
                    }
                }
            }
        }
        return results
    }
}

/// Stable counting sort of neighbours (given in index order) by distance: exact, linear, ties keep index order.
func sortedByDistance(_ neighbors: [Neighbor], bitCount: Int) -> [Neighbor] {
    guard neighbors.count > 1 else { return neighbors }
    var starts = [Int](repeating: 0, count: bitCount + 2)
    for neighbor in neighbors { starts[neighbor.distance + 1] += 1 }
    for d in 0...bitCount { starts[d + 1] += starts[d] }
    var sorted = neighbors
    for neighbor in neighbors {
        sorted[starts[neighbor.distance]] = neighbor
        starts[neighbor.distance] += 1
    }
    return sorted
}
