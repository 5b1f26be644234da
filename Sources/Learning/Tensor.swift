/// A dense block of Float32 numbers with a shape, stored contiguously in row-major order.
///
/// Images use N·C·H·W (batch, channel, row, column): element `(n, c, y, x)` lives at
/// `((n·C + c)·H + y)·W + x`. Matrices are `[rows, columns]`. The storage is one `[Float]`; layers and the
/// network keep their tensors across batches and write into them in place (through `withUnsafe…` pointers),
/// so a training step allocates nothing once the first batch has sized every buffer.
public struct Tensor: Sendable, Equatable, CustomStringConvertible {
    /// The extent of every axis, outermost first.
    public private(set) var shape: [Int]
    /// `shape.reduce(1, *)` numbers, row-major.
    public var storage: [Float]

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        self.shape = shape
        self.storage = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// A tensor of `shape` holding `values` (row-major).
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill shape \(shape)")
        self.shape = shape
        self.storage = values
    }

    /// The number of elements.
    public var count: Int { storage.count }
    /// The first axis (the batch size for activations).
    public var batchSize: Int { shape.first ?? 0 }
    /// Elements per item of the batch (the product of every axis but the first).
    public var itemSize: Int { shape.count <= 1 ? 1 : shape.dropFirst().reduce(1, *) }

    /// Gives the tensor a new shape. Storage is reallocated only when the element count changes; the values are
    /// then unspecified (zero for new elements). Calling it with the current shape costs a comparison.
    public mutating func reshape(to newShape: [Int]) {
        if newShape == shape { return }
        let newCount = newShape.reduce(1, *)
        if newCount != storage.count {
            if newCount < storage.count {
                storage.removeLast(storage.count - newCount)
            } else {
                storage.append(contentsOf: repeatElement(0, count: newCount - storage.count))
            }
        }
        shape = newShape
    }

    /// Sets every element to `value`.
    public mutating func fill(_ value: Float) {
        storage.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = value }
        }
    }

    public subscript(index: Int) -> Float {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    public var description: String {
        let preview = storage.prefix(6).map { String(format: "%.4g", $0) }.joined(separator: ", ")
        return "Tensor\(shape) [\(preview)\(storage.count > 6 ? ", …" : "")]"
    }
}

/// A raw pointer that may cross into `DispatchQueue.concurrentPerform` workers, each of which writes a
/// disjoint part. The engine's own parallel loops use it; it makes no safety promise by itself.
struct SharedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
    init(_ base: UnsafePointer<Float>) { self.base = UnsafeMutablePointer(mutating: base) }
}
