import Foundation

extension Image {
    /// The image convolved with a Gaussian of standard deviation `sigma` pixels, every channel alike (alpha too).
    ///
    /// The 2-D Gaussian g(x, y) = g(x)·g(y) is separable, so it is applied as a horizontal pass of the 1-D kernel
    /// g(i) ∝ exp(−i² / 2σ²), i = −r…r, followed by a vertical pass: 2(2r+1) multiplications a sample instead of
    /// (2r+1)². The kernel is truncated at `radius` r (default ⌈3σ⌉, which keeps 99.7% of the weight) and
    /// renormalised to sum 1, so a constant image stays constant. Pixels beyond the border repeat the edge pixel
    /// ("clamp to edge"), so the borders do not darken. Both passes run in Double and the result is rounded once
    /// at the end; so the value equals the exact truncated-kernel convolution to within ½ grey level.
    ///
    /// Pillow's `ImageFilter.GaussianBlur(radius)` approximates the same Gaussian (its `radius` is σ) with three
    /// box blurs, so its bytes differ from these by a level or a few; `pillowGaussianBlurred(radius:)` reproduces
    /// Pillow's exactly. Use this one to teach the Gaussian, that one to match Python pipelines.
    public func gaussianBlurred(sigma: Double, radius: Int? = nil) throws -> Image {
        guard sigma.isFinite, sigma >= 0 else { throw EditError("blur sigma \(sigma) must be a finite number ≥ 0") }
        if let radius, radius < 0 { throw EditError("blur radius \(radius) must be ≥ 0") }
        if sigma == 0 || width == 0 || height == 0 { return self }
        let reach = radius ?? Int((3 * sigma).rounded(.up))
        if reach == 0 { return self }
        var kernel = (-reach...reach).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }

        // Horizontal pass into a Double buffer.
        var horizontal = [Double](repeating: 0, count: samples.count)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    var sum = 0.0
                    for k in -reach...reach {
                        let column = min(max(x + k, 0), width - 1)
                        sum += kernel[k + reach] * Double(samples[(y * width + column) * channels + c])
                    }
                    horizontal[(y * width + x) * channels + c] = sum
                }
            }
        }
        // Vertical pass, rounding once.
        var result = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                for c in 0..<channels {
                    var sum = 0.0
                    for k in -reach...reach {
                        let row = min(max(y + k, 0), height - 1)
                        sum += kernel[k + reach] * horizontal[(row * width + x) * channels + c]
                    }
                    result.samples[(y * width + x) * channels + c] = EditArithmetic.roundedByte(sum)
                }
            }
        }
        return result
    }
}
