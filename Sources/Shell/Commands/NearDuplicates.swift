import ClassicHashing
import Codes

/// Groups of near-duplicate images from their hashes, for `dupes`.
///
/// Two images are near-duplicates when their hashes lie within Hamming distance D. The groups are the connected
/// components of that "within D" graph (single linkage): if a ~ b and b ~ c, all three form one group even when
/// a and c are further apart than D — what one wants for chains of edits of one picture.
///
/// Finding the pairs is the only costly step. It goes through the Codes module's exact Hamming index — the same
/// search as `search … within D` — which compares a block of codes against a block of queries while both are in
/// cache, on both cores; for the small radii of near-duplicate search, multi-index hashing probes a few hash tables
/// instead of reading every code. Codes of more than 256 bits (hash size above 16) fall outside the index and are
/// compared pair by pair.
enum NearDuplicates {
    /// Every pair (i, j), i < j, of `hashes` whose Hamming distance is at most `radius`, with that distance.
    static func pairs(_ hashes: [ImageHash], within radius: Int) throws -> [(first: Int, second: Int, distance: Int)] {
        guard let bitCount = hashes.first?.bits.count, (8...256).contains(bitCount) else {
            return allPairs(hashes, within: radius)
        }
        let codes = try CodeSet(bits: hashes.map(\.bits))
        // Multi-index hashing pays off for radii small next to the code length; past that a scan is as fast.
        let method: SearchMethod = radius * 4 < bitCount && codes.count > 1_000 ? .mih : .linear
        let neighbors = try makeHammingIndex(codes, method: method).within(radius: radius, of: codes)
        var pairs: [(first: Int, second: Int, distance: Int)] = []
        for (i, found) in neighbors.enumerated() {
            for neighbor in found where neighbor.index > i { pairs.append((i, neighbor.index, neighbor.distance)) }
        }
        return pairs
    }

    /// All n(n − 1)/2 pairs, each a Hamming distance of packed 64-bit words. Exact; for any code length.
    static func allPairs(_ hashes: [ImageHash], within radius: Int) -> [(first: Int, second: Int, distance: Int)] {
        let packed = hashes.map(pack)
        var pairs: [(first: Int, second: Int, distance: Int)] = []
        for i in packed.indices {
            for j in (i + 1)..<packed.count {
                var distance = 0
                for word in packed[i].indices { distance += (packed[i][word] ^ packed[j][word]).nonzeroBitCount }
                if distance <= radius { pairs.append((i, j, distance)) }
            }
        }
        return pairs
    }

    /// The groups (two or more members, as index lists in increasing order, ordered by their first member) that
    /// the pairs within `radius` connect.
    static func groups(of hashes: [ImageHash], within radius: Int) throws -> [[Int]] {
        var parent = Array(hashes.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for pair in try pairs(hashes, within: radius) {
            let a = root(pair.first), b = root(pair.second)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var members: [Int: [Int]] = [:]
        for i in hashes.indices { members[root(i), default: []].append(i) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }

    /// A hash's bits packed 64 to a word (bit k of the hash in word k / 64).
    private static func pack(_ hash: ImageHash) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (hash.bits.count + 63) / 64)
        for (index, bit) in hash.bits.enumerated() where bit { words[index / 64] |= 1 << UInt64(index % 64) }
        return words
    }
}
