import ClassicHashing
import Codes
import Foundation
import Imaging
import XCTest

/// A hash's bits are a `BitCode`, in imagehash's row-major order: its Hamming distance is the code's, the hex
/// string is unchanged at any length, and a folder's hashes become a `CodeSet` with nothing converted.
final class HashCodeTests: XCTestCase {
    /// The hashes the `hash` command can make, at lengths a learned code never has: 4 bits (hash size 2), 9 (size
    /// 3), 14 (colour hash, binbits 1), 42 (binbits 3), 289 (size 17), 1,024 (size 32) and 4,096 (size 64).
    let settings: [(kind: HashKind, size: Int, binBits: Int, bits: Int)] = [
        (.ahash, 2, 3, 4), (.dhash, 3, 3, 9), (.colorhash, 8, 1, 14), (.colorhash, 8, 3, 42), (.phash, 17, 3, 289),
        (.whash, 32, 3, 1024), (.dhash, 32, 3, 1024), (.ahash, 64, 3, 4096),
    ]

    let pictures = [SyntheticPicture.make(.scene, size: 96, seed: 3), SyntheticPicture.make(.shapes, size: 80, seed: 5),
                    SyntheticPicture.make(.scene, width: 33, height: 17, seed: 9),
                    Image(width: 1, height: 1, channels: 3, samples: [200, 40, 90])]

    func testTheCodeIsTheBitsRowByRow() throws {
        let phash = try ImageHash(hex: "c2924c5532bddfc8", kind: .phash)
        XCTAssertEqual(phash.code, try BitCode(bits: phash.bits))
        XCTAssertEqual(phash.code.description.prefix(8), "11000010")  // 0xc2: the first row, left to right
        XCTAssertEqual(phash.bitCount, 64)
        // Row r, column c of the grid is bit r · width + c: the 42-bit colour hash is 14 rows of 3.
        let color = try hash(pictures[0], kind: .colorhash)
        let rows = color.bits.count / color.gridWidth
        XCTAssertEqual(rows, 14)
        for row in 0..<rows {
            for column in 0..<color.gridWidth {
                XCTAssertEqual(color.code[row * color.gridWidth + column], color.bits[row * color.gridWidth + column])
            }
        }
        XCTAssertThrowsError(try ImageHash(hex: "", kind: .ahash, size: 0)) { error in
            XCTAssertEqual("\(error)", "a ahash of size 0 has no bits")
        }
    }

    func testDistancesAndHexAgreeAtEveryLengthTheShellMakes() throws {
        for setting in settings {
            let hashes = try pictures.map {
                try hash($0, kind: setting.kind, size: setting.size, binBits: setting.binBits)
            }
            let label = "\(setting.kind) size \(setting.size) binbits \(setting.binBits)"
            let codes = try CodeSet(hashes: hashes)
            XCTAssertEqual(codes.bitCount, setting.bits, label)
            for (i, a) in hashes.enumerated() {
                XCTAssertEqual(a.bitCount, setting.bits, label)
                XCTAssertEqual(codes[i], a.code, label)
                // The hex string reads back to the same hash (imagehash's `hex_to_hash`, bit-exact).
                let size = setting.kind == .colorhash ? setting.binBits : setting.size
                XCTAssertEqual(try ImageHash(hex: a.hexString, kind: setting.kind, size: size), a, label)
                XCTAssertEqual(a.hexString.count, (setting.bits + 3) / 4, label)
                for b in hashes {
                    let differing = zip(a.bits, b.bits).filter { $0 != $1 }.count  // counted bit by bit
                    XCTAssertEqual(a.hammingDistance(to: b), differing, label)
                    XCTAssertEqual(a.code.distance(to: b.code), differing, label)
                    XCTAssertEqual(a.differingBits(from: b), a.bits.indices.filter { a.bits[$0] != b.bits[$0] }, label)
                }
            }
        }
    }

    func testOnePixelPicturesHashAtEverySize() throws {
        let pixel = pictures[3]
        for size in [2, 3, 5, 16, 17, 64] {
            for kind in [HashKind.ahash, .dhash, .phash] {
                XCTAssertEqual(try hash(pixel, kind: kind, size: size).bitCount, size * size, "\(kind) \(size)")
            }
        }
        for size in [2, 4, 32, 64] { XCTAssertEqual(try hash(pixel, kind: .whash, size: size).bitCount, size * size) }
        for binBits in [1, 2, 16] { XCTAssertEqual(try hash(pixel, kind: .colorhash, binBits: binBits).bitCount, 14 * binBits) }
    }

    func testMixedHashesMakeNoCodeSet() throws {
        let picture = pictures[0]
        XCTAssertThrowsError(try CodeSet(hashes: [hash(picture, kind: .ahash), hash(picture, kind: .dhash)])) {
            XCTAssertEqual("\($0)", "one code set cannot hold a 64-bit ahash and a 64-bit dhash")
        }
        XCTAssertThrowsError(try CodeSet(hashes: [hash(picture, kind: .ahash), hash(picture, kind: .ahash, size: 4)]))
        XCTAssertEqual(try CodeSet(hashes: [], bitCount: 64).count, 0)
        let labelled = try CodeSet(hashes: [hash(picture, kind: .phash)], labels: [7], names: ["photo"])
        XCTAssertEqual(labelled.labels, [7])
        XCTAssertEqual(labelled.names, ["photo"])
    }

    /// A folder's table gives each column as codes: one per image with a hash of that kind, named by its file,
    /// equal to hashing that file alone.
    func testAFoldersCodesAreItsFilesHashes() throws {
        let folder = NSTemporaryDirectory() + "hashlab-codes-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = ["a.png", "b.png", "sub/c.png", "sub/d.png"]
        for (file, picture) in zip(files, pictures) { try picture.writePNG(to: folder + "/" + file) }
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/broken.png", contents: Data("nope".utf8)))
        for size in [2, 6, 32] {
            let kinds: [HashKind] = [.dhash, .whash, .colorhash]
            let table = HashTable(source: folder, kinds: kinds, rows: try hashFolder(folder, kinds: kinds, size: size))
            for kind in [HashKind.dhash, .colorhash] {
                let codes = try table.codes(of: kind)
                XCTAssertEqual(codes.names, files, "\(kind) size \(size)")  // the broken file has no code
                XCTAssertEqual(codes.bitCount, kind == .colorhash ? 42 : size * size)
                for (index, file) in files.enumerated() {
                    let alone = try hash(Image.read(imageAt: folder + "/" + file), kind: kind, size: size)
                    XCTAssertEqual(codes[index], alone.code, "\(file) \(kind) size \(size)")
                }
            }
            if size == 6 {  // whash refuses a size that is not a power of two: an empty column has no codes
                XCTAssertThrowsError(try table.codes(of: .whash)) {
                    XCTAssertEqual("\($0)", "no image of \(folder) has a whash hash")
                }
            } else {
                XCTAssertEqual(try table.codes(of: .whash).count, files.count)
            }
            XCTAssertThrowsError(try table.codes(of: .phash)) {
                XCTAssertEqual("\($0)", "the hashes of \(folder) have no phash column")
            }
        }
    }
}
