import XCTest
import Learning
import Seeding

final class BatchingTests: XCTestCase {
    private let images = bandImages(count: 37, channels: 2, size: 6, seed: 3)

    func testMisfitsAreErrorsNotCrashes() throws {
        XCTAssertThrowsError(try Batcher(images: images, batchSize: 0, normalization: .identity(channels: 2), seed: 1))
        XCTAssertThrowsError(try Batcher(images: images, batchSize: 4, normalization: .identity(channels: 3), seed: 1))
        let network = try Network(spec: .smallMLP(inputShape: [2, 6, 6], outputs: 2), seed: 1)
        // bandImages has 4 classes, the net only 2 outputs.
        XCTAssertThrowsError(try Trainer(network: network, loss: SoftmaxCrossEntropy(), images: images,
                                         normalization: .identity(channels: 2),
                                         configuration: TrainingConfiguration(epochs: 1))) { error in
            XCTAssertTrue("\(error)".contains("does not fit"), "\(error)")
        }
        XCTAssertThrowsError(try network.outputs(for: bandImages(count: 3, channels: 3, size: 6, seed: 1),
                                                 normalization: .identity(channels: 3)))
    }

    func testNormalizationMeasuresEachChannel() {
        let normalization = Normalization(measuring: images)
        for c in 0..<2 {
            var values: [Double] = []
            for n in 0..<37 { for p in 0..<36 { values.append(Double(images.pixels[(n * 2 + c) * 36 + p])) } }
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            XCTAssertEqual(Double(normalization.mean[c]), mean, accuracy: 1e-3)
            XCTAssertEqual(Double(normalization.deviation[c]), deviation, accuracy: 1e-3)
        }
    }

    func testUnaugmentedBatchesAreNormalisedPixelsInShuffledOrder() throws {
        let normalization = Normalization(mean: [10, 20], deviation: [2, 4])
        let batcher = try Batcher(images: images, batchSize: 8, normalization: normalization, seed: 5)
        XCTAssertEqual(batcher.batchesPerEpoch, 5)
        let order = batcher.order(epoch: 0)
        XCTAssertEqual(order.sorted(), Array(0..<37))
        XCTAssertNotEqual(order, Array(0..<37))
        XCTAssertEqual(order, batcher.order(epoch: 0))
        XCTAssertNotEqual(order, batcher.order(epoch: 1))
        var batch = Tensor(shape: [0]), labels: [Int32] = []
        batcher.fill(batch: &batch, labels: &labels, index: 4, epoch: 0, order: order, training: false)
        XCTAssertEqual(batch.shape, [5, 2, 6, 6])
        for slot in 0..<5 {
            let item = order[32 + slot]
            XCTAssertEqual(labels[slot], images.labels[item])
            for c in 0..<2 { for p in 0..<36 {
                let expected = (Float(images.pixels[(item * 2 + c) * 36 + p]) - normalization.mean[c]) / normalization.deviation[c]
                XCTAssertEqual(batch[(slot * 2 + c) * 36 + p], expected, accuracy: 1e-6)
            }}
        }
    }

    /// Every augmented image is its source shifted by (dy, dx) in ±pad and maybe mirrored, zeros outside.
    func testCropAndMirrorAreShiftsAndFlipsOfTheSource() throws {
        let batcher = try Batcher(images: images, batchSize: 37, normalization: .identity(channels: 2),
                              augmentation: Augmentation(cropPadding: 2, mirror: true), shuffles: false, seed: 8)
        var batch = Tensor(shape: [0]), labels: [Int32] = []
        batcher.fill(batch: &batch, labels: &labels, index: 0, epoch: 0, order: batcher.order(epoch: 0))
        var mirrored = 0, shifted = 0
        for n in 0..<37 {
            var found = false
            search: for flip in [false, true] { for dy in -2...2 { for dx in -2...2 {
                var same = true
                check: for c in 0..<2 { for y in 0..<6 { for x in 0..<6 {
                    let sx = (flip ? 5 - x : x) + dx, sy = y + dy
                    let expected: Float = (sx >= 0 && sx < 6 && sy >= 0 && sy < 6)
                        ? Float(images.pixels[(n * 2 + c) * 36 + sy * 6 + sx]) : 0
                    if batch[(n * 2 + c) * 36 + y * 6 + x] != expected { same = false; break check }
                }}}
                if same { found = true; if flip { mirrored += 1 }; if dx != 0 || dy != 0 { shifted += 1 }; break search }
            }}}
            XCTAssertTrue(found, "image \(n) is no crop/mirror of its source")
        }
        XCTAssertGreaterThan(mirrored, 5)
        XCTAssertGreaterThan(shifted, 20)
        // Same seed, same batch; inference never augments.
        var again = Tensor(shape: [0])
        batcher.fill(batch: &again, labels: &labels, index: 0, epoch: 0, order: batcher.order(epoch: 0))
        XCTAssertEqual(again, batch)
        batcher.fill(batch: &again, labels: &labels, index: 0, epoch: 0, order: batcher.order(epoch: 0), training: false)
        XCTAssertEqual(again.storage, images.pixels.map(Float.init))
    }
}
