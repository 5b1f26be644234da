import Imaging

/// imagehash `average_hash(image, hash_size)`: shrink the gray image to `size`×`size` with Lanczos, then set a
/// bit for each pixel brighter than the thumbnail's mean.
///
/// Exact: "pixel > mean" is decided in integers as `pixel · n > Σ pixels`, which is what numpy's float mean
/// gives for sums this small.
public func averageHash(_ image: Image, size: Int = 8) throws -> ImageHash {
    try averageHash(gray: image.convertedToGray(), size: size)
}

func averageHash(gray: Image, size: Int) throws -> ImageHash { try averageHashSteps(gray: gray, size: size).hash }

/// aHash's steps: the thumbnail's pixels against their mean.
func averageHashSteps(gray: Image, size: Int) throws -> HashSteps {
    guard size >= 2 else { throw HashError("hash size must be at least 2, got \(size)") }
    let thumbnail = gray.resized(width: size, height: size, filter: .lanczos)
    let pixels = thumbnail.samples
    let total = pixels.reduce(0) { $0 + Int($1) }
    let n = pixels.count
    let hash = ImageHash(kind: .ahash, bits: pixels.map { Int($0) * n > total }, gridWidth: size, gridHeight: size)
    return HashSteps(kind: .ahash, gray: gray, thumbnail: thumbnail, values: pixels.map { Double($0) }, columns: size,
                     threshold: Double(total) / Double(n), thresholdName: "mean", hash: hash, binFractions: [])
}
