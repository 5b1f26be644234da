import CPNG
import Foundation

/// What a PNG file stored, before decoding mapped it to an `Image`.
public struct PNGSourceFormat: Sendable, Equatable {
    /// PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA.
    public var colorType: Int
    /// Bits per sample in the file: 1, 2, 4, 8 or 16.
    public var bitDepth: Int
}

extension Image {
    /// Decodes a PNG file of any colour type and bit depth the way Pillow opens it (so hashes match imagehash).
    ///
    /// The samples are the stored values, never gamma-corrected:
    /// - gray of 1, 2 or 4 bits is scaled to 8 bits (0/255, ×85, ×17), as Pillow's "1", "L;2", "L;4";
    /// - 16-bit gray becomes what Pillow's `convert("L")` makes of its "I;16" image: values above 255 saturate
    ///   to 255 (Pillow's `I16L_L`), smaller values stay as they are;
    /// - other 16-bit images keep the high byte of every sample (Pillow's ";16B" raw modes);
    /// - palette images become RGB, or RGBA when a tRNS chunk gives the entries alpha.
    /// A missing, empty, non-PNG, truncated or corrupt file throws an `ImageFileError` naming the file.
    /// `read(imageAt:)` reads PNG or JPEG, whichever the file holds.
    public static func read(pngAt path: String) throws -> Image {
        try readWithFormat(pngAt: path).image
    }

    /// Like `read(pngAt:)`, also telling the file's colour type and bit depth.
    public static func readWithFormat(pngAt path: String) throws -> (image: Image, format: PNGSourceFormat) {
        let bytes = try readFileBytes(path)
        do {
            return try decodePNG(bytes)
        } catch var error as ImageFileError {
            error.path = path
            throw error
        }
    }

    /// Decodes PNG bytes held in memory (see `read(pngAt:)` for what the samples mean).
    public init(pngData: [UInt8]) throws {
        self = try Image.decodePNG(pngData).image
    }

    static func decodePNG(_ bytes: [UInt8]) throws -> (image: Image, format: PNGSourceFormat) {
        if bytes.isEmpty { throw ImageFileError(path: nil, reason: .empty) }
        var decoded = hashlab_png_decoded()
        let ok = bytes.withUnsafeBufferPointer { buffer in
            hashlab_png_decode(buffer.baseAddress, buffer.count, &decoded)
        }
        guard ok == 1, let pixels = decoded.pixels else {
            let message = withUnsafeBytes(of: decoded.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if message == "not a PNG file" { throw ImageFileError(path: nil, reason: .notPNG) }
            throw ImageFileError(path: nil, reason: .damaged(.png, message.isEmpty ? "unknown libpng error" : message))
        }
        defer { hashlab_png_free(&decoded) }
        let count = Int(decoded.width) * Int(decoded.height) * Int(decoded.channels)
        let samples = [UInt8](UnsafeBufferPointer(start: pixels, count: count))
        let image = Image(width: Int(decoded.width), height: Int(decoded.height), channels: Int(decoded.channels),
                          samples: samples)
        return (image, PNGSourceFormat(colorType: Int(decoded.color_type), bitDepth: Int(decoded.bit_depth)))
    }
}
