import ClassicHashing
import Foundation
import Imaging
import XCTest

final class ImageHashTests: XCTestCase {
    func testHexRoundTripsAndLengths() throws {
        let phash = try ImageHash(hex: "c2924c5532bddfc8", kind: .phash)
        XCTAssertEqual(phash.bits.count, 64)
        XCTAssertEqual(phash.hexString, "c2924c5532bddfc8")
        XCTAssertEqual(Array(phash.bits.prefix(8)), [true, true, false, false, false, false, true, false])  // 0xc2
        let color = try ImageHash(hex: "0b400018000", kind: .colorhash)
        XCTAssertEqual(color.bits.count, 42)
        XCTAssertEqual([color.gridWidth, color.gridHeight], [3, 14])
        XCTAssertEqual(color.hexString, "0b400018000")
        XCTAssertThrowsError(try ImageHash(hex: "0b40001800", kind: .colorhash))  // 10 digits
        XCTAssertThrowsError(try ImageHash(hex: "4b400018000", kind: .colorhash))  // a bit beyond 42
        XCTAssertThrowsError(try ImageHash(hex: "c2924c5532bddfcz", kind: .ahash))
        let big = try ImageHash(hex: String(repeating: "a5", count: 32), kind: .dhash, size: 16)
        XCTAssertEqual(big.bits.count, 256)
        XCTAssertEqual(big.hexString, String(repeating: "a5", count: 32))
    }

    func testHammingDistanceCountsDifferingBits() throws {
        let a = try ImageHash(hex: "ffcf8f07071f1f1f", kind: .ahash)
        let b = try ImageHash(hex: "ffcf8f07071f1f16", kind: .ahash)  // 0x1f ^ 0x16 = 0x09: two bits
        XCTAssertEqual(a.hammingDistance(to: a), 0)
        XCTAssertEqual(a.hammingDistance(to: b), 2)
        XCTAssertEqual(a.differingBits(from: b), [60, 63])
        let zero = try ImageHash(hex: "0000000000000000", kind: .ahash)
        let ones = try ImageHash(hex: "ffffffffffffffff", kind: .ahash)
        XCTAssertEqual(zero.hammingDistance(to: ones), 64)
    }

    func testHashSizesAndTheirLimits() throws {
        var pixels: [UInt8] = []
        for y in 0..<64 { for x in 0..<96 { pixels += [UInt8(x * 2), UInt8(y * 3), UInt8((x + y) % 256)] } }
        let image = Image(width: 96, height: 64, channels: 3, samples: pixels)
        XCTAssertEqual(try hash(image, kind: .ahash, size: 16).hexString.count, 64)
        XCTAssertEqual(try hash(image, kind: .dhash, size: 4).hexString.count, 4)
        XCTAssertEqual(try hash(image, kind: .phash, size: 12).bits.count, 144)
        XCTAssertEqual(try hash(image, kind: .whash, size: 16).bits.count, 256)
        XCTAssertEqual(try hash(image, kind: .colorhash, binBits: 4).hexString.count, 14)  // 56 bits
        XCTAssertEqual(try hash(image, kind: .colorhash, size: 16).hexString.count, 11)  // size is not binbits
        XCTAssertThrowsError(try hash(image, kind: .whash, size: 6))  // not a power of two
        XCTAssertThrowsError(try hash(image, kind: .ahash, size: 1))
        // A side under the hash size is scaled up (image_scale = max(4, 8)), as imagehash does: a black picture
        // has no detail, so every coefficient is 0, none exceeds the median 0, and the hash is all zeros.
        XCTAssertEqual(try waveletHash(Image(width: 4, height: 40, channels: 1), size: 8).hexString, "0000000000000000")
        XCTAssertThrowsError(try waveletHash(image, size: 8, imageScale: 4))  // hash_size in a wrong range
        XCTAssertThrowsError(try waveletHash(image, size: 8, imageScale: 48))
        XCTAssertEqual(try waveletHash(image, size: 8, imageScale: 128).bits.count, 64)
        // A horizontal ramp: every right neighbour is brighter, so dhash is all ones, and ahash's right half set.
        let ramp = Image(width: 90, height: 8, channels: 1, samples: (0..<720).map { UInt8($0 % 90 * 2) })
        XCTAssertEqual(try differenceHash(ramp).hexString, "ffffffffffffffff")
        XCTAssertEqual(try averageHash(ramp).hexString, "0f0f0f0f0f0f0f0f")
        XCTAssertEqual(try ImageHash(of: ramp, kind: .dhash), try hash(ramp, kind: .dhash))
    }

    /// phash against a direct DCT-II written here (y[k] = 2 Σ x[n] cos(π k (2n+1) / 2N), columns then rows) on
    /// random 32×32 gray images (no resize, so only the transform and the median are tested): random pictures
    /// have no ties at the median, so every bit must agree.
    func testPerceptualHashMatchesADirectDCT() throws {
        var state: UInt64 = 0x9e37_79b9_7f4a_7c15
        for trial in 0..<20 {
            let pixels: [UInt8] = (0..<1024).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
            let x = pixels.map(Double.init)
            func basis(_ k: Int, _ i: Int) -> Double { 2 * cos(Double.pi * Double(k) * Double(2 * i + 1) / 64) }
            var coefficients: [Double] = []
            for k in 0..<8 {
                for l in 0..<8 {
                    var sum = 0.0
                    for row in 0..<32 { for column in 0..<32 { sum += basis(k, row) * basis(l, column) * x[row * 32 + column] } }
                    coefficients.append(sum)
                }
            }
            let sorted = coefficients.sorted()
            let median = (sorted[31] + sorted[32]) / 2
            let expected = coefficients.map { $0 > median }
            let image = Image(width: 32, height: 32, channels: 1, samples: pixels)
            XCTAssertEqual(try perceptualHash(image).bits, expected, "trial \(trial)")
            XCTAssertEqual(try perceptualHash(image, size: 4, highFrequencyFactor: 8).bits.count, 16)
        }
    }

    func testColorHashBinsAGrayAndABlackImage() throws {
        // 42 bits printed as 11 hex digits: two zero pad bits, then 14 values of 3 bits.
        // All black: black fraction 1 → value 7 → 00|111|000… = 0011 1000 … = "38…".
        XCTAssertEqual(try colorHash(Image(width: 4, height: 4, channels: 3, fill: 0)).hexString, "38000000000")
        // All mid gray: gray fraction 1 → 7 in the second value: 00|000|111|000… = "07…".
        XCTAssertEqual(try colorHash(Image(width: 4, height: 4, channels: 1, fill: 128)).hexString, "07000000000")
        // Pure red, fully saturated: the first bright hue bin (value 8, bits 26…28 after padding) is 7.
        let red = Image(width: 2, height: 2, channels: 3, samples: [UInt8](repeating: 0, count: 12).enumerated().map {
            $0.offset % 3 == 0 ? 255 : 0
        })
        XCTAssertEqual(try colorHash(red).hexString, "00000038000")
    }

    func testFolderHashingReportsFailuresAndWritesTheTable() throws {
        let folder = NSTemporaryDirectory() + "hashlab-folder-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ramp = Image(width: 90, height: 8, channels: 1, samples: (0..<720).map { UInt8($0 % 90 * 2) })
        try ramp.writePNG(to: folder + "/b.png")
        try ramp.writePNG(to: folder + "/sub/a.PNG")
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/broken.png", contents: Data("nope".utf8)))
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/notes.txt", contents: Data("skip me".utf8)))
        let rows = try hashFolder(folder, kinds: [.dhash, .ahash])
        XCTAssertEqual(rows.map(\.file), ["b.png", "broken.png", "sub/a.PNG"])
        XCTAssertNotNil(rows[1].failure)
        XCTAssertTrue(rows[1].failure!.contains("broken.png"))
        XCTAssertEqual(rows[0].hashes.map { $0?.hexString }, ["ffffffffffffffff", "0f0f0f0f0f0f0f0f"])
        let table = hashTableTSV(rows, kinds: [.dhash, .ahash])
        XCTAssertEqual(table, "file\tdhash\tahash\nb.png\tffffffffffffffff\t0f0f0f0f0f0f0f0f\n"
                       + "sub/a.PNG\tffffffffffffffff\t0f0f0f0f0f0f0f0f\n")
        try writeHashTable(rows, kinds: [.dhash, .ahash], to: folder + "/hashes.tsv")
        XCTAssertEqual(try String(contentsOfFile: folder + "/hashes.tsv", encoding: .utf8), table)
        // A kind that fails (whash refuses a hash size that is not a power of two) leaves its cell empty, `-` in
        // the TSV, with the reason; the other kind's hashes stand.
        let mixed = try hashFolder(folder, kinds: [.ahash, .whash], size: 6)
        XCTAssertEqual(mixed[0].hashes[0]?.bits.count, 36)
        XCTAssertNil(mixed[0].hashes[1])
        XCTAssertNil(mixed[0].failure)
        XCTAssertEqual(mixed[0].cellFailures[.whash], "whash needs a power-of-two hash size, got 6")
        XCTAssertEqual(hashTableTSV(mixed, kinds: [.ahash, .whash]).split(separator: "\n")[1],
                       "b.png\t\(mixed[0].hashes[0]!.hexString)\t-")
        XCTAssertThrowsError(try hashFolder(folder + "/missing", kinds: [.ahash])) { error in
            XCTAssertTrue("\(error)".contains("missing"))
        }
    }
}
