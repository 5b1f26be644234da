import CBLAS
import Foundation

/// The few dense kernels every layer goes through: matrix multiply (GEMM), im2col/col2im, pooling and the
/// split of a batch over the cores. Keeping them here means the backend can change without touching a layer.
///
/// Threads: the engine parallelises over the batch itself (`parallelRanges`), each worker on a fixed contiguous
/// slice, and calls single-threaded BLAS inside each worker. The partition depends only on the batch size and the
/// worker count, and per-worker partial sums are added in worker order, so a run is reproducible to the bit on the
/// same machine. Measured here (OpenBLAS 0.3.21, `OPENBLAS_CORETYPE` unset): OpenBLAS picks its "Zen" kernels
/// (AVX2) on this Zen 5 CPU and is correct (error against a Float64 loop ~1e-5 at K=800), at about the speed of
/// the "Haswell" kernels; the engine does not depend on either setting.
public enum Kernels {
    /// How many workers a batch is split over: the active cores.
    public static let workerCount: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// OpenBLAS's own threads are switched off once: the engine's workers each call it on their own slice.
    private static let blasConfigured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    /// The name of the kernel set OpenBLAS chose for this CPU (e.g. "Zen", "Haswell", "SkylakeX").
    public static var blasCoreName: String { String(cString: openblas_get_corename()) }

    /// Whether OpenBLAS's kernel set has its small-matrix GEMMs, which skip packing (those of its AVX-512 cores).
    static let blasHasSmallMatrixKernels: Bool = ["skylakex", "cooperlake", "sapphirerapids"].contains(blasCoreName.lowercased())

    /// Splits `0..<count` into at most `workerCount` contiguous slices and runs `body` on each, in parallel.
    /// Slice `w` is always the same for the same `count`, which keeps reductions deterministic.
    static func parallelRanges(_ count: Int, _ body: @Sendable (_ worker: Int, _ range: Range<Int>) -> Void) {
        let workers = min(workerCount, count)
        if workers <= 1 {
            if count > 0 { body(0, 0..<count) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let lower = count * worker / workers, upper = count * (worker + 1) / workers
            body(worker, lower..<upper)
        }
    }

    /// The slices `parallelRanges` uses for `count` items, in worker order.
    static func slices(_ count: Int) -> [Range<Int>] {
        let workers = max(1, min(workerCount, count))
        return (0..<workers).map { worker in count * worker / workers..<count * (worker + 1) / workers }
    }

    /// Adds `workers` per-worker partial sums (consecutive blocks of `count` at `partials`) onto `target`, in
    /// worker order: the one reduction after a split batch, deterministic because its order never changes.
    static func addPartials(_ partials: UnsafePointer<Float>, workers: Int, count: Int,
                            to target: UnsafeMutablePointer<Float>) {
        for worker in 0..<workers {
            let block = partials + worker * count
            for index in 0..<count { target[index] += block[index] }
        }
    }

    /// C ← alpha·op(A)·op(B) + beta·C, row-major; op(A) is m×k, op(B) is k×n, C is m×n.
    /// `lda`, `ldb`, `ldc` are the row lengths of A, B, C as stored.
    @inline(__always)
    static func multiply(transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
                         alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
                         b: UnsafePointer<Float>, ldb: Int,
                         beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        _ = blasConfigured
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 { for row in 0..<m { for column in 0..<n { c[row * ldc + column] = 0 } } }
            return
        }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// Geometry of a sliding window (convolution or pooling) over one C×H×W image.
    struct Window {
        var channels, height, width, kernel, stride, padding, outputHeight, outputWidth: Int
        var outputPlane: Int { outputHeight * outputWidth }
        var columnRows: Int { channels * kernel * kernel }
    }

    /// im2col: lays out every `kernel×kernel` patch of one image as a column, so that a convolution becomes one
    /// GEMM. Row `(c·k + ky)·k + kx`, column `columnOffset + oy·OW + ox` of `columns` (row length `rowLength`)
    /// receives `image[c, oy·s − p + ky, ox·s − p + kx]`, or 0 outside the image (zero padding).
    static func imageToColumns(_ image: UnsafePointer<Float>, _ window: Window,
                               columns: UnsafeMutablePointer<Float>, rowLength: Int, columnOffset: Int) {
        if window.stride == 1 {
            imageToColumnsUnitStride(image, window, columns: columns, rowLength: rowLength, columnOffset: columnOffset)
            return
        }
        let (h, w, k, s, p) = (window.height, window.width, window.kernel, window.stride, window.padding)
        let (oh, ow) = (window.outputHeight, window.outputWidth)
        for c in 0..<window.channels {
            let plane = image + c * h * w
            for ky in 0..<k {
                for kx in 0..<k {
                    let row = columns + ((c * k + ky) * k + kx) * rowLength + columnOffset
                    for oy in 0..<oh {
                        let y = oy * s - p + ky
                        let out = row + oy * ow
                        if y < 0 || y >= h {
                            for ox in 0..<ow { out[ox] = 0 }
                            continue
                        }
                        let source = plane + y * w
                        if s == 1 {
                            // x = ox − p + kx: valid for ox in [p − kx, w + p − kx).
                            let first = min(max(0, p - kx), ow), last = max(min(ow, w + p - kx), first)
                            for ox in 0..<first { out[ox] = 0 }
                            if first < last { (out + first).update(from: source + first - p + kx, count: last - first) }
                            for ox in last..<ow { out[ox] = 0 }
                        } else {
                            for ox in 0..<ow {
                                let x = ox * s - p + kx
                                out[ox] = (x >= 0 && x < w) ? source[x] : 0
                            }
                        }
                    }
                }
            }
        }
    }

    /// im2col for stride 1: the image is first copied into a zero-padded plane, after which every output row of
    /// every (c, ky, kx) is one contiguous run of OW numbers — copied in 8-lane chunks, without bounds tests.
    private static func imageToColumnsUnitStride(_ image: UnsafePointer<Float>, _ window: Window,
                                                 columns: UnsafeMutablePointer<Float>, rowLength: Int, columnOffset: Int) {
        let (h, w, k, p) = (window.height, window.width, window.kernel, window.padding)
        let (oh, ow) = (window.outputHeight, window.outputWidth)
        let (paddedHeight, paddedWidth) = (h + 2 * p, w + 2 * p)
        let paddedPlane = paddedHeight * paddedWidth
        withUnsafeTemporaryAllocation(of: Float.self, capacity: window.channels * paddedPlane + 8) { buffer in
            let padded = buffer.baseAddress!
            padded.initialize(repeating: 0, count: window.channels * paddedPlane + 8)
            for c in 0..<window.channels {
                for y in 0..<h {
                    (padded + c * paddedPlane + (y + p) * paddedWidth + p).update(from: image + (c * h + y) * w, count: w)
                }
            }
            let chunks = ow / 8, rest = ow % 8
            for c in 0..<window.channels {
                for ky in 0..<k {
                    for kx in 0..<k {
                        let row = columns + ((c * k + ky) * k + kx) * rowLength + columnOffset
                        for oy in 0..<oh {
                            let source = padded + c * paddedPlane + (oy + ky) * paddedWidth + kx
                            let target = row + oy * ow
                            for chunk in 0..<chunks {
                                UnsafeMutableRawPointer(target + 8 * chunk).storeBytes(
                                    of: UnsafeRawPointer(source + 8 * chunk).loadUnaligned(as: SIMD8<Float>.self),
                                    as: SIMD8<Float>.self)
                            }
                            for index in (ow - rest)..<ow { target[index] = source[index] }
                        }
                    }
                }
            }
        }
    }

    /// col2im: the adjoint of `imageToColumns` — adds every column entry back onto the image pixel it was
    /// copied from (padding entries are dropped). `image` must be zeroed (or hold a sum to add to) beforehand.
    static func columnsToImage(_ columns: UnsafePointer<Float>, rowLength: Int, columnOffset: Int,
                               _ window: Window, image: UnsafeMutablePointer<Float>) {
        let (h, w, k, s, p) = (window.height, window.width, window.kernel, window.stride, window.padding)
        let (oh, ow) = (window.outputHeight, window.outputWidth)
        for c in 0..<window.channels {
            let plane = image + c * h * w
            for ky in 0..<k {
                for kx in 0..<k {
                    let row = columns + ((c * k + ky) * k + kx) * rowLength + columnOffset
                    for oy in 0..<oh {
                        let y = oy * s - p + ky
                        if y < 0 || y >= h { continue }
                        let target = plane + y * w
                        let input = row + oy * ow
                        if s == 1 {
                            let first = max(0, p - kx), last = min(ow, w + p - kx)
                            if first < last {
                                for ox in first..<last { target[ox - p + kx] += input[ox] }
                            }
                        } else {
                            for ox in 0..<ow {
                                let x = ox * s - p + kx
                                if x >= 0 && x < w { target[x] += input[ox] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The pooled extent of `size` inputs, with `span = size + 2·pad − kernel`:
    /// - ceil (Caffe): `⌈span / stride⌉ + 1`, less one if the last window would start inside the right/bottom
    ///   padding only (so every window overlaps the image);
    /// - floor (PyTorch): `⌊span / stride⌋ + 1`, so every window lies inside the padded input.
    public static func pooledExtent(_ size: Int, kernel: Int, stride: Int, padding: Int,
                                    rounding: PoolingRounding = .ceil) -> Int {
        let span = size + 2 * padding - kernel
        if span < 0 { return 1 }
        if rounding == .floor { return span / stride + 1 }
        var extent = (span + stride - 1) / stride + 1
        if padding > 0 && (extent - 1) * stride >= size + padding { extent -= 1 }
        return extent
    }

    /// Max pooling of one C×H×W image; `argmax` receives, per output, the plane offset `y·W + x` of the winner
    /// (the first maximum in row-major window order, as in Caffe).
    ///
    /// Windows that lie wholly inside the image are done 8 outputs at a time (one SIMD lane per output, so the
    /// running maximum of each is an independent chain); border windows, clipped by padding or ceil mode, one at a
    /// time. Both keep the first maximum with a strict `>` in the same order, so they agree exactly.
    static func maxPool(_ image: UnsafePointer<Float>, _ window: Window, output: UnsafeMutablePointer<Float>,
                        argmax: UnsafeMutablePointer<Int32>) {
        let (h, w, k, s, p) = (window.height, window.width, window.kernel, window.stride, window.padding)
        let (oh, ow) = (window.outputHeight, window.outputWidth)
        // Outputs whose window is inside the image horizontally: ox·s − p ≥ 0 and ox·s − p + k ≤ w.
        let firstInside = (p + s - 1) / s
        let lastInside = w + p - k >= 0 ? min(ow - 1, (w + p - k) / s) : -1
        let vectorEnd = lastInside - firstInside + 1 >= 8 ? lastInside + 1 : firstInside
        let lanes = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7)
        for c in 0..<window.channels {
            let plane = image + c * h * w
            let out = output + c * oh * ow, arg = argmax + c * oh * ow
            for oy in 0..<oh {
                let y0 = max(oy * s - p, 0), y1 = min(oy * s - p + k, h)
                var ox = 0
                while ox < ow {
                    if ox >= firstInside && ox < vectorEnd && oy * s - p >= 0 && oy * s - p + k <= h {
                        // 8 interior outputs; the last chunk may overlap the previous one (same values rewritten).
                        let start = min(ox, vectorEnd - 8)
                        let x0 = start * s - p
                        var best = SIMD8<Float>(), bestIndex = SIMD8<Int32>()
                        for y in y0..<y1 {
                            for kx in 0..<k {
                                let offset = y * w + x0 + kx
                                let value = stridedLoad(plane + offset, stride: s, readable: h * w - offset)
                                let index = SIMD8<Int32>(repeating: Int32(truncatingIfNeeded: offset)) &+ lanes &* Int32(s)
                                if y == y0 && kx == 0 {
                                    best = value; bestIndex = index
                                } else {
                                    let better = value .> best
                                    best.replace(with: value, where: better)
                                    bestIndex.replace(with: index, where: better)
                                }
                            }
                        }
                        UnsafeMutableRawPointer(out + oy * ow + start).storeBytes(of: best, as: SIMD8<Float>.self)
                        UnsafeMutableRawPointer(arg + oy * ow + start).storeBytes(of: bestIndex, as: SIMD8<Int32>.self)
                        ox = start + 8
                        continue
                    }
                    let x0 = max(ox * s - p, 0), x1 = min(ox * s - p + k, w)
                    // Branch-free running maximum (selects, not jumps: the comparisons are unpredictable).
                    var bestIndex = y0 * w + x0, best = plane[bestIndex]
                    for y in y0..<y1 {
                        for x in x0..<x1 {
                            let index = y * w + x, value = plane[index], better = value > best
                            best = better ? value : best
                            bestIndex = better ? index : bestIndex
                        }
                    }
                    out[oy * ow + ox] = best
                    arg[oy * ow + ox] = Int32(truncatingIfNeeded: bestIndex)
                    ox += 1
                }
            }
        }
    }

    /// Max pooling of one C×H×W image, the values only (no winners): what inference needs, and what forward
    /// computes (`separablePool`). Equal to `maxPool`'s values exactly (a maximum involves no rounding).
    static func maxPoolValues(_ image: UnsafePointer<Float>, _ window: Window, output: UnsafeMutablePointer<Float>) {
        separablePool(image, window, output: output, MaximumPooling.self)
    }

    /// Pooling by a reduction that can go column by column: the window's value is the reduction over its columns
    /// of the reduction down each column. So each output row first reduces its (clipped) input rows column by
    /// column, sixteen columns at a time, then each window reduces its columns along that row: 2 operations per
    /// input and k per output instead of k² per output. With stride 2 and 3-wide windows eight windows go at once
    /// (even and odd columns apart); the windows that the vectors do not cover go one by one.
    private static func separablePool<Reduction: PoolingReduction>(
        _ image: UnsafePointer<Float>, _ window: Window, output: UnsafeMutablePointer<Float>, _: Reduction.Type) {
        let (h, w, k, s, p) = (window.height, window.width, window.kernel, window.stride, window.padding)
        let (oh, ow) = (window.outputHeight, window.outputWidth)
        // Windows wholly inside the image horizontally.
        let firstInside = (p + s - 1) / s
        let lastInside = w + p - k >= 0 ? min(ow - 1, (w + p - k) / s) : -1
        withUnsafeTemporaryAllocation(of: Float.self, capacity: w + 32) { buffer in
            let columns = buffer.baseAddress!
            columns.initialize(repeating: 0, count: w + 32)
            for c in 0..<window.channels {
                let plane = image + c * h * w, out = output + c * oh * ow
                for oy in 0..<oh {
                    // The window's rows in the padded image (ys..<ye, for the divisor) and in the image (y0..<y1).
                    let ys = oy * s - p, ye = min(ys + k, h + p)
                    let (y0, y1) = (max(ys, 0), min(ye, h))
                    // columns[x] = the reduction over rows y0..<y1 of plane[y][x]
                    if y0 < y1 { copyRow(plane + y0 * w, to: columns, count: w) } else { columns.update(repeating: 0, count: w) }
                    for y in (y0 + 1)..<max(y0 + 1, y1) {
                        let row = plane + y * w
                        var x = 0
                        while x + 16 <= w {
                            let reduced = Reduction.combine(UnsafeRawPointer(columns + x).loadUnaligned(as: SIMD16<Float>.self),
                                                            UnsafeRawPointer(row + x).loadUnaligned(as: SIMD16<Float>.self))
                            UnsafeMutableRawPointer(columns + x).storeBytes(of: reduced, as: SIMD16<Float>.self)
                            x += 16
                        }
                        while x < w { columns[x] = Reduction.combine(columns[x], row[x]); x += 1 }
                    }
                    let target = out + oy * ow
                    let rows = Float(ye - ys)
                    var vectorRange = 0..<0
                    if s == 2 && k == 3 && lastInside + 1 - firstInside >= 8 {
                        // Eight interior windows at once: columns 2ox, 2ox + 1, 2ox + 2 (the loads reach 16 columns
                        // past the window's start, into the slack); the last eight may overlap the ones before.
                        vectorRange = firstInside..<(lastInside + 1)
                        var ox = firstInside
                        while ox <= lastInside {
                            ox = min(ox, lastInside + 1 - 8)
                            let x0 = ox * 2 - p
                            let pair = UnsafeRawPointer(columns + x0).loadUnaligned(as: SIMD16<Float>.self)
                            let shifted = UnsafeRawPointer(columns + x0 + 2).loadUnaligned(as: SIMD16<Float>.self)
                            let reduced = Reduction.combine(Reduction.combine(pair.evenHalf, pair.oddHalf), shifted.evenHalf)
                            UnsafeMutableRawPointer(target + ox).storeBytes(of: Reduction.finish(reduced, divisor: rows * 3),
                                                                            as: SIMD8<Float>.self)
                            ox += 8
                        }
                    }
                    func windowValue(_ ox: Int) -> Float {
                        let xs = ox * s - p, xe = min(xs + k, w + p)
                        let (x0, x1) = (max(xs, 0), min(xe, w))
                        guard x0 < x1 else { return Reduction.finish(0, divisor: rows * Float(xe - xs)) }
                        var reduced = columns[x0]
                        for x in (x0 + 1)..<x1 { reduced = Reduction.combine(reduced, columns[x]) }
                        return Reduction.finish(reduced, divisor: rows * Float(xe - xs))
                    }
                    for ox in 0..<vectorRange.lowerBound { target[ox] = windowValue(ox) }
                    for ox in max(vectorRange.upperBound, vectorRange.lowerBound)..<ow { target[ox] = windowValue(ox) }
                }
            }
        }
    }

    /// Copies `count` floats, sixteen at a time (a call to memmove costs more than the copy for rows this short).
    @inline(__always)
    static func copyRow(_ source: UnsafePointer<Float>, to target: UnsafeMutablePointer<Float>, count: Int) {
        var x = 0
        while x + 16 <= count {
            UnsafeMutableRawPointer(target + x).storeBytes(of: UnsafeRawPointer(source + x).loadUnaligned(as: SIMD16<Float>.self),
                                                           as: SIMD16<Float>.self)
            x += 16
        }
        while x < count { target[x] = source[x]; x += 1 }
    }

    /// `pointer[0], pointer[stride], …, pointer[7·stride]` as one vector; `readable` is how many numbers may be
    /// read from `pointer` on (a 2-strided read loads 16 and keeps the even ones when there is room).
    @inline(__always)
    static func stridedLoad(_ pointer: UnsafePointer<Float>, stride: Int, readable: Int) -> SIMD8<Float> {
        if stride == 1 { return UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self) }
        if stride == 2 && readable >= 16 { return UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<Float>.self).evenHalf }
        var value = SIMD8<Float>()
        for lane in 0..<8 { value[lane] = pointer[lane * stride] }
        return value
    }

    /// Average pooling of one C×H×W image with Caffe's divisor: the window is clipped to the padded image
    /// (`[−pad, size + pad)`) to count its divisor, then to the image itself to sum. So padding counts as zeros,
    /// but the part of a ceil-mode window that hangs beyond the padding does not. (In floor mode no window hangs
    /// over, so the divisor is always kernel², PyTorch's `count_include_pad=True`.)
    /// Computed separably (`separablePool`): sums down the columns, then along each window's columns.
    static func averagePool(_ image: UnsafePointer<Float>, _ window: Window, output: UnsafeMutablePointer<Float>) {
        separablePool(image, window, output: output, AveragePooling.self)
    }

    /// The adjoint of `averagePool`: each output gradient is spread evenly (÷ the same divisor) over its window.
    /// Separable like the forward: per output row, the shares are first gathered per column (each column gets the
    /// shares of the windows covering it), then that row of column sums is added to each input row of the window,
    /// sixteen columns at a time.
    static func averagePoolBackward(_ outputGradient: UnsafePointer<Float>, _ window: Window,
                                    inputGradient: UnsafeMutablePointer<Float>) {
        let (h, w, k, s, p) = (window.height, window.width, window.kernel, window.stride, window.padding)
        let (oh, ow) = (window.outputHeight, window.outputWidth)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: w) { buffer in
            let columns = buffer.baseAddress!
            for c in 0..<window.channels {
                let plane = inputGradient + c * h * w
                plane.update(repeating: 0, count: h * w)
                let grad = outputGradient + c * oh * ow
                for oy in 0..<oh {
                    let ys = oy * s - p, ye = min(ys + k, h + p)
                    let (y0, y1) = (max(ys, 0), min(ye, h))
                    guard y0 < y1 else { continue }
                    // columns[x] = Σ over the windows ox of this row that cover column x of share(ox)
                    columns.update(repeating: 0, count: w)
                    for ox in 0..<ow {
                        let xs = ox * s - p, xe = min(xs + k, w + p)
                        let share = grad[oy * ow + ox] / Float((ye - ys) * (xe - xs))
                        for x in max(xs, 0)..<min(xe, w) { columns[x] += share }
                    }
                    for y in y0..<y1 {
                        let row = plane + y * w
                        var x = 0
                        while x + 16 <= w {
                            let sum = UnsafeRawPointer(row + x).loadUnaligned(as: SIMD16<Float>.self)
                                + UnsafeRawPointer(columns + x).loadUnaligned(as: SIMD16<Float>.self)
                            UnsafeMutableRawPointer(row + x).storeBytes(of: sum, as: SIMD16<Float>.self)
                            x += 16
                        }
                        while x < w { row[x] += columns[x]; x += 1 }
                    }
                }
            }
        }
    }
}

/// The two matrix-multiply implementations the engine has, for tests and the benchmark to compare.
/// The layers use OpenBLAS (measured faster here, see `MatrixMultiply.swift`).
public enum MatrixBackend: String, Sendable, CaseIterable {
    /// OpenBLAS `cblas_sgemm` (single-threaded; the engine parallelises over the batch).
    case openBLAS
    /// The engine's own register-blocked Swift SIMD kernel.
    case swiftSIMD
}

extension Kernels {
    /// The matrix product `a · b` of two rank-2 tensors (m×k and k×n) with the chosen backend.
    public static func product(_ a: Tensor, _ b: Tensor, backend: MatrixBackend) -> Tensor {
        precondition(a.shape.count == 2 && b.shape.count == 2 && a.shape[1] == b.shape[0], "shapes do not chain")
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var c = Tensor(shape: [m, n])
        a.storage.withUnsafeBufferPointer { x in
        b.storage.withUnsafeBufferPointer { y in
        c.storage.withUnsafeMutableBufferPointer { z in
            guard let x = x.baseAddress, let y = y.baseAddress, let z = z.baseAddress else { return }
            switch backend {
            case .openBLAS:
                multiply(m: m, n: n, k: k, a: x, lda: k, b: y, ldb: n, c: z, ldc: n)
            case .swiftSIMD:
                multiplyBroadcasting(m: m, n: n, k: k, a: x, aRowStride: k, aColumnStride: 1, b: y, ldb: n, c: z, ldc: n,
                                     accumulate: false)
            }
        }}}
        return c
    }
}

/// How a pooling window reduces its values (`Kernels.separablePool`): by their maximum, or by their sum divided
/// at the end by the window's divisor. (Concrete vector types: written generically over `SIMD`, the maximum's
/// masked select was not turned into vector instructions and max pooling ran 15× slower.)
protocol PoolingReduction {
    static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
    static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float>
    static func combine(_ a: Float, _ b: Float) -> Float
    static func finish(_ reduced: SIMD8<Float>, divisor: Float) -> SIMD8<Float>
    static func finish(_ reduced: Float, divisor: Float) -> Float
}

/// The maximum, keeping the first of equal values (a strict `>`, as `Kernels.maxPool` chooses its winner).
enum MaximumPooling: PoolingReduction {
    @inline(__always) static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        a.replacing(with: b, where: b .> a)
    }
    @inline(__always) static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> {
        a.replacing(with: b, where: b .> a)
    }
    @inline(__always) static func combine(_ a: Float, _ b: Float) -> Float { b > a ? b : a }
    @inline(__always) static func finish(_ reduced: SIMD8<Float>, divisor: Float) -> SIMD8<Float> { reduced }
    @inline(__always) static func finish(_ reduced: Float, divisor: Float) -> Float { reduced }
}

/// The mean with Caffe's divisor (the window's area inside the padded image).
enum AveragePooling: PoolingReduction {
    @inline(__always) static func combine(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> { a + b }
    @inline(__always) static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { a + b }
    @inline(__always) static func combine(_ a: Float, _ b: Float) -> Float { a + b }
    @inline(__always) static func finish(_ reduced: SIMD8<Float>, divisor: Float) -> SIMD8<Float> {
        reduced / SIMD8(repeating: divisor)
    }
    @inline(__always) static func finish(_ reduced: Float, divisor: Float) -> Float { reduced / divisor }
}
