// Groups of near-duplicates among the codes of one set: what the shell's `dupes` lists for a folder's hashes.
//
// Two codes are near-duplicates when they lie within Hamming distance D. The groups are the connected components
// of that "within D" graph (single linkage): if a ~ b and b ~ c, all three form one group even when a and c are
// further apart than D — what one wants for chains of edits of one picture.
//
// Finding the pairs is the only costly step. It goes through the exact Hamming index — the same search as
// `search … within D` — which compares a block of codes against a block of queries while both are in cache, on
// both cores; for the small radii of near-duplicate search on many codes, multi-index hashing probes a few hash
// tables instead of reading every code. Both are exact for codes of any length.

extension CodeSet {
    /// Every pair (i, j), i < j, of codes whose Hamming distance is at most `radius`, with that distance; pairs
    /// come in increasing i, and for one i in increasing distance, ties by j.
    public func nearDuplicatePairs(within radius: Int) throws -> [(first: Int, second: Int, distance: Int)] {
        // Multi-index hashing pays off for radii small next to the code length; past that a scan is as fast.
        let method: SearchMethod = radius * 4 < bitCount && count > 1_000 ? .mih : .linear
        let neighbors = try makeHammingIndex(self, method: method).within(radius: radius, of: self)
        var pairs: [(first: Int, second: Int, distance: Int)] = []
        for (i, found) in neighbors.enumerated() {
            for neighbor in found where neighbor.index > i { pairs.append((i, neighbor.index, neighbor.distance)) }
        }
        return pairs
    }

    /// The groups (two or more members, as code indices in increasing order, ordered by their first member) that
    /// the pairs within `radius` connect.
    public func nearDuplicateGroups(within radius: Int) throws -> [[Int]] {
        // Union-find over the code indices: each pair joins its two roots, the smaller index becoming the root.
        var parent = Array(0..<count)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i {
                parent[i] = parent[parent[i]]
                i = parent[i]
            }
            return i
        }
        for pair in try nearDuplicatePairs(within: radius) {
            let a = root(pair.first), b = root(pair.second)
            if a != b { parent[max(a, b)] = min(a, b) }
        }
        var members: [Int: [Int]] = [:]
        for i in 0..<count { members[root(i), default: []].append(i) }
        return members.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }
}
