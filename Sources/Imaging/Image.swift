/// A raster image held as one contiguous buffer of 8-bit samples.
///
/// Rows run top to bottom, pixels left to right, and each pixel stores `channels` interleaved samples:
/// 1 = gray (L), 2 = gray + alpha (LA), 3 = RGB, 4 = RGBA — the same layouts Pillow calls "L", "LA", "RGB"
/// and "RGBA". Sample (x, y, c) lives at `samples[(y * width + x) * channels + c]`.
public struct Image: Sendable, Equatable {
    public var width: Int
    public var height: Int
    public var channels: Int
    public var samples: [UInt8]

    /// An image of the given size whose every sample is `fill`.
    public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
        precondition(width >= 0 && height >= 0 && (1...4).contains(channels), "bad image shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = [UInt8](repeating: fill, count: width * height * channels)
    }

    /// An image over existing samples; `samples.count` must be `width * height * channels`.
    public init(width: Int, height: Int, channels: Int, samples: [UInt8]) {
        precondition(width >= 0 && height >= 0 && (1...4).contains(channels), "bad image shape")
        precondition(samples.count == width * height * channels, "sample count does not match the shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.samples = samples
    }

    public var hasAlpha: Bool { channels == 2 || channels == 4 }
    public var isGray: Bool { channels <= 2 }

    /// One sample; `x`, `y` and `channel` must be in range.
    @inlinable
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        get { samples[(y * width + x) * channels + channel] }
        set { samples[(y * width + x) * channels + channel] = newValue }
    }
}
