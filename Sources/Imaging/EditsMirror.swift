extension Image {
    /// The image reflected left-to-right (Pillow's `ImageOps.mirror`, `FLIP_LEFT_RIGHT`): pixel (x, y) moves to
    /// (width − 1 − x, y). Exact.
    public func mirrored() -> Image {
        var result = self
        for y in 0..<height {
            for x in 0..<width {
                let from = (y * width + (width - 1 - x)) * channels
                let to = (y * width + x) * channels
                for c in 0..<channels { result.samples[to + c] = samples[from + c] }
            }
        }
        return result
    }

    /// The image reflected top-to-bottom (Pillow's `ImageOps.flip`, `FLIP_TOP_BOTTOM`): pixel (x, y) moves to
    /// (x, height − 1 − y). Exact.
    public func flipped() -> Image {
        var result = self
        let rowLength = width * channels
        for y in 0..<height {
            let from = (height - 1 - y) * rowLength
            let to = y * rowLength
            for i in 0..<rowLength { result.samples[to + i] = samples[from + i] }
        }
        return result
    }
}
