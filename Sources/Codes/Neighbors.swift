/// One search result: a database code's index and its Hamming distance to the query.
public struct Neighbor: Sendable, Hashable, CustomStringConvertible {
    public var index: Int
    public var distance: Int

    public init(index: Int, distance: Int) {
        self.index = index
        self.distance = distance
    }

    public var description: String { "\(index)@\(distance)" }

    /// The search order: nearer first, ties by smaller database index.
    @inline(__always)
    public static func precedes(_ a: Neighbor, _ b: Neighbor) -> Bool {
        a.distance < b.distance || (a.distance == b.distance && a.index < b.index)
    }
}

/// The k best (distance, index) pairs seen so far, as a bounded max-heap whose root is the worst kept pair.
///
/// Candidates must arrive in increasing database index. Then a candidate at the root's distance can never beat the
/// root (same distance, larger index), so the admission test is the single comparison `distance < threshold`, and
/// the kernels skip whole vectors of codes with one compare. The heap is exact: the final answer is the k smallest
/// pairs in (distance, index) order, the linear scan's answer with ties broken by index.
struct BoundedNeighborHeap {
    let capacity: Int
    private(set) var distances: [Int32]
    private(set) var indices: [Int32]
    /// A candidate enters exactly when its distance is below this (bitCount + 1 until the heap is full).
    private(set) var threshold: Int

    init(capacity: Int, bitCount: Int) {
        self.capacity = capacity
        distances = []
        indices = []
        distances.reserveCapacity(capacity)
        indices.reserveCapacity(capacity)
        threshold = capacity == 0 ? 0 : bitCount + 1
    }

    @inline(__always)
    private func worse(_ a: Int, _ b: Int) -> Bool {
        distances[a] > distances[b] || (distances[a] == distances[b] && indices[a] > indices[b])
    }

    /// Offers a candidate whose index is larger than every index offered before.
    @inline(__always)
    mutating func offer(distance: Int, index: Int) {
        guard distance < threshold else { return }
        if distances.count < capacity {
            distances.append(Int32(distance))
            indices.append(Int32(index))
            var child = distances.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard worse(child, parent) else { break }
                distances.swapAt(child, parent)
                indices.swapAt(child, parent)
                child = parent
            }
            if distances.count == capacity { threshold = Int(distances[0]) }
        } else {
            distances[0] = Int32(distance)
            indices[0] = Int32(index)
            var parent = 0
            let n = distances.count
            while true {
                let left = 2 * parent + 1
                if left >= n { break }
                var largest = left
                if left + 1 < n && worse(left + 1, left) { largest = left + 1 }
                guard worse(largest, parent) else { break }
                distances.swapAt(largest, parent)
                indices.swapAt(largest, parent)
                parent = largest
            }
            threshold = Int(distances[0])
        }
    }

    /// The kept neighbours, nearest first, ties by index.
    func sorted() -> [Neighbor] {
        (0..<distances.count).map { Neighbor(index: Int(indices[$0]), distance: Int(distances[$0])) }
            .sorted(by: Neighbor.precedes)
    }
}
