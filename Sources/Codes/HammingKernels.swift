/// The inner loops of Hamming search: XOR, popcount, compare, specialised by code width.
///
/// Each kernel scans database codes `start..<end` (in increasing index) against one query and hands every code
/// whose distance is below a moving threshold to a sink. One-word codes (≤ 64 bits) are XORed and popcounted four
/// at a time in `SIMD4<UInt64>` lanes (one AVX2 register; LLVM lowers the popcount to the nibble-table `vpshufb`
/// count summed by `vpsadbw`, or to VPOPCNTQ where AVX-512 VPOPCNTDQ exists), sixteen codes per branch, and for
/// k-nearest search two queries share each load (`scanOneWordPair`). The vector loops (`nextNearBlock`) only find
/// the rare sixteen-code blocks holding a code below a bound; admissions are recounted in scalar code. Two-word
/// codes (65…128 bits) are four codes a vector, the two words' counts added lane-pairwise; longer codes use
/// `SIMD4<UInt64>` a code, or scalar POPCNT.
/// Distances are exact integers; nothing here is approximate.
enum HammingKernels {
    /// Calls `accept(distance, index)` for every code in `start..<end` with distance < `threshold()`, in index order.
    /// `threshold` is re-read after every acceptance, so a shrinking top-k bound prunes immediately.
    @inline(__always)
    static func scan(words: UnsafePointer<UInt64>, wordsPerCode: Int, start: Int, end: Int,
                     query: UnsafePointer<UInt64>, threshold: () -> Int,
                     accept: (_ distance: Int, _ index: Int) -> Void) {
        switch wordsPerCode {
        case 1: scanOneWord(words: words, start: start, end: end, query: query[0], threshold: threshold,
                            accept: accept)
        case 2: scanTwoWords(words: words, start: start, end: end, query: query, threshold: threshold,
                             accept: accept)
        case 4: scanFourWords(words: words, start: start, end: end, query: query, threshold: threshold,
                              accept: accept)
        default: scanAnyWidth(words: words, wordsPerCode: wordsPerCode, start: start, end: end, query: query,
                              threshold: threshold, accept: accept)
        }
    }

    @inline(__always)
    static func scanOneWord(words: UnsafePointer<UInt64>, start: Int, end: Int, query: UInt64,
                            threshold: () -> Int, accept: (Int, Int) -> Void) {
        // Sixteen codes an iteration, one branch for all of them: the branch is almost never taken once the
        // top-k bound has settled, so the loop is XOR, popcount and compare. Signed 64-bit lanes compare in one
        // instruction on AVX2 (unsigned needs a sign flip first). Distances are ≤ 64, so the signed view is exact.
        let raw = UnsafeRawPointer(words)
        let q = SIMD4<UInt64>(repeating: query)
        var limit = threshold()
        var bound = SIMD4<Int64>(repeating: Int64(limit))
        var i = start
        while i &+ 16 <= end {
            i = nextNearBlock(raw, from: i, end: end, query: q, bound: bound)
            guard i &+ 16 <= end else { break }
            // Rare once the bound settles: recount the sixteen codes in scalar code (cheaper than extracting
            // vector lanes), re-reading the bound after every admission.
            for j in i..<(i &+ 16) {
                let d = (words[j] ^ query).nonzeroBitCount
                if d < limit {
                    accept(d, j)
                    limit = threshold()
                }
            }
            bound = SIMD4<Int64>(repeating: Int64(limit))
            i &+= 16
        }
        while i < end {
            let d = (words[i] ^ query).nonzeroBitCount
            if d < limit {
                accept(d, i)
                limit = threshold()
            }
            i &+= 1
        }
    }

    /// The first block of sixteen codes at or after `start` (stepping by sixteen, stopping before `end`) holding a
    /// code nearer to `query` than `bound`, or the position where fewer than sixteen codes remain. Out of line and
    /// free of calls, so the query, bound and popcount constants stay in registers.
    @inline(never)
    static func nextNearBlock(_ raw: UnsafeRawPointer, from start: Int, end: Int, query q: SIMD4<UInt64>,
                              bound: SIMD4<Int64>) -> Int {
        var i = start
        while i &+ 16 <= end {
            let a = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<UInt64>.self)
            let b = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD4<UInt64>.self)
            let c = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 64, as: SIMD4<UInt64>.self)
            let d = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 96, as: SIMD4<UInt64>.self)
            let near = (SIMD4<Int64>(truncatingIfNeeded: (a ^ q).nonzeroBitCount) .< bound)
                .| (SIMD4<Int64>(truncatingIfNeeded: (b ^ q).nonzeroBitCount) .< bound)
                .| (SIMD4<Int64>(truncatingIfNeeded: (c ^ q).nonzeroBitCount) .< bound)
                .| (SIMD4<Int64>(truncatingIfNeeded: (d ^ q).nonzeroBitCount) .< bound)
            if any(near) { return i }
            i &+= 16
        }
        return i
    }

    /// The first block of sixteen codes at or after `start` (stepping by sixteen, stopping before `end`) holding a
    /// code nearer to either query than its bound, with which queries it holds such codes; `end`-ward position and
    /// (false, false) when there is none. Kept out of line and free of calls, so the queries, bounds and popcount
    /// constants stay in registers for the whole loop instead of being spilled around the rare admissions.
    @inline(never)
    static func nextNearBlock(_ raw: UnsafeRawPointer, from start: Int, end: Int,
                              queries: (SIMD4<UInt64>, SIMD4<UInt64>),
                              bounds: (SIMD4<Int64>, SIMD4<Int64>)) -> (Int, Bool, Bool) {
        let (q0, q1) = queries
        let (bound0, bound1) = bounds
        var i = start
        while i &+ 16 <= end {
            let a = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD4<UInt64>.self)
            let b = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD4<UInt64>.self)
            let c = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 64, as: SIMD4<UInt64>.self)
            let d = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 96, as: SIMD4<UInt64>.self)
            let near0 = (SIMD4<Int64>(truncatingIfNeeded: (a ^ q0).nonzeroBitCount) .< bound0)
                .| (SIMD4<Int64>(truncatingIfNeeded: (b ^ q0).nonzeroBitCount) .< bound0)
                .| (SIMD4<Int64>(truncatingIfNeeded: (c ^ q0).nonzeroBitCount) .< bound0)
                .| (SIMD4<Int64>(truncatingIfNeeded: (d ^ q0).nonzeroBitCount) .< bound0)
            let near1 = (SIMD4<Int64>(truncatingIfNeeded: (a ^ q1).nonzeroBitCount) .< bound1)
                .| (SIMD4<Int64>(truncatingIfNeeded: (b ^ q1).nonzeroBitCount) .< bound1)
                .| (SIMD4<Int64>(truncatingIfNeeded: (c ^ q1).nonzeroBitCount) .< bound1)
                .| (SIMD4<Int64>(truncatingIfNeeded: (d ^ q1).nonzeroBitCount) .< bound1)
            if any(near0 .| near1) { return (i, any(near0), any(near1)) }
            i &+= 16
        }
        return (i, false, false)
    }

    /// `scanOneWord` for two queries at once: each database vector is loaded once and compared with both, which
    /// halves the loads and the loop overhead a code; `slot` (0 or 1) says which query a threshold or candidate
    /// belongs to. Each query still sees its candidates in increasing index.
    @inline(__always)
    static func scanOneWordPair(words: UnsafePointer<UInt64>, start: Int, end: Int, queries: (UInt64, UInt64),
                                threshold: (_ slot: Int) -> Int,
                                accept: (_ slot: Int, _ distance: Int, _ index: Int) -> Void) {
        // Four-lane vectors (one AVX2 register each): two queries, two bounds and the popcount constants leave
        // enough registers for the sixteen codes in flight without spilling.
        let raw = UnsafeRawPointer(words)
        let q0 = SIMD4<UInt64>(repeating: queries.0), q1 = SIMD4<UInt64>(repeating: queries.1)
        var limit0 = threshold(0), limit1 = threshold(1)
        var bound0 = SIMD4<Int64>(repeating: Int64(limit0)), bound1 = SIMD4<Int64>(repeating: Int64(limit1))
        var i = start
        while i &+ 16 <= end {
            let (found, hit0, hit1) = nextNearBlock(raw, from: i, end: end, queries: (q0, q1),
                                                    bounds: (bound0, bound1))
            i = found
            guard i &+ 16 <= end else { break }
            // Rare once the bounds settle: recount the sixteen codes in scalar code (cheaper than lane
            // extraction), re-reading the bound after every admission.
            if hit0 {
                for j in i..<(i &+ 16) {
                    let d = (words[j] ^ queries.0).nonzeroBitCount
                    if d < limit0 {
                        accept(0, d, j)
                        limit0 = threshold(0)
                    }
                }
                bound0 = SIMD4<Int64>(repeating: Int64(limit0))
            }
            if hit1 {
                for j in i..<(i &+ 16) {
                    let d = (words[j] ^ queries.1).nonzeroBitCount
                    if d < limit1 {
                        accept(1, d, j)
                        limit1 = threshold(1)
                    }
                }
                bound1 = SIMD4<Int64>(repeating: Int64(limit1))
            }
            i &+= 16
        }
        while i < end {
            let d0 = (words[i] ^ queries.0).nonzeroBitCount
            if d0 < limit0 {
                accept(0, d0, i)
                limit0 = threshold(0)
            }
            let d1 = (words[i] ^ queries.1).nonzeroBitCount
            if d1 < limit1 {
                accept(1, d1, i)
                limit1 = threshold(1)
            }
            i &+= 1
        }
    }

    @inline(__always)
    static func scanTwoWords(words: UnsafePointer<UInt64>, start: Int, end: Int, query: UnsafePointer<UInt64>,
                             threshold: () -> Int, accept: (Int, Int) -> Void) {
        // Eight codes an iteration: each SIMD8 load holds four codes' word pairs; the two words' counts are added
        // lane-pairwise (even + odd lanes).
        let raw = UnsafeRawPointer(words)
        let q = SIMD8<UInt64>(query[0], query[1], query[0], query[1], query[0], query[1], query[0], query[1])
        var limit = threshold()
        var bound = SIMD4<Int64>(repeating: Int64(limit))
        var i = start
        while i &+ 8 <= end {
            let c0 = (raw.loadUnaligned(fromByteOffset: i &* 16, as: SIMD8<UInt64>.self) ^ q).nonzeroBitCount
            let c1 = (raw.loadUnaligned(fromByteOffset: i &* 16 &+ 64, as: SIMD8<UInt64>.self) ^ q).nonzeroBitCount
            let low = SIMD4<Int64>(truncatingIfNeeded: c0.evenHalf &+ c0.oddHalf)
            let high = SIMD4<Int64>(truncatingIfNeeded: c1.evenHalf &+ c1.oddHalf)
            if any((low .< bound) .| (high .< bound)) {
                for lane in 0..<4 where Int(low[lane]) < limit {
                    accept(Int(low[lane]), i &+ lane)
                    limit = threshold()
                }
                for lane in 0..<4 where Int(high[lane]) < limit {
                    accept(Int(high[lane]), i &+ 4 &+ lane)
                    limit = threshold()
                }
                bound = SIMD4<Int64>(repeating: Int64(limit))
            }
            i &+= 8
        }
        while i < end {
            let d = (words[2 &* i] ^ query[0]).nonzeroBitCount &+ (words[2 &* i &+ 1] ^ query[1]).nonzeroBitCount
            if d < limit {
                accept(d, i)
                limit = threshold()
            }
            i &+= 1
        }
    }

    @inline(__always)
    static func scanFourWords(words: UnsafePointer<UInt64>, start: Int, end: Int, query: UnsafePointer<UInt64>,
                              threshold: () -> Int, accept: (Int, Int) -> Void) {
        let raw = UnsafeRawPointer(words)
        let q = SIMD4<UInt64>(query[0], query[1], query[2], query[3])
        var limit = threshold()
        for i in start..<end {
            let d = Int((raw.loadUnaligned(fromByteOffset: i &* 32, as: SIMD4<UInt64>.self) ^ q)
                .nonzeroBitCount.wrappedSum())
            if d < limit {
                accept(d, i)
                limit = threshold()
            }
        }
    }

    @inline(__always)
    static func scanAnyWidth(words: UnsafePointer<UInt64>, wordsPerCode: Int, start: Int, end: Int,
                             query: UnsafePointer<UInt64>, threshold: () -> Int, accept: (Int, Int) -> Void) {
        var limit = threshold()
        for i in start..<end {
            let row = words + i &* wordsPerCode
            var d = 0
            for w in 0..<wordsPerCode { d &+= (row[w] ^ query[w]).nonzeroBitCount }
            if d < limit {
                accept(d, i)
                limit = threshold()
            }
        }
    }

    /// Writes the distance of every code in `start..<end` to the query into `distances[0..<(end - start)]`.
    @inline(__always)
    static func distances(words: UnsafePointer<UInt64>, wordsPerCode: Int, start: Int, end: Int,
                          query: UnsafePointer<UInt64>, into distances: UnsafeMutablePointer<UInt16>) {
        switch wordsPerCode {
        case 1:
            let q = query[0]
            for i in start..<end { distances[i &- start] = UInt16(truncatingIfNeeded: (words[i] ^ q).nonzeroBitCount) }
        case 2:
            let q0 = query[0], q1 = query[1]
            for i in start..<end {
                distances[i &- start] = UInt16(truncatingIfNeeded: (words[2 &* i] ^ q0).nonzeroBitCount
                                                 &+ (words[2 &* i &+ 1] ^ q1).nonzeroBitCount)
            }
        default:
            for i in start..<end {
                let row = words + i &* wordsPerCode
                var d = 0
                for w in 0..<wordsPerCode { d &+= (row[w] ^ query[w]).nonzeroBitCount }
                distances[i &- start] = UInt16(truncatingIfNeeded: d)
            }
        }
    }
}
