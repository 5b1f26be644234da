import Foundation
import XCTest
import Imaging

/// A small image whose every sample differs, so that any misplaced pixel shows.
private func numbered(width: Int, height: Int, channels: Int) -> Image {
    Image(width: width, height: height, channels: channels,
          samples: (0..<(width * height * channels)).map { UInt8(($0 * 7 + 3) % 256) })
}

final class EditsTests: XCTestCase {
    // MARK: crop

    func testCropCopiesTheRectangle() throws {
        let image = numbered(width: 5, height: 4, channels: 3)
        let crop = try image.cropped(x: 1, y: 2, width: 3, height: 2)
        XCTAssertEqual([crop.width, crop.height, crop.channels], [3, 2, 3])
        for y in 0..<2 { for x in 0..<3 { for c in 0..<3 { XCTAssertEqual(crop[x, y, c], image[x + 1, y + 2, c]) } } }
    }

    func testCropOutOfBoundsThrowsOneLine() {
        let image = numbered(width: 5, height: 4, channels: 1)
        for (x, y, w, h) in [(4, 0, 2, 1), (0, 0, 0, 1), (-1, 0, 1, 1), (0, 3, 1, 2)] {
            XCTAssertThrowsError(try image.cropped(x: x, y: y, width: w, height: h)) { error in
                let text = String(describing: error)
                XCTAssertTrue(text.contains("5×4"), text)
                XCTAssertFalse(text.contains("\n"))
            }
        }
    }

    // MARK: mirror and flip

    func testMirrorAndFlipMovePixels() {
        let image = numbered(width: 3, height: 2, channels: 2)
        let mirror = image.mirrored(), flip = image.flipped()
        for y in 0..<2 { for x in 0..<3 { for c in 0..<2 {
            XCTAssertEqual(mirror[x, y, c], image[2 - x, y, c])
            XCTAssertEqual(flip[x, y, c], image[x, 1 - y, c])
        } } }
        XCTAssertEqual(mirror.mirrored(), image)
        XCTAssertEqual(flip.flipped(), image)
    }

    // MARK: rotate

    func testQuarterTurnIsCounterClockwisePermutation() throws {
        let image = numbered(width: 4, height: 4, channels: 3)
        let turned = try image.rotated(degrees: 90)
        // Counter-clockwise: the right column becomes the top row, read right-to-left... i.e. dest(x, y) = src(3 − y, x).
        for y in 0..<4 { for x in 0..<4 { for c in 0..<3 { XCTAssertEqual(turned[x, y, c], image[3 - y, x, c]) } } }
    }

    func testQuarterTurnOfWideImageKeepsSizeAndFills() throws {
        // 4 × 2, centre (2, 1): destination (x, y) reads source (2 − y, x − 1); columns 0 and 3 have no source.
        let image = numbered(width: 4, height: 2, channels: 1)
        let turned = try image.rotated(degrees: 90, fill: [9])
        XCTAssertEqual([turned.width, turned.height], [4, 2])
        for y in 0..<2 { for x in 0..<4 {
            XCTAssertEqual(turned[x, y, 0], (1...2).contains(x) ? image[2 - y, x - 1, 0] : 9, "at \(x),\(y)")
        } }
    }

    func testFourQuarterTurnsAreIdentity() throws {
        for (w, h) in [(5, 5), (6, 4)] {
            let image = numbered(width: w, height: h, channels: 4)
            var turned = image
            for _ in 0..<4 { turned = try turned.rotated(degrees: 90, sampling: .bicubic) }
            if w == h { XCTAssertEqual(turned, image) }
            XCTAssertEqual(try image.rotated(degrees: 180), image.mirrored().flipped())
            XCTAssertEqual(try image.rotated(degrees: -90), try image.rotated(degrees: 270))
            XCTAssertEqual(try image.rotated(degrees: 360), image)
        }
    }

    func testSmallRotationFillsCornersAndKeepsCentre() throws {
        let image = Image(width: 21, height: 21, channels: 3, fill: 200)
        let turned = try image.rotated(degrees: 30, sampling: .bilinear, fill: [1, 2, 3])
        XCTAssertEqual([turned[0, 0, 0], turned[0, 0, 1], turned[0, 0, 2]], [1, 2, 3])
        XCTAssertEqual(turned[10, 10, 1], 200)
        XCTAssertEqual(turned.width, 21)
        XCTAssertThrowsError(try image.rotated(degrees: 10, fill: [1, 2]))
        XCTAssertThrowsError(try image.rotated(degrees: .nan))
    }

    func testBilinearRotationOfHorizontalRampMatchesGeometry() throws {
        // A ramp value = 10·x rotated by 90° becomes value = 10·(width−1−y) along y: exact;
        // rotated by 45°, the centre pixel keeps its value (it is the rotation centre).
        let ramp = Image(width: 9, height: 9, channels: 1, samples: (0..<81).map { UInt8(($0 % 9) * 10) })
        let quarter = try ramp.rotated(degrees: 90)
        for y in 0..<9 { XCTAssertEqual(quarter[3, y, 0], UInt8((8 - y) * 10)) }
        let diagonal = try ramp.rotated(degrees: 45, sampling: .bilinear)
        XCTAssertEqual(diagonal[4, 4, 0], 40)
        // One pixel right of centre at 45° samples the source at (4 + cos45, 4 + sin45·(−1)…): x = 4 + 0.7071.
        XCTAssertEqual(Int(diagonal[5, 4, 0]), Int((10 * (4 + 0.5.squareRoot())).rounded()))
        // Pillow's bicubic is the a = −1 cubic convolution, which does not reproduce a ramp exactly: through the
        // samples v1…v4 = 10·(i − 1 … i + 2) at fraction d it gives v2 + d(−v1 + v3) + d²(2(v1 − v2) + v3 − v4)
        // + d³(−v1 + v2 − v3 + v4), truncated. Every row of the ramp is the same, so the vertical pass keeps it.
        // Destination (5, 4), centre 4.5 → source x = a·5.5 + b·4.5 + (a·(−4.5) + b·(−4.5) + 4.5) − ½ in index units.
        let a = Double(String(format: "%.15f", cos(-Double.pi / 4)))!  // Pillow's matrix, rounded to 15 places
        let b = Double(String(format: "%.15f", sin(-Double.pi / 4)))!
        let sourceX = a * 5.5 + b * 4.5 + (a * -4.5 + b * -4.5 + 0.0 + 4.5) - 0.5
        let i = Int(sourceX.rounded(.down)), d = sourceX - Double(i)
        let (v1, v2, v3, v4) = (10.0 * Double(i - 1), 10.0 * Double(i), 10.0 * Double(i + 1), 10.0 * Double(i + 2))
        let expected = v2 + d * ((-v1 + v3) + d * ((2 * (v1 - v2) + v3 - v4) + d * (-v1 + v2 - v3 + v4)))
        let cubic = try ramp.rotated(degrees: 45, sampling: .bicubic)
        XCTAssertEqual(Int(cubic[5, 4, 0]), Int(expected))
        XCTAssertNotEqual(Int(expected), Int(10 * (4 + 0.5.squareRoot())))  // the ramp's own value, 47
        let flat = try Image(width: 9, height: 9, channels: 1, fill: 77).rotated(degrees: 20, sampling: .bicubic)
        XCTAssertEqual(flat[4, 4, 0], 77)
        XCTAssertEqual(flat[2, 6, 0], 77)
    }

    // MARK: blur

    func testBlurOfConstantImageIsConstant() throws {
        let image = Image(width: 7, height: 5, channels: 3, fill: 137)
        XCTAssertEqual(try image.gaussianBlurred(sigma: 2.3), image)
    }

    func testBlurMatchesDirectTwoDimensionalConvolution() throws {
        let image = numbered(width: 12, height: 10, channels: 1)
        let sigma = 1.4, reach = 5
        let blurred = try image.gaussianBlurred(sigma: sigma)
        // Independent reference: the full 2-D kernel, normalised as a whole, clamp-to-edge indexing.
        var weights = [[Double]]()
        for j in -reach...reach { weights.append((-reach...reach).map { i in exp(-Double(i * i + j * j) / (2 * sigma * sigma)) }) }
        let total = weights.joined().reduce(0, +)
        for y in 0..<10 { for x in 0..<12 {
            var sum = 0.0
            for j in -reach...reach { for i in -reach...reach {
                sum += weights[j + reach][i + reach] * Double(image[min(max(x + i, 0), 11), min(max(y + j, 0), 9), 0])
            } }
            XCTAssertEqual(Double(blurred[x, y, 0]), sum / total, accuracy: 0.5 + 1e-9, "at \(x),\(y)")
        } }
    }

    func testBlurPreservesSumAwayFromBorders() throws {
        var image = Image(width: 31, height: 31, channels: 1)
        image[15, 15, 0] = 255
        image[14, 16, 0] = 200
        let blurred = try image.gaussianBlurred(sigma: 1.5)
        let before = image.samples.reduce(0) { $0 + Int($1) }
        let after = blurred.samples.reduce(0) { $0 + Int($1) }
        // Rounding each of the ~100 touched pixels moves the sum by at most ½ each; in practice far less.
        XCTAssertEqual(Double(after), Double(before), accuracy: 12)
        XCTAssertLessThan(blurred[15, 15, 0], 255)
        XCTAssertGreaterThan(blurred[18, 15, 0], 0)
        XCTAssertEqual(try image.gaussianBlurred(sigma: 0), image)
        XCTAssertThrowsError(try image.gaussianBlurred(sigma: -1))
    }

    func testBoxBlurByHand() throws {
        // Radius 1: box weight ⌊2²⁴/3⌋ = 5592405, fractional weight (2²⁴ − 3·5592405)/2 = 0;
        // 30·5592405 + 2²³ = 176160758, >> 24 = 10.
        let line = Image(width: 5, height: 1, channels: 1, samples: [0, 0, 30, 0, 0])
        XCTAssertEqual(line.boxBlurred(radius: 1).samples, [0, 10, 10, 10, 0])
        XCTAssertEqual(line.boxBlurred(radius: 0, passes: 3), line)
        let constant = Image(width: 9, height: 7, channels: 3, fill: 201)
        XCTAssertEqual(constant.boxBlurred(radius: 2.7, passes: 3), constant)
        XCTAssertEqual(try constant.pillowGaussianBlurred(radius: 4), constant)
        // A radius wider than the image still works (edges repeat).
        XCTAssertEqual(try line.pillowGaussianBlurred(radius: 10).width, 5)
        // Close to the exact Gaussian of the same σ, away from the edges.
        var spot = Image(width: 21, height: 21, channels: 1)
        for y in 8...12 { for x in 8...12 { spot[x, y, 0] = 250 } }
        let box = try spot.pillowGaussianBlurred(radius: 2), exact = try spot.gaussianBlurred(sigma: 2)
        let worst = zip(box.samples, exact.samples).map { abs(Int($0) - Int($1)) }.max()!
        XCTAssertLessThanOrEqual(worst, 6)
    }

    // MARK: brightness, contrast

    func testBrightnessFollowsPillowBlend() throws {
        let image = Image(width: 2, height: 2, channels: 4, samples: [10, 100, 200, 255, 1, 3, 5, 7, 255, 128, 64, 0, 9, 9, 9, 9])
        XCTAssertEqual(try image.brightened(by: 1), image)
        let brighter = try image.brightened(by: 1.5)
        // 1.5·v truncated, clamped; alpha (every 4th sample) untouched.
        XCTAssertEqual(brighter.samples, [15, 150, 255, 255, 1, 4, 7, 7, 255, 192, 96, 0, 13, 13, 13, 9])
        let darker = try image.brightened(by: 0.3)
        XCTAssertEqual(Array(darker.samples[0..<3]), [3, 30, 60])
        XCTAssertEqual(try image.brightened(by: 0).samples, [0, 0, 0, 255, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 9])
        XCTAssertThrowsError(try image.brightened(by: -0.5))
    }

    func testContrastBlendsWithMeanLuma() throws {
        let gray = Image(width: 2, height: 1, channels: 1, samples: [100, 200])
        XCTAssertEqual(try gray.contrasted(by: 1), gray)
        XCTAssertEqual(try gray.contrasted(by: 0).samples, [150, 150])
        XCTAssertEqual(try gray.contrasted(by: 2).samples, [50, 250])
    }

    // MARK: noise

    func testNoiseIsReproducibleAndZeroMean() throws {
        let image = Image(width: 64, height: 64, channels: 2, fill: 128)
        let a = try image.withGaussianNoise(sigma: 10, seed: 7)
        XCTAssertEqual(a, try image.withGaussianNoise(sigma: 10, seed: 7))
        XCTAssertNotEqual(a, try image.withGaussianNoise(sigma: 10, seed: 8))
        var sum = 0.0, squares = 0.0, count = 0.0
        for i in stride(from: 0, to: a.samples.count, by: 2) {
            let d = Double(a.samples[i]) - 128
            sum += d; squares += d * d; count += 1
            XCTAssertEqual(a.samples[i + 1], 128, "alpha must not change")
        }
        XCTAssertEqual(sum / count, 0, accuracy: 0.6)            // 4096 draws: standard error 10/64 ≈ 0.16
        XCTAssertEqual((squares / count).squareRoot(), 10, accuracy: 0.5)
        XCTAssertEqual(try image.withGaussianNoise(sigma: 0, seed: 1), image)
    }
}
