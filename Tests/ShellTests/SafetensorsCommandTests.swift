import Foundation
import XCTest

/// A safetensors file taken apart for editing: its header as JSON and every tensor's bytes, put together again with
/// the offsets laid end to end (or as `offsets` overrides them).
private struct EditableSafetensors {
    var header: [String: Any]
    var data: [String: [UInt8]]

    init(path: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
        data = [:]
        for (name, entry) in header where name != "__metadata__" {
            let offsets = try XCTUnwrap((entry as? [String: Any])?["data_offsets"] as? [Int])
            data[name] = Array(bytes[(8 + length + offsets[0])..<(8 + length + offsets[1])])
        }
    }

    /// The tensor names, sorted.
    var names: [String] { data.keys.sorted() }

    mutating func set(_ name: String, _ field: String, _ value: Any) {
        var entry = header[name] as! [String: Any]
        entry[field] = value
        header[name] = entry
    }

    mutating func remove(_ name: String) {
        header[name] = nil
        data[name] = nil
    }

    mutating func add(_ name: String, dtype: String, shape: [Int], bytes: [UInt8]) {
        header[name] = ["dtype": dtype, "shape": shape, "data_offsets": [0, 0]]
        data[name] = bytes
    }

    func bytes(offsets: [String: [Int]] = [:], headerText: String? = nil) throws -> [UInt8] {
        var header = self.header
        var buffer: [UInt8] = []
        for name in names {
            var entry = header[name] as! [String: Any]
            entry["data_offsets"] = offsets[name] ?? [buffer.count, buffer.count + data[name]!.count]
            header[name] = entry
            buffer += data[name]!
        }
        let json = try headerText.map { Array($0.utf8) } ?? [UInt8](JSONSerialization.data(withJSONObject: header))
        return withUnsafeBytes(of: UInt64(json.count).littleEndian) { Array($0) } + json + buffer
    }
}

/// `save M to FILE.safetensors | FILE.py` and `load model FILE.safetensors …` in the shell.
final class SafetensorsCommandTests: XCTestCase {
    /// A session holding a small trained model `m` (dsh, 8 bits, mlp on 8×8 images) saved as `base.safetensors`.
    private func sessionWithSavedModel(in folder: TemporaryFolder) -> (CommandSession, String) {
        let shell = CommandSession()
        let path = folder.url.appendingPathComponent("base.safetensors").path
        shell.run("data synthetic per-class 4 size 8 as d; model dsh bits 8 net mlp as m; set m.batch 8; "
                  + "train m on d epochs 1; save m to \(path)")
        return (shell, path)
    }

    func testSaveThenLoadGivesTheSameCodes() throws {
        let folder = try TemporaryFolder()
        let (shell, path) = sessionWithSavedModel(in: folder)
        let python = folder.url.appendingPathComponent("net.py").path
        XCTAssertTrue(shell.run("save m to \(python)").contains("wrote \(python)"))
        let source = try String(contentsOfFile: python, encoding: .utf8)
        XCTAssertTrue(source.contains("safetensors.torch.load_file(\"net.safetensors\")"), source)
        XCTAssertTrue(source.contains("nn.Flatten(),"), source)
        let loaded = shell.run("load model \(path) as again")
        XCTAssertTrue(loaded.contains("again: dsh 8 bits, mlp, 1 epoch"), loaded)
        let original = shell.run("encode d with m as c1; show c1")
        let copy = shell.run("encode d with again as c2; show c2")
        // The same codes; only the names differ (`made by encode d with again`).
        XCTAssertEqual(original.replacingOccurrences(of: "c1", with: "c"),
                       copy.replacingOccurrences(of: "c2", with: "c").replacingOccurrences(of: "with again", with: "with m"))
    }

    /// Each damaged file gives one error line that says what is wrong (naming the tensor where there is one), and a
    /// failed load changes no value of the session (`CommandSession.failure` checks both).
    func testDamagedFilesAreOneLineErrorsAndChangeNothing() throws {
        let folder = try TemporaryFolder()
        let (shell, base) = sessionWithSavedModel(in: folder)
        let good = try EditableSafetensors(path: base)
        // The mlp as PyTorch names it: 0 Flatten, 1 Linear(192, 64), 2 ReLU, 3 Linear(64, 8).
        XCTAssertEqual(good.names, ["1.bias", "1.weight", "3.bias", "3.weight"])
        let baseBytes = try good.bytes()
        let bufferLength = good.data.values.reduce(0) { $0 + $1.count }
        let layout = good.names.reduce(into: ([String: [Int]](), 0)) { result, name in
            result.0[name] = [result.1, result.1 + good.data[name]!.count]
            result.1 += good.data[name]!.count
        }.0

        var cases: [(label: String, bytes: [UInt8], load: String, expected: [String])] = []
        func add(_ label: String, _ bytes: [UInt8], load: String = "", _ expected: String...) {
            cases.append((label, bytes, load, expected))
        }
        add("truncated to 5 bytes", Array(baseBytes.prefix(5)), "truncated")
        add("truncated by 8 bytes", Array(baseBytes.dropLast(8)), "tensor 3.weight", "point outside")
        var pastTheEnd = baseBytes
        pastTheEnd.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(baseBytes.count).littleEndian) { Array($0) })
        add("header length past the end", pastTheEnd, "header length", "runs past the end")
        add("header not JSON", try good.bytes(headerText: "{\"1.bias\": oops}"), "not valid JSON")
        var overlapping = layout
        overlapping["3.bias"] = [layout["1.weight"]![0] - 4, layout["1.weight"]![0] + 28]
        add("overlapping offsets", try good.bytes(offsets: overlapping), "3.bias", "overlap")
        var outside = layout
        outside["3.weight"] = [bufferLength - 4 * 8 * 64 + 16, bufferLength + 16]
        add("offsets outside the buffer", try good.bytes(offsets: outside), "tensor 3.weight", "outside the")
        var half = good
        half.set("1.weight", "dtype", "F16")
        half.set("1.weight", "shape", [64, 384])
        add("float16", try half.bytes(), "tensor 1.weight is F16", "float32")
        var double = good
        double.set("3.weight", "dtype", "F64")
        double.set("3.weight", "shape", [8, 32])
        add("float64", try double.bytes(), "tensor 3.weight is F64", "float32")
        var reshaped = good
        reshaped.set("3.weight", "shape", [16, 32])
        add("wrong shape", try reshaped.bytes(), "tensor 3.weight has shape [16, 32]", "needs [8, 64]")
        var missing = good
        missing.remove("3.bias")
        add("missing tensor", try missing.bytes(), "tensor 3.bias is missing")
        var extra = good
        extra.add("5.weight", dtype: "F32", shape: [2, 2], bytes: [UInt8](repeating: 0, count: 16))
        add("extra tensor", try extra.bytes(), "tensor 5.weight is not part of dsh 8 bits on mlp")
        var foreign = good
        foreign.header["__metadata__"] = ["format": "pt"]
        add("PyTorch-written, no method or net", try foreign.bytes(), "was not written by HashLab", "give its method and net")
        add("PyTorch-written, no net", try foreign.bytes(), load: "method dsh", "net is missing")
        add("disagreeing method", baseBytes, load: "method dpsh", "holds a dsh 8 bits on mlp model; method dpsh disagrees")
        add("bad normalisation", try foreign.bytes(), load: "method dsh net mlp mean 0.5 std 0",
            "std must be positive")
        add("too few means", try foreign.bytes(), load: "method dsh net mlp mean 0.5,0.5 std 0.2,0.2",
            "mean gives 2 numbers; the net takes 3 channels")

        let before = shell.run("show m")
        for (index, corpus) in cases.enumerated() {
            let path = folder.url.appendingPathComponent("bad-\(index).safetensors").path
            try Data(corpus.bytes).write(to: URL(fileURLWithPath: path))
            let message = shell.failure("load model \(path) \(corpus.load) as m")
            XCTAssertTrue(message.hasPrefix("load model: \(path): "), "\(corpus.label): \(message)")
            for fragment in corpus.expected {
                XCTAssertTrue(message.contains(fragment), "\(corpus.label): expected “\(fragment)” in: \(message)")
            }
        }
        XCTAssertEqual(shell.run("show m"), before, "the model called m is untouched")
        // The same PyTorch-style file loads once it is told the method and the net.
        let path = folder.url.appendingPathComponent("torch.safetensors").path
        try Data(try foreign.bytes()).write(to: URL(fileURLWithPath: path))
        let loaded = shell.run("load model \(path) method dsh net mlp as t")
        XCTAssertTrue(loaded.contains("t: dsh 8 bits, mlp, weights from a file\n"), loaded)
        XCTAssertTrue(loaded.contains("  takes 3x8x8 images, normalised by each data set's own statistics"), loaded)
        XCTAssertEqual(shell.failure("load image \(path) method dsh as x"),
                       "load image: method goes with load model")
    }

    /// Script mode, through the built program: a failed load is one error line naming the tensor, the script goes
    /// on, and the model under the name it tried to take is still the one it was.
    func testScriptModeFailedLoadKeepsTheModel() throws {
        let folder = try TemporaryFolder()
        let (_, base) = sessionWithSavedModel(in: folder)
        var damaged = try EditableSafetensors(path: base)
        damaged.set("3.weight", "shape", [16, 32])
        try Data(try damaged.bytes()).write(to: folder.url.appendingPathComponent("bad.safetensors"))
        let script = try folder.write("""
            data synthetic per-class 4 size 8 as d
            model dsh bits 8 net mlp as m
            set m.batch 8
            train m on d epochs 1
            vars
            load model bad.safetensors as m
            vars
            save m to good.safetensors
            load model good.safetensors as m2
            """, to: "travel.hl")
        let result = try HashLabProgram.run([script.path], in: folder.url)
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.standardError, "\(script.path):6: error: load model: bad.safetensors: tensor 3.weight has "
                       + "shape [16, 32]; dsh 8 bits on mlp for 3x8x8 images needs [8, 64] for fc 8 (nn.Linear(64, 8))\n")
        let listings = result.standardOutput.components(separatedBy: "hashlab> vars\n").dropFirst()
            .map { $0.components(separatedBy: "hashlab> ")[0] }
        XCTAssertEqual(listings.count, 2)
        XCTAssertEqual(listings.first, listings.last, "the failed load changed the values")
        XCTAssertTrue(result.standardOutput.contains("m2: dsh 8 bits, mlp, 1 epoch"), result.standardOutput)
    }
}
