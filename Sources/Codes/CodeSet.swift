/// Many binary codes of one length, packed row-major into one array of 64-bit words, with optional labels and names.
///
/// Code `i` occupies `words[i * wordsPerCode ..< (i + 1) * wordsPerCode]`, with the same bit layout as `BitCode`
/// (bit `j` in word `j / 64` at position `j % 64`, unused high bits zero). This is the layout the Hamming search
/// scans: one contiguous array, no per-code objects, so memory is the codes themselves.
public struct CodeSet: Sendable, Equatable {
    /// Equal codes, labels and names; the class names only describe the labels, so they do not count (a set saved
    /// as TSV or .npy and loaded back equals the set it came from).
    public static func == (a: CodeSet, b: CodeSet) -> Bool {
        a.bitCount == b.bitCount && a.words == b.words && a.labels == b.labels && a.names == b.names
    }

    /// Bits per code (at least 1; the models' codes have 8…256, classic hashes 4…4,096).
    public let bitCount: Int
    /// 64-bit words per code: ceil(bitCount / 64).
    public let wordsPerCode: Int
    /// The packed codes, row-major.
    public private(set) var words: [UInt64]
    /// One class label per code, or nil. (Single-label; multi-label data is not supported.)
    public private(set) var labels: [Int32]?
    /// One name per code (e.g. a file name), or nil.
    public private(set) var names: [String]?
    /// The names of the classes the labels stand for (label i is `classNames[i]`: "airplane", …), or nil.
    public var classNames: [String]?

    /// The class a label stands for: its name, or "label N" when the set has no name for it.
    public func className(ofLabel label: Int32) -> String {
        if let classNames, label >= 0, Int(label) < classNames.count { return classNames[Int(label)] }
        return "label \(label)"
    }

    /// The number of codes.
    public var count: Int { wordsPerCode == 0 ? 0 : words.count / wordsPerCode }

    /// An empty set of codes of `bitCount` bits.
    public init(bitCount: Int) throws {
        try self.init(bitCount: bitCount, words: [])
    }

    /// A set from packed words (row-major, `ceil(bitCount/64)` words a code, unused high bits zero).
    public init(bitCount: Int, words: [UInt64], labels: [Int32]? = nil, names: [String]? = nil) throws {
        guard bitCount >= 1 else { throw CodesError.unsupportedBitCount(bitCount) }
        let wordsPerCode = BitCode.wordCount(forBits: bitCount)
        guard words.count % wordsPerCode == 0 else {
            throw CodesError.invalidArgument("\(words.count) words is not a whole number of \(bitCount)-bit codes")
        }
        let count = words.count / wordsPerCode
        if bitCount % 64 != 0 {
            let shift = UInt64(bitCount % 64)
            for i in 0..<count where words[i * wordsPerCode + wordsPerCode - 1] >> shift != 0 {
                throw CodesError.invalidArgument("code \(i) has bits set past its \(bitCount) bits")
            }
        }
        if let labels, labels.count != count {
            throw CodesError.countMismatch(what: "labels", expected: count, found: labels.count)
        }
        if let names, names.count != count {
            throw CodesError.countMismatch(what: "names", expected: count, found: names.count)
        }
        self.bitCount = bitCount
        self.wordsPerCode = wordsPerCode
        self.words = words
        self.labels = labels
        self.names = names
    }

    /// A set from single codes, which must all have the same length (`bitCount` is needed when `codes` is empty).
    public init(codes: [BitCode], bitCount: Int? = nil, labels: [Int32]? = nil, names: [String]? = nil) throws {
        guard let bits = bitCount ?? codes.first?.bitCount else {
            throw CodesError.invalidArgument("an empty code set needs a bit count")
        }
        var words: [UInt64] = []
        words.reserveCapacity(codes.count * BitCode.wordCount(forBits: bits))
        for code in codes {
            guard code.bitCount == bits else { throw CodesError.lengthMismatch(expected: bits, found: code.bitCount) }
            words += code.words
        }
        try self.init(bitCount: bits, words: words, labels: labels, names: names)
    }

    /// A set from rows of bits, first bit first.
    public init(bits rows: [[Bool]], bitCount: Int? = nil, labels: [Int32]? = nil, names: [String]? = nil) throws {
        try self.init(codes: rows.map { try BitCode(bits: $0) }, bitCount: bitCount, labels: labels, names: names)
    }

    /// A set from 0/1 strings, first bit first.
    public init(strings: [String], bitCount: Int? = nil, labels: [Int32]? = nil, names: [String]? = nil) throws {
        try self.init(codes: strings.map { try BitCode(string: $0) }, bitCount: bitCount, labels: labels,
                      names: names)
    }

    /// Binarises real-valued network outputs: `outputs` holds `count × bitCount` values row-major, and bit `j` of
    /// code `i` is 1 exactly when `outputs[i * bitCount + j] > threshold`.
    ///
    /// `threshold: 0` is the sign of tanh-like outputs (DSH, DPSH, triplet: a value of exactly 0 gives bit 0);
    /// `threshold: 0.5` is DLBHC's sigmoid rule σ > 0.5.
    public init(realOutputs outputs: [Float], bitCount: Int, threshold: Float = 0, labels: [Int32]? = nil,
                names: [String]? = nil) throws {
        guard bitCount >= 1 else { throw CodesError.unsupportedBitCount(bitCount) }
        guard outputs.count % bitCount == 0 else {
            throw CodesError.invalidArgument("\(outputs.count) outputs is not a whole number of \(bitCount)-bit rows")
        }
        let count = outputs.count / bitCount
        let wordsPerCode = BitCode.wordCount(forBits: bitCount)
        var words = [UInt64](repeating: 0, count: count * wordsPerCode)
        for i in 0..<count {
            for j in 0..<bitCount where outputs[i * bitCount + j] > threshold {
                words[i * wordsPerCode + j >> 6] |= 1 << UInt64(j & 63)
            }
        }
        try self.init(bitCount: bitCount, words: words, labels: labels, names: names)
    }

    /// Code `index` as a single `BitCode`.
    public subscript(index: Int) -> BitCode {
        precondition(index >= 0 && index < count, "code index \(index) out of 0..<\(count)")
        let start = index * wordsPerCode
        return try! BitCode(bitCount: bitCount, words: Array(words[start..<start + wordsPerCode]))
    }

    /// Bit `bit` of code `index`.
    public func bit(_ bit: Int, ofCode index: Int) -> Bool {
        words[index * wordsPerCode + bit >> 6] >> UInt64(bit & 63) & 1 == 1
    }

    /// The 0/1 string of code `index`, first bit first.
    public func string(ofCode index: Int) -> String {
        String((0..<bitCount).map { bit($0, ofCode: index) ? "1" : "0" })
    }

    /// The codes at `indices` (in that order, repeats allowed), with their labels and names.
    public func subset(_ indices: [Int]) throws -> CodeSet {
        var picked: [UInt64] = []
        picked.reserveCapacity(indices.count * wordsPerCode)
        for i in indices {
            guard i >= 0 && i < count else {
                throw CodesError.invalidArgument("code index \(i) out of 0..<\(count)")
            }
            picked += words[i * wordsPerCode..<(i + 1) * wordsPerCode]
        }
        return try CodeSet(bitCount: bitCount, words: picked, labels: labels.map { l in indices.map { l[$0] } },
                           names: names.map { n in indices.map { n[$0] } })
    }

    /// The codes in `range`.
    public func subset(_ range: Range<Int>) throws -> CodeSet { try subset(Array(range)) }

    /// Replaces the labels (nil removes them).
    public mutating func setLabels(_ newLabels: [Int32]?) throws {
        if let newLabels, newLabels.count != count {
            throw CodesError.countMismatch(what: "labels", expected: count, found: newLabels.count)
        }
        labels = newLabels
    }

    /// Replaces the names (nil removes them).
    public mutating func setNames(_ newNames: [String]?) throws {
        if let newNames, newNames.count != count {
            throw CodesError.countMismatch(what: "names", expected: count, found: newNames.count)
        }
        names = newNames
    }

    /// Appends one code. If the set has labels (or names), `label` (or `name`) must be given, and vice versa
    /// unless the set is empty.
    public mutating func append(_ code: BitCode, label: Int32? = nil, name: String? = nil) throws {
        guard code.bitCount == bitCount else { throw CodesError.lengthMismatch(expected: bitCount, found: code.bitCount) }
        let wasEmpty = count == 0
        if labels != nil || (wasEmpty && label != nil) {
            guard let label else { throw CodesError.invalidArgument("this code set has labels: give one") }
            labels = (labels ?? []) + [label]
        } else if label != nil {
            throw CodesError.invalidArgument("this code set has no labels")
        }
        if names != nil || (wasEmpty && name != nil) {
            guard let name else { throw CodesError.invalidArgument("this code set has names: give one") }
            names = (names ?? []) + [name]
        } else if name != nil {
            throw CodesError.invalidArgument("this code set has no names")
        }
        words += code.words
    }

    /// Fraction of codes with each bit set (0.5 everywhere is a balanced code).
    public var bitBalance: [Double] {
        guard count > 0 else { return [Double](repeating: 0, count: bitCount) }
        var ones = [Int](repeating: 0, count: bitCount)
        for i in 0..<count {
            for j in 0..<bitCount where bit(j, ofCode: i) { ones[j] += 1 }
        }
        return ones.map { Double($0) / Double(count) }
    }
}
