import Foundation
import XCTest
import Learning

/// Where `../shared` is: `HASHLAB_SHARED`, or beside the package root (this file is Tests/LearningTests/…).
func sharedFolder() -> URL {
    if let path = ProcessInfo.processInfo.environment["HASHLAB_SHARED"] { return URL(fileURLWithPath: path) }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared").standardizedFileURL
}

func cifarFolder() throws -> String {
    let folder = sharedFolder().appendingPathComponent("data/cifar-10-batches-bin").path
    guard FileManager.default.fileExists(atPath: folder + "/test_batch.bin") else {
        throw XCTSkip("../shared/data/cifar-10-batches-bin is absent: \(folder)")
    }
    return folder
}

/// A fresh temporary folder, removed at the end of the test.
func temporaryFolder(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-data-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

/// A set of 4-byte, 1×4 gray images whose bytes spell their own index (little-endian), so any part of a split can
/// be traced back to its source image by content.
func tracedImages(labels: [Int32], classes: Int = 10, offset: Int = 0) -> LabeledImages {
    var pixels: [UInt8] = []
    for i in 0..<labels.count {
        let v = UInt32(i + offset)
        pixels += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
    }
    return LabeledImages(count: labels.count, channels: 1, height: 1, width: 4, pixels: pixels, labels: labels,
                         classNames: (0..<classes).map { "class\($0)" })
}

/// The index a traced image spells.
func tracedIndex(_ images: LabeledImages, _ n: Int) -> Int {
    let p = images.pixels
    return Int(p[4 * n]) | Int(p[4 * n + 1]) << 8 | Int(p[4 * n + 2]) << 16 | Int(p[4 * n + 3]) << 24
}

func tracedIndices(_ images: LabeledImages) -> [Int] { (0..<images.count).map { tracedIndex(images, $0) } }
