import Imaging

/// imagehash `average_hash(image, hash_size)`: shrink the gray image to `size`×`size` with Lanczos, then set a
/// bit for each pixel brighter than the thumbnail's mean.
///
/// Exact: "pixel > mean" is decided in integers as `pixel · n > Σ pixels`, which is what numpy's float mean
/// gives for sums this small.
public func averageHash(_ image: Image, size: Int = 8) throws -> ImageHash {
    try averageHash(gray: image.convertedToGray(), size: size)
}

func averageHash(gray: Image, size: Int) throws -> ImageHash {
    guard size >= 2 else { throw HashError("hash size must be at least 2, got \(size)") }
    let thumbnail = gray.resized(width: size, height: size, filter: .lanczos).samples
    let total = thumbnail.reduce(0) { $0 + Int($1) }
    let n = thumbnail.count
    return ImageHash(kind: .ahash, bits: thumbnail.map { Int($0) * n > total }, gridWidth: size, gridHeight: size)
}
