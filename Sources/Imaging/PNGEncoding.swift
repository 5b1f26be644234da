import CPNG
import Foundation

extension Image {
    /// Encodes the image as an 8-bit PNG (gray, gray+alpha, RGB or RGBA after `channels`) with libpng's
    /// simplified write API. Lossless: `Image(pngData:)` gives back exactly these samples.
    public func pngData() throws -> [UInt8] {
        guard width > 0, height > 0 else {
            throw ImageFileError(path: nil, reason: .unwritable("a PNG needs at least one pixel, the image is \(width)×\(height)"))
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        switch channels {
        case 1: image.format = hashlab_png_format_gray
        case 2: image.format = hashlab_png_format_gray_alpha
        case 3: image.format = hashlab_png_format_rgb
        default: image.format = hashlab_png_format_rgba
        }
        let stride = Int32(width * channels)
        return try samples.withUnsafeBytes { raw -> [UInt8] in
            var size = 0
            // First call: ask for the size (memory NULL).
            guard png_image_write_to_memory(&image, nil, &size, 0, raw.baseAddress, stride, nil) != 0 else {
                throw ImageFileError(path: nil, reason: .unwritable(Self.message(of: &image)))
            }
            var bytes = [UInt8](repeating: 0, count: size)
            let ok = bytes.withUnsafeMutableBytes { out in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, raw.baseAddress, stride, nil)
            }
            png_image_free(&image)
            guard ok != 0 else { throw ImageFileError(path: nil, reason: .unwritable(Self.message(of: &image))) }
            return Array(bytes.prefix(size))
        }
    }

    /// Writes the image as PNG to `path` atomically: into a temporary file beside it, then renamed over `path`,
    /// so a reader never sees half a file.
    public func writePNG(to path: String) throws {
        let bytes: [UInt8]
        do { bytes = try pngData() } catch var error as ImageFileError { error.path = path; throw error }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ImageFileError(path: path, reason: .unwritable(Self.oneLine(error)))
        }
    }

    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
    }

    private static func oneLine(_ error: Error) -> String {
        let text = (error as NSError).localizedDescription
        return text.split(separator: "\n").first.map(String.init) ?? "unknown error"
    }
}
