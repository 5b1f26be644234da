/// The matrix products of Winograd's points (`WinogradConvolution`): many and small. A group of images makes 64
/// of them, each O×C times C×n with O, C ≤ 64 and n ≈ 64–128 tiles. A general GEMM packs both operands into
/// its own layouts on every call, which at these sizes costs as much as the arithmetic (with OpenBLAS's Haswell
/// kernels, a third of the products' time went to packing and to zeroing C before a β = 0 product). These read
/// the operands where they lie: the rows of B and C are contiguous, and each point's matrices fit in L1.
///
/// Rounding: each element of C is the Float32 sum of its products in increasing inner index with fused
/// multiply-adds (`multiplyInPlace`), or of eight interleaved partial sums added at the end (`multiplyRowDots`)
/// — fixed orders, so a run is reproducible to the bit on one machine.
extension Kernels {
    typealias Columns = SIMD16<Float>

    @inline(__always) private static func columns(_ pointer: UnsafePointer<Float>) -> Columns {
        UnsafeRawPointer(pointer).loadUnaligned(as: Columns.self)
    }

    /// C (m×n, row stride `ldc`) = [C +] op(A)·B, as `multiply` takes them: op(A) is A (m×k) or, with
    /// `transposeA`, Aᵀ of a k×m A — read in place, by swapping A's strides; A's rows are `lda` apart, B's `ldb`.
    ///
    /// C is cut into tiles of 6 rows × 16 columns held in six `SIMD16<Float>` accumulators: twelve of AVX2's
    /// sixteen vector registers (six of AVX-512's thirty-two), with room left for B's row and A's broadcast. Per
    /// inner index p, one load of B's 16 columns, six broadcasts of A, six fused multiply-adds. Rows past m
    /// repeat the last row and are not stored; columns past the last multiple of 16 are summed one at a time.
    static func multiplyInPlace(transposeA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                                b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                                accumulate: Bool = false) {
        // op(A)[i, p] = a[i·aRowStride + p·aColumnStride]
        let (aRowStride, aColumnStride) = transposeA ? (1, lda) : (lda, 1)
        let wide = n & ~15
        for i in Swift.stride(from: 0, to: m, by: 6) {
            let rows = min(6, m - i)
            @inline(__always) func row(_ r: Int) -> UnsafePointer<Float> { a + (i + min(r, rows - 1)) * aRowStride }
            let (a0, a1, a2, a3, a4, a5) = (row(0), row(1), row(2), row(3), row(4), row(5))
            let target = c + i * ldc
            for j in Swift.stride(from: 0, to: wide, by: 16) {
                var (c0, c1, c2, c3, c4, c5) = (Columns(), Columns(), Columns(), Columns(), Columns(), Columns())
                var (bp, offset) = (b + j, 0)
                for _ in 0..<k {
                    let bv = columns(bp)
                    c0.addProduct(Columns(repeating: a0[offset]), bv); c1.addProduct(Columns(repeating: a1[offset]), bv)
                    c2.addProduct(Columns(repeating: a2[offset]), bv); c3.addProduct(Columns(repeating: a3[offset]), bv)
                    c4.addProduct(Columns(repeating: a4[offset]), bv); c5.addProduct(Columns(repeating: a5[offset]), bv)
                    bp += ldb
                    offset += aColumnStride
                }
                @inline(__always) func put(_ value: Columns, _ r: Int) {
                    let pointer = target + r * ldc + j
                    let sum = accumulate ? value + columns(pointer) : value
                    UnsafeMutableRawPointer(pointer).storeBytes(of: sum, as: Columns.self)
                }
                put(c0, 0)
                if rows > 1 { put(c1, 1) }
                if rows > 2 { put(c2, 2) }
                if rows > 3 { put(c3, 3) }
                if rows > 4 { put(c4, 4) }
                if rows > 5 { put(c5, 5) }
            }
            for r in 0..<rows {
                let source = a + (i + r) * aRowStride
                for j in wide..<n {
                    // The products first, then C, as the vector path adds them.
                    var products: Float = 0
                    for p in 0..<k { products = products.addingProduct(source[p * aColumnStride], b[p * ldb + j]) }
                    target[r * ldc + j] = accumulate ? target[r * ldc + j] + products : products
                }
            }
        }
    }

    /// C (m×n, row stride `ldc`) += A·Bᵀ with `A[i, p] = a[i·lda + p]` and `B[j, p] = b[j·ldb + p]`: each element
    /// the dot product of a row of A and a row of B, both contiguous. (Winograd's dU = dM·Vᵀ: the tiles are the
    /// long inner dimension, and C has as few as 3 columns — conv1's input channels — so vectors run along p.)
    ///
    /// Tiles of 4 rows of A × 3 rows of B: twelve `SIMD8<Float>` accumulators and four of A's vectors fill AVX2's
    /// sixteen registers; B's three vectors are read from L1 by the multiply-adds. Each accumulator keeps eight
    /// partial sums (lane l sums the products p ≡ l mod 8), added pairwise at the end, then the remainder of p.
    /// Rows and columns past m and n repeat the last one and are not stored.
    static func multiplyRowDots(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>,
                                ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int) {
        typealias Lanes = SIMD8<Float>
        @inline(__always) func lanes(_ pointer: UnsafePointer<Float>) -> Lanes {
            UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
        }
        let wide = k & ~7
        for i in Swift.stride(from: 0, to: m, by: 4) {
            let rows = min(4, m - i)
            @inline(__always) func rowA(_ r: Int) -> UnsafePointer<Float> { a + (i + min(r, rows - 1)) * lda }
            let (a0, a1, a2, a3) = (rowA(0), rowA(1), rowA(2), rowA(3))
            for j in Swift.stride(from: 0, to: n, by: 3) {
                let count = min(3, n - j)
                @inline(__always) func rowB(_ s: Int) -> UnsafePointer<Float> { b + (j + min(s, count - 1)) * ldb }
                let (b0, b1, b2) = (rowB(0), rowB(1), rowB(2))
                var (s00, s01, s02) = (Lanes(), Lanes(), Lanes())
                var (s10, s11, s12) = (Lanes(), Lanes(), Lanes())
                var (s20, s21, s22) = (Lanes(), Lanes(), Lanes())
                var (s30, s31, s32) = (Lanes(), Lanes(), Lanes())
                var p = 0
                while p < wide {
                    let (x0, x1, x2, x3) = (lanes(a0 + p), lanes(a1 + p), lanes(a2 + p), lanes(a3 + p))
                    let y0 = lanes(b0 + p)
                    s00.addProduct(x0, y0); s10.addProduct(x1, y0); s20.addProduct(x2, y0); s30.addProduct(x3, y0)
                    let y1 = lanes(b1 + p)
                    s01.addProduct(x0, y1); s11.addProduct(x1, y1); s21.addProduct(x2, y1); s31.addProduct(x3, y1)
                    let y2 = lanes(b2 + p)
                    s02.addProduct(x0, y2); s12.addProduct(x1, y2); s22.addProduct(x2, y2); s32.addProduct(x3, y2)
                    p += 8
                }
                @inline(__always) func add(_ partial: Lanes, _ r: Int, _ s: Int, _ x: UnsafePointer<Float>,
                                           _ y: UnsafePointer<Float>) {
                    guard r < rows, s < count else { return }
                    // A tree of halves: `SIMD.sum()` adds the lanes one after another, eight dependent additions.
                    let half = partial.lowHalf + partial.highHalf, quarter = half.lowHalf + half.highHalf
                    var sum = quarter[0] + quarter[1]
                    for q in wide..<k { sum = sum.addingProduct(x[q], y[q]) }
                    c[(i + r) * ldc + j + s] += sum
                }
                add(s00, 0, 0, a0, b0); add(s01, 0, 1, a0, b1); add(s02, 0, 2, a0, b2)
                add(s10, 1, 0, a1, b0); add(s11, 1, 1, a1, b1); add(s12, 1, 2, a1, b2)
                add(s20, 2, 0, a2, b0); add(s21, 2, 1, a2, b1); add(s22, 2, 2, a2, b2)
                add(s30, 3, 0, a3, b0); add(s31, 3, 1, a3, b1); add(s32, 3, 2, a3, b2)
            }
        }
    }
}

extension Kernels {
    /// The point-product kernels on tensors, for tests: `a·b` — or `aᵀ·b` with `transposeA` (a is then k×m) — by
    /// `multiplyInPlace`, added to `onto` where given; or `onto + a·bᵀ` (b is n×k) by `multiplyRowDots` with
    /// `transposeB`.
    public static func pointProduct(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                                    onto: Tensor? = nil) -> Tensor {
        precondition(a.shape.count == 2 && b.shape.count == 2 && !(transposeA && transposeB), "unsupported shapes")
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == (transposeB ? b.shape[1] : b.shape[0]), "shapes do not chain")
        var c = onto ?? Tensor(shape: [m, n], repeating: 0)
        precondition(c.shape == [m, n], "onto is not m×n")
        a.storage.withUnsafeBufferPointer { x in
        b.storage.withUnsafeBufferPointer { y in
        c.storage.withUnsafeMutableBufferPointer { z in
            guard let x = x.baseAddress, let y = y.baseAddress, let z = z.baseAddress else { return }
            if transposeB {
                multiplyRowDots(m: m, n: n, k: k, a: x, lda: k, b: y, ldb: k, c: z, ldc: n)
            } else {
                multiplyInPlace(transposeA: transposeA, m: m, n: n, k: k, a: x, lda: transposeA ? m : k, b: y, ldb: n,
                                c: z, ldc: n, accumulate: onto != nil)
            }
        }}}
        return c
    }
}
