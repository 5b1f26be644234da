import Dispatch
import Imaging
import Seeding
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A labelled image set HashLab draws itself, a stand-in for CIFAR-10 that needs no download: ten classes of
/// shapes and textures at 32×32 RGB (any size), any number of images per class, reproducible from a seed.
///
/// Every image is a pure function of (seed, part, index): a random background (flat, a gradient or smooth noise,
/// low contrast), one object of the image's class at a random position, size, rotation and colour that contrasts
/// with the background, sometimes a faint distracting stroke, and per-sample noise of random strength. Classes
/// therefore differ in shape or texture only — colour, position and scale carry no information — so a small
/// conv net learns them well but not instantly (discs vs. rings vs. dots, squares vs. frames vs. checkers become
/// confusable when small and noisy).
///
/// Image `i` has label `i % 10`, so any prefix of the set is nearly class-balanced.
/// Images are drawn on all cores; the result does not depend on how they are scheduled.
public enum SyntheticLabeledSet {
    public static let classNames = ["disc", "ring", "square", "frame", "triangle", "cross", "star",
                                    "stripes", "checker", "dots"]

    /// `perClass · 10` images of `size × size` RGB pixels.
    public static func make(perClass: Int, seed: UInt64, size: Int = 32) throws -> LabeledImages {
        try make(perClass: perClass, seed: seed, size: size, part: 0)
    }

    /// A training and a test part drawn from disjoint random streams of the same seed (like CIFAR-10's two parts),
    /// for the split protocols that take queries from the test part.
    public static func makeTrainingAndTest(trainingPerClass: Int, testPerClass: Int, seed: UInt64,
                                           size: Int = 32) throws -> TrainTestImages {
        try TrainTestImages(training: make(perClass: trainingPerClass, seed: seed, size: size, part: 0),
                            test: make(perClass: testPerClass, seed: seed, size: size, part: 1))
    }

    /// One image of the set (the same bytes as image `index` of `make(perClass:seed:size:)` would have, when it
    /// exists), as an `Image` — handy for showing what a class looks like.
    public static func image(index: Int, seed: UInt64, size: Int = 32) -> Image {
        canvas(label: index % classNames.count, seed: imageSeed(seed, part: 0, index: index), size: size).image()
    }

    static func make(perClass: Int, seed: UInt64, size: Int, part: UInt64) throws -> LabeledImages {
        guard perClass >= 0 else { throw DatasetError.invalidArgument("per-class count \(perClass) is negative") }
        guard size >= 8 else { throw DatasetError.invalidArgument("synthetic images need a size of at least 8, not \(size)") }
        let classes = classNames.count
        let count = perClass * classes
        let imageSize = 3 * size * size
        let labels = (0..<count).map { Int32($0 % classes) }
        var pixels = [UInt8](repeating: 0, count: count * imageSize)
        pixels.withUnsafeMutableBufferPointer { buffer in
            let destination = SyntheticWriteTarget(base: buffer.baseAddress)
            let chunks = min(count, 64)
            guard chunks > 0 else { return }
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for i in stride(from: chunk, to: count, by: chunks) {
                    let picture = canvas(label: i % classes, seed: imageSeed(seed, part: part, index: i), size: size)
                    picture.writePlanarBytes(
                        to: UnsafeMutableBufferPointer(start: destination.base! + i * imageSize, count: imageSize))
                }
            }
        }
        return LabeledImages(count: count, channels: 3, height: size, width: size, pixels: pixels, labels: labels,
                             classNames: classNames)
    }

    static func imageSeed(_ seed: UInt64, part: UInt64, index: Int) -> UInt64 {
        // A SplitMix64-style mix of (seed, part, index), so neighbouring indices get unrelated streams.
        var z = seed &* 0x9E37_79B9_7F4A_7C15 &+ part &* 0xD1B5_4A32_D192_ED03 &+ UInt64(index)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func canvas(label: Int, seed: UInt64, size: Int) -> SyntheticCanvas {
        var g = SeededGenerator(seed: seed)
        let s = Float(size)
        func uniform(_ r: ClosedRange<Float>) -> Float { r.lowerBound + (r.upperBound - r.lowerBound) * g.nextUnitFloat() }

        // Background: light or dark, in one of three styles, low contrast.
        let darkBackground = g.next() & 1 == 0
        let backgroundValue: ClosedRange<Float> = darkBackground ? 0.05...0.45 : 0.55...0.95
        let foregroundValue: ClosedRange<Float> = darkBackground ? 0.6...1 : 0.0...0.4
        let b0 = SyntheticColor.random(saturation: 0...0.8, value: backgroundValue, using: &g)
        let b1 = SyntheticColor.random(saturation: 0...0.8, value: backgroundValue, using: &g)
        var canvas = SyntheticCanvas(width: size, height: size, background: b0)
        switch g.next() % 3 {
        case 0: break
        case 1:
            let a = SyntheticPoint(uniform(0...s), uniform(0...s)), b = SyntheticPoint(uniform(0...s), uniform(0...s))
            canvas.fill(with: .linearGradient(from: a, to: b, start: b0, end: b1))
        default:
            let field = SyntheticValueNoise(scale: s * uniform(0.15...0.4), octaves: 2, using: &g)
            canvas.fill(with: .noise(field, contrast: 2, low: b0, high: b1))
        }

        // The object: a random placement that keeps most of it inside the frame.
        let radius = s * uniform(0.25...0.42)
        let center = SyntheticPoint(uniform((s * 0.3)...(s * 0.7)), uniform((s * 0.3)...(s * 0.7)))
        let angle = uniform(0...(2 * .pi))
        let ink = SyntheticColor.random(saturation: 0...1, value: foregroundValue, using: &g)
        let ink2 = SyntheticColor.random(saturation: 0...1, value: foregroundValue, using: &g)
        let paint: SyntheticPaint = g.next() % 4 == 0
            ? .linearGradient(from: center - SyntheticPoint(radius, radius), to: center + SyntheticPoint(radius, radius),
                              start: ink, end: ink2)
            : .solid(ink)
        let line = max(1.5, radius * uniform(0.2...0.3))
        let patch = SyntheticShape.rectangle(center: center, width: 2 * radius, height: 2 * radius * uniform(0.8...1),
                                             angle: angle)
        switch classNames[label] {
        case "disc":
            canvas.fill(.circle(center: center, radius: radius * 0.85), with: paint)
        case "ring":
            canvas.stroke(.circle(center: center, radius: radius * 0.8), lineWidth: line, with: paint)
        case "square":
            canvas.fill(.rectangle(center: center, width: 1.5 * radius, height: 1.5 * radius, angle: angle), with: paint)
        case "frame":
            canvas.stroke(.rectangle(center: center, width: 1.6 * radius, height: 1.6 * radius, angle: angle),
                          lineWidth: line, with: paint)
        case "triangle":
            canvas.fill(.regularPolygon(center: center, radius: radius, sides: 3, angle: angle), with: paint)
        case "cross":
            canvas.fill(.rectangle(center: center, width: 2 * radius, height: line * 1.3, angle: angle), with: paint)
            canvas.fill(.rectangle(center: center, width: line * 1.3, height: 2 * radius, angle: angle), with: paint)
        case "star":
            canvas.fill(.star(center: center, outerRadius: radius, innerRadius: radius * 0.42, points: 5, angle: angle),
                        with: paint)
        case "stripes":
            let period = max(3, radius * uniform(0.45...0.7))
            canvas.fill(patch, with: .stripes(angle: angle, period: period, duty: 0.5, stripe: ink,
                                              background: ink.mixed(with: b0, by: 0.75)))
        case "checker":
            let cell = max(2, radius * uniform(0.35...0.5))
            canvas.fill(patch, with: .checker(cell: cell, angle: angle, first: ink, second: ink.mixed(with: b0, by: 0.75)))
        default: // dots
            let spacing = max(4, radius * uniform(0.55...0.75))
            canvas.fill(patch, with: .dots(spacing: spacing, radius: spacing * 0.28, angle: angle, dot: ink,
                                           background: ink.mixed(with: b0, by: 0.75)))
        }

        // Sometimes a faint stroke across the picture, unrelated to the class.
        if g.next() % 4 == 0 {
            let a = SyntheticPoint(uniform(0...s), uniform(0...s)), b = SyntheticPoint(uniform(0...s), uniform(0...s))
            canvas.fill(.line(from: a, to: b, width: uniform(1...2.5)), with: .solid(ink2), opacity: uniform(0.15...0.35))
        }
        canvas.addNoise(standardDeviation: uniform(0.01...0.05), using: &g)
        return canvas
    }
}

/// The shared output buffer the workers write disjoint byte ranges of.
private struct SyntheticWriteTarget: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>?
}
