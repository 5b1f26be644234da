/// The inner loops of Hamming search: XOR, popcount, compare, specialised by code width.
///
/// Each kernel scans database codes `start..<end` (in increasing index) against one query and hands every code
/// whose distance is below a moving threshold to a sink. One-word codes (≤ 64 bits) are XORed and popcounted eight
/// at a time in `SIMD8<UInt64>` lanes; with AVX-512 VPOPCNTDQ the popcount is one instruction per eight codes,
/// with AVX2 LLVM lowers it to the nibble-table (`vpshufb`) popcount. Two-word codes (65…128 bits) are four codes a
/// vector, the two words' counts added lane-pairwise; longer codes use `SIMD4<UInt64>` a code, or scalar POPCNT.
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
        // instruction on AVX2 (unsigned needs a sign flip first).
        let raw = UnsafeRawPointer(words)
        let q = SIMD8<UInt64>(repeating: query)
        var limit = threshold()
        var bound = SIMD8<Int64>(repeating: Int64(limit))
        var i = start
        while i &+ 16 <= end {
            let low = SIMD8<Int64>(truncatingIfNeeded:
                (raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<UInt64>.self) ^ q).nonzeroBitCount)
            let high = SIMD8<Int64>(truncatingIfNeeded:
                (raw.loadUnaligned(fromByteOffset: i &* 8 &+ 64, as: SIMD8<UInt64>.self) ^ q).nonzeroBitCount)
            if any((low .< bound) .| (high .< bound)) {
                for lane in 0..<8 where Int(low[lane]) < limit {
                    accept(Int(low[lane]), i &+ lane)
                    limit = threshold()
                }
                for lane in 0..<8 where Int(high[lane]) < limit {
                    accept(Int(high[lane]), i &+ 8 &+ lane)
                    limit = threshold()
                }
                bound = SIMD8<Int64>(repeating: Int64(limit))
            }
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
