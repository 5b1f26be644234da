import Foundation

/// A checkpoint read or write failure, one line, with the file's path.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case notACheckpoint(path: String)
    case unsupportedVersion(path: String, version: UInt32)
    case truncated(path: String)
    case checksumMismatch(path: String)
    case malformed(path: String, reason: String)
    case mismatch(String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read checkpoint: \(reason)"
        case let .unwritable(path, reason): return "\(path): cannot write checkpoint: \(reason)"
        case let .notACheckpoint(path): return "\(path): not a HashLab checkpoint (wrong magic bytes)"
        case let .unsupportedVersion(path, version):
            return "\(path): checkpoint format version \(version) is not supported (this build reads version \(Checkpoint.formatVersion))"
        case let .truncated(path): return "\(path): checkpoint is truncated"
        case let .checksumMismatch(path): return "\(path): checkpoint is corrupt (checksum mismatch)"
        case let .malformed(path, reason): return "\(path): malformed checkpoint: \(reason)"
        case let .mismatch(reason): return "checkpoint does not fit: \(reason)"
        }
    }
}

/// A named tensor as stored in a checkpoint.
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var tensor: Tensor
    public init(name: String, tensor: Tensor) { self.name = name; self.tensor = tensor }
}

/// A saved model (and optionally its training state).
///
/// File layout, all integers little-endian:
///
///     magic    8 bytes  89 'H' 'L' 'C' 'K' 'P' 'T' 0A
///     version  UInt32   (1)
///     header   UInt32 length + UTF-8 JSON: net spec, metadata, training configuration and position, normalisation
///     tensors  UInt32 count, then per tensor: UInt32 name length + UTF-8 name, UInt32 rank, rank × UInt32
///              extents, then the Float32 values (IEEE bit patterns)
///     checksum UInt64   FNV-1a 64 of every byte before it
///
/// Written to `path.tmp-<pid>` then renamed over `path`, so a crash never leaves half a checkpoint under its
/// name. Reading checks the magic, version and checksum first, then bounds-checks every field.
public struct Checkpoint: Sendable {
    public static let formatVersion: UInt32 = 1
    static let magic: [UInt8] = [0x89, 0x48, 0x4C, 0x43, 0x4B, 0x50, 0x54, 0x0A]

    public struct Header: Sendable, Equatable, Codable {
        public var spec: NetSpec
        public var metadata: [String: String]
        public var normalization: Normalization?
        public var training: TrainingConfiguration?
        public var position: TrainingPosition?
    }

    public var header: Header
    public var tensors: [NamedTensor]

    public var spec: NetSpec { header.spec }

    public init(header: Header, tensors: [NamedTensor]) {
        self.header = header
        self.tensors = tensors
    }

    /// A checkpoint of a network's parameters (and batch-norm statistics).
    public init(network: Network, normalization: Normalization? = nil, metadata: [String: String] = [:]) {
        header = Header(spec: network.spec, metadata: metadata, normalization: normalization, training: nil,
                        position: nil)
        tensors = network.parameters.map { NamedTensor(name: $0.name, tensor: $0.value) }
    }

    /// A checkpoint of a whole training run: network, optimiser state, configuration and position.
    public init(trainer: Trainer, metadata: [String: String] = [:]) {
        self.init(network: trainer.network, normalization: trainer.batcher.normalization, metadata: metadata)
        header.training = trainer.configuration
        header.position = trainer.position
        tensors += trainer.optimizer.state.map { NamedTensor(name: $0.name, tensor: $0.tensor) }
    }

    /// Builds a fresh network from the stored spec and loads the stored parameters into it.
    public func makeNetwork() throws -> Network {
        let network = try Network(spec: header.spec, seed: 0)
        try load(into: network)
        return network
    }

    /// Loads the stored parameters into `network` (same spec required).
    public func load(into network: Network) throws {
        guard network.spec == header.spec else {
            throw CheckpointError.mismatch("the network is \(network.spec.name), the checkpoint holds \(header.spec.name) with other layers")
        }
        let byName = Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        for parameter in network.parameters {
            guard let saved = byName[parameter.name], saved.shape == parameter.value.shape else {
                throw CheckpointError.mismatch("parameter \(parameter.name) is missing or has another shape")
            }
            parameter.value = saved
        }
    }

    /// Restores network, optimiser state and position into a trainer built with the same spec and configuration.
    public func restore(into trainer: Trainer) throws {
        guard let position = header.position else { throw CheckpointError.mismatch("the checkpoint holds no training state") }
        try load(into: trainer.network)
        let byName = Dictionary(tensors.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        try trainer.optimizer.restore(state: byName, steps: position.optimizerSteps)
        trainer.resume(from: position)
    }

    // MARK: Encoding

    /// The file's bytes.
    public func encoded() throws -> [UInt8] {
        var bytes = Checkpoint.magic
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
        append32(Checkpoint.formatVersion)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        append32(UInt32(json.count))
        bytes += json
        append32(UInt32(tensors.count))
        for named in tensors {
            let name = Array(named.name.utf8)
            append32(UInt32(name.count))
            bytes += name
            append32(UInt32(named.tensor.shape.count))
            for extent in named.tensor.shape { append32(UInt32(extent)) }
            bytes.reserveCapacity(bytes.count + 4 * named.tensor.count)
            for value in named.tensor.storage { append32(value.bitPattern) }
        }
        let checksum = Checkpoint.fnv1a64(bytes[...])
        withUnsafeBytes(of: checksum.littleEndian) { bytes += $0 }
        return bytes
    }

    /// Writes the checkpoint to a temporary file beside `path`, then renames it over `path`.
    public func write(to path: String) throws {
        let bytes = try encoded()
        do { try replaceFile(atPath: path, with: bytes) } catch {
            throw CheckpointError.unwritable(path: path, reason: error.reason)
        }
    }

    /// Reads and verifies a checkpoint file.
    public static func read(from path: String) throws -> Checkpoint {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CheckpointError.unreadable(path: path, reason: FileManager.default.fileExists(atPath: path)
                                             ? "permission denied or not a file" : "no such file")
        }
        return try Checkpoint(decoding: [UInt8](data), path: path)
    }

    /// Parses checkpoint bytes; `path` only labels errors.
    public init(decoding bytes: [UInt8], path: String = "<memory>") throws {
        guard bytes.count >= 8, Array(bytes[0..<8]) == Checkpoint.magic else {
            throw CheckpointError.notACheckpoint(path: path)
        }
        guard bytes.count >= 8 + 4 + 8 else { throw CheckpointError.truncated(path: path) }
        var cursor = 8
        func read32() throws -> UInt32 {
            guard cursor + 4 <= bytes.count - 8 else { throw CheckpointError.truncated(path: path) }
            let value = UInt32(bytes[cursor]) | UInt32(bytes[cursor + 1]) << 8 | UInt32(bytes[cursor + 2]) << 16
                | UInt32(bytes[cursor + 3]) << 24
            cursor += 4
            return value
        }
        let version = try read32()
        guard version == Checkpoint.formatVersion else {
            throw CheckpointError.unsupportedVersion(path: path, version: version)
        }
        let stored = bytes[(bytes.count - 8)...].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard Checkpoint.fnv1a64(bytes[..<(bytes.count - 8)]) == stored else {
            throw CheckpointError.checksumMismatch(path: path)
        }
        let end = bytes.count - 8
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= end - cursor else { throw CheckpointError.truncated(path: path) }
            defer { cursor += count }
            return bytes[cursor..<(cursor + count)]
        }
        let headerLength = Int(try read32())
        do {
            header = try JSONDecoder().decode(Header.self, from: Data(try take(headerLength)))
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointError.malformed(path: path, reason: "header is not valid JSON for this version")
        }
        let count = Int(try read32())
        var tensors: [NamedTensor] = []
        for _ in 0..<count {
            let nameLength = Int(try read32())
            guard let name = String(bytes: try take(nameLength), encoding: .utf8) else {
                throw CheckpointError.malformed(path: path, reason: "tensor name is not UTF-8")
            }
            let rank = Int(try read32())
            guard rank <= 8 else { throw CheckpointError.malformed(path: path, reason: "tensor \(name) has rank \(rank)") }
            var shape: [Int] = []
            var elements = 1
            for _ in 0..<rank {
                let extent = Int(try read32())
                shape.append(extent)
                elements = elements.multipliedReportingOverflow(by: extent).partialValue
                guard elements <= (end - cursor) / 4 + 1 else { throw CheckpointError.truncated(path: path) }
            }
            let raw = try take(elements * 4)
            var values = [Float](repeating: 0, count: elements)
            var offset = raw.startIndex
            for i in 0..<elements {
                values[i] = Float(bitPattern: UInt32(raw[offset]) | UInt32(raw[offset + 1]) << 8
                                  | UInt32(raw[offset + 2]) << 16 | UInt32(raw[offset + 3]) << 24)
                offset += 4
            }
            tensors.append(NamedTensor(name: name, tensor: Tensor(shape: shape, values: values)))
        }
        guard cursor == end else { throw CheckpointError.malformed(path: path, reason: "\(end - cursor) stray bytes") }
        self.tensors = tensors
    }

    /// FNV-1a, 64-bit: h ← (h ⊕ byte) · 1099511628211, from 14695981039346656037.
    static func fnv1a64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return hash
    }
}
