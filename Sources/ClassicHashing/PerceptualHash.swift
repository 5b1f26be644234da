import Foundation
import Imaging

/// imagehash `phash(image, hash_size, highfreq_factor)`: shrink the gray image to N×N (N = size·factor, 32 by
/// default) with Lanczos, take the 2-D DCT-II (scipy.fftpack's unnormalised
/// `y[k] = 2 Σₙ x[n] cos(π k (2n+1) / 2N)`, over columns then rows), keep the `size`×`size` lowest
/// frequencies and set a bit where a coefficient exceeds their median.
///
/// Only the kept block is computed, as `C · X · Cᵀ` with C the first `size` rows of the DCT matrix, in double
/// precision. That is the same number as FFTPACK's up to rounding; the bits differ only where coefficients tie
/// with the median in exact arithmetic (flat or periodic pictures), which the golden file marks as unstable.
public func perceptualHash(_ image: Image, size: Int = 8, highFrequencyFactor: Int = 4) throws -> ImageHash {
    try perceptualHash(gray: image.convertedToGray(), size: size, highFrequencyFactor: highFrequencyFactor)
}

func perceptualHash(gray: Image, size: Int, highFrequencyFactor: Int) throws -> ImageHash {
    guard size >= 2 else { throw HashError("hash size must be at least 2, got \(size)") }
    guard highFrequencyFactor >= 1 else { throw HashError("highfreq_factor must be at least 1") }
    let n = size * highFrequencyFactor
    let pixels = gray.resized(width: n, height: n, filter: .lanczos).samples
    let basis = DCTBasis.rows(size, of: n)
    // A = C · X  (size × n): the column transforms, only the low rows. B = A · Cᵀ (size × size): the row
    // transforms. Plain loops over unsafe buffers; the sums run in the same order for every image.
    var partial = [Double](repeating: 0, count: size * n)
    var block = [Double](repeating: 0, count: size * size)
    var values = [Double](repeating: 0, count: n * n)
    pixels.withUnsafeBufferPointer { source in
        values.withUnsafeMutableBufferPointer { target in
            for i in 0..<(n * n) { target[i] = Double(Int32(source[i])) }
        }
    }
    let transposed = DCTBasis.transposedRows(size, of: n)  // [column * size + l]
    if size == 8 && n == 32 {
        let block = lowFrequencies8x32(values, basis: basis, transposed: transposed)
        let middle = median(block)
        return ImageHash(kind: .phash, bits: block.map { $0 > middle }, gridWidth: size, gridHeight: size)
    }
    basis.withUnsafeBufferPointer { cBuffer in
      transposed.withUnsafeBufferPointer { tBuffer in
        values.withUnsafeBufferPointer { xBuffer in
            partial.withUnsafeMutableBufferPointer { aBuffer in
                block.withUnsafeMutableBufferPointer { bBuffer in
                    let c = cBuffer.baseAddress!, x = xBuffer.baseAddress!, t = tBuffer.baseAddress!
                    let a = aBuffer.baseAddress!, b = bBuffer.baseAddress!
                    for k in 0..<size {
                        let target = a + k &* n
                        for row in 0..<n {
                            let weight = c[k &* n &+ row]
                            let source = x + row &* n
                            for column in 0..<n { target[column] += weight * source[column] }
                        }
                    }
                    // Same sums, in the same order (column 0 first), with the l loop innermost so it vectorises.
                    for k in 0..<size {
                        let target = b + k &* size
                        for column in 0..<n {
                            let value = a[k &* n &+ column]
                            let weights = t + column &* size
                            for l in 0..<size { target[l] += value * weights[l] }
                        }
                    }
                }
            }
        }
      }
    }
    let middle = median(block)
    return ImageHash(kind: .phash, bits: block.map { $0 > middle }, gridWidth: size, gridHeight: size)
}

/// The default case (8×8 out of 32×32) with the accumulators held in vector registers: the same products
/// added in the same order as the general loops, so the same doubles.
private func lowFrequencies8x32(_ values: [Double], basis: [Double], transposed: [Double]) -> [Double] {
    var block = [Double](repeating: 0, count: 64)
    values.withUnsafeBufferPointer { xBuffer in
        basis.withUnsafeBufferPointer { cBuffer in
            transposed.withUnsafeBufferPointer { tBuffer in
                let x = UnsafeRawPointer(xBuffer.baseAddress!), c = cBuffer.baseAddress!
                let t = UnsafeRawPointer(tBuffer.baseAddress!)
                for k in 0..<8 {
                    var left = SIMD16<Double>(repeating: 0), right = SIMD16<Double>(repeating: 0)
                    for row in 0..<32 {
                        let weight = SIMD16<Double>(repeating: c[k * 32 + row])
                        let source = x + row * 32 * 8
                        left += weight * source.loadUnaligned(as: SIMD16<Double>.self)
                        right += weight * source.loadUnaligned(fromByteOffset: 128, as: SIMD16<Double>.self)
                    }
                    var sum = SIMD8<Double>(repeating: 0)
                    for column in 0..<16 {
                        sum += SIMD8<Double>(repeating: left[column])
                            * t.loadUnaligned(fromByteOffset: column * 64, as: SIMD8<Double>.self)
                    }
                    for column in 0..<16 {
                        sum += SIMD8<Double>(repeating: right[column])
                            * t.loadUnaligned(fromByteOffset: (16 + column) * 64, as: SIMD8<Double>.self)
                    }
                    for l in 0..<8 { block[k * 8 + l] = sum[l] }
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
