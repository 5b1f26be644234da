extension Image {
    /// The rectangle of `width` × `height` pixels whose top-left pixel is (`x`, `y`), copied exactly
    /// (every channel, alpha included).
    ///
    /// The rectangle must lie inside the image and be at least 1 × 1; anything else throws an `EditError`
    /// naming the rectangle and the image size (Pillow would instead pad with black — HashLab refuses, so that a
    /// typo in a lesson is noticed).
    public func cropped(x: Int, y: Int, width cropWidth: Int, height cropHeight: Int) throws -> Image {
        guard cropWidth > 0, cropHeight > 0, x >= 0, y >= 0,
              x + cropWidth <= width, y + cropHeight <= height else {
            throw EditError("crop \(cropWidth)×\(cropHeight) at (\(x), \(y)) does not fit inside the "
                + "\(width)×\(height) image")
        }
        var result = Image(width: cropWidth, height: cropHeight, channels: channels)
        let rowLength = cropWidth * channels
        samples.withUnsafeBufferPointer { source in
            result.samples.withUnsafeMutableBufferPointer { destination in
                for row in 0..<cropHeight {
                    let from = ((y + row) * width + x) * channels
                    let to = row * rowLength
                    for i in 0..<rowLength { destination[to + i] = source[from + i] }
                }
            }
        }
        return result
    }
}
