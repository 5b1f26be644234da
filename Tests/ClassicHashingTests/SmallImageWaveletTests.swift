import ClassicHashing
import Imaging
import XCTest

/// whash on pictures with a side under the hash size (thumbnails, 1-pixel lines), which imagehash scales up
/// instead of refusing: image_scale = max(2^⌊log₂ min side⌋, hash_size).
///
/// The expected bits follow from imagehash's `whash` on such a picture: image_scale is the hash size N, so
/// `ll_max_level = level = log₂ N` and `dwt_level = 0`; the picture is Lanczos-resized to N×N and divided by 255,
/// `remove_max_haar_ll` takes a full Haar decomposition, zeroes its one coarsest LL coefficient (the mean, scaled)
/// and reconstructs — the thumbnail minus its mean — and a decomposition of 0 levels leaves that as it is. A bit is
/// set where (pixel − mean)/255 exceeds the median of those values, that is where the pixel exceeds the median
/// pixel. That holds exactly unless a pixel ties with the median (then rounding decides): the cases here are
/// chosen without ties, and the test checks that they are.
final class SmallImageWaveletTests: XCTestCase {
    private func noise(width: Int, height: Int, seed: UInt64) -> Image {
        var state = seed
        return Image(width: width, height: height, channels: 1, samples: (0..<(width * height)).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 57) &* 2  // 0…254, coarse, so that sizes differ
        })
    }

    func testPicturesSmallerThanTheHashAreScaledUpAsImagehashDoes() throws {
        var checked = 0
        for (index, (width, height)) in [(1, 25), (25, 1), (7, 5), (5, 7), (1, 300), (300, 1), (3, 3), (2, 39), (6, 6)]
            .enumerated() {
            for seed in 0..<6 {
                let image = noise(width: width, height: height, seed: UInt64(index * 10 + seed + 1))
                let thumbnail = image.resized(width: 8, height: 8, filter: .lanczos).samples.map(Int.init)
                let sorted = thumbnail.sorted()
                let (low, high) = (sorted[31], sorted[32])  // the median is their mean
                guard low != high, !thumbnail.contains(where: { 2 * $0 == low + high }) else { continue }
                let expected = thumbnail.map { 2 * $0 > low + high }
                let hash = try waveletHash(image, size: 8)
                XCTAssertEqual(hash.bits, expected, "\(width)×\(height) seed \(seed)")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 30, "enough pictures without a tie at the median")
        // A 1×1 picture is flat once scaled: no detail at all, so no bit (see FlatImageTests).
        XCTAssertEqual(try waveletHash(Image(width: 1, height: 1, channels: 1, fill: 200), size: 8).hexString,
                       "0000000000000000")
        // A larger hash size scales a small picture up to that size.
        XCTAssertEqual(try waveletHash(noise(width: 7, height: 5, seed: 3), size: 16).bits.count, 256)
    }
}
