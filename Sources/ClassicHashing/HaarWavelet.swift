/// The orthonormal Haar wavelet in 2-D, computed with PyWavelets' exact floating-point operations, so that
/// results agree with `pywt.wavedec2` / `pywt.waverec2` (mode "symmetric", which needs no extension for the
/// even sizes used here) to the last bit.
///
/// With s = √½ (PyWavelets' 0.7071067811865476), one analysis step along an axis maps pairs (x₀, x₁) to
/// low = s·x₁ + s·x₀ and high = −s·x₁ + s·x₀ (dec_lo = [s, s], dec_hi = [−s, s] convolved and decimated);
/// synthesis maps (a, d) back to (s·a + s·d, s·a + (−s)·d) (rec_lo = [s, s], rec_hi = [s, −s]). Each result is
/// one rounded sum of two rounded products — the order of PyWavelets' C loops, without fused multiply-adds.
/// A 2-D step transforms along axis −2 (pairs of rows) first, then along axis −1 (pairs of columns); the
/// inverse runs the other way round, as `pywt.dwtn` / `pywt.idwtn` do.
///
/// The coefficients live in one square buffer in the usual (Mallat) layout: after a step on the top-left m×m
/// region, its top-left quarter holds the approximation (pywt's "aa"), top-right "ad", bottom-left "da",
/// bottom-right "dd". A second buffer of the same size is the scratch space, so a whole decomposition and
/// reconstruction allocates two arrays.
struct HaarSquare {
    static let s = 0.7071067811865476

    let side: Int
    var values: [Double]
    private var scratch: [Double]

    init(side: Int, values: [Double]) {
        precondition(values.count == side * side)
        self.side = side
        self.values = values
        self.scratch = [Double](repeating: 0, count: side * side)
    }

    /// One 2-D analysis step on the top-left m×m region.
    mutating func analyse(region m: Int) {
        let n = side, half = m / 2, s = HaarSquare.s
        values.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { t in
                let x = v.baseAddress!, tmp = t.baseAddress!
                // Axis −2: rows 2r and 2r+1 → low in row r, high in row half + r (into scratch).
                for r in 0..<half {
                    let row0 = x + 2 * r * n, row1 = row0 + n
                    let low = tmp + r * n, high = tmp + (half + r) * n
                    for c in 0..<m {
                        let p0 = s * row0[c]
                        low[c] = s * row1[c] + p0
                        high[c] = -s * row1[c] + p0
                    }
                }
                // Axis −1: columns 2c and 2c+1 of every row → low in column c, high in column half + c.
                for r in 0..<m {
                    let source = tmp + r * n, target = x + r * n
                    for c in 0..<half {
                        let x0 = source[2 * c], x1 = source[2 * c + 1]
                        let p0 = s * x0
                        target[c] = s * x1 + p0
                        target[half + c] = -s * x1 + p0
                    }
                }
            }
        }
    }

    /// One 2-D synthesis step on the top-left m×m region (the inverse of `analyse(region: m)`).
    mutating func synthesise(region m: Int) {
        let n = side, half = m / 2, s = HaarSquare.s
        values.withUnsafeMutableBufferPointer { v in
            scratch.withUnsafeMutableBufferPointer { t in
                let x = v.baseAddress!, tmp = t.baseAddress!
                // Axis −1 first: (aa, ad) → a in the top rows, (da, dd) → d in the bottom rows (into scratch).
                for r in 0..<m {
                    let source = x + r * n, target = tmp + r * n
                    for c in 0..<half {
                        let pa = s * source[c], d = source[half + c]
                        target[2 * c] = pa + s * d
                        target[2 * c + 1] = pa + -s * d
                    }
                }
                // Axis −2: rows r (a) and half + r (d) → rows 2r and 2r+1.
                for r in 0..<half {
                    let a = tmp + r * n, d = tmp + (half + r) * n
                    let row0 = x + 2 * r * n, row1 = row0 + n
                    for c in 0..<m {
                        let pa = s * a[c]
                        row0[c] = pa + s * d[c]
                        row1[c] = pa + -s * d[c]
                    }
                }
            }
        }
    }

    /// `pywt.waverec2` of `pywt.wavedec2(x, 'haar', level: levels)` with the coarsest approximation zeroed
    /// (imagehash's `coeffs[0] *= 0`).
    mutating func removeCoarsestApproximation(levels: Int) {
        var m = side
        for _ in 0..<levels { analyse(region: m); m /= 2 }
        for i in 0..<m { for j in 0..<m { values[i * side + j] *= 0 } }
        for _ in 0..<levels { m *= 2; synthesise(region: m) }
    }

    /// `pywt.wavedec2(x, 'haar', level: levels)[0]`: the approximation band, row-major.
    mutating func approximation(levels: Int) -> [Double] {
        var m = side
        for _ in 0..<levels { analyse(region: m); m /= 2 }
        var band = [Double](repeating: 0, count: m * m)
        for i in 0..<m { for j in 0..<m { band[i * m + j] = values[i * side + j] } }
        return band
    }
}
