import Foundation
import Synchronization

/// The resampling filters of Pillow's `Image.resize` (libImaging/Resample.c), with Pillow's names in the comments.
public enum ResampleFilter: String, CaseIterable, Sendable {
    /// `Image.NEAREST`: the source pixel under each target pixel's centre.
    case nearest
    /// `Image.BOX`: the mean of the source pixels a target pixel covers (support 0.5).
    case box
    /// `Image.BILINEAR`: the triangle filter (support 1).
    case bilinear
    /// `Image.HAMMING`: sinc with a Hamming window (support 1).
    case hamming
    /// `Image.BICUBIC`: Keys' cubic with a = −0.5 (support 2).
    case bicubic
    /// `Image.LANCZOS` (formerly `ANTIALIAS`): sinc windowed by sinc(x/3) (support 3). imagehash's filter.
    case lanczos

    /// Half the width of the filter's kernel at scale 1, in source pixels.
    var support: Double {
        switch self {
        case .nearest, .box: return 0.5
        case .bilinear, .hamming: return 1
        case .bicubic: return 2
        case .lanczos: return 3
        }
    }

    /// The filter's kernel, exactly as Resample.c writes it (double precision).
    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest, .box:
            return (x > -0.5 && x <= 0.5) ? 1 : 0
        case .bilinear:
            let t = abs(x)
            return t < 1 ? 1 - t : 0
        case .hamming:
            let t = abs(x)
            if t == 0 { return 1 }
            if t >= 1 { return 0 }
            let p = t * Double.pi
            return sin(p) / p * (Double(Float(0.54)) + Double(Float(0.46)) * cos(p))
        case .bicubic:
            let a = -0.5
            let t = abs(x)
            if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
            if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
            return 0
        case .lanczos:
            return (-3 <= x && x < 3) ? ResampleFilter.sinc(x) * ResampleFilter.sinc(x / 3) : 0
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let p = x * Double.pi
        return sin(p) / p
    }
}

/// The per-output-pixel weights of one resampling pass, as Pillow's `precompute_coeffs` and
/// `normalize_coeffs_8bpc` make them: for output pixel i, source pixels `first[i] ..< first[i] + count[i]`
/// with weights `weights[i * stride + k]`, fixed point with 22 fractional bits.
struct ResampleCoefficients: Sendable {
    static let precisionBits = 22  // Pillow: 32 - 8 - 2

    private struct Key: Hashable { var inSize: Int; var outSize: Int; var filter: ResampleFilter }
    private static let cache = Mutex<[Key: ResampleCoefficients]>([:])

    /// The coefficients for this resize, computed once per (sizes, filter) and kept (at most a few hundred
    /// sets: hashing asks for the same few sizes again and again, and the sines are the costly part for small
    /// images).
    static func cached(inSize: Int, outSize: Int, filter: ResampleFilter) -> ResampleCoefficients {
        let key = Key(inSize: inSize, outSize: outSize, filter: filter)
        if let found = cache.withLock({ $0[key] }) { return found }
        let made = ResampleCoefficients(inSize: inSize, outSize: outSize, filter: filter)
        cache.withLock { table in
            if table.count > 512 { table.removeAll() }
            table[key] = made
        }
        return made
    }

    var first: [Int]
    var count: [Int]
    var stride: Int
    var weights: [Int32]

    /// Pillow's precompute_coeffs for the whole source range (box = 0 ..< inSize):
    /// the kernel is stretched by the down-scaling factor (antialiasing), each output pixel's weights are
    /// normalised to sum to 1 in double precision, then rounded half away from zero to 22-bit fixed point.
    init(inSize: Int, outSize: Int, filter: ResampleFilter) {
        let scale = Double(Float(inSize)) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        stride = kernelSize
        first = [Int](repeating: 0, count: outSize)
        count = [Int](repeating: 0, count: outSize)
        weights = [Int32](repeating: 0, count: outSize * kernelSize)
        var row = [Double](repeating: 0, count: kernelSize)
        let inverseScale = 1.0 / filterScale
        let one = Double(1 << ResampleCoefficients.precisionBits)
        for output in 0..<outSize {
            let center = (Double(output) + 0.5) * scale
            var total = 0.0
            let low = max(0, Int(center - support + 0.5))
            let high = min(inSize, Int(center + support + 0.5))
            let n = max(0, high - low)
            for k in 0..<n {
                let w = filter.weight((Double(k + low) - center + 0.5) * inverseScale)
                row[k] = w
                total += w
            }
            for k in 0..<n {
                let w = total != 0 ? row[k] / total : row[k]
                weights[output * kernelSize + k] = Int32(w < 0 ? -0.5 + w * one : 0.5 + w * one)
            }
            first[output] = low
            count[output] = n
        }
    }
}

extension Image {
    /// The image resized as Pillow's `Image.resize((width, height), filter)` does it, bit for bit.
    ///
    /// Pillow's method (Resample.c): a separable convolution, one pass per axis whose size changes, in the order
    /// Pillow 13 picks (see `convolved`), the horizontal pass computing only the source rows that a later vertical
    /// pass reads; each pass uses 22-bit fixed-point weights, adds 2²¹ for
    /// rounding and clips to 0…255. When shrinking, the kernel widens by the scale factor, so every source pixel
    /// contributes (antialiasing). A pass whose size does not change is skipped. Images with alpha are
    /// premultiplied first and divided back afterwards, as Pillow does through its "La"/"RGBa" modes.
    /// `.nearest` follows Pillow's affine nearest-neighbour sampling of pixel centres.
    public func resized(width newWidth: Int, height newHeight: Int, filter: ResampleFilter = .lanczos) -> Image {
        precondition(newWidth > 0 && newHeight > 0, "resize to an empty image")
        if newWidth == width && newHeight == height { return self }
        if filter == .nearest { return nearestResized(width: newWidth, height: newHeight) }
        if hasAlpha {
            return premultiplied().convolved(width: newWidth, height: newHeight, filter: filter).unpremultiplied()
        }
        return convolved(width: newWidth, height: newHeight, filter: filter)
    }

    private func convolved(width newWidth: Int, height newHeight: Int, filter: ResampleFilter) -> Image {
        let vertical = ResampleCoefficients.cached(inSize: height, outSize: newHeight, filter: filter)
        if newWidth == width { return verticalPass(to: newHeight, with: vertical, rowOffset: 0) }
        let horizontal = ResampleCoefficients.cached(inSize: width, outSize: newWidth, filter: filter)
        // When both axes change, the 8-bit intermediate image is rounded and clipped, so the order of the passes
        // shows in the result (±1 in some samples). Pillow 13 (ImagingResampleInner) runs the vertical pass first
        // when the height shrinks by more than twice as many pixels as the width does — it makes the horizontal
        // pass cheaper — and the horizontal pass first otherwise.
        let heightShrink = height - newHeight, widthShrink = width - newWidth
        if newHeight != height && heightShrink > 0 && heightShrink > widthShrink * 2 {
            // Vertical first: every column of the source, then the new rows horizontally.
            return verticalPass(to: newHeight, with: vertical, rowOffset: 0)
                .horizontalPass(rows: 0..<newHeight, to: newWidth, with: horizontal)
        }
        if channels == 1 && horizontal.stride < 64 {
            return columnwiseConvolved(width: newWidth, height: newHeight, horizontal: horizontal, vertical: vertical)
        }
        if newHeight == height { return horizontalPass(rows: 0..<height, to: newWidth, with: horizontal) }
        // Horizontal first, over only the source rows that the vertical pass reads.
        let rowsFrom = vertical.first[0]
        let rowsTo = vertical.first[newHeight - 1] + vertical.count[newHeight - 1]
        return horizontalPass(rows: rowsFrom..<rowsTo, to: newWidth, with: horizontal)
            .verticalPass(to: newHeight, with: vertical, rowOffset: rowsFrom)
    }

    /// The horizontal-first passes for a gray image whose horizontal kernel is short (small images): the needed rows are
    /// transposed so that the horizontal pass runs down whole columns at once (vectorised over rows instead of a
    /// short dot product per pixel), and the vertical pass reads the column-major result. Integer sums are
    /// order-independent, so every byte equals the row-wise computation's (and Pillow's).
    private func columnwiseConvolved(width newWidth: Int, height newHeight: Int,
                                     horizontal: ResampleCoefficients, vertical: ResampleCoefficients) -> Image {
        let resizeVertically = newHeight != height
        let rowsFrom = resizeVertically ? vertical.first[0] : 0
        let rowsTo = resizeVertically ? vertical.first[newHeight - 1] + vertical.count[newHeight - 1] : height
        let rowCount = rowsTo - rowsFrom
        let half = Int32(1 << (ResampleCoefficients.precisionBits - 1))
        let bits = Int32(ResampleCoefficients.precisionBits)
        var columns = [Int32](repeating: 0, count: width * rowCount)   // columns[x * rowCount + r]
        var passed = [UInt8](repeating: 0, count: newWidth * rowCount) // passed[xo * rowCount + r]
        var sums = [Int32](repeating: 0, count: rowCount)
        var out = [UInt8](repeating: 0, count: newWidth * newHeight)
        samples.withUnsafeBufferPointer { sourceBuffer in
            columns.withUnsafeMutableBufferPointer { columnBuffer in
                passed.withUnsafeMutableBufferPointer { passedBuffer in
                    sums.withUnsafeMutableBufferPointer { sumBuffer in
                        horizontal.weights.withUnsafeBufferPointer { weightBuffer in
                            let source = sourceBuffer.baseAddress!, column = columnBuffer.baseAddress!
                            let middle = passedBuffer.baseAddress!, sum = sumBuffer.baseAddress!
                            let weights = weightBuffer.baseAddress!
                            for r in 0..<rowCount {
                                let row = source + (rowsFrom + r) * width
                                for x in 0..<width { column[x &* rowCount &+ r] = Int32(row[x]) }
                            }
                            for xo in 0..<newWidth {
                                for r in 0..<rowCount { sum[r] = half }
                                let first = horizontal.first[xo]
                                for i in 0..<horizontal.count[xo] {
                                    let w = weights[xo &* horizontal.stride &+ i]
                                    let tap = column + (first &+ i) &* rowCount
                                    for r in 0..<rowCount { sum[r] = sum[r] &+ tap[r] &* w }
                                }
                                let target = middle + xo &* rowCount
                                for r in 0..<rowCount { target[r] = Image.clip8(sum[r], bits) }
                            }
                        }
                    }
                }
            }
        }
        if !resizeVertically {
            for y in 0..<height { for x in 0..<newWidth { out[y * newWidth + x] = passed[x * rowCount + y] } }
            return Image(width: newWidth, height: height, channels: 1, samples: out)
        }
        passed.withUnsafeBufferPointer { passedBuffer in
            vertical.weights.withUnsafeBufferPointer { weightBuffer in
                out.withUnsafeMutableBufferPointer { outBuffer in
                    let middle = passedBuffer.baseAddress!, weights = weightBuffer.baseAddress!
                    let target = outBuffer.baseAddress!
                    for y in 0..<newHeight {
                        let first = vertical.first[y] - rowsFrom, n = vertical.count[y]
                        let k = weights + y &* vertical.stride
                        for x in 0..<newWidth {
                            let column = middle + (x &* rowCount &+ first)
                            var total = half
                            for j in 0..<n { total = total &+ Int32(column[j]) &* k[j] }
                            target[y &* newWidth &+ x] = Image.clip8(total, bits)
                        }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: 1, samples: out)
    }

    private func horizontalPass(rows: Range<Int>, to newWidth: Int, with coefficients: ResampleCoefficients) -> Image {
        let c = channels
        var out = [UInt8](repeating: 0, count: newWidth * rows.count * c)
        let half = Int32(1 << (ResampleCoefficients.precisionBits - 1))
        let bits = Int32(ResampleCoefficients.precisionBits)
        samples.withUnsafeBufferPointer { sourceBuffer in
            coefficients.weights.withUnsafeBufferPointer { weightBuffer in
                out.withUnsafeMutableBufferPointer { outBuffer in
                    let source = sourceBuffer.baseAddress!, weights = weightBuffer.baseAddress!
                    let target = outBuffer.baseAddress!
                    for (row, y) in rows.enumerated() {
                        let sourceRow = source + y * width * c
                        let targetRow = target + row * newWidth * c
                        for x in 0..<newWidth {
                            let k = weights + x * coefficients.stride
                            let n = coefficients.count[x]
                            let start = sourceRow + coefficients.first[x] * c
                            if c == 1 {
                                var sum = half
                                for i in 0..<n { sum = sum &+ Int32(start[i]) &* k[i] }
                                targetRow[x] = Image.clip8(sum, bits)
                            } else {
                                for channel in 0..<c {
                                    var sum = half
                                    for i in 0..<n { sum = sum &+ Int32(start[i * c + channel]) &* k[i] }
                                    targetRow[x * c + channel] = Image.clip8(sum, bits)
                                }
                            }
                        }
                    }
                }
            }
        }
        return Image(width: newWidth, height: rows.count, channels: c, samples: out)
    }

    private func verticalPass(to newHeight: Int, with coefficients: ResampleCoefficients, rowOffset: Int) -> Image {
        let rowLength = width * channels
        var out = [UInt8](repeating: 0, count: rowLength * newHeight)
        var sums = [Int32](repeating: 0, count: rowLength)
        let half = Int32(1 << (ResampleCoefficients.precisionBits - 1))
        let bits = Int32(ResampleCoefficients.precisionBits)
        samples.withUnsafeBufferPointer { sourceBuffer in
            out.withUnsafeMutableBufferPointer { outBuffer in
                sums.withUnsafeMutableBufferPointer { sumBuffer in
                    let source = sourceBuffer.baseAddress!, target = outBuffer.baseAddress!
                    let sum = sumBuffer.baseAddress!
                    for y in 0..<newHeight {
                        for i in 0..<rowLength { sum[i] = half }
                        let first = coefficients.first[y] - rowOffset
                        for k in 0..<coefficients.count[y] {
                            let w = coefficients.weights[y * coefficients.stride + k]
                            let sourceRow = source + (first + k) * rowLength
                            for i in 0..<rowLength { sum[i] = sum[i] &+ Int32(sourceRow[i]) &* w }
                        }
                        let targetRow = target + y * rowLength
                        for i in 0..<rowLength { targetRow[i] = Image.clip8(sum[i], bits) }
                    }
                }
            }
        }
        return Image(width: width, height: newHeight, channels: channels, samples: out)
    }

    @inline(__always)
    static func clip8(_ value: Int32, _ bits: Int32) -> UInt8 {
        if value >= ((Int32(1) << bits) << 8) { return 255 }
        if value <= 0 { return 0 }
        return UInt8(truncatingIfNeeded: value >> bits)
    }

    /// Pillow's ImagingScaleAffine with nearest sampling: source x = ⌊(x + ½)·scale⌋, accumulated in double.
    private func nearestResized(width newWidth: Int, height newHeight: Int) -> Image {
        func table(_ inSize: Int, _ outSize: Int) -> [Int] {
            let step = Double(inSize) / Double(outSize)
            var position = step * 0.5
            var result = [Int](repeating: 0, count: outSize)
            for i in 0..<outSize {
                result[i] = min(inSize - 1, max(0, Int(position)))
                position += step
            }
            return result
        }
        let xs = table(width, newWidth), ys = table(height, newHeight)
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * channels)
        for y in 0..<newHeight {
            for x in 0..<newWidth {
                let s = (ys[y] * width + xs[x]) * channels, t = (y * newWidth + x) * channels
                for c in 0..<channels { out[t + c] = samples[s + c] }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, samples: out)
    }

    /// Pillow's "RGBA" → "RGBa" (and "LA" → "La"): colour × alpha / 255 with MULDIV255 rounding.
    func premultiplied() -> Image {
        var copy = self
        let colorChannels = channels - 1
        for p in 0..<(width * height) {
            let base = p * channels
            let alpha = UInt32(samples[base + colorChannels])
            for c in 0..<colorChannels {
                let t = UInt32(samples[base + c]) * alpha + 128
                copy.samples[base + c] = UInt8(((t >> 8) + t) >> 8)
            }
        }
        return copy
    }

    /// Pillow's "RGBa" → "RGBA": colour × 255 / alpha, truncated and clipped; alpha 0 and 255 keep colour.
    func unpremultiplied() -> Image {
        var copy = self
        let colorChannels = channels - 1
        for p in 0..<(width * height) {
            let base = p * channels
            let alpha = Int(samples[base + colorChannels])
            if alpha == 0 || alpha == 255 { continue }
            for c in 0..<colorChannels {
                copy.samples[base + c] = UInt8(min(255, 255 * Int(samples[base + c]) / alpha))
            }
        }
        return copy
    }
}
