import Foundation
import Imaging
import Seeding
import XCTest

/// Damaged JPEGs, made here from good ones: each is one clear one-line error naming the file, never a crash, and
/// the damage Pillow 13 forgives (bytes after the end, a padded-out end) is forgiven here too, with Pillow's samples.
///
/// Which variants Pillow accepts was checked by hand with Pillow 13 on these files and on 1,288 damaged variants of
/// six others (truncated at random and at every one of the last twelve bytes; single bits flipped anywhere and in
/// the headers): HashLab accepted exactly the variants Pillow accepted, with equal samples, and refused the others.
final class JPEGDamageTests: XCTestCase {
    /// The offset of the first marker `code` (FF code) among the markers before the scan data, or nil.
    static func offset(ofMarker code: UInt8, in bytes: [UInt8]) -> Int? {
        var offset = 2
        while offset + 3 < bytes.count, bytes[offset] == 0xFF {
            if bytes[offset + 1] == code { return offset }
            if bytes[offset + 1] == 0xDA { return nil }
            offset += 2 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        return nil
    }

    /// Writes `bytes` as `name` in `folder` and returns the error reading it gives, after checking that it is one
    /// line naming the file and saying `words`.
    @discardableResult
    func assertRefused(_ bytes: [UInt8], as name: String, in folder: String, saying words: String,
                       file: StaticString = #filePath, line: UInt = #line) -> String {
        let path = folder + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)), file: file, line: line)
        do {
            let image = try Image.read(imageAt: path)
            XCTFail("\(name) decoded as \(image.width)×\(image.height), expected an error", file: file, line: line)
            return ""
        } catch {
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(path + ": "), "'\(text)' names the file first", file: file, line: line)
            XCTAssertTrue(text.contains(words), "'\(text)' says '\(words)'", file: file, line: line)
            XCTAssertFalse(text.contains("\n"), "'\(text)' is one line", file: file, line: line)
            return text
        }
    }

    func testEmptyCutAndNonJPEGFilesAreOneLineErrors() throws {
        let folder = try temporaryDirectory(self)
        let good = JPEGSamples.colour420
        let sof = try XCTUnwrap(Self.offset(ofMarker: 0xC0, in: good))
        let huffman = try XCTUnwrap(Self.offset(ofMarker: 0xC4, in: good))
        let scan = try XCTUnwrap(good.indices.dropLast().first { good[$0] == 0xFF && good[$0 + 1] == 0xDA })
        let scanData = scan + 2 + (Int(good[scan + 2]) << 8 | Int(good[scan + 3]))

        assertRefused([], as: "empty.jpg", in: folder, saying: "empty file")
        assertRefused([0xFF, 0xD8], as: "soi-only.jpg", in: folder, saying: "truncated JPEG")
        assertRefused([0xFF, 0xD8, 0xFF], as: "soi-and-ff.jpg", in: folder, saying: "truncated JPEG")
        let cuts = [("in-app0", 10), ("in-quantization-table", 40), ("after-frame-header", sof + 19),
                    ("in-huffman-table", huffman + 12), ("after-scan-header", scanData),
                    ("mid-scan", (scanData + good.count) / 2), ("before-eoi", good.count - 2),
                    ("inside-eoi", good.count - 1)]
        for (place, length) in cuts {
            assertRefused(Array(good.prefix(length)), as: "cut-\(place).jpg", in: folder, saying: "truncated JPEG")
        }
        assertRefused(Array("Not a picture, whatever the name says.\n".utf8), as: "text.jpg", in: folder,
                      saying: "not a PNG or JPEG file")
        assertRefused(Array(good.dropFirst()), as: "no-soi.jpg", in: folder, saying: "not a PNG or JPEG file")
        assertRefused([], as: "empty.jpeg", in: folder, saying: "empty file")
        XCTAssertEqual("\(try XCTUnwrap(Self.error(readingImageAt: folder)))", "\(folder): is a folder, not an image file")
        XCTAssertEqual("\(try XCTUnwrap(Self.error(readingImageAt: folder + "/missing.jpg")))",
                       "\(folder)/missing.jpg: no such file")
    }

    func testFlippedHeaderBytesAreOneLineErrors() throws {
        let folder = try temporaryDirectory(self)
        let good = JPEGSamples.colour420
        let sof = try XCTUnwrap(Self.offset(ofMarker: 0xC0, in: good))
        let quantization = try XCTUnwrap(Self.offset(ofMarker: 0xDB, in: good))
        let huffman = try XCTUnwrap(Self.offset(ofMarker: 0xC4, in: good))
        func changed(_ offset: Int, to value: UInt8, _ more: [Int: UInt8] = [:]) -> [UInt8] {
            var bytes = good
            bytes[offset] = value
            for (offset, value) in more { bytes[offset] = value }
            return bytes
        }
        // Pillow refuses 12-bit JPEGs too ("cannot handle 12-bit layers"); Debian's 8-bit libjpeg cannot decode them.
        let twelve = assertRefused(changed(sof + 4, to: 12), as: "twelve-bit.jpg", in: folder, saying: "unsupported JPEG")
        XCTAssertTrue(twelve.contains("12-bit samples"), twelve)
        assertRefused(changed(sof + 9, to: 2), as: "two-components.jpg", in: folder, saying: "damaged JPEG")
        assertRefused(changed(sof + 5, to: 0, [sof + 6: 0]), as: "zero-height.jpg", in: folder,
                      saying: "damaged JPEG")
        // 65280×65280 pixels in the frame header of a 405-byte file: refused before any allocation, as Pillow's
        // decompression-bomb check refuses it.
        let bomb = assertRefused(changed(sof + 5, to: 0xFF, [sof + 6: 0x00, sof + 7: 0xFF, sof + 8: 0x00]),
                                 as: "bomb.jpg", in: folder, saying: "unsupported JPEG")
        XCTAssertTrue(bomb.contains("decompression bomb"), bomb)
        assertRefused(changed(quantization + 4, to: 0x07), as: "bad-table-index.jpg", in: folder, saying: "damaged JPEG")
        assertRefused(changed(quantization + 3, to: 0x01), as: "bad-marker-length.jpg", in: folder, saying: "damaged JPEG")
        assertRefused(changed(huffman + 4, to: 0x1F), as: "bad-huffman-class.jpg", in: folder, saying: "damaged JPEG")
        assertRefused(changed(sof + 1, to: 0xC3), as: "lossless.jpg", in: folder, saying: "unsupported JPEG")
        assertRefused(changed(sof + 1, to: 0x01), as: "no-frame.jpg", in: folder, saying: "damaged JPEG")
    }

    func testProgressiveJPEGCutShortIsTruncated() throws {
        let folder = try temporaryDirectory(self)
        let good = JPEGSamples.grayProgressive
        for fraction in [0.5, 0.75, 0.9] {
            let length = Int(Double(good.count) * fraction)
            assertRefused(Array(good.prefix(length)), as: "progressive-\(length).jpg", in: folder, saying: "truncated JPEG")
        }
        // All scans must be read before the first row comes out: a missing EOI is already too late (Pillow agrees).
        assertRefused(Array(good.dropLast(2)) + [UInt8](repeating: 0, count: 8), as: "progressive-no-eoi.jpg",
                      in: folder, saying: "truncated JPEG")
    }

    func testGoldenProgressivePhotoCutShortIsTruncated() throws {
        let path = try sharedPath("golden/jpeg/images/logo-043-q85-ss1-prog.jpg")
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertNoThrow(try Image(jpegData: good))
        let folder = try temporaryDirectory(self)
        for fraction in [0.1, 0.3, 0.6, 0.99] {
            let length = Int(Double(good.count) * fraction)
            assertRefused(Array(good.prefix(length)), as: "logo-\(length).jpg", in: folder, saying: "truncated JPEG")
        }
    }

    /// What Pillow forgives: bytes after EOI, and a baseline file whose EOI is replaced by padding once every row
    /// is decoded. The samples are those of the whole file.
    func testDamageAfterTheLastRowIsForgivenAsPillowForgivesIt() throws {
        let good = try Image(jpegData: JPEGSamples.colour420)
        XCTAssertEqual(try Image(jpegData: JPEGSamples.colour420 + Array("trailing text\n".utf8)), good)
        XCTAssertEqual(try Image(jpegData: Array(JPEGSamples.colour420.dropLast(2)) + [UInt8](repeating: 0, count: 8)),
                       good)
    }

    /// Every prefix of the three small JPEGs, and 600 single-bit flips anywhere in them: each decodes to an image of
    /// the right shape or throws a one-line `ImageFileError`; nothing crashes. Every proper prefix is truncated.
    func testEveryPrefixAndSeededBitFlipsNeverCrash() throws {
        var generator = SeededGenerator(seed: 14)
        for good in [JPEGSamples.colour420, JPEGSamples.grayProgressive, JPEGSamples.cmyk] {
            let reference = try Image(jpegData: good)
            for length in 2..<good.count {
                XCTAssertThrowsError(try Image(jpegData: Array(good.prefix(length)))) { error in
                    XCTAssertEqual((error as? ImageFileError)?.reason, .truncated(.jpeg), "prefix of \(length) bytes")
                }
            }
            for _ in 0..<200 {
                var bytes = good
                let offset = 3 + Int(generator.next() % UInt64(good.count - 3))
                bytes[offset] ^= UInt8(1) << UInt8(generator.next() % 8)
                do {
                    let image = try Image(jpegData: bytes)
                    XCTAssertEqual(image.channels, reference.channels, "bit flipped at \(offset)")
                    XCTAssertEqual(image.samples.count, image.width * image.height * image.channels)
                } catch let error as ImageFileError {
                    XCTAssertFalse("\(error)".contains("\n"), "\(error)")
                }
            }
        }
    }

    static func error(readingImageAt path: String) -> Error? {
        do { _ = try Image.read(imageAt: path) } catch { return error }
        return nil
    }
}
