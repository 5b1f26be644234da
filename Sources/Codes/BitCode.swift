/// One binary code of any length (at least one bit), packed into 64-bit words: a learned code, or a classic image
/// hash's bits (`ImageHash.code`, 4 to 4,096 of them).
///
/// Bit `i` (the `i`-th character of the code's 0/1 string, counting from the left) lives in word `i / 64` at bit
/// position `i % 64` (least significant first). Bits past `bitCount` in the last word are always zero, so the
/// Hamming distance of two codes is exactly the popcount of the XOR of their words.
public struct BitCode: Sendable, Hashable, CustomStringConvertible {
    /// The code lengths a hashing model learns, deep or shallow (the papers' 12 to 64 bits, with room on both
    /// sides). A constraint of the models, checked where one is made (the `bits` hyperparameter, the shallow
    /// hashers), not of codes: a `BitCode` or a `CodeSet` holds codes of any length.
    public static let learnedBitCounts = 8...256

    /// The number of bits.
    public let bitCount: Int
    /// The packed words: `(bitCount + 63) / 64` of them, unused high bits zero.
    public let words: [UInt64]

    /// Words needed for a code of `bitCount` bits.
    public static func wordCount(forBits bitCount: Int) -> Int { (bitCount + 63) / 64 }

    /// A code from packed words; unused high bits must be zero.
    public init(bitCount: Int, words: [UInt64]) throws {
        guard bitCount >= 1 else { throw CodesError.unsupportedBitCount(bitCount) }
        let wordCount = BitCode.wordCount(forBits: bitCount)
        guard words.count == wordCount else {
            throw CodesError.countMismatch(what: "words of a \(bitCount)-bit code", expected: wordCount,
                                           found: words.count)
        }
        if bitCount % 64 != 0, words[wordCount - 1] >> UInt64(bitCount % 64) != 0 {
            throw CodesError.invalidArgument("a \(bitCount)-bit code has bits set past its length")
        }
        self.bitCount = bitCount
        self.words = words
    }

    /// A code from its bits, first bit first.
    public init(bits: [Bool]) throws {
        guard !bits.isEmpty else { throw CodesError.unsupportedBitCount(0) }
        var words = [UInt64](repeating: 0, count: BitCode.wordCount(forBits: bits.count))
        for (i, bit) in bits.enumerated() where bit { words[i >> 6] |= 1 << UInt64(i & 63) }
        self.bitCount = bits.count
        self.words = words
    }

    /// A code from a string of `0` and `1` characters, first bit first (as TSV files and the golden cases write it).
    public init(string: String) throws {
        var bits: [Bool] = []
        bits.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "0"): bits.append(false)
            case UInt8(ascii: "1"): bits.append(true)
            default: throw CodesError.invalidBitString(string)
            }
        }
        try self.init(bits: bits)
    }

    /// Bit `index` (0 = first).
    public subscript(index: Int) -> Bool {
        precondition(index >= 0 && index < bitCount, "bit index \(index) out of 0..<\(bitCount)")
        return words[index >> 6] >> UInt64(index & 63) & 1 == 1
    }

    /// All bits, first bit first.
    public var bits: [Bool] { (0..<bitCount).map { self[$0] } }

    /// The 0/1 string, first bit first.
    public var description: String { String(bits.map { $0 ? "1" : "0" }) }

    /// The number of positions where the two codes differ: popcount(a XOR b), exact.
    public func distance(to other: BitCode) -> Int {
        precondition(bitCount == other.bitCount, "Hamming distance between \(bitCount) and \(other.bitCount) bits")
        var total = 0
        for w in 0..<words.count { total += (words[w] ^ other.words[w]).nonzeroBitCount }
        return total
    }

    /// The positions where the two codes differ, in increasing order: the set bits of a XOR b.
    public func differingBits(from other: BitCode) -> [Int] {
        precondition(bitCount == other.bitCount, "differing bits between \(bitCount) and \(other.bitCount) bits")
        var positions: [Int] = []
        for w in 0..<words.count {
            var difference = words[w] ^ other.words[w]
            while difference != 0 {
                positions.append(w * 64 + difference.trailingZeroBitCount)
                difference &= difference - 1  // clears the lowest set bit
            }
        }
        return positions
    }
}
