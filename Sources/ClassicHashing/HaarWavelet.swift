/// The orthonormal Haar wavelet in 2-D, computed with PyWavelets' exact floating-point operations, so that
/// results agree with `pywt.wavedec2` / `pywt.waverec2` (mode "symmetric", which needs no extension for the
/// even sizes used here) to the last bit.
///
/// With s = √½ (PyWavelets' 0.7071067811865476), one analysis step along an axis maps pairs (x₀, x₁) to
/// low = s·x₁ + s·x₀ and high = s·x₀ − s·x₁ (dec_lo = [s, s], dec_hi = [−s, s] convolved and decimated);
/// synthesis maps (a, d) back to (s·a + s·d, s·a − s·d) (rec_lo = [s, s], rec_hi = [s, −s]). Each result is one
/// rounded sum of two rounded products — the order PyWavelets' C loops use, without fused multiply-adds.
/// A 2-D step transforms along rows' axis (−2) first, then along columns' axis (−1); the inverse runs the other
/// way round, as `pywt.dwtn` / `pywt.idwtn` do.
struct HaarPlane {
    var rows: Int
    var columns: Int
    var values: [Double]

    static let s = 0.7071067811865476

    /// One analysis step along axis −2 (pairs of rows) or −1 (pairs of columns).
    func analysed(vertically: Bool) -> (low: HaarPlane, high: HaarPlane) {
        let s = HaarPlane.s
        let outRows = vertically ? rows / 2 : rows
        let outColumns = vertically ? columns : columns / 2
        var low = [Double](repeating: 0, count: outRows * outColumns)
        var high = low
        values.withUnsafeBufferPointer { x in
            low.withUnsafeMutableBufferPointer { lo in
                high.withUnsafeMutableBufferPointer { hi in
                    // Element (r, c) of the output pairs x[first] and x[first + step].
                    let step = vertically ? columns : 1
                    for r in 0..<outRows {
                        let rowStart = vertically ? 2 * r * columns : r * columns
                        for c in 0..<outColumns {
                            let first = vertically ? rowStart + c : rowStart + 2 * c
                            let x0 = x[first], x1 = x[first + step]
                            let p0 = s * x0
                            lo[r * outColumns + c] = s * x1 + p0
                            hi[r * outColumns + c] = -s * x1 + p0
                        }
                    }
                }
            }
        }
        return (HaarPlane(rows: outRows, columns: outColumns, values: low),
                HaarPlane(rows: outRows, columns: outColumns, values: high))
    }

    /// Only the low band of one analysis step (what the approximation chain needs).
    func lowPassed(vertically: Bool) -> HaarPlane {
        let s = HaarPlane.s
        let outRows = vertically ? rows / 2 : rows
        let outColumns = vertically ? columns : columns / 2
        var low = [Double](repeating: 0, count: outRows * outColumns)
        values.withUnsafeBufferPointer { x in
            low.withUnsafeMutableBufferPointer { lo in
                let step = vertically ? columns : 1
                for r in 0..<outRows {
                    let rowStart = vertically ? 2 * r * columns : r * columns
                    for c in 0..<outColumns {
                        let first = vertically ? rowStart + c : rowStart + 2 * c
                        lo[r * outColumns + c] = s * x[first + step] + s * x[first]
                    }
                }
            }
        }
        return HaarPlane(rows: outRows, columns: outColumns, values: low)
    }

    /// One synthesis step along axis −2 or −1 from an approximation and a detail band of the same shape.
    static func synthesised(low: HaarPlane, high: HaarPlane, vertically: Bool) -> HaarPlane {
        let outRows = vertically ? low.rows * 2 : low.rows
        let outColumns = vertically ? low.columns : low.columns * 2
        var out = [Double](repeating: 0, count: outRows * outColumns)
        low.values.withUnsafeBufferPointer { a in
            high.values.withUnsafeBufferPointer { d in
                out.withUnsafeMutableBufferPointer { o in
                    let step = vertically ? outColumns : 1
                    for r in 0..<low.rows {
                        let rowStart = vertically ? 2 * r * outColumns : r * outColumns
                        for c in 0..<low.columns {
                            let first = vertically ? rowStart + c : rowStart + 2 * c
                            let pa = s * a[r * low.columns + c], dv = d[r * low.columns + c]
                            o[first] = pa + s * dv
                            o[first + step] = pa + -s * dv
                        }
                    }
                }
            }
        }
        return HaarPlane(rows: outRows, columns: outColumns, values: out)
    }

    /// `pywt.dwt2(x, 'haar')`: the approximation and the details keyed as `pywt.dwtn` keys them
    /// (first letter: axis −2, second: axis −1).
    func decomposed() -> (aa: HaarPlane, da: HaarPlane, ad: HaarPlane, dd: HaarPlane) {
        let (a, d) = analysed(vertically: true)
        let (aa, ad) = a.analysed(vertically: false)
        let (da, dd) = d.analysed(vertically: false)
        return (aa, da, ad, dd)
    }

    /// `pywt.idwt2((aa, (da, ad, dd)), 'haar')`: along axis −1 first, then axis −2.
    static func reconstructed(aa: HaarPlane, da: HaarPlane, ad: HaarPlane, dd: HaarPlane) -> HaarPlane {
        let a = synthesised(low: aa, high: ad, vertically: false)
        let d = synthesised(low: da, high: dd, vertically: false)
        return synthesised(low: a, high: d, vertically: true)
    }

    /// `pywt.waverec2(c, 'haar')` of `pywt.wavedec2(x, 'haar', level)` with the coarsest approximation set to 0.
    func removingCoarsestApproximation(levels: Int) -> HaarPlane {
        var details: [(da: HaarPlane, ad: HaarPlane, dd: HaarPlane)] = []
        var approximation = self
        for _ in 0..<levels {
            let step = approximation.decomposed()
            details.append((step.da, step.ad, step.dd))
            approximation = step.aa
        }
        approximation.values = approximation.values.map { $0 * 0 }  // imagehash: coeffs[0] *= 0
        for detail in details.reversed() {
            approximation = HaarPlane.reconstructed(aa: approximation, da: detail.da, ad: detail.ad, dd: detail.dd)
        }
        return approximation
    }

    /// `pywt.wavedec2(x, 'haar', level)[0]`: the approximation band after `levels` steps.
    func approximation(levels: Int) -> HaarPlane {
        var plane = self
        for _ in 0..<levels { plane = plane.lowPassed(vertically: true).lowPassed(vertically: false) }
        return plane
    }
}
