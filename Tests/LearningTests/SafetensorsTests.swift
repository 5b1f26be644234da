import Foundation
import XCTest
import Learning

/// The safetensors format itself, and a net written by PyTorch run in HashLab against PyTorch's own outputs.
final class SafetensorsTests: XCTestCase {
    /// `../shared/golden/interop/NAME`, or a skip saying it is absent.
    private func interopFile(_ name: String) throws -> String {
        let path = sharedFolder().appendingPathComponent("golden/interop/\(name)").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("../shared/golden/interop/\(name) is absent: \(path)")
        }
        return path
    }

    // MARK: The format

    func testWrittenFileIsLaidOutAsTheFormatSays() throws {
        var file = SafetensorsFile(metadata: ["format": "pt", "note": "a \"quoted\"\nline"])
        file.append(name: "0.weight", shape: [2, 3], floats: [1, 2, 3, 4, 5, -6])
        file.append(name: "0.bias", shape: [2], floats: [0.5, .leastNonzeroMagnitude])
        file.append(name: "scalar", shape: [], floats: [7])
        let bytes = file.encoded()
        let headerLength = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        XCTAssertEqual((8 + headerLength) % 8, 0, "the buffer starts on an 8-byte boundary")
        XCTAssertEqual(bytes.count, 8 + headerLength + 4 * 9)
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        XCTAssertEqual(header["__metadata__"] as? [String: String], ["format": "pt", "note": "a \"quoted\"\nline"])
        let weight = try XCTUnwrap(header["0.weight"] as? [String: Any])
        XCTAssertEqual(weight["dtype"] as? String, "F32")
        XCTAssertEqual(weight["shape"] as? [Int], [2, 3])
        XCTAssertEqual(weight["data_offsets"] as? [Int], [0, 24])
        XCTAssertEqual((header["scalar"] as? [String: Any])?["data_offsets"] as? [Int], [32, 36])
        // Little-endian float32: -6 is C0C00000.
        XCTAssertEqual(Array(bytes[(8 + headerLength + 20)..<(8 + headerLength + 24)]), [0x00, 0x00, 0xC0, 0xC0])

        let read = try SafetensorsFile(decoding: bytes)
        XCTAssertEqual(read.metadata, file.metadata)
        XCTAssertEqual(read.entries.map(\.name), ["0.weight", "0.bias", "scalar"])
        XCTAssertEqual(try read.floats(of: "0.weight"), [1, 2, 3, 4, 5, -6])
        XCTAssertEqual(try read.floats(of: "0.bias").map(\.bitPattern), [Float(0.5), .leastNonzeroMagnitude].map(\.bitPattern))
        XCTAssertEqual(try read.floats(of: "scalar"), [7])
    }

    /// Format-level damage: each is a one-line error naming the file (and the tensor where there is one).
    func testDamagedFilesAreOneLineErrors() throws {
        func file(_ header: String, buffer: Int) -> [UInt8] {
            let json = Array(header.utf8)
            return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json
                + [UInt8](repeating: 0, count: buffer)
        }
        let cases: [(String, [UInt8], String)] = [
            ("empty", [], "truncated"),
            ("past the end", withUnsafeBytes(of: UInt64(1000).littleEndian) { Array($0) } + Array("{}".utf8), "runs past the end"),
            ("over 100 MB", withUnsafeBytes(of: UInt64.max.littleEndian) { Array($0) }, "over the format's limit"),
            ("not JSON", file("{\"a\": [", buffer: 0), "not valid JSON"),
            ("no brace", file("[]", buffer: 0), "does not start with '{'"),
            ("bad metadata", file("{\"__metadata__\": {\"bits\": 12}}", buffer: 0), "__metadata__ bits is not a string"),
            ("bad shape", file("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", buffer: 4),
             "tensor w: its shape"),
            ("fractional offset", file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4.5]}}", buffer: 4),
             "tensor w: its data_offsets"),
            ("unknown dtype", file("{\"w\": {\"dtype\": \"Q7\", \"shape\": [1], \"data_offsets\": [0, 4]}}", buffer: 4),
             "tensor w: unknown dtype Q7"),
            ("size", file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", buffer: 4),
             "tensor w: shape [2] of F32 needs 8 bytes"),
            ("outside", file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", buffer: 4),
             "tensor w: data_offsets [0, 8] point outside the 4-byte buffer"),
            ("overlap", file("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, "
                             + "\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", buffer: 8),
             "tensors a and b overlap"),
            ("hole", file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", buffer: 8),
             "bytes 0..<4 of the buffer, before tensor a, belong to no tensor"),
            ("left over", file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", buffer: 8),
             "the last 4 bytes of the buffer belong to no tensor"),
        ]
        for (label, bytes, expected) in cases {
            XCTAssertThrowsError(try SafetensorsFile(decoding: bytes, path: "x.safetensors"), label) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("x.safetensors: ") && text.contains(expected), "\(label): \(text)")
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
        // Padding with spaces after the JSON is allowed.
        let padded = try SafetensorsFile(decoding: file("{\"w\": {\"dtype\": \"I32\", \"shape\": [1], "
                                                         + "\"data_offsets\": [0, 4]}}     ", buffer: 4))
        XCTAssertEqual(try padded.integers(of: "w"), [0])
        XCTAssertThrowsError(try padded.floats(of: "w")) { XCTAssertTrue("\($0)".contains("tensor w is I32")) }
    }

    func testAFailedWriteLeavesTheOldFile() throws {
        let folder = try temporaryFolder(self)
        let path = folder + "/kept.safetensors"
        var file = SafetensorsFile()
        file.append(name: "w", shape: [1], floats: [1])
        try file.write(to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // A folder where the writer's temporary file would go makes the write fail (even for root, whom
        // permissions would not stop).
        try FileManager.default.createDirectory(atPath: path + ".tmp-\(getpid())", withIntermediateDirectories: false)
        file.append(name: "v", shape: [1], floats: [2])
        XCTAssertThrowsError(try file.write(to: path)) { XCTAssertTrue("\($0)".contains("cannot write"), "\($0)") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    // MARK: Interchange with PyTorch

    /// The state dict PyTorch wrote for dsh-torch, loaded as HashLab's dsh-torch net, gives PyTorch's outputs for
    /// the same normalised batch to 1e-4 (PyTorch computed them in float64; HashLab runs float32).
    func testPyTorchWrittenDSHTorchGivesPyTorchsOutputs() throws {
        let weights = try interopFile("dsh-torch-12.safetensors")
        let io = try SafetensorsFile.read(from: try interopFile("dsh-torch-12-io.safetensors"))
        let model = try HashingModel.loadSafetensors(from: weights, options: .init(method: .dsh, net: .dshTorch))
        XCTAssertEqual(model.bits, 12)
        XCTAssertEqual(model.inputShape, [3, 32, 32])
        XCTAssertNil(model.normalization, "a PyTorch file without mean and std: each data set's own, as a new model")
        XCTAssertTrue(model.hasTrained, "imported weights fix the architecture")
        let inputEntry = try XCTUnwrap(io.entry(named: "input"))
        let input = Tensor(shape: inputEntry.shape, values: try io.floats(of: "input"))
        let expected = try io.floats(of: "output")
        let output = try XCTUnwrap(model.network).forward(input)
        XCTAssertEqual(output.shape, [8, 12])
        let difference = zip(output.storage, expected).map { abs($0 - $1) }.max()!
        print("dsh-torch-12 against PyTorch: max |difference| \(difference) over \(expected.count) outputs")
        XCTAssertLessThanOrEqual(difference, 1e-4)
    }

    /// The same through HashLab's own input path: the CIFAR-10 test images the batch was made of, normalised by
    /// `mean`/`std` given as PyTorch's `Normalize` takes them (fractions of 255).
    func testPyTorchNormalisationArgumentsReproduceTheBatch() throws {
        let io = try SafetensorsFile.read(from: try interopFile("dsh-torch-12-io.safetensors"))
        let test = try CIFAR10.load(from: try cifarFolder(), part: .test)
        let rows = try io.integers(of: "test_rows")
        let images = test.subset(rows)
        XCTAssertEqual(images.labels.map(Int.init), try io.integers(of: "labels"))
        let model = try HashingModel.loadSafetensors(
            from: try interopFile("dsh-torch-12.safetensors"),
            options: .init(method: .dsh, net: .dshTorch, mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616]))
        let output = try model.outputs(for: images)
        let difference = zip(output.storage, try io.floats(of: "output")).map { abs($0 - $1) }.max()!
        print("dsh-torch-12 from CIFAR-10 bytes with mean/std arguments: max |difference| \(difference)")
        XCTAssertLessThanOrEqual(difference, 1e-4)
    }

    func testPyTorchFileNeedsMethodAndNetAndGivesBitsFromItsLastLayer() throws {
        let weights = try interopFile("dsh-torch-12.safetensors")
        XCTAssertThrowsError(try HashingModel.loadSafetensors(from: weights)) { error in
            XCTAssertTrue("\(error)".contains("was not written by HashLab (by pytorch)"), "\(error)")
            XCTAssertTrue("\(error)".contains("give its method and net"), "\(error)")
        }
        XCTAssertThrowsError(try HashingModel.loadSafetensors(from: weights,
                                                              options: .init(method: .dsh, net: .dshTorch, bits: 16))) {
            XCTAssertTrue("\($0)".contains("tensor 12.weight has 12 rows, so the model has 12 bits, not 16"), "\($0)")
        }
        // The wrong net: small-conv's first convolution has 16 filters of 3×3.
        XCTAssertThrowsError(try HashingModel.loadSafetensors(from: weights,
                                                              options: .init(method: .dsh, net: .smallConv))) {
            XCTAssertTrue("\($0)".contains("tensor 0.weight has shape [32, 3, 5, 5]"), "\($0)")
        }
        // DPSH's default code batch norm is not in the file: the variant without it is taken.
        let dpsh = try HashingModel.loadSafetensors(from: weights, options: .init(method: .dpsh, net: .dshTorch))
        XCTAssertFalse(dpsh.hyperparameters.codeBatchNormalization)
    }
}
