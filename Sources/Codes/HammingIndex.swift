import Dispatch

/// An exact Hamming-space index over a database of codes: k-nearest and radius search for many queries at once.
///
/// Every index returns exactly the linear scan's answer: neighbours in increasing distance, ties broken by
/// smaller database index. The shell's `index CODES method linear|mih` builds one through `makeHammingIndex`.
public protocol HammingIndex: Sendable {
    /// The indexed codes (with their labels and names).
    var database: CodeSet { get }
    /// The method's name as the shell writes it (`linear`, `mih`).
    var methodName: String { get }
    /// For each query, its `count` nearest database codes (fewer if the database is smaller).
    func nearest(to queries: CodeSet, count: Int) throws -> [[Neighbor]]
    /// For each query, every database code within Hamming distance `radius` (inclusive), nearest first.
    func within(radius: Int, of queries: CodeSet) throws -> [[Neighbor]]
}

/// The search methods the shell offers.
public enum SearchMethod: String, Sendable, CaseIterable {
    /// A blocked, two-core linear scan: best for k-nearest search and large radii.
    case linear
    /// Multi-index hashing: sub-linear for small radii on large databases.
    case mih
}

/// Builds an index of `codes` with `method`.
public func makeHammingIndex(_ codes: CodeSet, method: SearchMethod = .linear) throws -> any HammingIndex {
    switch method {
    case .linear: return LinearHammingIndex(codes)
    case .mih: return try MultiIndexHashingIndex(codes)
    }
}

/// Splits `count` items into `chunkCount` nearly equal ranges and runs `body` on them over all cores.
func forEachChunk(count: Int, chunkCount: Int, _ body: (Range<Int>) -> Void) {
    let chunks = max(1, min(chunkCount, count))
    if chunks == 1 {
        body(0..<count)
        return
    }
    // Each chunk touches disjoint output slots, so sharing the non-Sendable body across the cores is safe.
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            shared.value(count * c / chunks..<count * (c + 1) / chunks)
        }
    }
}

/// Carries a value into concurrent code whose caller guarantees the accesses do not race.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Checks the common arguments of a search.
func validateSearch(queries: CodeSet, database: CodeSet) throws {
    guard queries.bitCount == database.bitCount else {
        throw CodesError.lengthMismatch(expected: database.bitCount, found: queries.bitCount)
    }
}
