import Imaging

/// imagehash `dhash(image, hash_size)`: shrink the gray image to (`size`+1)×`size` with Lanczos; bit (row, col)
/// says whether pixel (row, col+1) is brighter than pixel (row, col) — a horizontal gradient sign. Exact.
public func differenceHash(_ image: Image, size: Int = 8) throws -> ImageHash {
    try differenceHash(gray: image.convertedToGray(), size: size)
}

func differenceHash(gray: Image, size: Int) throws -> ImageHash { try differenceHashSteps(gray: gray, size: size).hash }

/// dHash's steps: each pixel's step to its right-hand neighbour, against 0.
func differenceHashSteps(gray: Image, size: Int) throws -> HashSteps {
    guard size >= 2 else { throw HashError("hash size must be at least 2, got \(size)") }
    let thumbnail = gray.resized(width: size + 1, height: size, filter: .lanczos)
    let pixels = thumbnail.samples
    var steps: [Double] = []
    steps.reserveCapacity(size * size)
    for row in 0..<size {
        for column in 0..<size {
            steps.append(Double(pixels[row * (size + 1) + column + 1]) - Double(pixels[row * (size + 1) + column]))
        }
    }
    let hash = ImageHash(kind: .dhash, bits: steps.map { $0 > 0 }, gridWidth: size, gridHeight: size)
    return HashSteps(kind: .dhash, gray: gray, thumbnail: thumbnail, values: steps, columns: size, threshold: 0,
                     thresholdName: "0 (brighter than the left neighbour)", hash: hash, binFractions: [])
}
