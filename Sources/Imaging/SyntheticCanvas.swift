import Seeding

/// A small RGB drawing surface in Float (0…1 per channel) for the pictures HashLab draws itself.
///
/// Drawing is "painter's algorithm" compositing: each operation blends a paint over what is there,
/// `new = old · (1 − a) + paint · a`, where `a = coverage · opacity` and coverage comes from the shape's signed
/// distance (see `SyntheticShape`). Only the pixels in the shape's bounding box are visited.
/// Everything is deterministic: the same calls give the same bytes.
public struct SyntheticCanvas: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// `width · height · 3` values, interleaved R, G, B, row-major.
    public private(set) var values: [Float]

    /// A canvas filled with one colour.
    public init(width: Int, height: Int, background: SyntheticColor = .black) {
        precondition(width > 0 && height > 0, "a canvas needs a positive size")
        self.width = width
        self.height = height
        values = [Float](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            values[3 * i] = background.red
            values[3 * i + 1] = background.green
            values[3 * i + 2] = background.blue
        }
    }

    /// Paints every pixel (blended at `opacity`).
    public mutating func fill(with paint: SyntheticPaint, opacity: Float = 1) {
        composite(x0: 0, y0: 0, x1: width, y1: height, paint: paint) { _ in opacity }
    }

    /// Fills the inside of a shape.
    public mutating func fill(_ shape: SyntheticShape, with paint: SyntheticPaint, opacity: Float = 1) {
        let (low, high) = shape.bounds
        let (x0, y0, x1, y1) = pixelRange(low, high, margin: 1)
        composite(x0: x0, y0: y0, x1: x1, y1: y1, paint: paint) { p in
            opacity * min(max(0.5 - shape.signedDistance(to: p), 0), 1)
        }
    }

    /// Draws a band of `lineWidth` pixels centred on the shape's boundary.
    public mutating func stroke(_ shape: SyntheticShape, lineWidth: Float, with paint: SyntheticPaint,
                                opacity: Float = 1) {
        let (low, high) = shape.bounds
        let (x0, y0, x1, y1) = pixelRange(low, high, margin: lineWidth / 2 + 1)
        let half = lineWidth / 2
        composite(x0: x0, y0: y0, x1: x1, y1: y1, paint: paint) { p in
            opacity * min(max(half + 0.5 - abs(shape.signedDistance(to: p)), 0), 1)
        }
    }

    /// Adds independent noise to every sample with standard deviation `standardDeviation` (in 0…1 units), then
    /// clamps to 0…1. The noise is approximately Gaussian: a sum of four uniform 16-bit draws from one 64-bit
    /// random word (Irwin–Hall: the sum has variance 4 · 65536² / 12, so it is scaled by √3 / 65536 to unit
    /// variance); its tails stop at ±2√3 σ ≈ ±3.5 σ.
    public mutating func addNoise(standardDeviation: Float, using generator: inout SeededGenerator) {
        guard standardDeviation > 0 else { return }
        let scale = standardDeviation * Float(3).squareRoot() / 65536
        values.withUnsafeMutableBufferPointer { v in
            for i in 0..<v.count {
                let r = generator.next()
                let sum = Int32(truncatingIfNeeded: r & 0xFFFF) + Int32(truncatingIfNeeded: (r >> 16) & 0xFFFF)
                    + Int32(truncatingIfNeeded: (r >> 32) & 0xFFFF) + Int32(truncatingIfNeeded: r >> 48)
                v[i] = min(max(v[i] + Float(sum - 131_070) * scale, 0), 1)
            }
        }
    }

    /// The canvas as an 8-bit RGB `Image` (each value clamped to 0…1 and rounded to the nearest of 0…255).
    public func image() -> Image {
        Image(width: width, height: height, channels: 3, samples: values.map(Self.byte))
    }

    /// The canvas as bytes in planar order (all R, then all G, then all B: CIFAR-10's record layout),
    /// written to `destination`, which must hold `width · height · 3` bytes.
    public func writePlanarBytes(to destination: UnsafeMutableBufferPointer<UInt8>) {
        let plane = width * height
        precondition(destination.count >= 3 * plane, "destination too small")
        values.withUnsafeBufferPointer { v in
            for i in 0..<plane {
                destination[i] = Self.byte(v[3 * i])
                destination[plane + i] = Self.byte(v[3 * i + 1])
                destination[2 * plane + i] = Self.byte(v[3 * i + 2])
            }
        }
    }

    @inlinable
    static func byte(_ v: Float) -> UInt8 { UInt8(min(max(v, 0), 1) * 255 + 0.5) }

    private func pixelRange(_ low: SyntheticPoint, _ high: SyntheticPoint, margin: Float) -> (Int, Int, Int, Int) {
        func clampX(_ v: Float) -> Int { Int(min(max(v, 0), Float(width))) }
        func clampY(_ v: Float) -> Int { Int(min(max(v, 0), Float(height))) }
        return (clampX((low.x - margin).rounded(.down)), clampY((low.y - margin).rounded(.down)),
                clampX((high.x + margin).rounded(.up)), clampY((high.y + margin).rounded(.up)))
    }

    private mutating func composite(x0: Int, y0: Int, x1: Int, y1: Int, paint: SyntheticPaint,
                                    alpha: (SyntheticPoint) -> Float) {
        guard x0 < x1, y0 < y1 else { return }
        let w = width
        values.withUnsafeMutableBufferPointer { v in
            for y in y0..<y1 {
                for x in x0..<x1 {
                    let p = SyntheticPoint(Float(x) + 0.5, Float(y) + 0.5)
                    let a = alpha(p)
                    if a <= 0 { continue }
                    let c = paint.color(at: p)
                    let i = 3 * (y * w + x)
                    v[i] += (c.red - v[i]) * a
                    v[i + 1] += (c.green - v[i + 1]) * a
                    v[i + 2] += (c.blue - v[i + 2]) * a
                }
            }
        }
    }
}
