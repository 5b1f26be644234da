import Foundation
import Imaging

/// imagehash `phash(image, hash_size, highfreq_factor)`: shrink the gray image to N×N (N = size·factor, 32 by
/// default) with Lanczos, take the 2-D DCT-II (scipy.fftpack's unnormalised
/// `y[k] = 2 Σₙ x[n] cos(π k (2n+1) / 2N)`, over columns then rows), keep the `size`×`size` lowest
/// frequencies and set a bit where a coefficient exceeds their median.
///
/// The transform is scipy's own algorithm, ported operation by operation (PocketFFT.swift), so the coefficients
/// are scipy's doubles, rounding included. That matters wherever coefficients are 0 in exact arithmetic: a flat
/// thumbnail gives DC and 63 exact zeros (median 0, hash `8000000000000000`, or 0 for black), but a thumbnail
/// with mirror-symmetric rows gives ±1e-13 noise where its odd-symmetric terms vanish, and when the median
/// falls among them, that noise sets the bits. Chessboards' ties come out as imagehash's too.
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

/// The `size`×`size` lowest frequencies of scipy's `dct(dct(X, axis=0), axis=1)` of an n×n picture, row-major:
/// every column transformed (only its first `size` outputs kept), then the first `size` rows, each by
/// `DCT2Plan` — pocketfft's arithmetic, so the very doubles imagehash thresholds (see PocketFFT.swift).
/// Eight lines go through the transform at once, one per SIMD lane (a last, partial group padded with zeros).
func lowFrequencyDCT(_ pixels: [UInt8], n: Int, size: Int) -> [Double] {
    typealias Lanes = SIMD8<Double>
    let plan = n == DCT2Plan.standard.length ? DCT2Plan.standard : DCT2Plan(length: n)
    var block = [Double](repeating: 0, count: size * size)
    withUnsafeTemporaryAllocation(of: Double.self, capacity: size * n) { memory in
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 2 * n) { wide in
            let columns = memory.baseAddress!  // [k * n + column]: the first `size` rows of dct(X, axis=0)
            let lines = wide.baseAddress!, scratch = lines + n
            pixels.withUnsafeBufferPointer { pixels in
                for first in stride(from: 0, to: n, by: 8) {  // columns first ..< first + 8, lane j is column first + j
                    let count = min(8, n - first)
                    for row in 0..<n {
                        var values = Lanes()
                        for j in 0..<count { values[j] = Double(pixels[row * n + first + j]) }
                        lines[row] = values
                    }
                    plan.transform(lines, scratch: scratch)
                    for k in 0..<size { for j in 0..<count { columns[k * n + first + j] = lines[k][j] } }
                }
            }
            for first in stride(from: 0, to: size, by: 8) {  // rows first ..< first + 8, lane j is row first + j
                let count = min(8, size - first)
                for column in 0..<n {
                    var values = Lanes()
                    for j in 0..<count { values[j] = columns[(first + j) * n + column] }
                    lines[column] = values
                }
                plan.transform(lines, scratch: scratch)
                for j in 0..<count { for l in 0..<size { block[(first + j) * size + l] = lines[l][j] } }
            }
        }
    }
    return block
}
