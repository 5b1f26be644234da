import Imaging

/// One hash of `image`, as imagehash computes it with its defaults.
/// `size` is imagehash's `hash_size` (default 8), or `binbits` for colorhash (default 3); nil = the default.
public func hash(_ image: Image, kind: HashKind, size: Int? = nil) throws -> ImageHash {
    try hashes(image, kinds: [kind], size: size)[0]
}

/// Several hashes of one image, sharing the gray conversion; in the order of `kinds`.
public func hashes(_ image: Image, kinds: [HashKind], size: Int? = nil) throws -> [ImageHash] {
    var grayImage: Image?
    func gray() -> Image {
        if let grayImage { return grayImage }
        let converted = image.convertedToGray()
        grayImage = converted
        return converted
    }
    return try kinds.map { kind in
        let size = size ?? kind.defaultSize
        switch kind {
        case .ahash: return try averageHash(gray: gray(), size: size)
        case .dhash: return try differenceHash(gray: gray(), size: size)
        case .phash: return try perceptualHash(gray: gray(), size: size, highFrequencyFactor: 4)
        case .whash: return try waveletHash(gray: gray(), size: size, imageScale: nil)
        case .colorhash: return try colorHash(image, binBits: size)
        }
    }
}

extension ImageHash {
    /// The hash of `image` (see `hash(_:kind:size:)`).
    public init(of image: Image, kind: HashKind, size: Int? = nil) throws {
        self = try ClassicHashing.hash(image, kind: kind, size: size)
    }
}
