import Imaging

/// What a classic hash computes on its way from the picture to the bits: the gray picture, the thumbnail, the
/// numbers that are thresholded, the threshold and the hash. Every hash of the library is computed through these
/// steps, so `explain` shows the very numbers `hash` decided on — not a second implementation of them.
public struct HashSteps: Sendable {
    public var kind: HashKind
    /// Pillow's gray picture (nil for the colour hash, which looks at colours).
    public var gray: Image?
    /// The thumbnail the transform starts from (nil for the colour hash).
    public var thumbnail: Image?
    /// The numbers that are thresholded, row-major (`columns` per row): thumbnail pixels (aHash), brightness steps
    /// right minus left (dHash), DCT coefficients (pHash), Haar low-band values in block-mean units — the mean of a
    /// block of the thumbnail minus the picture's mean, on 0…1 (wHash), quantised bin values (colour hash).
    public var values: [Double]
    public var columns: Int
    /// What the values are compared with: the mean (aHash), 0 (dHash), the median (pHash, wHash).
    public var threshold: Double
    /// Words for the threshold ("mean", "median", …).
    public var thresholdName: String
    public var hash: ImageHash
    /// For the colour hash: the share of pixels behind every bin value (black and gray of all pixels, the hue bins
    /// of the coloured ones); empty for the others.
    public var binFractions: [Double]

    /// The colour hash's 14 bins, in imagehash's order.
    public static let colorBinNames = ["black (gray < 32)", "gray (saturation < 85)"]
        + ["red", "yellow", "green", "cyan", "blue", "magenta"].map { "faint \($0)" }
        + ["red", "yellow", "green", "cyan", "blue", "magenta"].map { "bright \($0)" }
}

/// The steps of one hash of `image` (imagehash's hash_size `size`, colorhash's `binBits`).
public func hashSteps(_ image: Image, kind: HashKind, size: Int = 8, binBits: Int = 3) throws -> HashSteps {
    try hashSteps(image, kind: kind, gray: image.convertedToGray, size: size, binBits: binBits)
}

/// The one dispatch from a kind to its steps; `gray` gives Pillow's gray picture (several kinds of one image share
/// one conversion through it; the colour hash does not ask for it).
func hashSteps(_ image: Image, kind: HashKind, gray: () -> Image, size: Int, binBits: Int) throws -> HashSteps {
    switch kind {
    case .ahash: return try averageHashSteps(gray: gray(), size: size)
    case .dhash: return try differenceHashSteps(gray: gray(), size: size)
    case .phash:
        let picture = gray()
        let steps = try perceptualHashSteps(gray: picture, size: size)
        return HashSteps(kind: .phash, gray: picture, thumbnail: steps.thumbnail, values: steps.coefficients,
                         columns: size, threshold: steps.median, thresholdName: "median", hash: steps.hash,
                         binFractions: [])
    case .whash: return try waveletHashSteps(gray: gray(), size: size, imageScale: nil)
    case .colorhash: return try colorHashSteps(image, binBits: binBits)
    }
}
