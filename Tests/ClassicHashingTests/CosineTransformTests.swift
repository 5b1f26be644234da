import ClassicHashing
import Foundation
import Imaging
import XCTest

/// `discreteCosineTransform` (scipy.fftpack's `dct`, pocketfft's arithmetic ported) against what can be known
/// without scipy: the direct sum in extended precision (to a few ulps), and properties its arithmetic keeps
/// exactly, bit for bit. pHash's 2-D block is checked against the 1-D transform run over columns, then rows.
final class CosineTransformTests: XCTestCase {
    /// A fixed pseudo-random stream (64-bit LCG, top bits).
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func byte() -> Double { Double(next() % 256) }
        /// A double in ±[0.5, 1) · 2^(−8…8): varied magnitudes and all 53 bits used.
        mutating func double() -> Double {
            let unit = Double(next() >> 0) / Double(1 << 53) * 0.5 + 0.5
            let scale = Double(sign: .plus, exponent: Int(next() % 17) - 8, significand: 1)
            return (next() & 1 == 0 ? 1 : -1) * unit * scale
        }
    }

    static let lengths = Array(2...64) + [72, 90, 96, 100, 121, 128, 150, 169, 189, 256]

    #if arch(x86_64)
    /// Against `y[k] = 2 Σₙ x[n] cos(π k (2n+1) / 2N)` summed in 80-bit long double, with the angle reduced
    /// exactly (k (2n+1) mod 4N) before the cosine: the port is the DCT, to within a few ulps of the line's scale
    /// 2 Σ|x| (pocketfft's error grows like log N).
    func testAgreesWithTheDirectSumInExtendedPrecision() {
        var stream = Stream(state: 0x5eed)
        var worst = 0.0, worstLength = 0
        for n in Self.lengths {
            for trial in 0..<12 {
                let x = (0..<n).map { _ in trial % 2 == 0 ? stream.byte() : stream.double() }
                let y = discreteCosineTransform(x)
                let scale = 2 * x.reduce(0) { $0 + abs($1) }
                for k in 0..<n {
                    var exact: Float80 = 0
                    for i in 0..<n {
                        let turns = (k * (2 * i + 1)) % (4 * n)  // the angle is π · turns / 2N
                        exact += Float80(x[i]) * 2 * cos(Float80.pi * Float80(turns) / Float80(2 * n))
                    }
                    let error = abs(Float80(y[k]) - exact)
                    let ulps = Double(error / Float80(scale.ulp))
                    if ulps > worst { worst = ulps; worstLength = n }
                    let bound = 2 * Double(Int.bitWidth - n.leadingZeroBitCount)  // 2 ⌈log₂ N⌉ + 2
                    if ulps > bound {
                        XCTFail("n \(n) trial \(trial) k \(k): \(y[k]) vs \(exact), \(ulps) ulps of the scale")
                        return
                    }
                }
            }
        }
        print("DCT vs direct long-double sum: worst \(worst) ulps of 2Σ|x| (n = \(worstLength))")
    }
    #endif

    /// Exact, bit for bit. DC: y[0] = 2 Σ x, a sum of integers (exact in any order); pocketfft's DC only ever adds
    /// and doubles, so on integer lines it is exactly 2 Σ x. Sign and scale: every step is an addition or a
    /// multiplication by a constant, and rounding to nearest commutes with negation and with scaling by a power
    /// of two (away from overflow and underflow), so dct(−x) = −dct(x) and dct(8x) = 8 dct(x) to the bit.
    func testExactProperties() {
        var stream = Stream(state: 42)
        for n in 1...190 {
            for trial in 0..<6 {
                let integers = (0..<n).map { _ in stream.byte() }
                XCTAssertEqual(discreteCosineTransform(integers)[0], 2 * integers.reduce(0, +), "DC, n \(n)")
                let x = trial % 2 == 0 ? integers : (0..<n).map { _ in stream.double() }
                let y = discreteCosineTransform(x)
                XCTAssertEqual(discreteCosineTransform(x.map { -$0 }).map(\.bitPattern), y.map { (-$0).bitPattern },
                               "negation, n \(n)")
                XCTAssertEqual(discreteCosineTransform(x.map { 8 * $0 }).map(\.bitPattern),
                               y.map { (8 * $0).bitPattern }, "scaling, n \(n)")
            }
        }
    }

    /// A constant line's AC terms are 0 in exact arithmetic. In pocketfft's arithmetic they come out exactly 0
    /// for lengths 2^a·3^b only — scipy 1.17.1 checked on every level 0…255 at every length 2…256 gives exactly
    /// the lengths 2, 3, 4, 6, 8, 9, 12, … 243, 256; at the others they are rounding noise (see the flat-image
    /// hashes at hash sizes 5, 7, 11, 13 in FlatImageTests). pHash's default length, 32, is one of them.
    func testConstantLinesHaveExactlyZeroACTermsAtThreeSmoothLengths() {
        for n in 2...256 {
            var m = n
            while m % 2 == 0 { m /= 2 }
            while m % 3 == 0 { m /= 3 }
            guard m == 1 else { continue }
            for level in 0...255 {
                let y = discreteCosineTransform([Double](repeating: Double(level), count: n))
                XCTAssertEqual(y[0], Double(2 * n * level))
                XCTAssertTrue(y.dropFirst().allSatisfy { $0 == 0 }, "n \(n) level \(level): \(y.prefix(4))")
            }
        }
    }

    /// Where exact arithmetic gives 0 but scipy gives rounding noise, the noise itself, bit for bit. The line
    /// x[i] = i/7 (i < 32) is a constant plus an odd-symmetric part, so its even terms y[2], y[4], … vanish in
    /// exact arithmetic; these are scipy's doubles, printed by
    /// `[float(v).hex() for v in scipy.fftpack.dct(numpy.arange(32) / 7.0)[0:10:2]]` (scipy 1.17.1, numpy 2.4.6,
    /// x86-64). This is the kind of number pHash's median falls among on 2-pixel-wide crops.
    func testRoundingNoiseIsScipys() {
        let y = discreteCosineTransform((0..<32).map { Double($0) / 7 })
        let scipy: [Double] = [0x1.1b6db6db6db6ep+7, -0x1.b586ead45a644p-57, 0x1.cd84af7e8fa4ap-49,
                               -0x1.e4d02a30129e4p-55, -0x1.a05c0d11993f8p-51]
        XCTAssertEqual(stride(from: 0, to: 10, by: 2).map { y[$0].bitPattern }, scipy.map(\.bitPattern),
                       "\(stride(from: 0, to: 10, by: 2).map { y[$0] })")
    }

    /// pHash's block is the 1-D transform down every column, then along the first rows (scipy's
    /// `dct(dct(x, axis=0), axis=1)`), bit for bit, at hash sizes 8 and 5 (n = 32, 20).
    func testPerceptualBlockIsColumnsThenRows() throws {
        var stream = Stream(state: 7)
        for size in [8, 5] {
            let n = 4 * size
            for trial in 0..<4 {
                // Random pixels, and (odd trials) rows mirrored left to right, as in thin crops' thumbnails.
                var pixels = (0..<(n * n)).map { _ in UInt8(stream.next() % 256) }
                if trial % 2 == 1 {
                    for row in 0..<n { for column in 0..<(n / 2) { pixels[row * n + n - 1 - column] = pixels[row * n + column] } }
                }
                let image = Image(width: n, height: n, channels: 1, samples: pixels)
                let steps = try perceptualHashSteps(gray: image, size: size)
                XCTAssertEqual(steps.thumbnail.samples, pixels, "an n×n picture is its own thumbnail")
                var columns = [[Double]](repeating: [], count: n)
                for column in 0..<n { columns[column] = discreteCosineTransform((0..<n).map { Double(pixels[$0 * n + column]) }) }
                var expected: [Double] = []
                for k in 0..<size {
                    expected += discreteCosineTransform((0..<n).map { columns[$0][k] }).prefix(size)
                }
                XCTAssertEqual(steps.coefficients.map(\.bitPattern), expected.map(\.bitPattern), "size \(size) trial \(trial)")
            }
        }
    }
}
