import XCTest
import Imaging

/// The picture catalogue: reproducible per seed, different across seeds and kinds, and with enough structure that
/// perceptual hashes have something to look at.
final class SyntheticPictureTests: XCTestCase {
    func testSameSeedGivesSameBytes() {
        for kind in SyntheticPicture.Kind.allCases {
            let a = SyntheticPicture.make(kind, size: 64, seed: 7)
            let b = SyntheticPicture.make(kind, size: 64, seed: 7)
            XCTAssertEqual(a, b, "\(kind)")
            XCTAssertEqual(a.width, 64)
            XCTAssertEqual(a.height, 64)
            XCTAssertEqual(a.channels, 3)
        }
    }

    func testSeedsAndKindsDiffer() {
        var seen: [[UInt8]] = []
        for kind in SyntheticPicture.Kind.allCases {
            for seed: UInt64 in [1, 2, 3] {
                let picture = SyntheticPicture.make(kind, size: 48, seed: seed)
                XCTAssertFalse(seen.contains(picture.samples), "\(kind) seed \(seed) repeats an earlier picture")
                seen.append(picture.samples)
            }
        }
    }

    func testRectangularSize() {
        let picture = SyntheticPicture.make(.scene, width: 80, height: 40, seed: 1)
        XCTAssertEqual(picture.width, 80)
        XCTAssertEqual(picture.height, 40)
        XCTAssertEqual(picture.samples.count, 80 * 40 * 3)
    }

    func testKindsParseFromTheirNames() {
        XCTAssertEqual(SyntheticPicture.Kind(rawValue: "scene"), .scene)
        XCTAssertEqual(SyntheticPicture.Kind.allCases.map(\.rawValue),
                       ["shapes", "gradient", "stripes", "checker", "noise", "dots", "scene"])
        for kind in SyntheticPicture.Kind.allCases { XCTAssertFalse(kind.summary.isEmpty) }
    }

    /// Not flat: a spread of gray levels, many distinct values, and an 8×8 mean-threshold hash (an average hash
    /// computed here by block means) that is neither all ones nor all zeros and differs between seeds.
    func testPicturesHaveStructureForHashes() {
        for kind in SyntheticPicture.Kind.allCases {
            var hashes: [[Bool]] = []
            for seed: UInt64 in 1...4 {
                let picture = SyntheticPicture.make(kind, size: 128, seed: seed)
                let gray = (0..<(128 * 128)).map { i -> Double in
                    let s = picture.samples
                    return (299 * Double(s[3 * i]) + 587 * Double(s[3 * i + 1]) + 114 * Double(s[3 * i + 2])) / 1000
                }
                let mean = gray.reduce(0, +) / Double(gray.count)
                let deviation = (gray.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gray.count)).squareRoot()
                XCTAssertGreaterThan(deviation, 8, "\(kind) seed \(seed) is nearly flat")
                XCTAssertGreaterThan(Set(gray.map { Int($0) }).count, 40, "\(kind) seed \(seed) has few gray levels")
                var blocks = [Double](repeating: 0, count: 64)
                for y in 0..<128 { for x in 0..<128 { blocks[(y / 16) * 8 + x / 16] += gray[y * 128 + x] / 256 } }
                let blockMean = blocks.reduce(0, +) / 64
                let bits = blocks.map { $0 > blockMean }
                let ones = bits.filter { $0 }.count
                XCTAssertTrue((6...58).contains(ones), "\(kind) seed \(seed): \(ones) of 64 bits set")
                hashes.append(bits)
            }
            for i in 0..<hashes.count {
                for j in (i + 1)..<hashes.count {
                    let distance = zip(hashes[i], hashes[j]).filter { $0 != $1 }.count
                    // Landscapes share their layout (bright sky over dark hills), as photos of them do: for scenes
                    // only identical hashes are a failure.
                    XCTAssertGreaterThan(distance, kind == .scene ? 0 : 4,
                                         "\(kind): seeds \(i + 1) and \(j + 1) hash almost alike")
                }
            }
        }
    }

    /// The same seed at two sizes draws the same composition: the small picture is close to a box-downscaled large one.
    func testCompositionScalesWithSize() {
        let large = SyntheticPicture.make(.shapes, size: 128, seed: 5)
        let small = SyntheticPicture.make(.shapes, size: 32, seed: 5)
        var total = 0.0
        for y in 0..<32 {
            for x in 0..<32 {
                for c in 0..<3 {
                    var sum = 0.0
                    for dy in 0..<4 { for dx in 0..<4 { sum += Double(large[4 * x + dx, 4 * y + dy, c]) } }
                    total += abs(sum / 16 - Double(small[x, y, c]))
                }
            }
        }
        let meanError = total / Double(32 * 32 * 3)
        XCTAssertLessThan(meanError, 20, "mean absolute difference \(meanError)")
    }
}
