import ClassicHashing
import Imaging
import XCTest

/// Single-colour pictures (blank frames) hash as imagehash 4.3.2 hashes them, for every kind. The expected hashes
/// follow from what imagehash computes on a flat picture (each claim below was checked with imagehash 4.3.2,
/// Pillow 13, scipy 1.17.1 on all these sizes and levels, gray and RGB):
/// - the gray picture is flat at the level (for R = G = B = v, L = (19595 v + 38470 v + 7471 v + 32768) >> 16 = v),
///   and so is every Lanczos thumbnail (the weights of a sample sum to 1, so a flat input stays flat);
/// - ahash: no pixel is above the mean (the level), so 64 zeros; dhash: no pixel is brighter than its left
///   neighbour, 64 zeros;
/// - phash: the 32×32 DCT's AC terms are exactly 0 (32 is a length where pocketfft keeps them so, see
///   CosineTransformTests), the DC term 4 · 1024 · level; the median of DC and 63 zeros is 0, so the one bit set
///   is the DC's when the level is above 0: 8000000000000000, or 0 for black;
/// - whash: the picture is scaled to a power of two (up to 8 for small sides), every Haar detail term of a flat
///   picture is 0 and imagehash zeroes the coarsest LL, so the low band is all 0 and none exceeds its median 0;
/// - colorhash: every pixel is black (gray < 32) or else gray (saturation 0 < 85): one share of 1 → value 7 in
///   the black or the gray bin: 38000000000 or 07000000000.
final class FlatImageTests: XCTestCase {
    static let sizes = [(1, 1), (1, 25), (25, 1), (7, 5), (2, 39), (8, 8), (13, 234), (31, 33), (64, 64), (300, 200),
                        (200, 300)]
    static let levels: [UInt8] = [0, 1, 17, 77, 128, 200, 254, 255]

    func testFlatPicturesHashAsImagehash() throws {
        for (width, height) in Self.sizes {
            for level in Self.levels {
                let expected: [HashKind: String] = [
                    .ahash: "0000000000000000", .dhash: "0000000000000000",
                    .phash: level > 0 ? "8000000000000000" : "0000000000000000",
                    .whash: "0000000000000000",
                    .colorhash: level < 32 ? "38000000000" : "07000000000",
                ]
                for channels in [1, 3] {
                    let image = Image(width: width, height: height, channels: channels, fill: level)
                    let computed = try hashes(image, kinds: HashKind.allCases)
                    for (kind, hash) in zip(HashKind.allCases, computed) {
                        XCTAssertEqual(hash.hexString, expected[kind], "\(kind) \(width)×\(height)×\(channels) level \(level)")
                    }
                }
            }
        }
    }

    /// At hash sizes whose thumbnail side 4·size is 2^a·3^b (2, 3, 4, 6, 8, 9, 12, 16, …), pocketfft's AC terms of a
    /// constant line are exactly 0 and the flat picture's pHash is again the DC bit alone.
    func testFlatPerceptualHashIsTheDCBitAtThreeSmoothSizes() throws {
        for size in [2, 3, 4, 6, 8, 9, 12, 16] {
            for level: UInt8 in [1, 128, 255] {
                let hash = try perceptualHash(Image(width: 50, height: 40, channels: 1, fill: level), size: size)
                XCTAssertEqual(hash.bits, [true] + [Bool](repeating: false, count: size * size - 1), "size \(size) level \(level)")
            }
        }
    }

    /// At other sizes the AC terms of a constant line are rounding noise in scipy, the median falls among them and
    /// the noise sets the bits: only scipy's own arithmetic gives imagehash's hash. These four are imagehash's,
    /// from `str(imagehash.phash(Image.new("L", (50, 40), level), hash_size=size))` (imagehash 4.3.2, Pillow 13,
    /// scipy 1.17.1, x86-64); a 3×300 picture gives the same, its thumbnail being as flat.
    func testFlatPerceptualHashAtOtherSizesIsScipysNoise() throws {
        let imagehash: [(size: Int, level: UInt8, hash: String)] = [
            (5, 255, "1000010"), (7, 1, "1000000000000"), (11, 128, "1000000000001100000000000000000"),
            (13, 77, "1111000000000000000000000010110000000001111"),
        ]
        for (size, level, expected) in imagehash {
            for (width, height) in [(50, 40), (3, 300)] {
                let image = Image(width: width, height: height, channels: 1, fill: level)
                XCTAssertEqual(try perceptualHash(image, size: size).hexString, expected, "size \(size) level \(level)")
            }
        }
    }
}
