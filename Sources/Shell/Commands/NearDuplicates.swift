import ClassicHashing

/// Groups of near-duplicate images from their hashes, for `dupes`.
///
/// Two images are near-duplicates when their hashes lie within Hamming distance D. The groups are the connected
/// components of that "within D" graph (single linkage): if a ~ b and b ~ c, all three form one group even when
/// a and c are further apart than D — what one wants for chains of edits of one picture.
///
/// Finding the pairs is the only costly step and sits behind one function type, `PairSearch`, so that an index
/// (multi-index hashing over the Codes module) can replace the all-pairs scan without touching the grouping or
/// the command.
enum NearDuplicates {
    /// Every pair (i, j), i < j, of `hashes` whose Hamming distance is at most `radius`, with that distance.
    typealias PairSearch = (_ hashes: [ImageHash], _ radius: Int) -> [(first: Int, second: Int, distance: Int)]

    /// The straightforward search: all n(n − 1)/2 pairs, each a Hamming distance of packed 64-bit words. Exact.
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
    /// the pairs within `radius` connect, found by `search`.
    static func groups(of hashes: [ImageHash], within radius: Int, search: PairSearch = allPairs)
        -> [[Int]] {
        var parent = Array(hashes.indices)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for pair in search(hashes, radius) {
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
