/// A binary image hash: its bits in imagehash's row-major order and the grid they came from.
///
/// `hexString` is exactly what imagehash's `str(hash)` prints: the bits read as one big-endian binary number,
/// written in lower-case hex with `ceil(bits / 4)` digits (so a 42-bit colour hash has 11 digits, the two
/// leading pad bits being zero).
public struct ImageHash: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var kind: HashKind
    /// The bits, row by row (`true` = 1).
    public var bits: [Bool]
    public var gridWidth: Int
    public var gridHeight: Int

    public init(kind: HashKind, bits: [Bool], gridWidth: Int, gridHeight: Int) {
        precondition(bits.count == gridWidth * gridHeight, "bits do not fill the grid")
        self.kind = kind
        self.bits = bits
        self.gridWidth = gridWidth
        self.gridHeight = gridHeight
    }

    /// Parses a hex string as imagehash prints it (`hex_to_hash`, `hex_to_flathash` for colorhash).
    /// `size` is the hash size (or `binbits` for colorhash) the string was made with; nil = inferred from the
    /// number of digits, as imagehash's readers do (`HashKind.size(forHexDigits:)`), else imagehash's default.
    public init(hex: String, kind: HashKind, size: Int? = nil) throws {
        let size = size ?? kind.size(forHexDigits: hex.count) ?? kind.defaultSize
        let count = kind.bitCount(size: size)
        let digits = Array(hex.lowercased())
        let expected = (count + 3) / 4
        guard digits.count == expected else {
            throw HashError("'\(hex)' has \(digits.count) hex digits; a \(kind.rawValue) of size \(size) has \(expected)")
        }
        var all: [Bool] = []
        all.reserveCapacity(expected * 4)
        for digit in digits {
            guard let value = digit.hexDigitValue else { throw HashError("'\(hex)' is not a hex string") }
            for shift in stride(from: 3, through: 0, by: -1) { all.append((value >> shift) & 1 == 1) }
        }
        let padding = all.count - count
        guard !all.prefix(padding).contains(true) else {
            throw HashError("'\(hex)' has more than \(count) bits")
        }
        let grid = kind.grid(size: size)
        self.init(kind: kind, bits: Array(all.dropFirst(padding)), gridWidth: grid.width, gridHeight: grid.height)
    }

    /// imagehash's `str()`: lower-case hex, `ceil(bits/4)` digits, zero bits padded on the left.
    public var hexString: String {
        let padding = (4 - bits.count % 4) % 4
        let padded = [Bool](repeating: false, count: padding) + bits
        var text = ""
        text.reserveCapacity(padded.count / 4)
        for start in stride(from: 0, to: padded.count, by: 4) {
            var value = 0
            for bit in padded[start..<start + 4] { value = value << 1 | (bit ? 1 : 0) }
            text.append(Character(String(value, radix: 16)))
        }
        return text
    }

    public var description: String { hexString }

    /// The number of positions where the bits differ (imagehash's `hash1 - hash2`).
    public func hammingDistance(to other: ImageHash) -> Int {
        precondition(bits.count == other.bits.count, "hashes of different lengths")
        var count = 0
        for i in bits.indices where bits[i] != other.bits[i] { count += 1 }
        return count
    }

    /// The positions (row-major indices) where the bits differ.
    public func differingBits(from other: ImageHash) -> [Int] {
        precondition(bits.count == other.bits.count, "hashes of different lengths")
        return bits.indices.filter { bits[$0] != other.bits[$0] }
    }
}
