import Foundation
import Imaging
import XCTest

/// `Image.resized` against Pillow 13's resampling written out again here, plainly, from libImaging/Resample.c
/// (precompute_coeffs, normalize_coeffs_8bpc, the two 8-bit passes and ImagingResampleInner's choice of order), so
/// that the library's optimised passes are checked against an independent reading of the C code, on shapes that
/// change one axis or both, up and down, down to one pixel wide.
final class ResamplingArithmeticTests: XCTestCase {
    /// Pillow's filter kernels and supports (Resample.c's `filter` structs).
    private func kernel(_ filter: ResampleFilter) -> (support: Double, weight: (Double) -> Double) {
        func sinc(_ x: Double) -> Double { x == 0 ? 1 : sin(x * Double.pi) / (x * Double.pi) }
        switch filter {
        case .box: return (0.5, { $0 > -0.5 && $0 <= 0.5 ? 1 : 0 })
        case .bilinear: return (1, { abs($0) < 1 ? 1 - abs($0) : 0 })
        case .hamming:
            return (1, { x in
                let t = abs(x)
                if t == 0 { return 1 }
                if t >= 1 { return 0 }
                return sin(t * Double.pi) / (t * Double.pi) * (Double(Float(0.54)) + Double(Float(0.46)) * cos(t * Double.pi))
            })
        case .bicubic:
            return (2, { x in
                let a = -0.5, t = abs(x)
                if t < 1 { return ((a + 2) * t - (a + 3)) * t * t + 1 }
                if t < 2 { return (((t - 5) * t + 8) * t - 4) * a }
                return 0
            })
        case .lanczos: return (3, { x in (-3 <= x && x < 3) ? sinc(x) * sinc(x / 3) : 0 })
        case .nearest: fatalError("nearest is not a convolution")
        }
    }

    /// precompute_coeffs + normalize_coeffs_8bpc: for each output pixel, the first source pixel and the 22-bit
    /// fixed-point weights.
    private func coefficients(inSize: Int, outSize: Int, _ filter: ResampleFilter) -> [(first: Int, weights: [Int])] {
        let (baseSupport, weight) = kernel(filter)
        let scale = Double(Float(inSize)) / Double(outSize)  // (double)(in1 - in0) / outSize, in1 a float
        let filterScale = max(scale, 1)
        let support = baseSupport * filterScale
        return (0..<outSize).map { xx in
            let center = (Double(xx) + 0.5) * scale
            let xmin = max(0, Int(center - support + 0.5))
            let xmax = min(inSize, Int(center + support + 0.5)) - xmin
            var k = (0..<max(0, xmax)).map { x in weight((Double(x + xmin) - center + 0.5) * (1.0 / filterScale)) }
            let total = k.reduce(0, +)
            if total != 0 { k = k.map { $0 / total } }
            let fixed = k.map { Int($0 < 0 ? -0.5 + $0 * Double(1 << 22) : 0.5 + $0 * Double(1 << 22)) }
            return (xmin, fixed)
        }
    }

    private func clip8(_ sum: Int) -> UInt8 { UInt8(min(255, max(0, sum >> 22))) }

    /// One horizontal pass over rows `rows` of `image` (width w, c channels, row-major).
    private func horizontal(_ image: [UInt8], width: Int, channels c: Int, rows: Range<Int>,
                            to outWidth: Int, _ filter: ResampleFilter) -> [UInt8] {
        let coeffs = coefficients(inSize: width, outSize: outWidth, filter)
        var out: [UInt8] = []
        for y in rows {
            for (first, weights) in coeffs {
                for channel in 0..<c {
                    var sum = 1 << 21
                    for (i, w) in weights.enumerated() { sum += Int(image[(y * width + first + i) * c + channel]) * w }
                    out.append(clip8(sum))
                }
            }
        }
        return out
    }

    /// One vertical pass: output row yy reads rows `first + i − rowOffset` of `image`.
    private func vertical(_ image: [UInt8], width: Int, channels c: Int, inHeight: Int, rowOffset: Int,
                          to outHeight: Int, _ filter: ResampleFilter) -> [UInt8] {
        let coeffs = coefficients(inSize: inHeight, outSize: outHeight, filter)
        var out: [UInt8] = []
        for (first, weights) in coeffs {
            for x in 0..<(width * c) {
                var sum = 1 << 21
                for (i, w) in weights.enumerated() { sum += Int(image[(first + i - rowOffset) * width * c + x]) * w }
                out.append(clip8(sum))
            }
        }
        return out
    }

    /// ImagingResampleInner: the vertical pass first when the height shrinks by more than twice as many pixels
    /// as the width, else the horizontal pass first over only the rows the vertical pass reads.
    private func pillowResize(_ image: Image, _ width: Int, _ height: Int, _ filter: ResampleFilter,
                              verticalFirst forced: Bool? = nil) -> Image {
        let (w, h, c) = (image.width, image.height, image.channels)
        let needHorizontal = width != w, needVertical = height != h
        let verticalFirst = forced ?? ((h - height) > 0 && (h - height) > (w - width) * 2)
        var samples = image.samples
        if verticalFirst {
            if needVertical { samples = vertical(samples, width: w, channels: c, inHeight: h, rowOffset: 0, to: height, filter) }
            if needHorizontal { samples = horizontal(samples, width: w, channels: c, rows: 0..<height, to: width, filter) }
        } else {
            let rows = coefficients(inSize: h, outSize: height, filter)
            let first = rows[0].first, last = rows[height - 1].first + rows[height - 1].weights.count
            if needHorizontal {
                samples = horizontal(samples, width: w, channels: c, rows: needVertical ? first..<last : 0..<h,
                                     to: width, filter)
            }
            if needVertical {
                samples = vertical(samples, width: width, channels: c, inHeight: h,
                                   rowOffset: needHorizontal ? first : 0, to: height, filter)
            }
        }
        return Image(width: width, height: height, channels: c, samples: samples)
    }

    private func noise(width: Int, height: Int, channels: Int, seed: UInt64) -> Image {
        var state = seed
        let samples = (0..<(width * height * channels)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return Image(width: width, height: height, channels: channels, samples: samples)
    }

    func testEveryFilterMatchesPillowsArithmeticOnOddShapes() {
        let shapes = [(13, 234, 8, 8), (234, 13, 9, 8), (13, 234, 32, 32), (7, 5, 32, 32), (1, 300, 8, 8),
                      (300, 1, 32, 32), (1, 1, 9, 8), (50, 60, 49, 3), (60, 50, 3, 49), (40, 90, 70, 20),
                      (33, 33, 17, 65), (100, 30, 100, 7), (30, 100, 8, 100)]
        var compared = 0
        for (index, (w, h, width, height)) in shapes.enumerated() {
            for channels in [1, 3] {
                let image = noise(width: w, height: h, channels: channels, seed: UInt64(index * 7 + channels))
                for filter in ResampleFilter.allCases where filter != .nearest {
                    let expected = pillowResize(image, width, height, filter)
                    XCTAssertEqual(image.resized(width: width, height: height, filter: filter), expected,
                                   "\(w)×\(h) → \(width)×\(height), \(channels) channel(s), \(filter)")
                    compared += 1
                }
            }
        }
        XCTAssertEqual(compared, 13 * 2 * 5)
    }

    /// The order of the passes shows: for a tall crop shrunk on both axes, the horizontal-first result (the order
    /// before Pillow 13) differs from Pillow 13's vertical-first one, and the library gives the latter.
    func testPassOrderMattersAndFollowsPillow13() {
        let image = noise(width: 13, height: 234, channels: 1, seed: 3)
        let pillow13 = pillowResize(image, 8, 8, .lanczos)
        let horizontalFirst = pillowResize(image, 8, 8, .lanczos, verticalFirst: false)
        XCTAssertNotEqual(pillow13, horizontalFirst)
        XCTAssertEqual(image.resized(width: 8, height: 8), pillow13)
    }
}
