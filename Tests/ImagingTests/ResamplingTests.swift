import Foundation
import Imaging
import Seeding
import XCTest

/// Pillow's resampling, checked against independent arithmetic (the bit-exact check against Pillow itself is
/// the golden hash test in ClassicHashingTests, which runs every hash through Lanczos).
final class ResamplingTests: XCTestCase {
    func randomImage(_ width: Int, _ height: Int, channels: Int, seed: UInt64) -> Image {
        var generator = SeededGenerator(seed: seed)
        return Image(width: width, height: height, channels: channels,
                     samples: (0..<(width * height * channels)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
    }

    func testSameSizeIsTheImageItself() {
        let image = randomImage(13, 7, channels: 3, seed: 1)
        for filter in ResampleFilter.allCases {
            XCTAssertEqual(image.resized(width: 13, height: 7, filter: filter), image)
        }
    }

    func testConstantImagesStayConstantWithEveryFilter() {
        for filter in ResampleFilter.allCases {
            for (w, h) in [(5, 3), (64, 64), (8, 9), (100, 1)] {
                let image = Image(width: 37, height: 23, channels: 1, fill: 200)
                let out = image.resized(width: w, height: h, filter: filter)
                XCTAssertEqual(out.width, w)
                XCTAssertEqual(Set(out.samples), [200], "\(filter) \(w)×\(h)")
            }
        }
    }

    func testBoxHalvingIsTheRoundedMeanOfEachPairTwice() {
        // Box at scale 2 gives each of two pixels weight ½; Pillow rounds after each pass: ⌊(a + b + 1) / 2⌋.
        let image = randomImage(16, 10, channels: 1, seed: 2)
        let out = image.resized(width: 8, height: 5, filter: .box)
        func half(_ a: Int, _ b: Int) -> Int { (a + b + 1) / 2 }
        for y in 0..<5 {
            for x in 0..<8 {
                let p = { (xx: Int, yy: Int) in Int(image[xx, yy, 0]) }
                let top = half(p(2 * x, 2 * y), p(2 * x + 1, 2 * y))
                let bottom = half(p(2 * x, 2 * y + 1), p(2 * x + 1, 2 * y + 1))
                XCTAssertEqual(Int(out[x, y, 0]), half(top, bottom), "(\(x), \(y))")
            }
        }
    }

    /// A direct double-precision implementation of the textbook separable filter (kernel stretched by the
    /// downscale factor, weights normalised, rounding after each pass): Pillow's fixed point may differ by 1.
    func reference(_ image: Image, _ width: Int, _ height: Int, kernel: (Double) -> Double, support: Double) -> [Int] {
        func pass(_ input: [Double], inSize: Int, outSize: Int, lines: Int, stride: (Int, Int) -> Int) -> [Double] {
            let scale = Double(inSize) / Double(outSize), stretch = max(1, scale)
            var out = [Double](repeating: 0, count: outSize * lines)
            for o in 0..<outSize {
                let center = (Double(o) + 0.5) * scale
                let lo = max(0, Int(center - support * stretch + 0.5)), hi = min(inSize, Int(center + support * stretch + 0.5))
                let weights = (lo..<hi).map { kernel((Double($0) - center + 0.5) / stretch) }
                let total = weights.reduce(0, +)
                for line in 0..<lines {
                    var sum = 0.0
                    for (i, x) in (lo..<hi).enumerated() { sum += weights[i] / total * input[stride(x, line)] }
                    out[o * lines + line] = min(255, max(0, (sum + 0.5).rounded(.down)))
                }
            }
            return out
        }
        let source = image.samples.map(Double.init)
        // Horizontal: out index = x * height + y.
        let horizontal = pass(source, inSize: image.width, outSize: width, lines: image.height) { x, y in y * image.width + x }
        let vertical = pass(horizontal, inSize: image.height, outSize: height, lines: width) { y, x in x * image.height + y }
        var result = [Int](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { result[y * width + x] = Int(vertical[y * width + x]) } }
        return result
    }

    func testFiltersAgreeWithADirectDoublePrecisionReference() {
        let image = randomImage(45, 31, channels: 1, seed: 3)
        let bilinear: (Double) -> Double = { max(0, 1 - abs($0)) }
        let bicubic: (Double) -> Double = { x in
            let t = abs(x), a = -0.5
            return t < 1 ? ((a + 2) * t - (a + 3)) * t * t + 1 : t < 2 ? (((t - 5) * t + 8) * t - 4) * a : 0
        }
        let sinc: (Double) -> Double = { $0 == 0 ? 1 : sin(Double.pi * $0) / (Double.pi * $0) }
        let lanczos: (Double) -> Double = { abs($0) < 3 ? sinc($0) * sinc($0 / 3) : 0 }
        let cases: [(ResampleFilter, (Double) -> Double, Double)] =
            [(.bilinear, bilinear, 1), (.bicubic, bicubic, 2), (.lanczos, lanczos, 3)]
        for (filter, kernel, support) in cases {
            for (w, h) in [(8, 8), (9, 8), (32, 32), (100, 70), (20, 50)] {
                let ours = image.resized(width: w, height: h, filter: filter).samples.map(Int.init)
                let expected = reference(image, w, h, kernel: kernel, support: support)
                let worst = zip(ours, expected).map { abs($0 - $1) }.max()!
                XCTAssertLessThanOrEqual(worst, 1, "\(filter) to \(w)×\(h)")
            }
        }
    }

    func testGrayColumnwisePathEqualsTheRowwisePath() {
        // Gray images with short kernels take a column-wise path; RGB images always the row-wise one.
        let gray = randomImage(40, 30, channels: 1, seed: 4)
        let rgb = Image(width: 40, height: 30, channels: 3, samples: gray.samples.flatMap { [$0, $0, $0] })
        for filter in ResampleFilter.allCases {
            for (w, h) in [(8, 8), (9, 8), (13, 30), (80, 61), (3, 100), (40, 7)] {
                let fromGray = gray.resized(width: w, height: h, filter: filter).samples
                let fromRGB = rgb.resized(width: w, height: h, filter: filter).samples
                XCTAssertEqual(fromGray, stride(from: 0, to: fromRGB.count, by: 3).map { fromRGB[$0] }, "\(filter) \(w)×\(h)")
            }
        }
    }

    func testAlphaIsPremultipliedSoTransparentColourDoesNotBleed() {
        let image = Image(width: 2, height: 1, channels: 4, samples: [255, 0, 0, 255, 0, 255, 0, 0])
        let out = image.resized(width: 1, height: 1, filter: .box)
        XCTAssertEqual(out.samples, [255, 0, 0, 128])
    }

    func testNearestPicksThePixelUnderEachCentre() {
        let image = Image(width: 4, height: 1, channels: 1, samples: [10, 20, 30, 40])
        XCTAssertEqual(image.resized(width: 2, height: 1, filter: .nearest).samples, [20, 40])
        XCTAssertEqual(image.resized(width: 8, height: 1, filter: .nearest).samples, [10, 10, 20, 20, 30, 30, 40, 40])
    }

    func testPillowGrayConversion() {
        let image = Image(width: 4, height: 1, channels: 3, samples: [255, 0, 0, 0, 255, 0, 0, 0, 255, 77, 77, 77])
        XCTAssertEqual(image.convertedToGray().samples, [76, 150, 29, 77])  // Pillow's convert("L")
        let rgba = Image(width: 1, height: 1, channels: 4, samples: [255, 0, 0, 0])
        XCTAssertEqual(rgba.convertedToGray().samples, [76], "alpha dropped, not composited")
        XCTAssertEqual(Image(width: 1, height: 1, channels: 2, samples: [9, 0]).convertedToGray().samples, [9])
    }
}
