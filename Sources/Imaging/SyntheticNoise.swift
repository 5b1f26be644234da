import Seeding

/// Smooth "value noise" with several octaves (fractal Brownian motion), the classic cheap stand-in for natural
/// texture such as clouds, terrain or blotchy backgrounds.
///
/// Each octave is a wrapping lattice of random values in 0…1; between lattice points the value is interpolated
/// bilinearly with the smoothstep weight `3t² − 2t³`, so the field is continuous with a continuous gradient.
/// Octave k has twice the frequency and `persistence^k` times the amplitude of octave k − 1, and the sum is
/// divided by the total amplitude, so the result stays in 0…1 (it clusters around 0.5: a sum of independent
/// values narrows toward the mean).
public struct SyntheticValueNoise: Sendable, Equatable {
    /// Lattice points per side of each octave's grid; the noise repeats every `latticeSize · scale` pixels.
    public static let latticeSize = 32
    /// Pixels between lattice points of the first (coarsest) octave.
    public var scale: Float
    public var octaves: Int
    public var persistence: Float
    @usableFromInline var lattice: [Float]
    @usableFromInline var offsets: [SyntheticPoint]

    public init(scale: Float, octaves: Int = 4, persistence: Float = 0.5, using generator: inout SeededGenerator) {
        precondition(scale > 0 && octaves >= 1, "noise needs a positive scale and at least one octave")
        self.scale = scale
        self.octaves = octaves
        self.persistence = persistence
        let n = Self.latticeSize
        lattice = (0..<(octaves * n * n)).map { _ in generator.nextUnitFloat() }
        offsets = (0..<octaves).map { _ in
            SyntheticPoint(generator.nextUnitFloat(), generator.nextUnitFloat()) * Float(n)
        }
    }

    /// The noise value in 0…1 at a point in pixels.
    @inlinable
    public func value(at p: SyntheticPoint) -> Float {
        let n = Self.latticeSize
        var total: Float = 0, amplitude: Float = 1, weight: Float = 0
        var frequency = 1 / scale
        for octave in 0..<octaves {
            let q = p * frequency + offsets[octave]
            let fx = q.x.rounded(.down), fy = q.y.rounded(.down)
            let tx = q.x - fx, ty = q.y - fy
            let sx = tx * tx * (3 - 2 * tx), sy = ty * ty * (3 - 2 * ty)
            let ix = ((Int(fx) % n) + n) % n, iy = ((Int(fy) % n) + n) % n
            let ix1 = (ix + 1) % n, iy1 = (iy + 1) % n
            let base = octave * n * n
            let a = lattice[base + iy * n + ix], b = lattice[base + iy * n + ix1]
            let c = lattice[base + iy1 * n + ix], d = lattice[base + iy1 * n + ix1]
            let top = a + (b - a) * sx, bottom = c + (d - c) * sx
            total += amplitude * (top + (bottom - top) * sy)
            weight += amplitude
            amplitude *= persistence
            frequency *= 2
        }
        return total / weight
    }
}
