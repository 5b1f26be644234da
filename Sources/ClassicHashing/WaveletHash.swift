import Imaging

/// imagehash `whash(image, hash_size, image_scale, mode='haar', remove_max_haar_ll=True)`.
///
/// The gray image is resized to S×S with Lanczos (S = `image_scale`, by default the largest power of two not
/// above the image's smaller side, but at least `size`: smaller images are scaled up) and divided by 255. With `removeMaxHaarLowLow`, a full Haar decomposition
/// (log₂ S levels) has its single coarsest approximation coefficient zeroed and is reconstructed — in exact
/// arithmetic that subtracts the mean. Then the decomposition runs down to the level whose approximation band
/// is `size`×`size` (each coefficient is its block's pixel sum, scaled) and every coefficient above the band's
/// median gives a 1 bit.
///
/// Mathematically the bits are "block sum > median block sum", but where block sums tie, PyWavelets' rounding
/// decides. So the transform is done with PyWavelets' own floating-point operations (`HaarSquare`), which makes
/// even those tie bits agree with imagehash as long as the Lanczos thumbnail agrees.
public func waveletHash(_ image: Image, size: Int = 8, imageScale: Int? = nil,
                        removeMaxHaarLowLow: Bool = true) throws -> ImageHash {
    try waveletHash(gray: image.convertedToGray(), size: size, imageScale: imageScale,
                    removeMaxHaarLowLow: removeMaxHaarLowLow)
}

func waveletHash(gray: Image, size: Int, imageScale: Int?, removeMaxHaarLowLow: Bool = true) throws -> ImageHash {
    try waveletHashSteps(gray: gray, size: size, imageScale: imageScale, removeMaxHaarLowLow: removeMaxHaarLowLow).hash
}

/// wHash's steps: the Haar low band against its median. PyWavelets' approximation coefficient after L levels is
/// a block's sum (on 0…1, the mean removed) divided by 2^L, that is 2^L × (block mean − picture mean); `values`
/// and `threshold` show it divided by 2^L, in block-mean units, while the bits come from the coefficients.
func waveletHashSteps(gray: Image, size: Int, imageScale: Int?, removeMaxHaarLowLow: Bool = true) throws -> HashSteps {
    guard size >= 2, size & (size - 1) == 0 else { throw HashError("whash needs a power-of-two hash size, got \(size)") }
    // imagehash: image_scale = max(2 ** int(log2(min(image.size))), hash_size), so an image smaller than the hash
    // (a 1×1, 7×5 or 1×300 thumbnail) is scaled up to hash_size × hash_size, never refused.
    let scale: Int
    if let imageScale {
        guard imageScale > 0, imageScale & (imageScale - 1) == 0 else {
            throw HashError("whash image_scale must be a power of two, got \(imageScale)")
        }
        guard imageScale >= size else {
            throw HashError("whash: hash size \(size) is larger than image_scale \(imageScale)")
        }
        scale = imageScale
    } else {
        let side = min(gray.width, gray.height)
        guard side >= 1 else { throw HashError("whash of an empty image") }
        let naturalScale = 1 << (Int.bitWidth - 1 - side.leadingZeroBitCount)  // 2 ** int(log2(min side))
        scale = max(naturalScale, size)
    }
    let maxLevel = scale.trailingZeroBitCount, level = size.trailingZeroBitCount
    let thumbnail = gray.resized(width: scale, height: scale, filter: .lanczos)
    var square = HaarSquare(side: scale, values: thumbnail.samples.map { Double($0) / 255 })
    if removeMaxHaarLowLow { square.removeCoarsestApproximation(levels: maxLevel) }
    let band = square.approximation(levels: maxLevel - level)
    let middle = median(band)
    let hash = ImageHash(kind: .whash, bits: band.map { $0 > middle }, gridWidth: size, gridHeight: size)
    let blockSide = Double(scale / size)
    return HashSteps(kind: .whash, gray: gray, thumbnail: thumbnail, values: band.map { $0 / blockSide },
                     columns: size, threshold: middle / blockSide, thresholdName: "median", hash: hash,
                     binFractions: [])
}
