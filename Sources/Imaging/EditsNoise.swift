import Seeding

extension Image {
    /// The image with independent Gaussian noise of standard deviation `sigma` grey levels added to every
    /// colour sample: out = clamp(round(in + σ·z)), z ~ N(0, 1) from a `SeededGenerator` seeded with `seed`, drawn
    /// in sample order. The same seed gives the same picture on every machine. Alpha is left unchanged (noise is
    /// about the colours). Clamping at 0 and 255 biases the mean of near-black or near-white areas; elsewhere the
    /// noise is zero-mean.
    public func withGaussianNoise(sigma: Double, seed: UInt64) throws -> Image {
        guard sigma.isFinite, sigma >= 0 else { throw EditError("noise sigma \(sigma) must be a finite number ≥ 0") }
        var generator = SeededGenerator(seed: seed)
        var result = self
        let alphaChannel = hasAlpha ? channels - 1 : -1
        for i in 0..<samples.count where i % channels != alphaChannel {
            result.samples[i] = EditArithmetic.roundedByte(Double(samples[i]) + sigma * generator.nextGaussian())
        }
        return result
    }
}
