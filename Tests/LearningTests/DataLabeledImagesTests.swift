import XCTest
import Imaging
import Learning

final class DataLabeledImagesTests: XCTestCase {
    func testImagesRoundTripBetweenInterleavedAndPlanar() throws {
        var a = Image(width: 3, height: 2, channels: 3)
        for i in 0..<a.samples.count { a.samples[i] = UInt8(i) }
        var b = Image(width: 3, height: 2, channels: 3)
        for i in 0..<b.samples.count { b.samples[i] = UInt8(100 + i) }
        let set = try LabeledImages(images: [a, b], labels: [1, 0], classNames: ["x", "y"])
        // Planar: all red samples (0, 3, 6, 9, 12, 15) first, then green, then blue.
        XCTAssertEqual(Array(set.pixels[0..<18]), [0, 3, 6, 9, 12, 15, 1, 4, 7, 10, 13, 16, 2, 5, 8, 11, 14, 17])
        XCTAssertEqual(set.image(at: 0), a)
        XCTAssertEqual(set.image(at: 1), b)
        XCTAssertThrowsError(try LabeledImages(images: [a, Image(width: 2, height: 2, channels: 3)], labels: [0, 0],
                                               classNames: ["x"]))
        XCTAssertThrowsError(try LabeledImages(images: [a], labels: [2], classNames: ["x", "y"]))
    }

    func testSubsetConcatenationAndCounts() throws {
        let set = tracedImages(labels: [0, 1, 1, 2, 2, 2], classes: 4)
        XCTAssertEqual(set.classCounts, [1, 2, 3, 0])
        XCTAssertEqual(set.indicesByClass, [[0], [1, 2], [3, 4, 5], []])
        XCTAssertEqual(set.summary, "6 images of 4×1×1, 4 classes: class0 1, class1 2, class2 3, class3 0")
        let picked = set.subset([5, 0, 5])
        XCTAssertEqual(tracedIndices(picked), [5, 0, 5])
        XCTAssertEqual(picked.labels, [2, 0, 2])
        XCTAssertEqual(set.subset([]).count, 0)
        let joined = try LabeledImages.concatenating([set, picked])
        XCTAssertEqual(joined.count, 9)
        XCTAssertEqual(tracedIndices(joined), [0, 1, 2, 3, 4, 5, 5, 0, 5])
        XCTAssertEqual(joined.classCounts, [2, 2, 5, 0])
        XCTAssertThrowsError(try LabeledImages.concatenating([set, tracedImages(labels: [0], classes: 3)])) {
            XCTAssertTrue("\($0)".contains("class names"), "\($0)")
        }
        XCTAssertThrowsError(try LabeledImages.concatenating([]))
    }

    func testTakingPerClassIsBalancedSeededAndChecked() throws {
        var labels: [Int32] = []
        for k in 0..<5 { labels += [Int32](repeating: Int32(k), count: 10 + 3 * k) }
        let set = tracedImages(labels: labels, classes: 5)
        let sample = try set.taking(perClass: 4, seed: 2)
        XCTAssertEqual(sample.classCounts, [4, 4, 4, 4, 4])
        XCTAssertEqual(Set(tracedIndices(sample)).count, 20, "no image twice")
        for n in 0..<sample.count { XCTAssertEqual(sample.labels[n], set.labels[tracedIndex(sample, n)]) }
        XCTAssertEqual(try set.taking(perClass: 4, seed: 2), sample)
        XCTAssertNotEqual(try set.takingIndices(perClass: 4, seed: 3), try set.takingIndices(perClass: 4, seed: 2))
        XCTAssertThrowsError(try set.taking(perClass: 11, seed: 1)) {
            XCTAssertEqual("\($0)", "class 'class0' has 10 images, 11 needed for taking 11 per class")
        }
    }
}
