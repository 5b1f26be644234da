import Imaging

/// One hash of `image`, as imagehash computes it: `size` is imagehash's `hash_size` (default 8) for ahash, dhash,
/// phash and whash; `binBits` is colorhash's `binbits` (default 3).
///
/// (Inside a type that has a `hash(into:)` method, call it as `ClassicHashing.hash(…)` or use
/// `ImageHash(of:kind:size:binBits:)`.)
public func hash(_ image: Image, kind: HashKind, size: Int = 8, binBits: Int = 3) throws -> ImageHash {
    try hashes(image, kinds: [kind], size: size, binBits: binBits)[0]
}

/// Several hashes of one image, in the order of `kinds`, sharing one gray conversion; the first kind that fails
/// throws.
public func hashes(_ image: Image, kinds: [HashKind], size: Int = 8, binBits: Int = 3) throws -> [ImageHash] {
    try hashCells(image, kinds: kinds, size: size, binBits: binBits).map { try $0.get() }
}

/// Several hashes of one image, each kind on its own: a kind that fails for this image (a size it refuses) gives
/// its error in its place, and the other kinds are still computed.
public func hashCells(_ image: Image, kinds: [HashKind], size: Int = 8, binBits: Int = 3)
    -> [Result<ImageHash, any Error>] {
    var grayImage: Image?
    func gray() -> Image {
        if let grayImage { return grayImage }
        let converted = image.convertedToGray()
        grayImage = converted
        return converted
    }
    return kinds.map { kind in
        Result { try hashSteps(image, kind: kind, gray: gray, size: size, binBits: binBits).hash }
    }
}

extension ImageHash {
    /// The hash of `image` (see `hash(_:kind:size:binBits:)`).
    public init(of image: Image, kind: HashKind, size: Int = 8, binBits: Int = 3) throws {
        self = try ClassicHashing.hash(image, kind: kind, size: size, binBits: binBits)
    }
}
