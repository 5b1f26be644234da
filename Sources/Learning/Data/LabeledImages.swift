/// A labelled set of equally sized images, stored as one contiguous byte buffer in CIFAR-10's own layout:
/// image after image, each as `channels` planes of `height × width` bytes (N·C·H·W, channel-major),
/// so that a CIFAR-10 record maps onto it without reordering.
public struct LabeledImages: Sendable, Equatable {
    public var count: Int
    public var channels: Int
    public var height: Int
    public var width: Int
    /// `count · channels · height · width` bytes, N·C·H·W.
    public var pixels: [UInt8]
    /// One class index per image, in `0..<classNames.count`.
    public var labels: [Int32]
    public var classNames: [String]

    public init(count: Int, channels: Int, height: Int, width: Int,
                pixels: [UInt8], labels: [Int32], classNames: [String]) {
        precondition(pixels.count == count * channels * height * width, "pixel count does not match the shape")
        precondition(labels.count == count, "one label per image")
        self.count = count
        self.channels = channels
        self.height = height
        self.width = width
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// Bytes in one image.
    public var imageSize: Int { channels * height * width }
}
