import Dispatch

/// A labelled set of feature vectors: `count` rows of `dimension` Float values, row-major, one label each — what
/// the shallow hashing methods learn from and encode. Any description of an image can become one: its pixels
/// (`init(pixelsOf:)`, in Learning, which knows images), its GIST descriptor or a trained net's penultimate layer;
/// a method trained on one kind encodes only sets of the same kind and dimension.
///
/// Values are stored as Float (60,000 CIFAR-10 images × 3,072 pixels are 737 MB, twice that in Double); every
/// computation on them — means, covariances, projections — converts rows to Double as it reads them.
public struct FeatureSet: Sendable, Equatable {
    public let count: Int
    public let dimension: Int
    /// `count · dimension` values, feature vector after feature vector.
    public var values: [Float]
    /// One class index per vector.
    public var labels: [Int32]
    public var classNames: [String]
    /// What the values are, e.g. "pixels" or "gist": a method refuses features of another kind than it learnt on.
    public var kind: String

    public init(count: Int, dimension: Int, values: [Float], labels: [Int32], classNames: [String],
                kind: String) throws {
        guard count >= 0, dimension >= 1 else {
            throw ShallowHashingError.invalidArgument("a feature set needs count ≥ 0 and dimension ≥ 1, not \(count) × \(dimension)")
        }
        guard values.count == count * dimension else {
            throw ShallowHashingError.invalidArgument("\(values.count) values do not fill \(count) × \(dimension)")
        }
        guard labels.count == count else {
            throw ShallowHashingError.invalidArgument("\(labels.count) labels for \(count) feature vectors")
        }
        guard values.allSatisfy(\.isFinite) else {
            throw ShallowHashingError.invalidArgument("the \(kind) features hold NaN or infinite values")
        }
        self.count = count
        self.dimension = dimension
        self.values = values
        self.labels = labels
        self.classNames = classNames
        self.kind = kind
    }

    /// Feature vector `i`.
    public func row(_ i: Int) -> ArraySlice<Float> { values[i * dimension..<(i + 1) * dimension] }

    /// The mean vector μ = (1/n) Σᵢ xᵢ, summed in Double (zeros for an empty set).
    public var mean: [Double] {
        var sum = [Double](repeating: 0, count: dimension)
        values.withUnsafeBufferPointer { v in
            for i in 0..<count {
                let row = v.baseAddress! + i * dimension
                for j in 0..<dimension { sum[j] += Double(row[j]) }
            }
        }
        return count == 0 ? sum : sum.map { $0 / Double(count) }
    }

    /// The vectors `range` as a Double matrix with `mean` subtracted from each: the rows xᵢ − μ.
    func centeredRows(_ range: Range<Int>, mean: [Double]) -> Matrix {
        var block = Matrix(rows: range.count, columns: dimension)
        values.withUnsafeBufferPointer { v in
            block.elements.withUnsafeMutableBufferPointer { out in
                for (r, i) in range.enumerated() {
                    let source = v.baseAddress! + i * dimension, target = out.baseAddress! + r * dimension
                    for j in 0..<dimension { target[j] = Double(source[j]) - mean[j] }
                }
            }
        }
        return block
    }

    /// The projections (xᵢ − μ)ᵀ W of every vector: an n × k matrix for a d × k `projection`. Computed block by
    /// block (1,024 rows converted to Double at a time), so a whole CIFAR-10 set never exists in Double.
    public func centeredProjections(mean: [Double], projection: Matrix) throws -> Matrix {
        try checkDimension(mean.count, of: "mean")
        try checkDimension(projection.rows, of: "projection")
        let k = projection.columns
        var result = Matrix(rows: count, columns: k)
        let blockRows = 1024
        var start = 0
        while start < count {
            let end = min(count, start + blockRows)
            let product = Matrix.multiply(centeredRows(start..<end, mean: mean), projection)
            result.elements.replaceSubrange(start * k..<end * k, with: product.elements)
            start = end
        }
        return result
    }

    /// The sample covariance Σ = (1/(n−1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ (d × d, symmetric), as MATLAB's `cov` and the
    /// reference implementations compute it (the 1/(n−1) scales the eigenvalues, never the directions).
    ///
    /// Summed in Double, block by block, as Σ_blocks Xᵦᵀ Xᵦ with Xᵦ the centred rows of a block: the blocks are
    /// fixed (1,024 rows) and added in order, so the result does not depend on the machine's core count.
    public func covariance(mean: [Double]) throws -> Matrix {
        try checkDimension(mean.count, of: "mean")
        guard count >= 2 else {
            throw ShallowHashingError.invalidArgument("a covariance needs at least 2 feature vectors, not \(count)")
        }
        let d = dimension, blockRows = 1024
        let blocks = (count + blockRows - 1) / blockRows
        // Each block's Xᵦᵀ Xᵦ is independent; compute them two at a time (one per core), add them in block order.
        var sum = Matrix(rows: d, columns: d)
        let group = 2
        var first = 0
        while first < blocks {
            let last = min(blocks, first + group)
            let partials = PartialProducts(count: last - first), base = first
            DispatchQueue.concurrentPerform(iterations: last - first) { offset in
                let b = base + offset
                let x = centeredRows(b * blockRows..<min(count, (b + 1) * blockRows), mean: mean)
                partials.store(Matrix.multiply(x, x, transposeA: true), at: offset)
            }
            for product in partials.values {
                for i in 0..<(d * d) { sum.elements[i] += product.elements[i] }
            }
            first = last
        }
        let scale = 1 / Double(count - 1)
        for i in 0..<(d * d) { sum.elements[i] *= scale }
        // Xᵀ X is symmetric in exact arithmetic; make it so to the bit for LAPACK's check.
        for i in 0..<d { for j in (i + 1)..<d { sum[j, i] = sum[i, j] } }
        return sum
    }

    func checkDimension(_ d: Int, of what: String) throws {
        guard d == dimension else {
            throw ShallowHashingError.incompatible("the \(what) is \(d)-dimensional, the \(kind) features \(dimension)-dimensional")
        }
    }
}

/// Results written by concurrent workers, each into its own slot of a buffer allocated up front (no array
/// copy-on-write check races between them).
final class PartialProducts: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Matrix>
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: Matrix(rows: 0, columns: 0))
    }
    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
    func store(_ m: Matrix, at i: Int) { slots[i] = m }
    var values: [Matrix] { Array(slots) }
}
