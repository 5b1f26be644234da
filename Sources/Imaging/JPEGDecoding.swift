import CJPEG

extension Image {
    /// Decodes JPEG bytes held in memory into the samples Pillow 13 gives imagehash for the same file.
    ///
    /// What Pillow does, and so what this does (src/PIL/JpegImagePlugin.py, src/libImaging/JpegDecode.c):
    /// - libjpeg decodes with its defaults, which Pillow keeps outside draft mode: the accurate integer IDCT
    ///   (JDCT_ISLOW), fancy chroma upsampling, block smoothing of progressive files. The EXIF orientation is not
    ///   applied: Pillow does not rotate on open, so imagehash hashes the stored pixels.
    /// - One component is gray ("L", 1 channel); three are colour, YCbCr (or RGB, as the JFIF and Adobe markers
    ///   say) converted to RGB by libjpeg (3 channels).
    /// - Four components are CMYK (YCCK converted to CMYK by libjpeg). Pillow assumes Adobe's inverted polarity
    ///   (raw mode "CMYK;I": every sample is 255 − v) and keeps a "CMYK" image. Every conversion imagehash and
    ///   HashLab apply to it sees the same RGB: `convert("RGB")` is Pillow's `cmyk2rgb`, `convert("HSV")` is
    ///   `cmyk2hsv` (that RGB, then `rgb2hsv_row`), and `convert("L")` has no direct CMYK converter, so Pillow
    ///   converts to the base mode RGB first. So the image is held as that RGB (see `pillowRGB(fromInvertedCMYK:)`).
    /// - Only 8-bit samples: Pillow refuses 12-bit files ("cannot handle 12-bit layers"), and Debian's 8-bit
    ///   libjpeg-turbo cannot decode them.
    /// - Data that ends before the image's last row is an error, as Pillow's "image file is truncated"; a file
    ///   whose rows are all there but whose end (EOI) is missing is accepted, as Pillow accepts it. libjpeg's
    ///   warnings about corrupt data are ignored, as Pillow ignores them: the image is what libjpeg made of it.
    public init(jpegData: [UInt8]) throws {
        self = try Image.decodeJPEG(jpegData)
    }

    static func decodeJPEG(_ bytes: [UInt8]) throws -> Image {
        if bytes.isEmpty { throw ImageFileError(path: nil, reason: .empty) }
        guard bytes.starts(with: ImageFileFormat.jpegSignature) else {
            if ImageFileFormat.recognising(bytes) == .jpeg { throw ImageFileError(path: nil, reason: .truncated(.jpeg)) }
            throw ImageFileError(path: nil, reason: .notAnImage)
        }
        var decoded = hashlab_jpeg_decoded()
        let ok = bytes.withUnsafeBufferPointer { buffer in
            hashlab_jpeg_decode(buffer.baseAddress, buffer.count, &decoded)
        }
        guard ok == 1, let pixels = decoded.pixels else {
            let message = withUnsafeBytes(of: decoded.message) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            switch Int(decoded.failure) {
            case Int(hashlab_jpeg_failed_truncated):
                throw ImageFileError(path: nil, reason: .truncated(.jpeg))
            case Int(hashlab_jpeg_failed_unsupported):
                throw ImageFileError(path: nil, reason: .unsupported(.jpeg, Self.unsupportedReason(libjpeg: message)))
            case Int(hashlab_jpeg_failed_memory):
                throw ImageFileError(path: nil, reason: .unreadable("out of memory decoding the JPEG"))
            default:
                throw ImageFileError(path: nil, reason: .damaged(.jpeg, message.isEmpty ? "unknown libjpeg error" : message))
            }
        }
        defer { hashlab_jpeg_free(&decoded) }
        let width = Int(decoded.width), height = Int(decoded.height), components = Int(decoded.components)
        let stored = UnsafeBufferPointer(start: pixels, count: width * height * components)
        if components == 4 {
            return Image(width: width, height: height, channels: 3, samples: Self.pillowRGB(fromInvertedCMYK: stored))
        }
        return Image(width: width, height: height, channels: components, samples: [UInt8](stored))
    }

    /// libjpeg's "Unsupported JPEG data precision 12" said the way Pillow's refusal means it, other reasons as given.
    private static func unsupportedReason(libjpeg message: String) -> String {
        guard message.hasPrefix("Unsupported JPEG data precision") else { return message }
        let bits = message.split(separator: " ").last.map(String.init) ?? "?"
        return "\(bits)-bit samples; Pillow, and so imagehash, opens 8-bit JPEGs only"
    }

    /// The RGB Pillow converts a CMYK JPEG to, from the samples libjpeg outputs for it.
    ///
    /// Pillow reads the samples as Adobe stores them, inverted ("CMYK;I": c = 255 − stored, and so on), then
    /// `cmyk2rgb` (libImaging/Convert.c) gives each channel `nk − MULDIV255(c, nk)` with `nk = 255 − k` and
    /// `MULDIV255(a, b) = ((a·b + 128) >> 8 + a·b + 128) >> 8`, a·b/255 rounded.
    static func pillowRGB(fromInvertedCMYK stored: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let count = stored.count / 4
        var rgb = [UInt8](repeating: 0, count: count * 3)
        for i in 0..<count {
            let notBlack = Int(stored[4 * i + 3])  // 255 − k, with k = 255 − stored
            for channel in 0..<3 {
                let ink = 255 - Int(stored[4 * i + channel])
                let product = ink * notBlack + 128
                rgb[3 * i + channel] = UInt8(clamping: notBlack - ((product >> 8) + product) >> 8)
            }
        }
        return rgb
    }
}
