import Foundation
import Imaging

/// imagehash `phash(image, hash_size, highfreq_factor)`: shrink the gray image to N×N (N = size·factor, 32 by
/// default) with Lanczos, take the 2-D DCT-II (scipy.fftpack's unnormalised
/// `y[k] = 2 Σₙ x[n] cos(π k (2n+1) / 2N)`, over columns then rows), keep the `size`×`size` lowest
/// frequencies and set a bit where a coefficient exceeds their median.
///
/// Only the kept block is computed, as `C · X · Cᵀ` with C the first `size` rows of the DCT matrix, in double
/// precision: FFTPACK's numbers up to rounding. Where a line of the picture is constant, FFTPACK's AC
/// coefficients are exactly 0 (a flat thumbnail gives DC and 63 zeros, whose median is 0, so imagehash's hash
/// is `8000000000000000`, or 0 for black); so are these (see `lowFrequencyDCT`), which makes flat and striped
/// pictures hash as imagehash does instead of by rounding noise. Other exact ties with the median (chessboards)
/// remain rounding-dependent; the golden file marks them unstable.
public func perceptualHash(_ image: Image, size: Int = 8, highFrequencyFactor: Int = 4) throws -> ImageHash {
    try perceptualHashSteps(gray: image.convertedToGray(), size: size, highFrequencyFactor: highFrequencyFactor).hash
}

/// What pHash computes on its way, for `explain`: the thumbnail, the low-frequency block (row-major, `size`
/// per row), its median and the hash.
public struct PerceptualHashSteps: Sendable {
    public var thumbnail: Image
    public var coefficients: [Double]
    public var median: Double
    public var hash: ImageHash
}

/// pHash of an image already converted to Pillow's gray, with every intermediate kept.
public func perceptualHashSteps(gray: Image, size: Int, highFrequencyFactor: Int = 4) throws -> PerceptualHashSteps {
    guard size >= 2 else { throw HashError("hash size must be at least 2, got \(size)") }
    guard highFrequencyFactor >= 1 else { throw HashError("highfreq_factor must be at least 1") }
    let n = size * highFrequencyFactor
    let thumbnail = gray.resized(width: n, height: n, filter: .lanczos)
    let block = lowFrequencyDCT(thumbnail.samples, n: n, size: size)
    let middle = median(block)
    return PerceptualHashSteps(thumbnail: thumbnail, coefficients: block, median: middle,
                               hash: ImageHash(kind: .phash, bits: block.map { $0 > middle }, gridWidth: size,
                                               gridHeight: size))
}

func perceptualHash(gray: Image, size: Int, highFrequencyFactor: Int) throws -> ImageHash {
    try perceptualHashSteps(gray: gray, size: size, highFrequencyFactor: highFrequencyFactor).hash
}

/// The `size`×`size` lowest frequencies of the 2-D DCT-II of an n×n picture, `B = C · X · Cᵀ`, row-major.
///
/// Every row of C but the first sums to 0 (Σₙ cos(π k (2n+1) / 2N) = 0 for k ≥ 1), so an AC coefficient does not
/// change when a constant is subtracted from the line it transforms. The first pass (down the columns) therefore
/// transforms `X[row] − X[0]` for k ≥ 1 — exact integers — and the second (along the rows) `A[k][col] − A[k][0]`
/// for l ≥ 1: the same numbers in exact arithmetic, and an exact 0 wherever the line is constant, as FFTPACK
/// gives. The DC terms (C's first row is all 2) are sums of integers, exact in any order.
func lowFrequencyDCT(_ pixels: [UInt8], n: Int, size: Int) -> [Double] {
    let values = pixels.map { Double(Int32($0)) }
    var offsets = values  // X[row] − X[0]: row 0 becomes 0
    for row in 0..<n { for column in 0..<n { offsets[row * n + column] = values[row * n + column] - values[column] } }
    let basis = DCTBasis.rows(size, of: n)
    let transposed = DCTBasis.transposedRows(size, of: n)  // [column * size + l]
    if size == 8 && n == 32 { return lowFrequencies8x32(values, offsets, basis: basis, transposed: transposed) }
    // A = C · X (size × n): the column transforms, only the low rows.
    var partial = [Double](repeating: 0, count: size * n)
    for k in 0..<size {
        let source = k == 0 ? values : offsets
        for row in 0..<n {
            let weight = basis[k * n + row]
            for column in 0..<n { partial[k * n + column] += weight * source[row * n + column] }
        }
    }
    // B = A · Cᵀ (size × size): the row transforms, column 0 first.
    var block = [Double](repeating: 0, count: size * size)
    for k in 0..<size {
        let first = partial[k * n]
        for column in 0..<n {
            let value = partial[k * n + column]
            block[k * size] += 2 * value
            for l in 1..<size { block[k * size + l] += (value - first) * transposed[column * size + l] }
        }
    }
    return block
}

/// The default case (8×8 out of 32×32) with the accumulators held in vector registers: the same products
/// added in the same order as the general loops, so the same doubles.
private func lowFrequencies8x32(_ values: [Double], _ offsets: [Double], basis: [Double],
                                transposed: [Double]) -> [Double] {
    var block = [Double](repeating: 0, count: 64)
    values.withUnsafeBufferPointer { xBuffer in
      offsets.withUnsafeBufferPointer { dBuffer in
        basis.withUnsafeBufferPointer { cBuffer in
            transposed.withUnsafeBufferPointer { tBuffer in
                let c = cBuffer.baseAddress!, t = UnsafeRawPointer(tBuffer.baseAddress!)
                for k in 0..<8 {
                    let x = UnsafeRawPointer(k == 0 ? xBuffer.baseAddress! : dBuffer.baseAddress!)
                    var left = SIMD16<Double>(repeating: 0), right = SIMD16<Double>(repeating: 0)
                    for row in 0..<32 {
                        let weight = SIMD16<Double>(repeating: c[k * 32 + row])
                        let source = x + row * 32 * 8
                        left += weight * source.loadUnaligned(as: SIMD16<Double>.self)
                        right += weight * source.loadUnaligned(fromByteOffset: 128, as: SIMD16<Double>.self)
                    }
                    // Lane l ≥ 1 transforms A[k] − A[k][0]; lane 0 (the DC, weight 2) is summed on its own.
                    let first = left[0]
                    var sum = SIMD8<Double>(repeating: 0)
                    var dc = 0.0
                    for column in 0..<16 {
                        dc += 2 * left[column]
                        sum += SIMD8<Double>(repeating: left[column] - first)
                            * t.loadUnaligned(fromByteOffset: column * 64, as: SIMD8<Double>.self)
                    }
                    for column in 0..<16 {
                        dc += 2 * right[column]
                        sum += SIMD8<Double>(repeating: right[column] - first)
                            * t.loadUnaligned(fromByteOffset: (16 + column) * 64, as: SIMD8<Double>.self)
                    }
                    block[k * 8] = dc
                    for l in 1..<8 { block[k * 8 + l] = sum[l] }
                }
            }
        }
      }
    }
    return block
}

/// The first rows of the unnormalised DCT-II matrix, `2 cos(π k (2n+1) / 2N)`.
enum DCTBasis {
    static let standard = compute(8, of: 32)
    static let standardTransposed = transpose(standard, count: 8, n: 32)

    static func rows(_ count: Int, of n: Int) -> [Double] {
        (count == 8 && n == 32) ? standard : compute(count, of: n)
    }

    /// The same matrix stored column-major: element (k, i) at `i * count + k`.
    static func transposedRows(_ count: Int, of n: Int) -> [Double] {
        (count == 8 && n == 32) ? standardTransposed : transpose(compute(count, of: n), count: count, n: n)
    }

    private static func transpose(_ rows: [Double], count: Int, n: Int) -> [Double] {
        var result = [Double](repeating: 0, count: count * n)
        for k in 0..<count { for i in 0..<n { result[i * count + k] = rows[k * n + i] } }
        return result
    }

    private static func compute(_ count: Int, of n: Int) -> [Double] {
        var result = [Double](repeating: 0, count: count * n)
        for k in 0..<count {
            for i in 0..<n {
                result[k * n + i] = 2 * cos(Double.pi * Double(k) * Double(2 * i + 1) / Double(2 * n))
            }
        }
        return result
    }
}
