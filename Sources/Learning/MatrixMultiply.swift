/// Matrix multiply in Swift SIMD (built with `-target-cpu native`): `C = [C +] A·B`, where B and C have
/// contiguous rows and A may be read with any strides — so one routine serves the convolution's three products
/// (W·columns, Wᵀ·dY, and columns·dYᵀ after a small transpose).
///
/// The classic register-blocked scheme for 16 vector registers (this machine's CPU reports AVX2 + FMA, no
/// AVX-512): the inner dimension is cut into blocks of 256; for each block all of A is packed in panels of
/// 6 rows (`packed[panel][p][r]`), then for each strip of 16 columns B's block is packed contiguously (16 KB, stays
/// in L1) and every A panel meets it in a 6×16 tile of C held in 12 `SIMD8<Float>` registers: per p, two loads
/// of B, six broadcasts of A, twelve fused multiply-adds. Rounding: each C element is the Float32 sum of its
/// products in increasing p with fused multiply-adds — deterministic, within a few ulps·√k of the exact sum.
extension Kernels {
    static let panelRows = 6

    @inline(__always) private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) private static func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// C (m×n, row stride `ldc`) = [C +] A·B with `A[i, p] = a[i·aRowStride + p·aColumnStride]` and
    /// `B[p, j] = b[p·ldb + j]`. `accumulate` adds to C instead of overwriting it.
    static func multiplyBroadcasting(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, aRowStride: Int,
                                     aColumnStride: Int, b: UnsafePointer<Float>, ldb: Int,
                                     c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { for j in 0..<n { c[i * ldc + j] = 0 } } }
            return
        }
        let block = 256, panel = panelRows
        let panels = (m + panel - 1) / panel
        let packedACount = panels * panel * block, packedBCount = block * 16
        withUnsafeTemporaryAllocation(of: Float.self, capacity: packedACount + packedBCount + panel * 16) { scratch in
            let packedA = scratch.baseAddress!, packedB = packedA + packedACount, spare = packedB + packedBCount
            var p0 = 0
            while p0 < k {
                let count = min(block, k - p0), add = accumulate || p0 > 0
                // Pack every panel of A for this block: packedA[(q·count + p)·panel + r] = A[q·panel + r, p0 + p].
                for q in 0..<panels {
                    let rows = min(panel, m - q * panel)
                    let source = a + q * panel * aRowStride + p0 * aColumnStride
                    let target = packedA + q * count * panel
                    for p in 0..<count {
                        for r in 0..<panel {
                            target[p * panel + r] = r < rows ? source[r * aRowStride + p * aColumnStride] : 0
                        }
                    }
                }
                var j = 0
                while j < n {
                    let columns = min(16, n - j)
                    // Pack B[p0 ..< p0+count, j ..< j+16] contiguously, zero columns beyond n.
                    let source = b + p0 * ldb + j
                    if columns == 16 {
                        for p in 0..<count { (packedB + p * 16).update(from: source + p * ldb, count: 16) }
                    } else {
                        for p in 0..<count {
                            for column in 0..<16 { packedB[p * 16 + column] = column < columns ? source[p * ldb + column] : 0 }
                        }
                    }
                    for q in 0..<panels {
                        let rows = min(panel, m - q * panel)
                        let target = c + q * panel * ldc + j
                        if rows == panel && columns == 16 {
                            tile(count: count, packed: packedA + q * count * panel, b: packedB, c: target, ldc: ldc, add: add)
                        } else {
                            for r in 0..<panel { for column in 0..<16 {
                                spare[r * 16 + column] = (add && r < rows && column < columns) ? target[r * ldc + column] : 0
                            } }
                            tile(count: count, packed: packedA + q * count * panel, b: packedB, c: spare, ldc: 16, add: true)
                            for r in 0..<rows { for column in 0..<columns { target[r * ldc + column] = spare[r * 16 + column] } }
                        }
                    }
                    j += 16
                }
                p0 += count
            }
        }
    }

    /// One 6×16 tile of C: `count` rank-1 updates from a packed A panel and a packed B strip (row length 16).
    @inline(__always)
    private static func tile(count: Int, packed: UnsafePointer<Float>, b: UnsafePointer<Float>,
                             c: UnsafeMutablePointer<Float>, ldc: Int, add: Bool) {
        var c00 = SIMD8<Float>(), c01 = SIMD8<Float>()
        var c10 = SIMD8<Float>(), c11 = SIMD8<Float>()
        var c20 = SIMD8<Float>(), c21 = SIMD8<Float>()
        var c30 = SIMD8<Float>(), c31 = SIMD8<Float>()
        var c40 = SIMD8<Float>(), c41 = SIMD8<Float>()
        var c50 = SIMD8<Float>(), c51 = SIMD8<Float>()
        if add {
            c00 = load(c + 0 * ldc); c01 = load(c + 0 * ldc + 8)
            c10 = load(c + 1 * ldc); c11 = load(c + 1 * ldc + 8)
            c20 = load(c + 2 * ldc); c21 = load(c + 2 * ldc + 8)
            c30 = load(c + 3 * ldc); c31 = load(c + 3 * ldc + 8)
            c40 = load(c + 4 * ldc); c41 = load(c + 4 * ldc + 8)
            c50 = load(c + 5 * ldc); c51 = load(c + 5 * ldc + 8)
        }
        var ap = packed, bp = b
        for _ in 0..<count {
            let b0 = load(bp), b1 = load(bp + 8)
            let a0 = SIMD8<Float>(repeating: ap[0]); c00 = c00.addingProduct(a0, b0); c01 = c01.addingProduct(a0, b1)
            let a1 = SIMD8<Float>(repeating: ap[1]); c10 = c10.addingProduct(a1, b0); c11 = c11.addingProduct(a1, b1)
            let a2 = SIMD8<Float>(repeating: ap[2]); c20 = c20.addingProduct(a2, b0); c21 = c21.addingProduct(a2, b1)
            let a3 = SIMD8<Float>(repeating: ap[3]); c30 = c30.addingProduct(a3, b0); c31 = c31.addingProduct(a3, b1)
            let a4 = SIMD8<Float>(repeating: ap[4]); c40 = c40.addingProduct(a4, b0); c41 = c41.addingProduct(a4, b1)
            let a5 = SIMD8<Float>(repeating: ap[5]); c50 = c50.addingProduct(a5, b0); c51 = c51.addingProduct(a5, b1)
            ap += 6
            bp += 16
        }
        store(c00, c + 0 * ldc); store(c01, c + 0 * ldc + 8)
        store(c10, c + 1 * ldc); store(c11, c + 1 * ldc + 8)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 8)
        store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 8)
        store(c40, c + 4 * ldc); store(c41, c + 4 * ldc + 8)
        store(c50, c + 5 * ldc); store(c51, c + 5 * ldc + 8)
    }
}
