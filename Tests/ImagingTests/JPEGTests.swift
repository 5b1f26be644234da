import Foundation
import Imaging
import XCTest

/// JPEG decoding as Pillow 13 decodes: samples, channel counts, sizes, and the format told by content.
final class JPEGTests: XCTestCase {
    // MARK: samples, against Pillow's (written into JPEGSamples)

    func testColourJPEGDecodesToPillowsSamples() throws {
        let image = try Image(jpegData: JPEGSamples.colour420)
        XCTAssertEqual([image.width, image.height, image.channels], [13, 9, 3])
        assertSamples(image, equal: JPEGSamples.colour420Pixels)
    }

    func testProgressiveGrayJPEGDecodesToPillowsSamples() throws {
        let image = try Image(jpegData: JPEGSamples.grayProgressive)
        XCTAssertEqual([image.width, image.height, image.channels], [7, 5, 1])
        assertSamples(image, equal: JPEGSamples.grayProgressivePixels)
    }

    func testAdobeCMYKJPEGBecomesPillowsRGBOfIt() throws {
        // Pillow keeps "CMYK" (inverted, Adobe's convention); its convert("RGB") — which is also what its
        // convert("L") and convert("HSV") go through — gives these samples.
        let image = try Image(jpegData: JPEGSamples.cmyk)
        XCTAssertEqual([image.width, image.height, image.channels], [5, 4, 3])
        assertSamples(image, equal: JPEGSamples.cmykAsRGBPixels)
    }

    func assertSamples(_ image: Image, equal expected: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.samples.count, expected.count, file: file, line: line)
        let differing = zip(image.samples, expected).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "\(differing) of \(expected.count) samples differ from Pillow's", file: file, line: line)
    }

    // MARK: one entry point, by content

    func testGrayJPEGHasOneChannelAndColourThree() throws {
        XCTAssertEqual(try Image(imageData: JPEGSamples.grayProgressive).channels, 1)
        XCTAssertEqual(try Image(imageData: JPEGSamples.colour420).channels, 3)
        XCTAssertEqual(try Image(imageData: JPEGSamples.cmyk).channels, 3)
    }

    func testTheContentNotTheNameDecidesTheFormat() throws {
        let folder = try temporaryDirectory(self)
        let picture = Image(width: 3, height: 2, channels: 3, samples: Array(0..<18))
        let pngNamedJPEG = folder + "/really-a-png.jpg"
        try picture.writePNG(to: pngNamedJPEG)
        XCTAssertEqual(try Image.read(imageAt: pngNamedJPEG), picture)
        let jpegNamedPNG = folder + "/really-a-jpeg.png"
        XCTAssertTrue(FileManager.default.createFile(atPath: jpegNamedPNG, contents: Data(JPEGSamples.colour420)))
        XCTAssertEqual(try Image.read(imageAt: jpegNamedPNG), try Image(jpegData: JPEGSamples.colour420))
        // The PNG-only reader still refuses a JPEG, saying so.
        XCTAssertThrowsError(try Image.read(pngAt: jpegNamedPNG)) { error in
            XCTAssertEqual("\(error)", "\(jpegNamedPNG): not a PNG file")
        }
    }

    func testImageFileNamesArePNGAndJPEGInAnyCase() {
        for name in ["a.png", "b.PNG", "c.jpg", "d.JPG", "e.jpeg", "f.JpEg", "sub/dir/g.jpg"] {
            XCTAssertTrue(Image.isImageFileName(name), name)
        }
        for name in ["a.gif", "b.jpe", "c.tiff", "png", "d.png.txt", "e.jpgx", "notes.md"] {
            XCTAssertFalse(Image.isImageFileName(name), name)
        }
    }

    // MARK: the golden JPEGs

    /// Every JPEG of ../shared/golden/jpeg/images decodes; the ones saved gray (`-gray` in the name) have one
    /// channel and the others three, and every size is the one in the file's SOF marker.
    func testEveryGoldenJPEGDecodesWithItsSizeAndChannels() throws {
        let folder = try sharedPath("golden/jpeg/images")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter(Image.isImageFileName).sorted()
        XCTAssertEqual(names.count, 60)
        var gray = 0
        for name in names {
            let path = folder + "/" + name
            let image = try Image.read(imageAt: path)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let size = try XCTUnwrap(Self.frameSize(ofJPEG: bytes), name)
            XCTAssertEqual(image.width, size.width, name)
            XCTAssertEqual(image.height, size.height, name)
            XCTAssertEqual(image.channels, name.contains("-gray") ? 1 : 3, name)
            if image.channels == 1 { gray += 1 }
        }
        XCTAssertGreaterThan(gray, 0, "the set holds gray JPEGs")
    }

    /// Width and height from the first SOFn marker (C0–CF but C4 DHT, C8 JPG, CC DAC), read independently of libjpeg.
    static func frameSize(ofJPEG bytes: [UInt8]) -> (width: Int, height: Int)? {
        var offset = 2
        while offset + 9 < bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                let height = Int(bytes[offset + 5]) << 8 | Int(bytes[offset + 6])
                let width = Int(bytes[offset + 7]) << 8 | Int(bytes[offset + 8])
                return (width, height)
            }
            offset += 2 + length
        }
        return nil
    }
}
