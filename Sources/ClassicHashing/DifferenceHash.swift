import Imaging

/// imagehash `dhash(image, hash_size)`: shrink the gray image to (`size`+1)×`size` with Lanczos; bit (row, col)
/// says whether pixel (row, col+1) is brighter than pixel (row, col) — a horizontal gradient sign. Exact.
public func differenceHash(_ image: Image, size: Int = 8) throws -> ImageHash {
    try differenceHash(gray: image.convertedToGray(), size: size)
}

func differenceHash(gray: Image, size: Int) throws -> ImageHash {
    guard size >= 2 else { throw HashError("hash size must be at least 2, got \(size)") }
    let thumbnail = gray.resized(width: size + 1, height: size, filter: .lanczos).samples
    var bits: [Bool] = []
    bits.reserveCapacity(size * size)
    for row in 0..<size {
        for column in 0..<size {
            bits.append(thumbnail[row * (size + 1) + column + 1] > thumbnail[row * (size + 1) + column])
        }
    }
    return ImageHash(kind: .dhash, bits: bits, gridWidth: size, gridHeight: size)
}
