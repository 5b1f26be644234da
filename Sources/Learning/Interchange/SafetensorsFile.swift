import Foundation

/// A safetensors file: the format in which PyTorch users share weights (Hugging Face's `safetensors`), read and
/// written without any Python.
///
/// Layout (huggingface/safetensors, README "Format"):
///
///     N        8 bytes, unsigned little-endian: the length of the header
///     header   N bytes of UTF-8 JSON, starting with `{`, possibly padded at the end with spaces:
///              {"NAME": {"dtype": "F32", "shape": [32, 3, 5, 5], "data_offsets": [BEGIN, END]}, …,
///               "__metadata__": {"key": "value", …}}
///     buffer   the rest of the file: every tensor's bytes, little-endian, row-major (C order)
///
/// `data_offsets` count from the start of the buffer, not of the file. The format forbids what would let a file
/// mean two things: the tensors may not overlap and must cover the buffer without a hole, each tensor's byte count
/// must be its element count times its dtype's size, and `__metadata__` maps strings to strings only. The reference
/// reader refuses headers over 100 MB; so does this one. Every check here throws a one-line `SafetensorsError`
/// naming the file and, where there is one, the tensor; nothing a file says is trusted before it is checked, so a
/// damaged or hostile file cannot crash the reader.
///
/// The file is kept whole in memory; a tensor's bytes are a range of it, turned into numbers on request
/// (`floats(of:)`). Duplicate keys in the JSON are not detected (Foundation's parser keeps one of them).
public struct SafetensorsFile: Sendable {
    /// One tensor as the header describes it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        /// Where its bytes lie in the buffer.
        public var byteRange: Range<Int>
    }

    /// The largest header the reference implementation accepts.
    public static let maximumHeaderLength = 100_000_000

    /// Bytes per element of every dtype the format names. (Sub-byte types such as F4 are not listed: a file that
    /// uses them is refused as having an unknown dtype.)
    public static let elementSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E5M2": 1, "F8_E4M3": 1, "F8_E8M0": 1,
        "U16": 2, "I16": 2, "F16": 2, "BF16": 2,
        "U32": 4, "I32": 4, "F32": 4,
        "U64": 8, "I64": 8, "F64": 8,
    ]

    /// The tensors in buffer order.
    public private(set) var entries: [Entry]
    /// The header's `__metadata__` (empty when absent).
    public var metadata: [String: String]
    /// The buffer: every tensor's bytes.
    private var buffer: [UInt8]
    /// Names the file in errors.
    public let path: String

    /// An empty file to which `append` adds tensors.
    public init(metadata: [String: String] = [:], path: String = "<memory>") {
        entries = []
        buffer = []
        self.metadata = metadata
        self.path = path
    }

    /// The entry called `name`, if any.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Appends a float32 tensor (stored little-endian, whatever the machine).
    public mutating func append(name: String, shape: [Int], floats: [Float]) {
        precondition(shape.reduce(1, *) == floats.count, "\(floats.count) values do not fill shape \(shape)")
        let begin = buffer.count
        buffer.reserveCapacity(begin + 4 * floats.count)
        for value in floats { withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer += $0 } }
        entries.append(Entry(name: name, dtype: "F32", shape: shape, byteRange: begin..<buffer.count))
    }

    /// Appends every tensor of `other`, bytes as they are, each under `prefix` + its name, and its metadata under
    /// `prefix` + each key: one file nested in another (a shallow model holding the deep model it takes features
    /// from). `nested(prefix:)` takes it out again.
    public mutating func append(_ other: SafetensorsFile, prefix: String) {
        for entry in other.entries {
            let begin = buffer.count
            buffer += other.buffer[entry.byteRange]
            entries.append(Entry(name: prefix + entry.name, dtype: entry.dtype, shape: entry.shape,
                                 byteRange: begin..<buffer.count))
        }
        for (key, value) in other.metadata { metadata[prefix + key] = value }
    }

    /// The file that `append(_:prefix:)` nested under `prefix`: its tensors and metadata with the prefix taken off
    /// (nil when no tensor has the prefix).
    public func nested(prefix: String) -> SafetensorsFile? {
        var inner = SafetensorsFile(metadata: [:], path: path)
        for entry in entries where entry.name.hasPrefix(prefix) {
            let begin = inner.buffer.count
            inner.buffer += buffer[entry.byteRange]
            inner.entries.append(Entry(name: String(entry.name.dropFirst(prefix.count)), dtype: entry.dtype,
                                       shape: entry.shape, byteRange: begin..<inner.buffer.count))
        }
        for (key, value) in metadata where key.hasPrefix(prefix) { inner.metadata[String(key.dropFirst(prefix.count))] = value }
        return inner.entries.isEmpty ? nil : inner
    }

    /// Appends a float64 tensor (little-endian): a shallow model's projections, kept to the bit.
    public mutating func append(name: String, shape: [Int], doubles: [Double]) {
        precondition(shape.reduce(1, *) == doubles.count, "\(doubles.count) values do not fill shape \(shape)")
        let begin = buffer.count
        buffer.reserveCapacity(begin + 8 * doubles.count)
        for value in doubles { withUnsafeBytes(of: value.bitPattern.littleEndian) { buffer += $0 } }
        entries.append(Entry(name: name, dtype: "F64", shape: shape, byteRange: begin..<buffer.count))
    }

    /// The values of a float64 tensor, row-major. Throws when the tensor is absent or of another dtype.
    public func doubles(of name: String) throws(SafetensorsError) -> [Double] {
        guard let entry = entry(named: name) else { throw SafetensorsError(path, "tensor \(name) is missing") }
        guard entry.dtype == "F64" else { throw SafetensorsError(path, "tensor \(name) is \(entry.dtype), not F64") }
        return stride(from: entry.byteRange.lowerBound, to: entry.byteRange.upperBound, by: 8).map { offset in
            var bits: UInt64 = 0
            for byte in 0..<8 { bits |= UInt64(buffer[offset + byte]) << (8 * UInt64(byte)) }
            return Double(bitPattern: bits)
        }
    }

    /// The values of a float32 tensor, row-major. Throws when the tensor is absent or of another dtype.
    public func floats(of name: String) throws(SafetensorsError) -> [Float] {
        guard let entry = entry(named: name) else { throw SafetensorsError(path, "tensor \(name) is missing") }
        guard entry.dtype == "F32" else {
            throw SafetensorsError(path, "tensor \(name) is \(entry.dtype); HashLab reads float32 (F32) tensors only")
        }
        var values = [Float](repeating: 0, count: entry.byteRange.count / 4)
        var offset = entry.byteRange.lowerBound
        for index in values.indices {
            values[index] = Float(bitPattern: UInt32(buffer[offset]) | UInt32(buffer[offset + 1]) << 8
                                  | UInt32(buffer[offset + 2]) << 16 | UInt32(buffer[offset + 3]) << 24)
            offset += 4
        }
        return values
    }

    /// The values of an integer tensor (I64, I32, I16, I8, U8) as `Int`s, row-major.
    public func integers(of name: String) throws(SafetensorsError) -> [Int] {
        guard let entry = entry(named: name) else { throw SafetensorsError(path, "tensor \(name) is missing") }
        let signed: [String: Int] = ["I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1]
        guard let size = signed[entry.dtype] else {
            throw SafetensorsError(path, "tensor \(name) is \(entry.dtype), not an integer tensor")
        }
        return stride(from: entry.byteRange.lowerBound, to: entry.byteRange.upperBound, by: size).map { offset in
            var bits: UInt64 = 0
            for byte in 0..<size { bits |= UInt64(buffer[offset + byte]) << (8 * UInt64(byte)) }
            if entry.dtype == "U8" { return Int(bits) }
            let unused = UInt64(64 - 8 * size)
            return Int(Int64(bitPattern: bits << unused) >> Int64(unused))
        }
    }

    // MARK: Writing

    /// The file's bytes: the header lists the tensors in the order they were appended, with `__metadata__` first,
    /// and is padded with spaces so that the buffer starts at a multiple of 8 bytes (as the reference writer does,
    /// so that a reader may map float64 tensors in place).
    public func encoded() -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        for entry in entries {
            fields.append(jsonString(entry.name) + ":{\"dtype\":\"\(entry.dtype)\",\"shape\":["
                          + entry.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":["
                          + "\(entry.byteRange.lowerBound),\(entry.byteRange.upperBound)]}")
        }
        var header = Array(("{" + fields.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + buffer.count)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        return bytes + header + buffer
    }

    /// Writes the file to `path` through a temporary file and a rename: a failed save leaves an existing file
    /// as it was.
    public func write(to path: String) throws(SafetensorsError) {
        do { try replaceFile(atPath: path, with: encoded()) } catch {
            throw SafetensorsError(path, "cannot write: \(error.reason)")
        }
    }

    // MARK: Reading

    /// Reads and checks the file at `path`.
    public static func read(from path: String) throws(SafetensorsError) -> SafetensorsFile {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
            throw SafetensorsError(path, isFolder.boolValue ? "is a folder, not a file" : "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SafetensorsError(path, "cannot read the file (permission denied?)")
        }
        return try SafetensorsFile(decoding: [UInt8](data), path: path)
    }

    /// Parses and checks a file's bytes; `path` names it in errors.
    public init(decoding bytes: [UInt8], path: String = "<memory>") throws(SafetensorsError) {
        self.path = path
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(path, message) }
        guard bytes.count >= 8 else {
            throw fail("truncated: \(bytes.count) bytes, fewer than the 8 that give the header's length")
        }
        let declared = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declared <= UInt64(SafetensorsFile.maximumHeaderLength) else {
            throw fail("the header length \(declared) is over the format's limit of 100 MB (not a safetensors file?)")
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw fail("the header length \(headerLength) runs past the end of the file (\(bytes.count) bytes): truncated?")
        }
        let headerBytes = bytes[8..<(8 + headerLength)]
        guard headerBytes.first == UInt8(ascii: "{") else {
            throw fail("the header does not start with '{' (not a safetensors file?)")
        }
        guard String(validating: headerBytes, as: UTF8.self) != nil else { throw fail("the header is not UTF-8") }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(headerBytes)) } catch {
            throw fail("the header is not valid JSON")
        }
        guard let header = parsed as? [String: Any] else { throw fail("the header is not a JSON object") }

        metadata = [:]
        if let raw = header["__metadata__"] {
            guard let pairs = raw as? [String: Any] else { throw fail("__metadata__ is not a JSON object") }
            for (key, value) in pairs {
                guard let text = value as? String else {
                    throw fail("__metadata__ \(key) is not a string (the format allows strings only)")
                }
                metadata[key] = text
            }
        }
        let bufferLength = bytes.count - 8 - headerLength
        var entries: [Entry] = []
        for (name, raw) in header where name != "__metadata__" {
            entries.append(try SafetensorsFile.entry(name: name, raw: raw, bufferLength: bufferLength, path: path))
        }
        // The tensors, in buffer order, must tile the buffer exactly: no overlap, no hole, nothing left over.
        entries.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }
        var covered = 0
        for (index, entry) in entries.enumerated() {
            if entry.byteRange.lowerBound < covered {
                throw fail("tensors \(entries[index - 1].name) and \(entry.name) overlap (bytes \(entry.byteRange.lowerBound)"
                           + "..<\(covered) of the buffer belong to both)")
            }
            if entry.byteRange.lowerBound > covered {
                throw fail("bytes \(covered)..<\(entry.byteRange.lowerBound) of the buffer, before tensor \(entry.name), "
                           + "belong to no tensor")
            }
            covered = entry.byteRange.upperBound
        }
        guard covered == bufferLength else {
            throw fail("the last \(bufferLength - covered) bytes of the buffer belong to no tensor")
        }
        self.entries = entries
        buffer = Array(bytes[(8 + headerLength)...])
        // Offsets now count from the start of `buffer`, which is what they were declared relative to.
    }

    /// Checks one header entry: its fields, its dtype, and that its byte count fits its shape and the buffer.
    private static func entry(name: String, raw: Any, bufferLength: Int, path: String) throws(SafetensorsError) -> Entry {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(path, "tensor \(name): " + message) }
        guard let fields = raw as? [String: Any] else { throw fail("its header entry is not a JSON object") }
        guard let dtype = fields["dtype"] as? String else { throw fail("no dtype") }
        guard let size = elementSizes[dtype] else { throw fail("unknown dtype \(dtype)") }
        guard let shapeNumbers = fields["shape"] as? [Any],
              let shape = integers(shapeNumbers), shape.allSatisfy({ $0 >= 0 }) else {
            throw fail("its shape is not a list of whole numbers ≥ 0")
        }
        guard let offsetNumbers = fields["data_offsets"] as? [Any], let offsets = integers(offsetNumbers),
              offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
            throw fail("its data_offsets are not two whole numbers BEGIN ≤ END")
        }
        guard offsets[1] <= bufferLength else {
            throw fail("data_offsets [\(offsets[0]), \(offsets[1])] point outside the \(bufferLength)-byte buffer")
        }
        var byteCount = size
        for extent in shape {
            let (product, overflow) = byteCount.multipliedReportingOverflow(by: extent)
            guard !overflow else { throw fail("its shape \(shape) is too large") }
            byteCount = product
        }
        guard byteCount == offsets[1] - offsets[0] else {
            throw fail("shape \(shape) of \(dtype) needs \(byteCount) bytes, its data_offsets [\(offsets[0]), "
                       + "\(offsets[1])] give \(offsets[1] - offsets[0])")
        }
        return Entry(name: name, dtype: dtype, shape: shape, byteRange: offsets[0]..<offsets[1])
    }

    /// JSON numbers that are all whole and fit an `Int`, or nil.
    private static func integers(_ values: [Any]) -> [Int]? {
        var result: [Int] = []
        for value in values {
            guard let number = value as? NSNumber else { return nil }
            let double = number.doubleValue
            guard double == double.rounded(), abs(double) < 9e15 else { return nil }
            result.append(number.intValue)
        }
        return result
    }
}

/// A string as a JSON string literal.
private func jsonString(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default:
            if scalar.value < 0x20 {
                result += String(format: "\\u%04x", scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

/// A safetensors file that cannot be read, written or used, as one line naming the file and, where there is one,
/// the tensor.
public struct SafetensorsError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ path: String, _ message: String) { description = "\(path): \(message)" }
}
