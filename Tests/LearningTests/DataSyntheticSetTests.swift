import XCTest
import Learning

final class DataSyntheticSetTests: XCTestCase {
    func testShapeLabelsAndBalance() throws {
        let set = try SyntheticLabeledSet.make(perClass: 7, seed: 1)
        XCTAssertEqual(set.count, 70)
        XCTAssertEqual(set.channels, 3)
        XCTAssertEqual(set.height, 32)
        XCTAssertEqual(set.width, 32)
        XCTAssertEqual(set.pixels.count, 70 * 3072)
        XCTAssertEqual(set.classNames.count, 10)
        XCTAssertEqual(Set(set.classNames).count, 10)
        XCTAssertEqual(set.classCounts, [Int](repeating: 7, count: 10))
        XCTAssertEqual(set.labels, (0..<70).map { Int32($0 % 10) })
        let small = try SyntheticLabeledSet.make(perClass: 2, seed: 1, size: 16)
        XCTAssertEqual(small.pixels.count, 20 * 3 * 16 * 16)
        XCTAssertEqual(try SyntheticLabeledSet.make(perClass: 0, seed: 1).count, 0)
        XCTAssertThrowsError(try SyntheticLabeledSet.make(perClass: -1, seed: 1))
    }

    func testSameSeedSameBytesDifferentSeedDifferent() throws {
        let a = try SyntheticLabeledSet.make(perClass: 20, seed: 5)
        let b = try SyntheticLabeledSet.make(perClass: 20, seed: 5)
        let c = try SyntheticLabeledSet.make(perClass: 20, seed: 6)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.pixels, c.pixels)
        // Every image differs from every other: no repeated random stream.
        XCTAssertEqual(Set((0..<a.count).map { a.image(at: $0).samples }).count, a.count)
        // A larger set starts with the smaller one: image i depends on (seed, i) only.
        let larger = try SyntheticLabeledSet.make(perClass: 30, seed: 5)
        XCTAssertEqual(Array(larger.pixels[0..<(200 * 3072)]), a.pixels)
        XCTAssertEqual(SyntheticLabeledSet.image(index: 13, seed: 5), a.image(at: 13))
    }

    func testTrainingAndTestAreDifferentImages() throws {
        let parts = try SyntheticLabeledSet.makeTrainingAndTest(trainingPerClass: 10, testPerClass: 4, seed: 2)
        XCTAssertEqual(parts.training.count, 100)
        XCTAssertEqual(parts.test.count, 40)
        let trainingImages = Set((0..<100).map { parts.training.image(at: $0).samples })
        for n in 0..<40 { XCTAssertFalse(trainingImages.contains(parts.test.image(at: n).samples)) }
    }

    /// Colour and position carry no class information: a nearest-class-mean classifier on raw pixels, fitted on
    /// one seed and scored on another, stays near chance, while the same classifier on a simple shape feature
    /// (per-image contrast-normalised gray, absolute difference from the image's own median) does better —
    /// i.e. classes differ in shape, not in colour.
    func testClassesDifferInShapeNotColour() throws {
        let training = try SyntheticLabeledSet.make(perClass: 200, seed: 11)
        let test = try SyntheticLabeledSet.make(perClass: 50, seed: 12)
        func rawFeature(_ set: LabeledImages, _ n: Int) -> [Float] {
            (0..<3072).map { Float(set.pixels[n * 3072 + $0]) / 255 }
        }
        func shapeFeature(_ set: LabeledImages, _ n: Int) -> [Float] {
            let gray = (0..<1024).map { i -> Float in
                let p = set.pixels
                return (Float(p[n * 3072 + i]) + Float(p[n * 3072 + 1024 + i]) + Float(p[n * 3072 + 2048 + i])) / 765
            }
            let median = gray.sorted()[512]
            let deviation = gray.map { abs($0 - median) }
            let scale = max(deviation.max() ?? 1, 1e-3)
            return deviation.map { $0 / scale }
        }
        func accuracy(_ feature: (LabeledImages, Int) -> [Float]) -> Double {
            let size = feature(training, 0).count
            var means = [[Float]](repeating: [Float](repeating: 0, count: size), count: 10)
            for n in 0..<training.count {
                let f = feature(training, n)
                let label = Int(training.labels[n])
                for k in 0..<size { means[label][k] += f[k] / 200 }
            }
            var correct = 0
            for n in 0..<test.count {
                let f = feature(test, n)
                let distances = means.map { m in zip(m, f).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
                if distances.firstIndex(of: distances.min()!)! == Int(test.labels[n]) { correct += 1 }
            }
            return Double(correct) / Double(test.count)
        }
        let raw = accuracy(rawFeature)
        let shape = accuracy(shapeFeature)
        print("nearest class mean on the synthetic set: raw pixels \(raw), shape feature \(shape)")
        XCTAssertLessThan(raw, 0.3, "raw pixels: \(raw)")
        XCTAssertGreaterThan(shape, raw + 0.1, "shape feature \(shape) vs raw \(raw)")
    }
}
