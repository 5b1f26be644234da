/// The classic perceptual hashes, named as the shell and the TSV header name them.
public enum HashKind: String, CaseIterable, Sendable {
    /// imagehash `average_hash`: pixels of a tiny gray thumbnail above its mean.
    case ahash
    /// imagehash `dhash`: whether each pixel is darker than its right-hand neighbour.
    case dhash
    /// imagehash `phash`: signs of the low DCT frequencies relative to their median.
    case phash
    /// imagehash `whash`: the Haar wavelet's low band relative to its median.
    case whash
    /// imagehash `colorhash`: fractions of black, gray and hue bins, each quantised to `binbits` bits.
    case colorhash

    /// How many bits a hash of this kind has for imagehash's size parameter (`hash_size`, or `binbits` for
    /// colorhash).
    public func bitCount(size: Int) -> Int {
        self == .colorhash ? 14 * size : size * size
    }

    /// The grid the bits are drawn in: `size`×`size`, or `binbits` wide and 14 tall for colorhash (as imagehash
    /// shapes the array).
    public func grid(size: Int) -> (width: Int, height: Int) {
        self == .colorhash ? (size, 14) : (size, size)
    }

    /// The size parameter a hex string of `digits` digits was made with, as imagehash's readers infer it:
    /// `hex_to_hash` takes hash_size = ⌊√(4·digits)⌋; a colour hash has 14·binbits bits, ⌈14·binbits / 4⌉ digits.
    /// Nil when no size gives that many digits.
    public func size(forHexDigits digits: Int) -> Int? {
        let size = self == .colorhash ? (1...64).first { (14 * $0 + 3) / 4 == digits }
            : Int(Double(4 * digits).squareRoot())
        guard let size, size >= 1, (bitCount(size: size) + 3) / 4 == digits else { return nil }
        return size
    }

    /// imagehash's default size parameter: hash_size 8, or binbits 3 for colorhash.
    public var defaultSize: Int { self == .colorhash ? 3 : 8 }
}

/// Why a hash could not be computed or parsed; one line.
public struct HashError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
