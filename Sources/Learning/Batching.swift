import Seeding

/// Per-channel normalisation of 8-bit pixels: `x = (byte − mean[c]) / deviation[c]`, both in byte units.
public struct Normalization: Sendable, Equatable, Codable {
    public var mean: [Float]
    public var deviation: [Float]

    public init(mean: [Float], deviation: [Float]) {
        precondition(mean.count == deviation.count, "one mean and one deviation per channel")
        self.mean = mean
        self.deviation = deviation
    }

    /// The mean and (population) standard deviation of every channel of `images`, computed in Float64.
    public init(measuring images: LabeledImages) {
        let plane = images.height * images.width
        var sums = [Double](repeating: 0, count: images.channels), squares = sums
        images.pixels.withUnsafeBufferPointer { pixels in
            for n in 0..<images.count {
                for c in 0..<images.channels {
                    let offset = (n * images.channels + c) * plane
                    var sum = 0, square = 0
                    for p in 0..<plane { let v = Int(pixels[offset + p]); sum += v; square += v * v }
                    sums[c] += Double(sum); squares[c] += Double(square)
                }
            }
        }
        let total = Double(max(images.count * plane, 1))
        mean = sums.map { Float($0 / total) }
        deviation = zip(sums, squares).map { sum, square in
            let m = sum / total
            return Float(max((square / total - m * m).squareRoot(), 1e-3))
        }
    }

    /// Leaves bytes as 0…255 floats.
    public static func identity(channels: Int) -> Normalization {
        Normalization(mean: Array(repeating: 0, count: channels), deviation: Array(repeating: 1, count: channels))
    }
}

/// Random data augmentation applied per image while training.
public struct Augmentation: Sendable, Equatable, Codable {
    /// Pad each side by this many pixels (with the channel mean, i.e. 0 after normalisation) and take a random
    /// crop of the original size; 0 disables cropping.
    public var cropPadding: Int
    /// Flip left–right with probability ½.
    public var mirror: Bool

    public init(cropPadding: Int = 0, mirror: Bool = false) {
        self.cropPadding = cropPadding
        self.mirror = mirror
    }

    public static let none = Augmentation()
    /// The usual CIFAR recipe: pad 4 and crop, mirror.
    public static let standard = Augmentation(cropPadding: 4, mirror: true)
}

/// Turns `LabeledImages` into normalised Float32 batches (N×C×H×W) — in a seeded shuffled order per epoch, with
/// seeded augmentation — reproducible from `seed`: batch b of epoch e depends only on (seed, e, b), so training
/// can stop after any batch and resume identically.
public struct Batcher: Sendable {
    public let images: LabeledImages
    public let batchSize: Int
    public let normalization: Normalization
    public let augmentation: Augmentation
    public let shuffles: Bool
    public let seed: UInt64

    /// Throws `LayerError` for a batch size below 1 or a normalisation for another number of channels.
    public init(images: LabeledImages, batchSize: Int, normalization: Normalization,
                augmentation: Augmentation = .none, shuffles: Bool = true, seed: UInt64) throws {
        guard batchSize > 0 else { throw LayerError("batch size must be positive, got \(batchSize)") }
        guard normalization.mean.count == images.channels, normalization.deviation.count == images.channels else {
            throw LayerError("the normalisation has \(normalization.mean.count) channels, the images \(images.channels)")
        }
        guard augmentation.cropPadding >= 0 else { throw LayerError("crop padding must be ≥ 0") }
        self.images = images
        self.batchSize = batchSize
        self.normalization = normalization
        self.augmentation = augmentation
        self.shuffles = shuffles
        self.seed = seed
    }

    /// Batches per epoch (the last one may be smaller).
    public var batchesPerEpoch: Int { (images.count + batchSize - 1) / batchSize }

    /// The order of the images in `epoch` (a seeded Fisher–Yates shuffle, or 0..<count without shuffling).
    public func order(epoch: Int) -> [Int] {
        var order = Array(0..<images.count)
        guard shuffles else { return order }
        var generator = SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                let j = Int(generator.next() % UInt64(i + 1))
                order.swapAt(i, j)
            }
        }
        return order
    }

    /// Fills `batch` (reshaped to n×C×H×W) and `labels` with batch `index` of `epoch`, given that epoch's
    /// `order`. Augmentation applies only when `training`.
    public func fill(batch: inout Tensor, labels: inout [Int32], index: Int, epoch: Int, order: [Int],
                     training: Bool = true) {
        let start = index * batchSize, end = min(start + batchSize, images.count)
        let (channels, height, width) = (images.channels, images.height, images.width)
        batch.reshape(to: [end - start, channels, height, width])
        labels.removeAll(keepingCapacity: true)
        var generator = SeededGenerator(seed: (seed ^ 0xA076_1D64_78BD_642F) &+ UInt64(epoch) &* 1_000_003 &+ UInt64(index) &* 7919)
        let plane = height * width, pad = training ? augmentation.cropPadding : 0
        let scales = normalization.deviation.map { 1 / $0 }, means = normalization.mean
        images.pixels.withUnsafeBufferPointer { pixels in
            batch.storage.withUnsafeMutableBufferPointer { out in
                for (slot, item) in order[start..<end].enumerated() {
                    labels.append(images.labels[item])
                    var dy = 0, dx = 0, flip = false
                    if pad > 0 {
                        dy = Int(generator.next() % UInt64(2 * pad + 1)) - pad
                        dx = Int(generator.next() % UInt64(2 * pad + 1)) - pad
                    }
                    if training && augmentation.mirror { flip = generator.next() & 1 == 1 }
                    for c in 0..<channels {
                        let source = (item * channels + c) * plane, target = (slot * channels + c) * plane
                        let mean = means[c], scale = scales[c]
                        for y in 0..<height {
                            let sy = y + dy
                            for x in 0..<width {
                                let cx = flip ? width - 1 - x : x
                                let sx = cx + dx
                                out[target + y * width + x] = (sy >= 0 && sy < height && sx >= 0 && sx < width)
                                    ? (Float(pixels[source + sy * width + sx]) - mean) * scale : 0
                            }
                        }
                    }
                }
            }
        }
    }
}
