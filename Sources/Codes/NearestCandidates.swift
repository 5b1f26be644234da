/// The k nearest codes of one query during a linear scan, kept as an unsorted buffer plus a histogram of distances.
///
/// Distances are small integers (0…bitCount), so the k-th smallest distance seen so far can be tracked exactly by
/// counting: `histogram[d]` is how many candidates at distance `d` were stored, and `threshold` is the smallest
/// distance `t` at which at least k stored candidates lie at distance ≤ `t` (bitCount + 1 while fewer than k have
/// been seen). Candidates arrive in increasing database index, so a newcomer at distance ≥ `threshold` is preceded
/// by k stored candidates — nearer, or as near with a smaller index — and can never enter the answer: the admission
/// test is the single comparison `distance < threshold`, which the kernels apply to whole vectors of codes at once.
///
/// An admission costs an append and a histogram increment (no heap sift); the buffer is compacted, keeping index
/// order, when it fills. The answer is exact: every stored candidate below the threshold, then the earliest ones at
/// the threshold up to k in all, stably counting-sorted by distance — the linear scan's answer with ties broken by
/// smaller index. Memory: O(k + bitCount) a query, freed by `release()`.
struct NearestCandidates {
    /// How many neighbours are wanted.
    let count: Int
    /// A candidate enters exactly when its distance is below this.
    private(set) var threshold: Int
    /// Stored candidates at distance < `threshold`.
    private var below: Int
    private let histogram: UnsafeMutablePointer<Int>
    private var stored: UnsafeMutablePointer<Neighbor>
    private var storedCount: Int
    private var capacity: Int
    private let bitCount: Int

    init(count: Int, bitCount: Int) {
        self.count = count
        self.bitCount = bitCount
        threshold = count == 0 ? 0 : bitCount + 1
        below = 0
        histogram = .allocate(capacity: bitCount + 2)
        histogram.initialize(repeating: 0, count: bitCount + 2)
        capacity = max(16, min(2 * count, 1024))
        stored = .allocate(capacity: capacity)
        storedCount = 0
    }

    /// Offers a candidate whose index is larger than every index offered before.
    @inline(__always)
    mutating func offer(distance: Int, index: Int) {
        guard distance < threshold else { return }
        if storedCount == capacity { makeRoom() }
        (stored + storedCount).initialize(to: Neighbor(index: index, distance: distance))
        storedCount &+= 1
        histogram[distance] &+= 1
        below &+= 1
        while below >= count {
            threshold &-= 1
            below &-= histogram[threshold]
        }
    }

    /// Drops the candidates that can no longer be in the answer (keeping index order), and grows the buffer when
    /// more than half of it is still needed.
    private mutating func makeRoom() {
        var atThreshold = count - below
        var kept = 0
        for s in 0..<storedCount {
            let candidate = stored[s]
            if candidate.distance < threshold || (candidate.distance == threshold && atThreshold > 0) {
                if candidate.distance == threshold { atThreshold -= 1 }
                stored[kept] = candidate
                kept += 1
            }
        }
        storedCount = kept
        if kept * 2 > capacity {
            let larger = UnsafeMutablePointer<Neighbor>.allocate(capacity: capacity * 2)
            larger.moveInitialize(from: stored, count: kept)
            stored.deallocate()
            stored = larger
            capacity *= 2
        }
    }

    /// The k nearest candidates, nearest first, ties by smaller index.
    func sorted() -> [Neighbor] {
        var atThreshold = count - below
        var answer: [Neighbor] = []
        answer.reserveCapacity(min(count, storedCount))
        for s in 0..<storedCount {
            let candidate = stored[s]
            if candidate.distance < threshold {
                answer.append(candidate)
            } else if candidate.distance == threshold && atThreshold > 0 {
                answer.append(candidate)
                atThreshold -= 1
            }
        }
        return sortedByDistance(answer, bitCount: bitCount)
    }

    /// Frees the buffers; the value must not be used afterwards.
    func release() {
        histogram.deallocate()
        stored.deallocate()
    }
}
