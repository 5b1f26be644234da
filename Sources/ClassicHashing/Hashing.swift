import Imaging

/// One hash of `image`, as imagehash computes it: `size` is imagehash's `hash_size` (default 8) for ahash, dhash,
/// phash and whash; `binBits` is colorhash's `binbits` (default 3).
///
/// (Inside a type that has a `hash(into:)` method, call it as `ClassicHashing.hash(…)` or use
/// `ImageHash(of:kind:size:binBits:)`.)
public func hash(_ image: Image, kind: HashKind, size: Int = 8, binBits: Int = 3) throws -> ImageHash {
    try hashes(image, kinds: [kind], size: size, binBits: binBits)[0]
}

/// Several hashes of one image, in the order of `kinds`, sharing one gray conversion.
public func hashes(_ image: Image, kinds: [HashKind], size: Int = 8, binBits: Int = 3) throws -> [ImageHash] {
    var grayImage: Image?
    func gray() -> Image {
        if let grayImage { return grayImage }
        let converted = image.convertedToGray()
        grayImage = converted
        return converted
    }
    return try kinds.map { kind in
        switch kind {
        case .ahash: return try averageHash(gray: gray(), size: size)
        case .dhash: return try differenceHash(gray: gray(), size: size)
        case .phash: return try perceptualHash(gray: gray(), size: size, highFrequencyFactor: 4)
        case .whash: return try waveletHash(gray: gray(), size: size, imageScale: nil)
        case .colorhash: return try colorHash(image, binBits: binBits)
        }
    }
}

extension ImageHash {
    /// The hash of `image` (see `hash(_:kind:size:binBits:)`).
    public init(of image: Image, kind: HashKind, size: Int = 8, binBits: Int = 3) throws {
        self = try ClassicHashing.hash(image, kind: kind, size: size, binBits: binBits)
    }
}
