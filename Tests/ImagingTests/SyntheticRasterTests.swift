import XCTest
import Imaging
import Seeding

/// The rasteriser against geometry computed independently: areas, inside/outside, gradient ends, texture fractions.
final class SyntheticRasterTests: XCTestCase {
    /// Total coverage of a white fill on black: the red channel summed over the canvas.
    func coverage(_ canvas: SyntheticCanvas) -> Double {
        stride(from: 0, to: canvas.values.count, by: 3).reduce(0.0) { $0 + Double(canvas.values[$1]) }
    }

    func testCircleAreaIsPiRSquared() {
        for radius: Float in [5, 12.3, 30] {
            var canvas = SyntheticCanvas(width: 80, height: 80)
            canvas.fill(.circle(center: SyntheticPoint(40.2, 39.7), radius: radius), with: .solid(.white))
            let expected = Double.pi * Double(radius * radius)
            XCTAssertEqual(coverage(canvas), expected, accuracy: expected * 0.01 + 1, "radius \(radius)")
        }
    }

    func testAxisAlignedRectangleOnPixelEdgesIsExact() {
        var canvas = SyntheticCanvas(width: 20, height: 20)
        // Covers columns 3…12 and rows 5…8 exactly: edges fall on pixel boundaries.
        canvas.fill(.rectangle(center: SyntheticPoint(8, 7), width: 10, height: 4, angle: 0), with: .solid(.white))
        for y in 0..<20 {
            for x in 0..<20 {
                let inside = (3...12).contains(x) && (5...8).contains(y)
                XCTAssertEqual(canvas.values[3 * (y * 20 + x)], inside ? 1 : 0, "pixel (\(x), \(y))")
            }
        }
    }

    func testRotatedRectangleAndTriangleAreas() {
        var rectangle = SyntheticCanvas(width: 64, height: 64)
        rectangle.fill(.rectangle(center: SyntheticPoint(32, 32), width: 30, height: 14, angle: 0.6), with: .solid(.white))
        XCTAssertEqual(coverage(rectangle), 420, accuracy: 4.2)

        let a = SyntheticPoint(5, 7), b = SyntheticPoint(55, 12), c = SyntheticPoint(20, 58)
        let shoelace = Double(abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y))) / 2
        var triangle = SyntheticCanvas(width: 64, height: 64)
        triangle.fill(.triangle(a, b, c), with: .solid(.white))
        XCTAssertEqual(coverage(triangle), shoelace, accuracy: shoelace * 0.01)
    }

    func testRingStrokeAreaIsCircumferenceTimesWidth() {
        var canvas = SyntheticCanvas(width: 80, height: 80)
        canvas.stroke(.circle(center: SyntheticPoint(40, 40), radius: 20), lineWidth: 4, with: .solid(.white))
        let expected = Double.pi * (22 * 22 - 18 * 18)
        XCTAssertEqual(coverage(canvas), expected, accuracy: expected * 0.01)
        XCTAssertEqual(canvas.values[3 * (40 * 80 + 40)], 0, "the centre stays empty")
    }

    func testSignedDistances() {
        let square = SyntheticShape.rectangle(center: .zero, width: 4, height: 4, angle: 0)
        XCTAssertEqual(square.signedDistance(to: SyntheticPoint(0, 0)), -2, accuracy: 1e-6)
        XCTAssertEqual(square.signedDistance(to: SyntheticPoint(5, 0)), 3, accuracy: 1e-6)
        XCTAssertEqual(square.signedDistance(to: SyntheticPoint(5, 6)), 5, accuracy: 1e-6)
        let polygon = SyntheticShape.polygon([SyntheticPoint(-2, -2), SyntheticPoint(2, -2),
                                              SyntheticPoint(2, 2), SyntheticPoint(-2, 2)])
        for p in [SyntheticPoint(0, 0), SyntheticPoint(5, 0), SyntheticPoint(5, 6), SyntheticPoint(1.5, -0.5)] {
            XCTAssertEqual(polygon.signedDistance(to: p), square.signedDistance(to: p), accuracy: 1e-5)
        }
        let line = SyntheticShape.line(from: SyntheticPoint(0, 0), to: SyntheticPoint(10, 0), width: 2)
        XCTAssertEqual(line.signedDistance(to: SyntheticPoint(5, 3)), 2, accuracy: 1e-6)
        XCTAssertEqual(line.signedDistance(to: SyntheticPoint(13, 4)), 4, accuracy: 1e-6)
        let ellipse = SyntheticShape.ellipse(center: .zero, radii: SyntheticPoint(6, 3), angle: .pi / 2)
        XCTAssertEqual(ellipse.signedDistance(to: SyntheticPoint(0, 6)), 0, accuracy: 1e-4, "turned: long axis is vertical")
        XCTAssertEqual(ellipse.signedDistance(to: SyntheticPoint(4, 0)), 1, accuracy: 0.05)
        XCTAssertLessThan(SyntheticShape.star(center: .zero, outerRadius: 10, innerRadius: 4, points: 5)
            .signedDistance(to: .zero), 0)
    }

    func testLinearGradientEndsAndMiddle() {
        let paint = SyntheticPaint.linearGradient(from: SyntheticPoint(10, 0), to: SyntheticPoint(30, 0),
                                                  start: .black, end: SyntheticColor(red: 1, green: 0.5, blue: 0))
        XCTAssertEqual(paint.color(at: SyntheticPoint(0, 7)), .black)
        XCTAssertEqual(paint.color(at: SyntheticPoint(40, -3)), SyntheticColor(red: 1, green: 0.5, blue: 0))
        XCTAssertEqual(paint.color(at: SyntheticPoint(25, 100)).red, 0.75, accuracy: 1e-6)
        let radial = SyntheticPaint.radialGradient(center: .zero, radius: 10, inner: .white, outer: .black)
        XCTAssertEqual(radial.color(at: SyntheticPoint(6, 8)), .black)
        XCTAssertEqual(radial.color(at: SyntheticPoint(3, 4)).green, 0.5, accuracy: 1e-6)
    }

    func testTextureFractions() {
        func mean(_ paint: SyntheticPaint) -> Double {
            var canvas = SyntheticCanvas(width: 200, height: 200)
            canvas.fill(with: paint)
            return coverage(canvas) / 40_000
        }
        XCTAssertEqual(mean(.stripes(angle: 0.7, period: 10, duty: 0.3, stripe: .white, background: .black)), 0.3,
                       accuracy: 0.01)
        XCTAssertEqual(mean(.checker(cell: 10, angle: 0.3, first: .white, second: .black)), 0.5, accuracy: 0.02)
        XCTAssertEqual(mean(.dots(spacing: 10, radius: 3, angle: 0.2, dot: .white, background: .black)),
                       Double.pi * 9 / 100, accuracy: 0.01)
        // Unturned checker: pixel (x, y) is `first` exactly when ⌊x/4⌋ + ⌊y/4⌋ is even.
        var checker = SyntheticCanvas(width: 16, height: 16)
        checker.fill(with: .checker(cell: 4, angle: 0, first: .white, second: .black))
        for y in 0..<16 { for x in 0..<16 {
            XCTAssertEqual(checker.values[3 * (y * 16 + x)], (x / 4 + y / 4) % 2 == 0 ? 1 : 0)
        } }
    }

    func testValueNoiseIsBoundedSmoothAndSeeded() {
        var g1 = SeededGenerator(seed: 3), g2 = SeededGenerator(seed: 3), g3 = SeededGenerator(seed: 4)
        let a = SyntheticValueNoise(scale: 16, octaves: 3, using: &g1)
        let b = SyntheticValueNoise(scale: 16, octaves: 3, using: &g2)
        let c = SyntheticValueNoise(scale: 16, octaves: 3, using: &g3)
        XCTAssertEqual(a, b)
        var differs = false
        for y in 0..<64 {
            for x in 0..<64 {
                let p = SyntheticPoint(Float(x), Float(y))
                let v = a.value(at: p)
                XCTAssertTrue((0...1).contains(v))
                // Octave k contributes at most 2^-k/(sum) per lattice step, over 16/2^k pixels: neighbours stay close.
                XCTAssertLessThan(abs(v - a.value(at: p + SyntheticPoint(0.5, 0))), 0.1)
                if v != c.value(at: p) { differs = true }
            }
        }
        XCTAssertTrue(differs)
    }

    func testAddedNoiseHasTheAskedSpread() {
        var canvas = SyntheticCanvas(width: 100, height: 100, background: SyntheticColor(gray: 0.5))
        var g = SeededGenerator(seed: 9)
        canvas.addNoise(standardDeviation: 0.05, using: &g)
        let n = Double(canvas.values.count)
        let mean = canvas.values.reduce(0.0) { $0 + Double($1) } / n
        let deviation = (canvas.values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n).squareRoot()
        XCTAssertEqual(mean, 0.5, accuracy: 0.002)
        XCTAssertEqual(deviation, 0.05, accuracy: 0.002)
    }

    func testImageConversionRoundsAndClamps() {
        var canvas = SyntheticCanvas(width: 2, height: 1, background: SyntheticColor(red: 0.5, green: 1, blue: 0))
        canvas.fill(.rectangle(center: SyntheticPoint(1.5, 0.5), width: 1, height: 1, angle: 0),
                    with: .solid(SyntheticColor(red: 0.11, green: 0.2, blue: 0.31)))
        XCTAssertEqual(canvas.image().samples, [128, 255, 0, 28, 51, 79])
        var planar = [UInt8](repeating: 0, count: 6)
        planar.withUnsafeMutableBufferPointer { canvas.writePlanarBytes(to: $0) }
        XCTAssertEqual(planar, [128, 28, 255, 51, 0, 79])
    }
}
