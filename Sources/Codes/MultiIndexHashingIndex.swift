import Foundation

/// Exact Hamming search by multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with
/// Multi-Index Hashing", CVPR 2012).
///
/// Each code is cut into `m` disjoint substrings (contiguous bit ranges of nearly equal length) and every substring
/// gets a hash table from its value to the database codes carrying it. The pigeonhole principle makes this exact:
/// if two codes differ in at most r bits, then in at least one of the m substrings they differ in at most ⌊r/m⌋
/// bits (otherwise every substring differs in ⌊r/m⌋+1 or more, i.e. in total at least m(⌊r/m⌋+1) > r).
/// So a radius-r search probes, in every table, each key within ⌊r/m⌋ bits of the query's substring, and checks
/// the full distance of each candidate found. For k-nearest search the substring radius ρ grows 0, 1, 2, …: once
/// level ρ is probed, every code within m(ρ+1)−1 of the query has been seen, so the search stops as soon as k
/// candidates lie within that guaranteed radius; ties at the k-th distance are all present, so the answer equals
/// the linear scan's (ties by index). It pays off when the answer is near (small r, or clustered codes); on
/// uniformly random codes a k-nearest search reaches large ρ and the linear scan wins. When the keys to probe for a
/// query would outnumber twice the database, that query falls back to scanning the database (still exact).
///
/// Memory: the codes, plus per table one 32-bit index per code and a hash table over the distinct substrings.
public struct MultiIndexHashingIndex: HammingIndex {
    public let database: CodeSet
    public var methodName: String { "mih" }
    /// The number of substrings (and hash tables), m.
    public let substringCount: Int
    /// First bit of each substring.
    public let substringStarts: [Int]
    /// Length in bits of each substring (each ≤ 32).
    public let substringLengths: [Int]
    private let tables: [SubstringTable]

    /// The default m: about bitCount / log₂(n) (Norouzi et al.'s choice), so that each table holds about one code
    /// per key; at least enough substrings to keep each ≤ 32 bits.
    public static func defaultSubstringCount(bitCount: Int, databaseCount: Int) -> Int {
        let perTable = max(1.0, log2(Double(max(databaseCount, 2))))
        let suggested = Int((Double(bitCount) / perTable).rounded())
        return min(bitCount, max((bitCount + 31) / 32, suggested, 1))
    }

    /// Indexes `database` with `substringCount` substrings (nil: `defaultSubstringCount`).
    public init(_ database: CodeSet, substringCount: Int? = nil) throws {
        guard database.count < Int(Int32.max) else {
            throw CodesError.invalidArgument("multi-index hashing holds at most \(Int32.max - 1) codes")
        }
        let bits = database.bitCount
        let m = substringCount ?? Self.defaultSubstringCount(bitCount: bits, databaseCount: database.count)
        guard m >= 1 && m <= bits && (bits + m - 1) / m <= 32 else {
            throw CodesError.invalidArgument(
                "\(bits)-bit codes need between \((bits + 31) / 32) and \(bits) substrings, not \(m)")
        }
        self.database = database
        self.substringCount = m
        var starts: [Int] = []
        var lengths: [Int] = []
        for t in 0..<m {
            let start = bits * t / m
            starts.append(start)
            lengths.append(bits * (t + 1) / m - start)
        }
        substringStarts = starts
        substringLengths = lengths
        tables = (0..<m).map { t in
            SubstringTable(database: database, start: starts[t], length: lengths[t])
        }
    }

    public func nearest(to queries: CodeSet, count k: Int) throws -> [[Neighbor]] {
        try validateSearch(queries: queries, database: database)
        guard k >= 0 else { throw CodesError.invalidArgument("top k must be ≥ 0, not \(k)") }
        let keep = min(k, database.count)
        return search(queries) { probe in
            guard keep > 0 else { return [] }
            let maxLength = substringLengths.max() ?? 0
            for rho in 0...maxLength {
                if !probe.affords(rho) {
                    probe.scanAll()
                    return Array(probe.found.sorted(by: Neighbor.precedes).prefix(keep))
                }
                probe(rho)
                let guaranteed = substringCount * (rho + 1) - 1
                if rho == maxLength || probe.count(within: guaranteed) >= keep {
                    let found = probe.found.filter { $0.distance <= guaranteed || rho == maxLength }
                    return Array(found.sorted(by: Neighbor.precedes).prefix(keep))
                }
            }
            return []
        }
    }

    public func within(radius: Int, of queries: CodeSet) throws -> [[Neighbor]] {
        try validateSearch(queries: queries, database: database)
        guard radius >= 0 else { throw CodesError.invalidArgument("radius must be ≥ 0, not \(radius)") }
        let levels = min(radius / substringCount, substringLengths.max() ?? 0)
        return search(queries) { probe in
            for rho in 0...levels {
                if !probe.affords(rho) {
                    probe.scanAll()
                    break
                }
                probe(rho)
            }
            return probe.found.filter { $0.distance <= radius }.sorted(by: Neighbor.precedes)
        }
    }

    /// Runs `answer` for every query over both cores, each worker with its own de-duplication stamps.
    private func search(_ queries: CodeSet, answer: (inout Probe) -> [Neighbor]) -> [[Neighbor]] {
        var results = [[Neighbor]](repeating: [], count: queries.count)
        let workers = ProcessInfo.processInfo.activeProcessorCount
        results.withUnsafeMutableBufferPointer { out in
            let output = out.baseAddress
            forEachChunk(count: queries.count, chunkCount: workers) { range in
                var probe = Probe(index: self, stamps: [UInt32](repeating: 0, count: database.count))
                for q in range {
                    probe.reset(query: queries, at: q)
                    output![q] = answer(&probe)
                }
            }
        }
        return results
    }

    /// One query's progress: the candidates seen so far with their exact distances.
    struct Probe {
        let index: MultiIndexHashingIndex
        var stamps: [UInt32]
        var stamp: UInt32 = 0
        var query: [UInt64] = []
        var keys: [UInt64] = []
        var found: [Neighbor] = []
        var histogram: [Int] = []
        /// Hash-table probes made for this query so far.
        var probes = 0.0

        init(index: MultiIndexHashingIndex, stamps: [UInt32]) {
            self.index = index
            self.stamps = stamps
        }

        mutating func reset(query queries: CodeSet, at q: Int) {
            let width = queries.wordsPerCode
            query = Array(queries.words[q * width..<(q + 1) * width])
            keys = (0..<index.substringCount).map {
                extractBits(query, start: index.substringStarts[$0], length: index.substringLengths[$0])
            }
            found.removeAll(keepingCapacity: true)
            histogram = [Int](repeating: 0, count: index.database.bitCount + 1)
            if stamp == UInt32.max {
                for i in stamps.indices { stamps[i] = 0 }
                stamp = 0
            }
            stamp += 1
            probes = 0
        }

        /// Whether probing level `rho` keeps the probes within a linear scan's cost (2 n). When it would not (far
        /// queries: the keys within ρ bits grow as C(length, ρ)), the search scans the database instead, which is
        /// just as exact.
        mutating func affords(_ rho: Int) -> Bool {
            var needed = 0.0
            for length in index.substringLengths where rho <= length {
                var binomial = 1.0
                for j in 0..<rho { binomial = binomial * Double(length - j) / Double(j + 1) }
                needed += binomial
            }
            guard probes + needed <= 2 * Double(max(index.database.count, 64)) else { return false }
            probes += needed
            return true
        }

        /// Adds every database code not yet seen: the exact fallback.
        mutating func scanAll() {
            let width = index.database.wordsPerCode
            index.database.words.withUnsafeBufferPointer { words in
                for i in 0..<index.database.count where stamps[i] != stamp {
                    stamps[i] = stamp
                    var d = 0
                    let row = words.baseAddress! + i * width
                    for w in 0..<width { d += (row[w] ^ query[w]).nonzeroBitCount }
                    found.append(Neighbor(index: i, distance: d))
                    histogram[d] += 1
                }
            }
        }

        /// Candidates seen with distance ≤ `radius`.
        func count(within radius: Int) -> Int {
            histogram[0...min(radius, histogram.count - 1)].reduce(0, +)
        }

        /// Probes every table with every key at exactly `rho` bits from the query's substring.
        mutating func callAsFunction(_ rho: Int) {
            let database = index.database
            let width = database.wordsPerCode
            let tables = index.tables
            let lengths = index.substringLengths
            let currentStamp = stamp
            var found = self.found
            var histogram = self.histogram
            self.found = []
            query.withUnsafeBufferPointer { query in
                database.words.withUnsafeBufferPointer { words in
                    stamps.withUnsafeMutableBufferPointer { stamps in
                        for t in 0..<tables.count where rho <= lengths[t] {
                            let table = tables[t]
                            let key = keys[t]
                            table.members.withUnsafeBufferPointer { members in
                                forEachMask(bits: lengths[t], ones: rho) { mask in
                                    guard let slots = table.members(ofKey: key ^ mask) else { return }
                                    for slot in slots {
                                        let i = Int(members[slot])
                                        guard stamps[i] != currentStamp else { continue }
                                        stamps[i] = currentStamp
                                        var d = 0
                                        let row = words.baseAddress! + i &* width
                                        for w in 0..<width { d &+= (row[w] ^ query[w]).nonzeroBitCount }
                                        found.append(Neighbor(index: i, distance: d))
                                        histogram[d] += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
            self.found = found
            self.histogram = histogram
        }
    }
}

/// Bits `start ..< start + length` (length ≤ 64) of a packed code, the first of them as the lowest bit.
@inline(__always)
func extractBits(_ words: [UInt64], start: Int, length: Int) -> UInt64 {
    let word = start >> 6, offset = UInt64(start & 63)
    var value = words[word] >> offset
    if offset != 0 && Int(offset) + length > 64 && word + 1 < words.count {
        value |= words[word + 1] << (64 - offset)
    }
    return length == 64 ? value : value & ((1 << UInt64(length)) - 1)
}

/// Calls `body` with every `bits`-bit mask that has exactly `ones` bits set (Gosper's hack), in increasing order.
func forEachMask(bits: Int, ones: Int, _ body: (UInt64) -> Void) {
    guard ones <= bits else { return }
    if ones == 0 {
        body(0)
        return
    }
    var mask: UInt64 = (ones == 64) ? .max : (1 << UInt64(ones)) - 1
    let limit: UInt64 = bits == 64 ? .max : 1 << UInt64(bits)
    while true {
        body(mask)
        let lowest = mask & (~mask &+ 1)
        let ripple = mask &+ lowest
        if ripple == 0 || ripple >= limit && bits < 64 { return }
        mask = (((ripple ^ mask) >> 2) / lowest) | ripple
        if bits < 64 && mask >= limit { return }
    }
}

/// One substring's hash table: database indices grouped by substring value (each group in increasing index),
/// found through open addressing.
struct SubstringTable: Sendable {
    /// Database indices, grouped by key.
    let members: [Int32]
    private let slotKeys: [UInt64]
    private let slotStarts: [Int32]
    private let slotCounts: [Int32]
    private let shift: UInt64

    init(database: CodeSet, start: Int, length: Int) {
        let n = database.count
        let width = database.wordsPerCode
        // Sort (key, index) pairs packed as key << 32 | index: groups by key, indices ascending inside a group.
        var pairs = [UInt64](repeating: 0, count: n)
        database.words.withUnsafeBufferPointer { words in
            var row = [UInt64](repeating: 0, count: width)
            for i in 0..<n {
                for w in 0..<width { row[w] = words[i * width + w] }
                pairs[i] = extractBits(row, start: start, length: length) << 32 | UInt64(i)
            }
        }
        pairs.sort()
        members = pairs.map { Int32(truncatingIfNeeded: $0 & 0xffff_ffff) }
        var distinct = 0
        for i in 0..<n where i == 0 || pairs[i] >> 32 != pairs[i - 1] >> 32 { distinct += 1 }
        var capacityBits = 1
        while (1 << capacityBits) < 2 * max(distinct, 1) { capacityBits += 1 }
        let capacity = 1 << capacityBits
        shift = UInt64(64 - capacityBits)
        var keys = [UInt64](repeating: 0, count: capacity)
        var starts = [Int32](repeating: 0, count: capacity)
        var counts = [Int32](repeating: 0, count: capacity)
        var i = 0
        while i < n {
            let key = pairs[i] >> 32
            var j = i + 1
            while j < n && pairs[j] >> 32 == key { j += 1 }
            var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while counts[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            keys[slot] = key
            starts[slot] = Int32(i)
            counts[slot] = Int32(j - i)
            i = j
        }
        slotKeys = keys
        slotStarts = starts
        slotCounts = counts
    }

    /// Positions in `members` of the codes whose substring equals `key`, or nil.
    @inline(__always)
    func members(ofKey key: UInt64) -> Range<Int>? {
        let mask = slotKeys.count - 1
        var slot = Int((key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while slotCounts[slot] != 0 {
            if slotKeys[slot] == key {
                let start = Int(slotStarts[slot])
                return start..<start + Int(slotCounts[slot])
            }
            slot = (slot + 1) & mask
        }
        return nil
    }
}
