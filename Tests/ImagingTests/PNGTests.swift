import Foundation
import Imaging
import Seeding
import XCTest

final class PNGTests: XCTestCase {
    // MARK: every colour type and depth, decoded as Pillow opens it

    func decode(_ bytes: [UInt8]) throws -> Image { try Image(pngData: bytes) }

    func testGrayOneTwoFourBitsScaleToEightBits() throws {
        let one = try decode(HandMadePNG.encode(width: 9, height: 2, bitDepth: 1, colorType: 0,
                                                samples: [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]))
        XCTAssertEqual(one.channels, 1)
        XCTAssertEqual(one.samples, [0, 255, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 0, 0])
        let two = try decode(HandMadePNG.encode(width: 5, height: 1, bitDepth: 2, colorType: 0, samples: [0, 1, 2, 3, 1]))
        XCTAssertEqual(two.samples, [0, 85, 170, 255, 85])
        let four = try decode(HandMadePNG.encode(width: 3, height: 1, bitDepth: 4, colorType: 0, samples: [0, 7, 15]))
        XCTAssertEqual(four.samples, [0, 119, 255])
        let eight = try decode(HandMadePNG.encode(width: 3, height: 1, bitDepth: 8, colorType: 0, samples: [0, 77, 255]))
        XCTAssertEqual(eight.samples, [0, 77, 255])
    }

    func testSixteenBitGraySaturatesLikePillowsI16ToL() throws {
        // Pillow opens 16-bit gray as "I;16"; convert("L") keeps values up to 255 and clips the rest to 255.
        let image = try decode(HandMadePNG.encode(width: 6, height: 1, bitDepth: 16, colorType: 0,
                                                  samples: [0, 1, 255, 256, 0x12ff, 65535]))
        XCTAssertEqual(image.channels, 1)
        XCTAssertEqual(image.samples, [0, 1, 255, 255, 255, 255])
    }

    func testSixteenBitColourKeepsTheHighByte() throws {
        let rgb = try decode(HandMadePNG.encode(width: 2, height: 1, bitDepth: 16, colorType: 2,
                                                samples: [0x12ff, 0x0080, 0xffff, 0x00ff, 0x8000, 0x7fff]))
        XCTAssertEqual(rgb.channels, 3)
        XCTAssertEqual(rgb.samples, [0x12, 0x00, 0xff, 0x00, 0x80, 0x7f])  // not rounded: 0x12ff → 0x12
        let rgba = try decode(HandMadePNG.encode(width: 1, height: 1, bitDepth: 16, colorType: 6,
                                                 samples: [0x12ff, 0x3456, 0x789a, 0x01ff]))
        XCTAssertEqual(rgba.samples, [0x12, 0x34, 0x78, 0x01])  // colour not premultiplied, no gamma
        let grayAlpha = try decode(HandMadePNG.encode(width: 1, height: 1, bitDepth: 16, colorType: 4,
                                                      samples: [0xabff, 0x10ff]))
        XCTAssertEqual(grayAlpha.channels, 2)
        XCTAssertEqual(grayAlpha.samples, [0xab, 0x10])
    }

    func testEightBitTypesAreTheStoredSamples() throws {
        let ga = try decode(HandMadePNG.encode(width: 2, height: 1, bitDepth: 8, colorType: 4, samples: [10, 0, 200, 255]))
        XCTAssertEqual(ga.channels, 2)
        XCTAssertEqual(ga.samples, [10, 0, 200, 255])  // alpha 0 does not zero the gray value
        let rgb = try decode(HandMadePNG.encode(width: 1, height: 2, bitDepth: 8, colorType: 2, samples: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(rgb.channels, 3)
        XCTAssertEqual(rgb.samples, [1, 2, 3, 4, 5, 6])
        let rgba = try decode(HandMadePNG.encode(width: 1, height: 1, bitDepth: 8, colorType: 6, samples: [9, 8, 7, 0]))
        XCTAssertEqual(rgba.samples, [9, 8, 7, 0])
    }

    func testPalettesOfEveryDepthWithAndWithoutTransparency() throws {
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]
        for depth in [2, 4, 8] {
            let image = try decode(HandMadePNG.encode(width: 4, height: 1, bitDepth: depth, colorType: 3,
                                                      samples: [3, 2, 1, 0], palette: palette))
            XCTAssertEqual(image.channels, 3, "depth \(depth)")
            XCTAssertEqual(image.samples, [10, 20, 30, 0, 0, 255, 0, 255, 0, 255, 0, 0], "depth \(depth)")
        }
        let oneBit = try decode(HandMadePNG.encode(width: 3, height: 1, bitDepth: 1, colorType: 3,
                                                   samples: [1, 0, 1], palette: Array(palette.prefix(6))))
        XCTAssertEqual(oneBit.samples, [0, 255, 0, 255, 0, 0, 0, 255, 0])
        // tRNS shorter than the palette: the remaining entries are opaque.
        let transparent = try decode(HandMadePNG.encode(width: 3, height: 1, bitDepth: 8, colorType: 3,
                                                        samples: [0, 1, 3], palette: palette, transparency: [0, 128]))
        XCTAssertEqual(transparent.channels, 4)
        XCTAssertEqual(transparent.samples, [255, 0, 0, 0, 0, 255, 0, 128, 10, 20, 30, 255])
        // Gray with a tRNS colour key stays gray (Pillow: mode "L" with info["transparency"]).
        let keyed = try decode(HandMadePNG.encode(width: 2, height: 1, bitDepth: 8, colorType: 0, samples: [5, 6],
                                                  transparency: [0, 5]))
        XCTAssertEqual(keyed.channels, 1)
        XCTAssertEqual(keyed.samples, [5, 6])
    }

    func testAdam7InterlacedFilesDecodeToTheSamePixels() throws {
        var generator = SeededGenerator(seed: 11)
        for (width, height) in [(1, 1), (3, 2), (13, 11), (17, 9)] {
            let samples = (0..<(width * height * 3)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            let image = try decode(HandMadePNG.encodeInterlacedRGB(width: width, height: height, samples: samples))
            XCTAssertEqual(image, Image(width: width, height: height, channels: 3, samples: samples), "\(width)×\(height)")
        }
    }

    func testGoldenFilesCoverPaletteGrayAlphaAndRGBA() throws {
        let folder = try sharedPath("golden/perceptual/images")
        let cases: [(String, Int, Int)] = [("camera.png", 0, 1), ("astronaut.png", 2, 3), ("astronaut-palette.png", 3, 3),
                                           ("astronaut-graya.png", 4, 2), ("horse.png", 6, 4)]
        for (file, colorType, channels) in cases {
            let (image, format) = try Image.readWithFormat(pngAt: folder + "/" + file)
            XCTAssertEqual(format.colorType, colorType, file)
            XCTAssertEqual(format.bitDepth, 8, file)
            XCTAssertEqual(image.channels, channels, file)
        }
    }

    // MARK: round trips through the encoder

    func testEncoderRoundTripsEveryChannelCount() throws {
        var generator = SeededGenerator(seed: 7)
        for channels in 1...4 {
            for (width, height) in [(1, 1), (17, 5), (64, 33)] {
                let samples = (0..<(width * height * channels)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let image = Image(width: width, height: height, channels: channels, samples: samples)
                let bytes = try image.pngData()
                XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4e, 0x47])
                XCTAssertEqual(bytes[25], [0, 4, 2, 6][channels - 1], "colour type byte in IHDR")
                XCTAssertEqual(try Image(pngData: bytes), image, "\(channels) channels \(width)×\(height)")
            }
        }
    }

    func testWritePNGIsAtomicAndReadable() throws {
        let folder = try temporaryDirectory(self)
        let path = folder + "/picture.png"
        let image = Image(width: 3, height: 2, channels: 3, samples: Array(0..<18))
        try image.writePNG(to: path)
        try Image(width: 1, height: 1, channels: 1, fill: 9).writePNG(to: path)  // replaces
        XCTAssertEqual(try Image.read(pngAt: path), Image(width: 1, height: 1, channels: 1, fill: 9))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["picture.png"], "no temporary left")
        XCTAssertThrowsError(try image.writePNG(to: folder + "/no/such/dir/x.png")) { error in
            XCTAssertTrue("\(error)".contains("x.png"), "\(error)")
        }
        XCTAssertThrowsError(try Image(width: 0, height: 0, channels: 1).pngData())
    }

    // MARK: bad files are one-line errors, never crashes

    func assertOneLineError(_ path: String, mentioning words: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Image.read(pngAt: path), file: file, line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(path), "'\(text)' names the file", file: file, line: line)
            XCTAssertTrue(text.contains(words), "'\(text)' says '\(words)'", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), file: file, line: line)
        }
    }

    func testMissingEmptyNonPNGTruncatedAndCorruptFiles() throws {
        let folder = try temporaryDirectory(self)
        assertOneLineError(folder + "/missing.png", mentioning: "no such file")
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/empty.png", contents: Data()))
        assertOneLineError(folder + "/empty.png", mentioning: "empty")
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/text.png", contents: Data("hello, not a picture\n".utf8)))
        assertOneLineError(folder + "/text.png", mentioning: "not a PNG")
        assertOneLineError(folder, mentioning: "is a folder")

        let good = HandMadePNG.encode(width: 40, height: 30, bitDepth: 8, colorType: 2,
                                      samples: (0..<3600).map { $0 % 251 })
        XCTAssertNoThrow(try Image(pngData: good))
        for cut in [8, 20, 33, 60, good.count / 2, good.count - 20] {
            let path = folder + "/cut\(cut).png"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(good.prefix(cut))))
            assertOneLineError(path, mentioning: "damaged")
        }
        var corrupt = good
        corrupt[good.count / 2] ^= 0x5a  // inside IDAT: the chunk's CRC no longer matches
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/corrupt.png", contents: Data(corrupt)))
        assertOneLineError(folder + "/corrupt.png", mentioning: "damaged")
        var badHeader = good
        badHeader[16] = 0xff  // absurd width, and a CRC mismatch
        XCTAssertTrue(FileManager.default.createFile(atPath: folder + "/header.png", contents: Data(badHeader)))
        assertOneLineError(folder + "/header.png", mentioning: "damaged")
        XCTAssertThrowsError(try Image(pngData: []))
        XCTAssertThrowsError(try Image(pngData: Array(good.prefix(7))))
    }

    func testTruncatedGoldenPhotoFails() throws {
        let path = try sharedPath("golden/perceptual/images/astronaut.png")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertNoThrow(try Image(pngData: bytes))
        XCTAssertThrowsError(try Image(pngData: Array(bytes.prefix(bytes.count / 2))))
    }
}
