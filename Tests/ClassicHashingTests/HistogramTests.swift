import Foundation
import XCTest
import ClassicHashing
import Imaging

final class HistogramTests: XCTestCase {
    /// One red and one blue pixel.
    private let redBlue = Image(width: 2, height: 1, channels: 3, samples: [255, 0, 0, 0, 0, 255])

    func testPerChannelBins() throws {
        let histogram = try ColorHistogram(of: redBlue, layout: .perChannel(bins: 2))
        // R: one 0, one 255; G: two 0; B: one 0, one 255 — 6 samples in all.
        XCTAssertEqual(histogram.values, [1, 1, 2, 0, 1, 1].map { $0 / 6.0 })
        let gray = Image(width: 4, height: 1, channels: 2, samples: [0, 9, 63, 9, 64, 9, 255, 0])
        // 4 bins of width 64: 0 and 63 → bin 0, 64 → bin 1, 255 → bin 3; alpha ignored.
        XCTAssertEqual(try ColorHistogram(of: gray, layout: .perChannel(bins: 4)).values, [0.5, 0.25, 0, 0.25])
    }

    func testJointRGBBins() throws {
        let histogram = try ColorHistogram(of: redBlue, layout: .jointRGB(binsPerChannel: 2))
        // red → (1,0,0) → index 4; blue → (0,0,1) → index 1.
        XCTAssertEqual(histogram.values, [0, 0.5, 0, 0, 0.5, 0, 0, 0])
    }

    func testJointHSVBins() throws {
        let histogram = try ColorHistogram(of: redBlue, layout: .jointHSV(hueBins: 6, saturationBins: 2, valueBins: 2))
        var expected = [Double](repeating: 0, count: 24)
        expected[(0 * 2 + 1) * 2 + 1] = 0.5   // red: hue 0°, S 1, V 1
        expected[(4 * 2 + 1) * 2 + 1] = 0.5   // blue: hue 240° → bin 4
        XCTAssertEqual(histogram.values, expected)
    }

    func testHSVConversion() {
        func check(_ rgb: (Int, Int, Int), _ hsv: (Double, Double, Double)) {
            let result = ColorHistogram.hsv(red: rgb.0, green: rgb.1, blue: rgb.2)
            XCTAssertEqual(result.hue, hsv.0, accuracy: 1e-12)
            XCTAssertEqual(result.saturation, hsv.1, accuracy: 1e-12)
            XCTAssertEqual(result.value, hsv.2, accuracy: 1e-12)
        }
        check((0, 255, 0), (120, 1, 1))
        check((255, 255, 0), (60, 1, 1))
        check((255, 0, 255), (300, 1, 1))
        check((128, 128, 128), (0, 0, 128.0 / 255))
        check((0, 0, 0), (0, 0, 0))
        check((100, 50, 50), (0, 0.5, 100.0 / 255))
    }

    func testBadBinsAndMismatchedLayoutsThrow() throws {
        XCTAssertThrowsError(try ColorHistogram(of: redBlue, layout: .perChannel(bins: 0)))
        XCTAssertThrowsError(try ColorHistogram(of: redBlue, layout: .jointRGB(binsPerChannel: 300)))
        let a = try ColorHistogram(of: redBlue, layout: .jointRGB(binsPerChannel: 2))
        let b = try ColorHistogram(of: redBlue, layout: .perChannel(bins: 8))
        XCTAssertThrowsError(try a.compared(to: b, using: .correlation)) { error in
            XCTAssertFalse(String(describing: error).contains("\n"))
        }
        XCTAssertThrowsError(try HistogramComparison.intersection.compare([1], [1, 2]))
    }

    /// Hand-computed values for H₁ = (1, 2, 3, 4), H₂ = (4, 3, 2, 1).
    func testFourMeasuresOnHandComputedHistograms() throws {
        let first: [Double] = [1, 2, 3, 4], second: [Double] = [4, 3, 2, 1]
        // Deviations from the mean 2.5: (−1.5, −0.5, 0.5, 1.5) and reversed: Σ products = −5, Σ squares = 5 each.
        XCTAssertEqual(try HistogramComparison.correlation.compare(first, second), -1, accuracy: 1e-12)
        // 3²/1 + 1²/2 + 1²/3 + 3²/4
        XCTAssertEqual(try HistogramComparison.chiSquare.compare(first, second), 9 + 0.5 + 1.0 / 3 + 2.25, accuracy: 1e-12)
        XCTAssertEqual(try HistogramComparison.intersection.compare(first, second), 6, accuracy: 1e-12)
        // Σ√(ab) = 2 + √6 + √6 + 2; s₁ = s₂ = 10.
        XCTAssertEqual(try HistogramComparison.bhattacharyya.compare(first, second),
                       (1 - (4 + 2 * 6.0.squareRoot()) / 10).squareRoot(), accuracy: 1e-12)
    }

    func testEdgeCasesFollowOpenCV() throws {
        // Chi-square skips bins where H₁ is 0, so it is asymmetric.
        XCTAssertEqual(try HistogramComparison.chiSquare.compare([0, 1], [1, 0]), 1)
        XCTAssertEqual(try HistogramComparison.chiSquare.compare([0, 1], [0.5, 0.5]), 0.25)
        // A flat histogram has no variance: OpenCV answers 1.
        XCTAssertEqual(try HistogramComparison.correlation.compare([1, 1, 1], [1, 2, 3]), 1)
        XCTAssertEqual(try HistogramComparison.correlation.compare([1, 2, 4], [2, 4, 8]), 1, accuracy: 1e-12)
        XCTAssertEqual(try HistogramComparison.bhattacharyya.compare([1, 0], [0, 1]), 1)
        XCTAssertEqual(try HistogramComparison.bhattacharyya.compare([0.2, 0.8], [2, 8]), 0, accuracy: 1e-7)
        // All-zero histograms: 1/√(s₁s₂) is replaced by 1, so the distance is √(1 − 0) = 1.
        XCTAssertEqual(try HistogramComparison.bhattacharyya.compare([0, 0], [0, 0]), 1)
    }

    func testImageComparedWithItselfAndEditedCopy() throws {
        let image = Image(width: 16, height: 16, channels: 3,
                          samples: (0..<768).map { UInt8(($0 * 37 + $0 / 48) % 256) })
        let layout = HistogramLayout.jointHSV(hueBins: 8, saturationBins: 3, valueBins: 3)
        let histogram = try ColorHistogram(of: image, layout: layout)
        XCTAssertEqual(histogram.values.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(try histogram.compared(to: histogram, using: .correlation), 1, accuracy: 1e-12)
        XCTAssertEqual(try histogram.compared(to: histogram, using: .intersection), 1, accuracy: 1e-12)
        XCTAssertEqual(try histogram.compared(to: histogram, using: .chiSquare), 0)
        XCTAssertEqual(try histogram.compared(to: histogram, using: .bhattacharyya), 0, accuracy: 1e-7)
        let dark = try ColorHistogram(of: try image.brightened(by: 0.3), layout: layout)
        XCTAssertGreaterThan(try histogram.compared(to: dark, using: .bhattacharyya), 0.2)
    }
}
