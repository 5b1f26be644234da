import Foundation
import XCTest

/// A tiny, independent PNG writer for tests: any colour type and bit depth, stored (uncompressed) deflate
/// blocks, CRC-32 and Adler-32 computed here. It lets the tests build exactly the files they need (1/2/4/16-bit,
/// palettes with and without tRNS) without going through the code under test.
enum HandMadePNG {
    /// `samples` row-major, `channelsPerPixel` values per pixel (palette: 1 index), each below 2^bitDepth.
    static func encode(width: Int, height: Int, bitDepth: Int, colorType: UInt8, samples: [Int],
                       palette: [UInt8]? = nil, transparency: [UInt8]? = nil) -> [UInt8] {
        let channels: Int = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colorType)]!
        precondition(samples.count == width * height * channels)
        var raw: [UInt8] = []
        for y in 0..<height {
            raw.append(0)  // filter: none
            let row = samples[(y * width * channels)..<((y + 1) * width * channels)]
            if bitDepth == 16 {
                for v in row { raw += [UInt8(v >> 8), UInt8(v & 0xff)] }
            } else if bitDepth == 8 {
                raw += row.map { UInt8($0) }
            } else {
                var accumulator = 0, filled = 0
                for v in row {
                    accumulator = accumulator << bitDepth | v
                    filled += bitDepth
                    if filled == 8 { raw.append(UInt8(accumulator)); accumulator = 0; filled = 0 }
                }
                if filled > 0 { raw.append(UInt8(accumulator << (8 - filled))) }
            }
        }
        var file: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        var header: [UInt8] = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [UInt8(bitDepth), colorType, 0, 0, 0]
        file += chunk("IHDR", header)
        if let palette { file += chunk("PLTE", palette) }
        if let transparency { file += chunk("tRNS", transparency) }
        file += chunk("IDAT", zlibStored(raw))
        file += chunk("IEND", [])
        return file
    }

    /// An Adam7-interlaced 8-bit RGB PNG: seven passes, each its own little image of filtered (type 0) rows.
    static func encodeInterlacedRGB(width: Int, height: Int, samples: [UInt8]) -> [UInt8] {
        let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        var raw: [UInt8] = []
        for (x0, y0, dx, dy) in passes {
            let columns = stride(from: x0, to: width, by: dx).map { $0 }
            if columns.isEmpty { continue }
            for y in stride(from: y0, to: height, by: dy) {
                raw.append(0)
                for x in columns { raw += samples[((y * width + x) * 3)..<((y * width + x) * 3 + 3)] }
            }
        }
        var file: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
        file += chunk("IHDR", bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, 2, 0, 0, 1])
        file += chunk("IDAT", zlibStored(raw))
        file += chunk("IEND", [])
        return file
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65535, data.count - offset)
            let final: UInt8 = offset + length == data.count ? 1 : 0
            out += [final, UInt8(length & 0xff), UInt8(length >> 8), UInt8(~length & 0xff), UInt8((~length >> 8) & 0xff)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + bigEndian(b << 16 | a)
    }
}

/// `../shared` beside the package root (or $HASHLAB_SHARED); skips the test when it is absent.
func sharedPath(_ relative: String) throws -> String {
    let root = ProcessInfo.processInfo.environment["HASHLAB_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared").standardized.path
    let path = root + "/" + relative
    guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("../shared/\(relative) is absent: \(path)") }
    return path
}

/// A fresh temporary directory, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "hashlab-png-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}
