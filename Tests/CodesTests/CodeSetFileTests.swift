import Codes
import Foundation
import XCTest

final class CodeSetFileTests: XCTestCase {
    /// The header numpy.save writes for a (2, 2) uint8 array, computed by hand from the NPY 1.0 specification:
    /// magic, version 1.0, header length 118 (0x76) little-endian, the dict, spaces, newline; data at byte 128.
    func testNpyBytesMatchHandComputedPackbitsLayout() throws {
        let codes = try CodeSet(strings: ["1010000011", "0000000001"])
        let bytes = NumpyFiles.codesFileBytes(codes)
        XCTAssertEqual(bytes.count, 132)
        XCTAssertEqual(Array(bytes[0..<10]), [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 0x76, 0])
        let dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2), }"
        let header = dict + String(repeating: " ", count: 118 - dict.count - 1) + "\n"
        XCTAssertEqual(String(decoding: bytes[10..<128], as: UTF8.self), header)
        // First bit → most significant bit of the first byte; padding bits zero.
        XCTAssertEqual(Array(bytes[128...]), [0b1010_0000, 0b1100_0000, 0b0000_0000, 0b0100_0000])
        XCTAssertEqual(NumpyFiles.packedBytes(of: codes), [0xA0, 0xC0, 0x00, 0x40])
    }

    func testNpyRoundTripsForManyLengths() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var random = TestRandom(21)
        for bits in [8, 12, 48, 64, 65, 100, 128, 200, 256] {
            let rows = randomBitRows(count: 37, bits: bits, random: &random)
            let labels = (0..<37).map { _ in Int32(random.below(2000)) - 1000 }
            let codes = try CodeSet(bits: rows, labels: labels)
            let path = directory + "/codes\(bits).npy"
            let labelsPath = directory + "/labels\(bits).npy"
            try codes.write(to: path, labelsPath: labelsPath)
            let loaded = try CodeSet.read(from: path, bitCount: bits, labelsPath: labelsPath)
            XCTAssertEqual(loaded, codes, "\(bits) bits")
            let inferred = try NumpyFiles.readCodes(from: path)
            XCTAssertEqual(inferred.bitCount, (bits + 7) / 8 * 8)
            XCTAssertEqual(inferred.string(ofCode: 3), codes.string(ofCode: 3)
                           + String(repeating: "0", count: inferred.bitCount - bits))
        }
    }

    func testLabelsNpyLayoutAndWiderIntegerTypes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/labels.npy"
        try NumpyFiles.writeLabels([3, -1], to: path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(bytes.count, 136)
        XCTAssertTrue(String(decoding: bytes[10..<128], as: UTF8.self)
            .hasPrefix("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"))
        XCTAssertEqual(Array(bytes[128...]), [3, 0, 0, 0, 255, 255, 255, 255])
        // An int64 file as numpy.save(np.array([7, -2])) writes it.
        let dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }"
        var int64File: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0]
        int64File += Array((dict + String(repeating: " ", count: 118 - dict.count - 1) + "\n").utf8)
        int64File += [7, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 255, count: 7) + [255]
        int64File[int64File.count - 8] = 0xFE
        try Data(int64File).write(to: URL(fileURLWithPath: directory + "/wide.npy"))
        XCTAssertEqual(try NumpyFiles.readLabels(from: directory + "/wide.npy"), [7, -2])
    }

    func testMalformedNpyFilesGiveOneLineErrorsWithThePath() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = NumpyFiles.codesFileBytes(try CodeSet(strings: ["1010000011", "0000000001"]))
        func header(_ dict: String) -> [UInt8] {
            let padded = dict + String(repeating: " ", count: 118 - dict.count - 1) + "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0, 118, 0] + Array(padded.utf8)
        }
        let cases: [(name: String, bytes: [UInt8], bits: Int?, message: String)] = [
            ("magic", Array("PK\u{3}\u{4}hello world".utf8), nil, "magic"),
            ("truncated", Array(good[0..<40]), nil, "truncated"),
            ("short", Array(good.dropLast()), nil, "data bytes"),
            ("dtype", header("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }") + [0, 0, 0, 0], nil,
             "not uint8"),
            ("fortran", header("{'descr': '|u1', 'fortran_order': True, 'shape': (2, 2), }") + [1, 2, 3, 4], nil,
             "Fortran"),
            ("oned", header("{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }") + [1, 2, 3, 4], nil,
             "not 2-D"),
            ("bits", good, 17, "cannot hold exactly 17 bits"),
            ("padding", Array(good.dropLast()) + [0x41], 10, "padding must be 0"),
            ("version", Array(good[0..<6]) + [9, 0] + Array(good[8...]), nil, "version 9.0"),
        ]
        for item in cases {
            let path = directory + "/\(item.name).npy"
            try Data(item.bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try NumpyFiles.readCodes(from: path, bitCount: item.bits), item.name) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix(path + ": "), text)
                XCTAssertTrue(text.contains(item.message), "\(item.name): \(text)")
                XCTAssertFalse(text.contains("\n"))
            }
        }
        XCTAssertThrowsError(try NumpyFiles.readCodes(from: directory + "/missing.npy")) {
            XCTAssertEqual("\($0)", directory + "/missing.npy: no such file")
        }
    }

    func testTSVRoundTripWithLabelsAndNames() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var random = TestRandom(4)
        let rows = randomBitRows(count: 9, bits: 70, random: &random)
        let codes = try CodeSet(bits: rows, labels: (0..<9).map { Int32($0) - 4 },
                                names: (0..<9).map { "image \($0).png" })
        let path = directory + "/codes.tsv"
        try codes.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("label\tcode\tname\n-4\t" + codes.string(ofCode: 0) + "\timage 0.png\n"))
        XCTAssertEqual(try CodeSet.read(from: path), codes)
        // Column order is free, CRLF line ends and blank lines are accepted.
        let reordered = try CodeSet.parseTSV("code\tlabel\r\n0101010111\t5\r\n\r\n1111111111\t-2\r\n")
        XCTAssertEqual(reordered, try CodeSet(strings: ["0101010111", "1111111111"], labels: [5, -2]))
        XCTAssertNil(try CodeSet.parseTSV("code\n00000000\n").labels)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/.codes.tsv.tmp"))
    }

    func testMalformedTSV() {
        let cases: [(String, String)] = [
            ("", "empty file"),
            ("label\tbits\n1\t0101\n", "no `code` column"),
            ("label\tcode\n1\t01010101\n2\t0101010\n", "line 3"),
            ("label\tcode\n1\t01010101\n2\t010101x1\n", "line 3: not a code"),
            ("label\tcode\nx\t01010101\n", "line 2: label \"x\""),
            ("label\tcode\n1\t01010101\t9\n", "line 2: 3 fields"),
            ("code\n", "no codes"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try CodeSet.parseTSV(text, path: "in.tsv")) { error in
                XCTAssertTrue("\(error)".hasPrefix("in.tsv: "), "\(error)")
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }
}
