import Codes

/// A binary image hash: its kind, the grid its bits came from, and the bits themselves as one `BitCode`.
///
/// imagehash's row-major order is the code's bit order: the bit of grid cell (row r, column c) is bit
/// `r · gridWidth + c` of `code`. So a hash is a code like any learned one: its Hamming distance is the code's,
/// and a list of hashes is a `CodeSet` (`CodeSet(hashes:)`) that search, evaluation and near-duplicates read.
///
/// `hexString` is exactly what imagehash's `str(hash)` prints: the bits read as one big-endian binary number,
/// written in lower-case hex with `ceil(bits / 4)` digits (so a 42-bit colour hash has 11 digits, the two
/// leading pad bits being zero).
public struct ImageHash: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let kind: HashKind
    /// The bits, row by row: `gridWidth × gridHeight` of them (4 for hash size 2, 4,096 for size 64).
    public let code: BitCode
    public let gridWidth: Int
    public let gridHeight: Int

    public init(kind: HashKind, code: BitCode, gridWidth: Int, gridHeight: Int) {
        precondition(code.bitCount == gridWidth * gridHeight, "bits do not fill the grid")
        self.kind = kind
        self.code = code
        self.gridWidth = gridWidth
        self.gridHeight = gridHeight
    }

    /// A hash from its bits, row by row (`true` = 1); the grid holds at least one bit.
    public init(kind: HashKind, bits: [Bool], gridWidth: Int, gridHeight: Int) {
        precondition(!bits.isEmpty && bits.count == gridWidth * gridHeight, "bits do not fill the grid")
        self.init(kind: kind, code: try! BitCode(bits: bits), gridWidth: gridWidth, gridHeight: gridHeight)
    }

    /// Parses a hex string as imagehash prints it (`hex_to_hash`, `hex_to_flathash` for colorhash).
    /// `size` is the hash size (or `binbits` for colorhash) the string was made with; nil = inferred from the
    /// number of digits, as imagehash's readers do (`HashKind.size(forHexDigits:)`), else imagehash's default.
    public init(hex: String, kind: HashKind, size: Int? = nil) throws {
        let size = size ?? kind.size(forHexDigits: hex.count) ?? kind.defaultSize
        guard size >= 1 else { throw HashError("a \(kind.rawValue) of size \(size) has no bits") }
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

    /// The bits, row by row (`true` = 1).
    public var bits: [Bool] { code.bits }

    /// The number of bits.
    public var bitCount: Int { code.bitCount }

    /// imagehash's `str()`: lower-case hex, `ceil(bits/4)` digits, zero bits padded on the left.
    public var hexString: String {
        let padded = [Bool](repeating: false, count: (4 - bitCount % 4) % 4) + bits
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

    /// The number of positions where the bits differ (imagehash's `hash1 - hash2`): the codes' Hamming distance.
    public func hammingDistance(to other: ImageHash) -> Int {
        code.distance(to: other.code)
    }

    /// The positions (row-major indices) where the bits differ.
    public func differingBits(from other: ImageHash) -> [Int] {
        code.differingBits(from: other.code)
    }
}
