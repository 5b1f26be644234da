import Foundation
import Learning
import ShallowHashing
import XCTest

/// GIST against an independent computation: LEAR's `gist.c` written out again loop by loop, with every Fourier
/// transform a direct double sum (O(n⁴), no FFTW) on small images, and every transfer function built from its
/// formula the way the reference builds it (a grid −n/2 … n/2 − 1, then `fftshift`).
final class GISTTests: XCTestCase {
    // MARK: The independent computation

    struct Complex { var re: Double, im: Double }

    /// X[k, l] = Σ_{r,c} x[r, c] · e^{sign·2πi (k·r + l·c)/n}, the double sum as written.
    static func directDFT(_ x: [Complex], side n: Int, sign: Double) -> [Complex] {
        var result = [Complex](repeating: Complex(re: 0, im: 0), count: n * n)
        for k in 0..<n {
            for l in 0..<n {
                var sum = Complex(re: 0, im: 0)
                for r in 0..<n {
                    for c in 0..<n {
                        let angle = sign * 2 * Double.pi * Double(k * r + l * c) / Double(n)
                        let v = x[r * n + c]
                        sum.re += v.re * cos(angle) - v.im * sin(angle)
                        sum.im += v.re * sin(angle) + v.im * cos(angle)
                    }
                }
                result[k * n + l] = sum
            }
        }
        return result
    }

    /// MATLAB's `fftshift` of an n×n table: the element at (r, c) moves to ((r + ⌊n/2⌋) mod n, (c + ⌊n/2⌋) mod n).
    static func fftshift(_ x: [Double], side n: Int) -> [Double] {
        var y = x
        for r in 0..<n { for c in 0..<n { y[((r + n / 2) % n) * n + (c + n / 2) % n] = x[r * n + c] } }
        return y
    }

    /// The grids f_x = c − n/2 and f_y = r − n/2, shifted so that frequency 0 sits at index 0 (`create_gabor`).
    static func shiftedGrids(side n: Int) -> (fx: [Double], fy: [Double]) {
        var fx = [Double](repeating: 0, count: n * n), fy = fx
        for r in 0..<n { for c in 0..<n { fx[r * n + c] = Double(c) - Double(n) / 2; fy[r * n + c] = Double(r) - Double(n) / 2 } }
        return (fftshift(fx, side: n), fftshift(fy, side: n))
    }

    /// LEAR's `prefilt(img, 4)`: log, pad by 5 (`image_add_padding`), whiten, normalise the contrast, crop.
    static func referencePrefilter(_ grey: [Double], side n: Int) -> [Double] {
        let p = 5, m = n + 2 * p
        let logged = grey.map { log($0 + 1) }
        // image_add_padding: the image in the middle, rows mirrored above and below, then columns left and right.
        var padded = [Double](repeating: 0, count: m * m)
        for j in 0..<n { for i in 0..<n { padded[(j + p) * m + i + p] = logged[j * n + i] } }
        for j in 0..<p {
            for i in 0..<n {
                padded[j * m + i + p] = logged[(p - j - 1) * n + i]
                padded[(j + p + n) * m + i + p] = logged[(n - j - 1) * n + i]
            }
        }
        for j in 0..<m {
            for i in 0..<p {
                padded[j * m + i] = padded[j * m + p + p - i - 1]
                padded[j * m + i + p + n] = padded[j * m + m - p - i - 1]
            }
        }
        // The Gaussian exp(−(fx² + fy²)/s1²), s1 = 4/√(ln 2), on the shifted grid.
        let s1 = 4 / log(2.0).squareRoot()
        let (fx, fy) = shiftedGrids(side: m)
        let gfc = (0..<(m * m)).map { exp(-(fx[$0] * fx[$0] + fy[$0] * fy[$0]) / (s1 * s1)) }
        func lowPass(_ x: [Double]) -> [Complex] {
            var spectrum = directDFT(x.map { Complex(re: $0, im: 0) }, side: m, sign: -1)
            for i in 0..<(m * m) { spectrum[i].re *= gfc[i]; spectrum[i].im *= gfc[i] }
            return directDFT(spectrum, side: m, sign: 1)
        }
        let smooth = lowPass(padded)
        for i in 0..<(m * m) { padded[i] -= smooth[i].re / Double(m * m) }
        let energy = lowPass(padded.map { $0 * $0 })
        for i in 0..<(m * m) {
            let modulus = (energy[i].re * energy[i].re + energy[i].im * energy[i].im).squareRoot()
            padded[i] /= 0.2 + (modulus / Double(m * m)).squareRoot()
        }
        var output = [Double](repeating: 0, count: n * n)
        for j in 0..<n { for i in 0..<n { output[j * n + i] = padded[(j + p) * m + i + p] } }
        return output
    }

    /// LEAR's `create_gabor`, `gist_gabor` and `down_N` on a prefiltered image.
    static func referenceGabor(_ image: [Double], side n: Int, orientationsPerScale: [Int], blocks: Int) -> [Double] {
        let (fx, fy) = shiftedGrids(side: n)
        var parameters: [(Double, Double, Double, Double)] = []
        for (scale, orientations) in orientationsPerScale.enumerated() {
            for j in 0..<orientations {
                parameters.append((0.35, 0.3 / pow(1.85, Double(scale)),
                                   16 * pow(Double(orientations), 2) / pow(32, 2), Double.pi / Double(orientations) * Double(j)))
            }
        }
        let spectrum = directDFT(image.map { Complex(re: $0, im: 0) }, side: n, sign: -1)
        var descriptor: [Double] = []
        for (a, b, c, theta) in parameters {
            var product = spectrum
            for i in 0..<(n * n) {
                let fr = (fx[i] * fx[i] + fy[i] * fy[i]).squareRoot()
                var tmp = atan2(fy[i], fx[i]) + theta
                if tmp < -Double.pi { tmp += 2 * Double.pi } else if tmp > Double.pi { tmp -= 2 * Double.pi }
                let g = exp(-10 * a * (fr / Double(n) / b - 1) * (fr / Double(n) / b - 1) - 2 * c * Double.pi * tmp * tmp)
                product[i].re *= g
                product[i].im *= g
            }
            let filtered = directDFT(product, side: n, sign: 1)
            let amplitude = filtered.map { ($0.re * $0.re + $0.im * $0.im).squareRoot() / Double(n * n) }
            // down_N: res[k·N + l] is the mean over column block k and row block l.
            let bounds = (0...blocks).map { $0 * n / blocks }
            var cells = [Double](repeating: 0, count: blocks * blocks)
            for l in 0..<blocks {
                for k in 0..<blocks {
                    var sum = 0.0
                    for j in bounds[l]..<bounds[l + 1] { for i in bounds[k]..<bounds[k + 1] { sum += amplitude[j * n + i] } }
                    cells[k * blocks + l] = sum / Double((bounds[l + 1] - bounds[l]) * (bounds[k + 1] - bounds[k]))
                }
            }
            descriptor += cells
        }
        return descriptor
    }

    /// A deterministic grey test image with structure at several scales and orientations, values in 0…255.
    static func testImage(side n: Int, seed: Int = 1) -> [Double] {
        (0..<(n * n)).map { i in
            let r = Double(i / n), c = Double(i % n), s = Double(seed)
            let waves = 60 * sin(0.9 * c + 0.4 * r + s) + 40 * cos(0.35 * r - 0.2 * c * s) + 25 * sin(2.1 * (r + c))
            let ramp = 3 * r - 2 * c
            let speckle = Double((i * 7919 + seed * 104_729) % 37) - 18
            return min(255, max(0, 128 + waves + ramp + speckle))
        }
    }

    /// |a − b| ≤ tolerance · |b| for every entry, reporting the worst.
    func assertRelativelyClose(_ observed: [Double], _ expected: [Double], tolerance: Double,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(observed.count, expected.count, file: file, line: line)
        var worst = 0.0, worstIndex = 0
        for (i, (a, b)) in zip(observed, expected).enumerated() {
            let error = abs(a - b) / max(abs(b), 1e-300)
            if error > worst { worst = error; worstIndex = i }
        }
        XCTAssertLessThanOrEqual(worst, tolerance,
                                 "entry \(worstIndex): expected \(expected[worstIndex]), observed \(observed[worstIndex])",
                                 file: file, line: line)
    }

    // MARK: Against the independent computation

    func testPrefilterIsLEARsPrefiltComputedDirectly() throws {
        for n in [8, 9, 16] {
            let grey = Self.testImage(side: n, seed: n)
            let gist = try GISTDescriptor(imageSize: n)
            assertRelativelyClose(try gist.prefiltered(grey: grey), Self.referencePrefilter(grey, side: n), tolerance: 1e-9)
        }
    }

    func testDescriptorIsLEARsGistComputedDirectly() throws {
        // 16×16 with the 512-d bank; 9×9 (odd: the references' half-bin grid, unequal cells 2,2,2,3) with a small one.
        for (n, orientations, blocks) in [(16, [8, 8, 8, 8], 4), (9, [4, 2], 4), (8, [8, 8, 8, 8], 2)] {
            let grey = Self.testImage(side: n, seed: 3)
            let gist = try GISTDescriptor(imageSize: n, orientationsPerScale: orientations, blocksPerSide: blocks)
            let expected = Self.referenceGabor(Self.referencePrefilter(grey, side: n), side: n,
                                               orientationsPerScale: orientations, blocks: blocks)
            let observed = try gist.describe(grey: grey).map(Double.init)
            XCTAssertEqual(observed.count, orientations.reduce(0, +) * blocks * blocks)
            assertRelativelyClose(observed, expected, tolerance: 1e-4)
        }
    }

    // MARK: Properties

    func testA32x32ImageHas512Values() throws {
        let gist = try GISTDescriptor()
        XCTAssertEqual(gist.dimension, 512)
        let descriptor = try gist.describe(grey: Self.testImage(side: 32))
        XCTAssertEqual(descriptor.count, 512)
        XCTAssertTrue(descriptor.allSatisfy { $0.isFinite && $0 >= 0 }, "amplitudes are moduli")
        XCTAssertGreaterThan(descriptor.max()!, 0.01)
    }

    func testBlankImagesGiveFiniteNearZeroDescriptors() throws {
        // log(1 + c) is constant; the whitening removes a constant exactly (the low-pass has gain 1 at frequency 0),
        // the contrast normalisation divides 0 by 0.2 + 0, and every filter then sees (rounding noise of) zero.
        let gist = try GISTDescriptor()
        for level in [0.0, 1.0, 128.0, 255.0] {
            let descriptor = try gist.describe(grey: [Double](repeating: level, count: 1024))
            XCTAssertTrue(descriptor.allSatisfy(\.isFinite), "grey level \(level)")
            XCTAssertLessThan(descriptor.map { abs($0) }.max()!, 1e-9, "grey level \(level)")
        }
    }

    func testABrightnessGainBarelyChangesGIST() throws {
        // x ↦ s·x adds log s to log(1 + x) wherever x ≫ 1, and the whitening removes any added constant; what is
        // left is log((1 + s·x)/(s·(1 + x))) = log(1 + (1 − s)/(s·(1 + x))), below 1/(s·(1 + x)), which varies little
        // over an image whose grey levels stay well above 1. Then the descriptor hardly moves.
        let gist = try GISTDescriptor()
        let grey = Self.testImage(side: 32).map { 100 + 0.5 * $0 }        // 100 … 227.5
        let base = try gist.describe(grey: grey)
        func relativeChange(_ other: [Float]) -> Double {
            let difference = zip(base, other).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +)
            return (difference / base.map { Double($0) * Double($0) }.reduce(0, +)).squareRoot()
        }
        for gain in [0.5, 1.1] {
            let change = relativeChange(try gist.describe(grey: grey.map { gain * $0 }))
            XCTAssertLessThan(change, 0.01, "gain \(gain)")
        }
        // With grey levels far above 1 the leftover vanishes: the descriptor is then nearly exactly invariant.
        let bright = grey.map { 1000 * $0 }
        let brightBase = try gist.describe(grey: bright)
        let brighter = try gist.describe(grey: bright.map { 3 * $0 })
        assertRelativelyClose(brighter.map(Double.init), brightBase.map(Double.init), tolerance: 1e-4)
        // Whereas another image is far away.
        XCTAssertGreaterThan(relativeChange(try gist.describe(grey: Self.testImage(side: 32, seed: 2))), 0.1)
    }

    // MARK: Feature sets

    func testAFeatureSetHoldsEachImagesGISTOnTheMeanOfItsChannels() throws {
        // 70 images: more than the 64 parallel runs, so runs of one and of two images both occur.
        let count = 70, n = 32
        var pixels: [UInt8] = []
        for image in 0..<count {
            for channel in 0..<3 {
                pixels += Self.testImage(side: n, seed: image * 3 + channel).map { UInt8($0.rounded(.down)) }
            }
        }
        let labels = (0..<count).map { Int32($0 % 10) }
        let features = try FeatureSet(gistOfPlanarPixels: pixels, count: count, channels: 3, height: n, width: n,
                                      labels: labels, classNames: (0..<10).map { "c\($0)" })
        XCTAssertEqual(features.count, count)
        XCTAssertEqual(features.dimension, 512)
        XCTAssertEqual(features.kind, "gist")
        XCTAssertEqual(features.labels, labels)
        let gist = try GISTDescriptor()
        for image in [0, 1, 33, 69] {
            let planes = pixels[(image * 3 * n * n)..<((image + 1) * 3 * n * n)].map(Int.init)
            let grey = (0..<(n * n)).map { Double(planes[$0] + planes[n * n + $0] + planes[2 * n * n + $0]) / 3 }
            XCTAssertEqual(Array(features.row(image)), try gist.describe(grey: grey), "image \(image)")
        }
        // One grey channel is the same image as three equal ones.
        let grey = Array(pixels[0..<(n * n)])
        let one = try FeatureSet(gistOfPlanarPixels: grey, count: 1, channels: 1, height: n, width: n, labels: [0],
                                 classNames: ["a"])
        let three = try FeatureSet(gistOfPlanarPixels: grey + grey + grey, count: 1, channels: 3, height: n, width: n,
                                   labels: [0], classNames: ["a"])
        XCTAssertEqual(one.values, three.values)
    }

    func testGISTFeaturesOfLabeledImages() throws {
        let images = try SyntheticLabeledSet.make(perClass: 2, seed: 3, size: 32)
        let features = try HashingFeatures.gist.features(of: images)
        XCTAssertEqual(features.count, 20)
        XCTAssertEqual(features.dimension, 512)
        XCTAssertEqual(features.kind, "gist")
        XCTAssertEqual(features.labels, images.labels)
        // Other square sizes work too, with the same 512 values.
        let small = try SyntheticLabeledSet.make(perClass: 1, seed: 3, size: 16)
        XCTAssertEqual(try HashingFeatures.gist.features(of: small).dimension, 512)
    }

    // MARK: Bad input

    func testBadInputIsRefusedWithAOneLineReason() {
        func reason(_ body: () throws -> Any) -> String? {
            do { _ = try body(); return nil } catch let error as ShallowHashingError {
                return error.description
            } catch { return "\(error)" }
        }
        let refusals: [(String, () throws -> Any)] = [
            ("square", { try FeatureSet(gistOfPlanarPixels: [UInt8](repeating: 0, count: 32 * 16), count: 1, channels: 1,
                                        height: 32, width: 16, labels: [0], classNames: ["a"]) }),
            ("8×8", { try FeatureSet(gistOfPlanarPixels: [UInt8](repeating: 0, count: 16), count: 1, channels: 1,
                                     height: 4, width: 4, labels: [0], classNames: ["a"]) }),
            ("bytes", { try FeatureSet(gistOfPlanarPixels: [UInt8](repeating: 0, count: 100), count: 1, channels: 3,
                                       height: 32, width: 32, labels: [0], classNames: ["a"]) }),
            ("labels", { try FeatureSet(gistOfPlanarPixels: [UInt8](repeating: 0, count: 1024), count: 1, channels: 1,
                                        height: 32, width: 32, labels: [0, 1], classNames: ["a"]) }),
            ("grey levels", { try GISTDescriptor().describe(grey: [Double](repeating: 0, count: 1000)) }),
            ("≥ 0", { try GISTDescriptor().describe(grey: [Double](repeating: -2, count: 1024)) }),
            ("orientation", { try GISTDescriptor(orientationsPerScale: [8, 0]) }),
            ("blocks", { try GISTDescriptor(blocksPerSide: 40) }),
            ("cutoff", { try GISTDescriptor(prefilterCutoff: 0) }),
        ]
        for (word, body) in refusals {
            guard let message = reason(body) else { XCTFail("accepted: \(word)"); continue }
            XCTAssertTrue(message.contains(word), "\(word): \(message)")
            XCTAssertFalse(message.contains("\n"), message)
        }
    }
}
