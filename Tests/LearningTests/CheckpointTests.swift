import XCTest
import Learning
import Seeding

final class CheckpointTests: XCTestCase {
    private var directory: String!

    override func setUp() {
        directory = NSTemporaryDirectory() + "hashlab-checkpoints-\(ProcessInfo.processInfo.processIdentifier)-\(name.hashValue)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func savedNetwork() throws -> (Network, String) {
        let network = try Network(spec: .dshCIFAR(bits: 12, localResponseNormalization: true), seed: 21)
        let path = directory + "/model.ckpt"
        try Checkpoint(network: network, normalization: Normalization(mean: [1, 2, 3], deviation: [4, 5, 6]),
                       metadata: ["note": "round trip"]).write(to: path)
        return (network, path)
    }

    func testRoundTripIsExact() throws {
        let (network, path) = try savedNetwork()
        let checkpoint = try Checkpoint.read(from: path)
        XCTAssertEqual(checkpoint.spec, network.spec)
        XCTAssertEqual(checkpoint.header.metadata, ["note": "round trip"])
        XCTAssertEqual(checkpoint.header.normalization, Normalization(mean: [1, 2, 3], deviation: [4, 5, 6]))
        let restored = try checkpoint.makeNetwork()
        XCTAssertEqual(restored.parameters.map(\.name), network.parameters.map(\.name))
        XCTAssertEqual(restored.parameters.map(\.value), network.parameters.map(\.value))
        let input = randomTensor([3, 3, 32, 32], seed: 1)
        XCTAssertEqual(try restored.forward(input), try network.forward(input))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"))
        // A value that is not a plain number survives too (bit patterns are stored).
        let odd = Checkpoint(header: checkpoint.header, tensors: [NamedTensor(name: "odd",
                                                                              tensor: Tensor(shape: [3], values: [-0.0, .infinity, .leastNonzeroMagnitude]))])
        let decoded = try Checkpoint(decoding: try odd.encoded())
        XCTAssertEqual(decoded.tensors[0].tensor.storage.map(\.bitPattern), [(-0.0 as Float).bitPattern, Float.infinity.bitPattern,
                                                                            Float.leastNonzeroMagnitude.bitPattern])
    }

    func testEveryFlippedByteIsDetected() throws {
        let network = try Network(spec: .smallMLP(inputShape: [4], hidden: 3, outputs: 2), seed: 1)
        let bytes = try Checkpoint(network: network).encoded()
        for index in bytes.indices {
            var corrupt = bytes
            corrupt[index] ^= 0x10
            XCTAssertThrowsError(try Checkpoint(decoding: corrupt, path: "x.ckpt"), "byte \(index)") { error in
                XCTAssertTrue(error is CheckpointError)
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        // A flipped byte in the middle of a real file reports a checksum mismatch with the path.
        let (_, path) = try savedNetwork()
        var data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        data[data.count / 2] ^= 0x01
        try Data(data).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try Checkpoint.read(from: path)) { error in
            XCTAssertEqual(error as? CheckpointError, .checksumMismatch(path: path))
            XCTAssertTrue("\(error)".hasPrefix(path))
        }
    }

    func testTruncatedForeignMissingAndFutureFilesAreClearErrors() throws {
        let (_, path) = try savedNetwork()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for length in [0, 5, 8, 12, 20, bytes.count / 3, bytes.count - 1] {
            XCTAssertThrowsError(try Checkpoint(decoding: Array(bytes.prefix(length)), path: "t")) { error in
                XCTAssertTrue(error is CheckpointError, "\(error)")
            }
        }
        XCTAssertThrowsError(try Checkpoint(decoding: Array(bytes.prefix(bytes.count - 1)), path: "t")) { error in
            XCTAssertEqual(error as? CheckpointError, .checksumMismatch(path: "t"))
        }
        XCTAssertThrowsError(try Checkpoint(decoding: Array("not a checkpoint at all".utf8), path: "f")) { error in
            XCTAssertEqual(error as? CheckpointError, .notACheckpoint(path: "f"))
        }
        var future = bytes
        future[8] = 9
        XCTAssertThrowsError(try Checkpoint(decoding: future, path: "v")) { error in
            XCTAssertEqual(error as? CheckpointError, .unsupportedVersion(path: "v", version: 9))
        }
        XCTAssertThrowsError(try Checkpoint.read(from: directory + "/missing.ckpt")) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
        // Loading into a network of another spec is refused.
        let other = try Network(spec: .dshCIFAR(bits: 16), seed: 1)
        XCTAssertThrowsError(try Checkpoint.read(from: path).load(into: other))
    }
}
