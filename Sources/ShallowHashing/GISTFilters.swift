import Foundation

// The transfer functions of the GIST descriptor's two filtering stages, as LEAR's `gist.c` builds them (`prefilt`
// and `create_gabor`; the same formulas as Oliva & Torralba's MATLAB `prefilt.m` and `createGabor.m`). A transfer
// function H multiplies an image's spectrum: filtering x is x̂ ↦ H · x̂, i.e. the circular convolution of x with
// the inverse transform of H. Each is tabulated once per image size, in the DFT's own index order (frequency 0 at
// index 0), so that filtering an image is one product per frequency.

/// The frequency, in cycles per image, that index `q` of an n-point DFT axis stands for in LEAR's grids: the value
/// q − n/2 of the grid −n/2, …, n/2 − 1, moved by `fftshift` so that frequency 0 lands at index 0. For even n that
/// is the usual signed frequency: q for q < n/2 and q − n from n/2 on (−n/2, the Nyquist frequency, counted as
/// negative). For odd n both references build their grid from −n/2 = −(n−1)/2 − ½ all the same, so it sits half a
/// bin off (index 0 stands for ½); this reproduces that rather than correcting it.
func gistGridFrequency(index q: Int, side n: Int) -> Double {
    Double((q - n / 2 + n) % n) - Double(n) / 2
}

/// The prefilter's Gaussian low-pass, on an m×m grid (m the padded image's side):
///
///     g(f) = exp(−|f|² / s²),  s = f_c / √(ln 2),  that is  g(f) = 2^(−|f|² / f_c²),
///
/// with |f| in cycles per (padded) image: gain 1 at frequency 0, ½ at |f| = f_c (4 in GIST), next to nothing
/// beyond 2·f_c. Convolving with it averages an image over a blob a few pixels wide (its spatial counterpart is
/// again a Gaussian, of standard deviation m / (√2·π·s) ≈ 2 pixels for a 42-pixel padded CIFAR-10 image).
func prefilterLowPass(side m: Int, cutoff fc: Double) -> [Double] {
    let s = fc / (log(2.0)).squareRoot()
    var g = [Double](repeating: 0, count: m * m)
    for row in 0..<m {
        let fy = gistGridFrequency(index: row, side: m)
        for column in 0..<m {
            let fx = gistGridFrequency(index: column, side: m)
            g[row * m + column] = exp(-(fx * fx + fy * fy) / (s * s))
        }
    }
    return g
}

/// One filter of the bank: its scale (0 = the finest) and its orientation at that scale.
struct GaborFilterSpec: Equatable {
    let scale: Int
    let orientation: Int
    let orientationsAtScale: Int

    /// LEAR's four parameters (`param[l][0…3]` in `create_gabor`).
    /// Radial sharpness: the profile is exp(−10·a·(ρ/f₀ − 1)²) = exp(−3.5·(ρ/f₀ − 1)²).
    var radialSharpness: Double { 0.35 }
    /// f₀ = 0.3 / 1.85^scale, the peak frequency in cycles per pixel: 0.3, 0.162, 0.088, 0.047 for four scales
    /// (periods of 3.3, 6.2, 11.4 and 21.1 pixels), each scale 1.85 times coarser than the one before.
    var peakFrequency: Double { 0.3 / pow(1.85, Double(scale)) }
    /// c = 16·o² / 32²: the angular profile exp(−2π·c·Δφ²) narrows as the orientations o at a scale grow (c = 1 for 8).
    var angularSharpness: Double { 16 * Double(orientationsAtScale * orientationsAtScale) / Double(32 * 32) }
    /// θ = π·j / o: the orientations split a half turn evenly (22.5° apart for 8).
    var angle: Double { Double.pi / Double(orientationsAtScale) * Double(orientation) }

    /// The transfer function on an n×n grid:
    ///
    ///     G(f) = exp(−10·a·(|f|/(n·f₀) − 1)²  −  2π·c·wrap(φ + θ)²),   φ = atan2(f_y, f_x),
    ///
    /// |f|/n being the frequency in cycles per pixel and wrap(·) bringing an angle back into [−π, π]. In polar
    /// coordinates it is a product of two Gaussians: in the radius, around f₀, with a width proportional to f₀
    /// (every scale passes the same band in octaves, as a wavelet does: half gain at 0.55·f₀ and 1.45·f₀); and in
    /// the angle, around φ = −θ (half gain 19° either side for c = 1). It covers *one* lobe of the plane only, not
    /// the mirror lobe at φ = −θ + π that a real filter would need: its impulse response is complex, a cosine-like
    /// real part and a sine-like imaginary part under one Gaussian envelope (a quadrature pair of Gabor wavelets).
    /// The modulus of the filtered image is then the local *amplitude* of that band — large where the image holds
    /// waves or edges of that scale and orientation, whatever their phase (where exactly the edge sits).
    func transferFunction(side n: Int) -> [Double] {
        let a = radialSharpness, f0 = peakFrequency, c = angularSharpness, theta = angle
        var g = [Double](repeating: 0, count: n * n)
        for row in 0..<n {
            let fy = gistGridFrequency(index: row, side: n)
            for column in 0..<n {
                let fx = gistGridFrequency(index: column, side: n)
                let radius = (fx * fx + fy * fy).squareRoot()
                var phi = atan2(fy, fx) + theta
                if phi < -Double.pi { phi += 2 * Double.pi } else if phi > Double.pi { phi -= 2 * Double.pi }
                let radial = radius / Double(n) / f0 - 1
                g[row * n + column] = exp(-10 * a * radial * radial - 2 * c * Double.pi * phi * phi)
            }
        }
        return g
    }

    /// The bank in LEAR's order: scale after scale, orientation after orientation within a scale.
    static func bank(orientationsPerScale: [Int]) -> [GaborFilterSpec] {
        orientationsPerScale.enumerated().flatMap { scale, count in
            (0..<count).map { GaborFilterSpec(scale: scale, orientation: $0, orientationsAtScale: count) }
        }
    }
}
