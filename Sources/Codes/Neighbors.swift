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
