import Foundation
import XCTest
import Learning

/// Models through safetensors and back, for every net HashLab has; the names and shapes PyTorch gives them; and the
/// PyTorch module source that goes with them.
final class SafetensorsModelTests: XCTestCase {
    /// The models of the round trip: every net, plus the method heads that add layers with tensors (DPSH's code
    /// batch norm, DLBHC's latent and classifier layers) and dsh-cifar's LRN, which shifts the indices.
    private let variants: [(label: String, method: HashingMethod, net: HashingNet, settings: [String: String])] = [
        ("dsh on dsh-cifar", .dsh, .dshCIFAR, [:]),
        ("dsh on dsh-cifar with lrn", .dsh, .dshCIFAR, ["lrn": "on"]),
        ("dsh on dsh-torch", .dsh, .dshTorch, [:]),
        ("triplet on small-conv", .triplet, .smallConv, [:]),
        ("dsh on mlp", .dsh, .mlp, [:]),
        ("dpsh (code batch norm) on small-conv", .dpsh, .smallConv, [:]),
        ("dpsh (code batch norm) on dsh-torch", .dpsh, .dshTorch, [:]),
        ("dlbhc on mlp", .dlbhc, .mlp, [:]),
        ("dlbhc with batch norm on small-conv", .dlbhc, .smallConv, ["batch-norm": "on"]),
    ]

    /// A model of `method` on `net`, trained one epoch on 16×16 images, so that its weights, batch-norm running
    /// statistics and normalisation are all its own.
    private func trainedModel(_ method: HashingMethod, _ net: HashingNet, _ settings: [String: String]) throws
        -> (HashingModel, LabeledImages) {
        let images = bandImages(count: 24, classes: 4, size: 16, seed: 3)
        let model = try HashingModel(method: method, bits: 8, net: net)
        try model.set("batch", to: "8")
        for (name, value) in settings { try model.set(name, to: value) }
        try model.train(on: images, epochs: 1)
        return (model, images)
    }

    /// PyTorch's state-dict names and shapes, derived here from the layer list alone: a module per layer, an
    /// nn.Flatten() module before the first linear layer, conv weights OIHW, linear weights [out, in], batch norm's
    /// four tensors per feature. (The sizes follow the nets' pooling: no padding, so ceil or floor of span/stride.)
    private func expectedTensors(_ spec: NetSpec) -> [(name: String, shape: [Int])] {
        var shape = spec.inputShape
        var module = 0
        var flattened = false
        var result: [(String, [Int])] = []
        for layer in spec.layers {
            switch layer {
            case let .convolution(outputs, kernel, stride, padding):
                result += [("\(module).weight", [outputs, shape[0], kernel, kernel]), ("\(module).bias", [outputs])]
                let side = (shape[1] + 2 * padding - kernel) / stride + 1
                shape = [outputs, side, side]
            case let .maxPool(kernel, stride, _), let .averagePool(kernel, stride, _):
                let span = shape[1] - kernel
                let side = spec.pooling == .floor ? span / stride + 1 : (span + stride - 1) / stride + 1
                shape = [shape[0], side, side]
            case let .linear(outputs):
                if !flattened { module += 1; flattened = true }
                result += [("\(module).weight", [outputs, shape.reduce(1, *)]), ("\(module).bias", [outputs])]
                shape = [outputs]
            case .batchNormalization:
                result += ["weight", "bias", "running_mean", "running_var"].map { ("\(module).\($0)", [shape[0]]) }
            default:
                break
            }
            module += 1
        }
        return result
    }

    /// The header of a safetensors file, parsed here with JSONSerialization (not with HashLab's reader).
    private func rawHeader(_ path: String) throws -> [String: Any] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length = Int(bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + length)])) as? [String: Any])
    }

    func testRoundTripIsBitIdenticalAndNamedAsPyTorchNamesTheNet() throws {
        let folder = try temporaryFolder(self)
        for (label, method, net, settings) in variants {
            let (model, images) = try trainedModel(method, net, settings)
            let path = folder + "/\(label.replacingOccurrences(of: " ", with: "-")).safetensors"
            try model.saveSafetensors(to: path)

            // The header: exactly the tensors PyTorch's nn.Sequential of these layers has, all float32.
            let spec = try XCTUnwrap(model.network).spec
            let header = try rawHeader(path)
            let expected = expectedTensors(spec)
            XCTAssertEqual(Set(header.keys.filter { $0 != "__metadata__" }), Set(expected.map(\.name)), label)
            for (name, shape) in expected {
                let entry = try XCTUnwrap(header[name] as? [String: Any], "\(label): \(name)")
                XCTAssertEqual(entry["shape"] as? [Int], shape, "\(label): \(name)")
                XCTAssertEqual(entry["dtype"] as? String, "F32", "\(label): \(name)")
            }
            let metadata = try XCTUnwrap(header["__metadata__"] as? [String: String], label)
            XCTAssertEqual(metadata["method"], method.rawValue, label)
            XCTAssertEqual(metadata["bits"], "8", label)
            XCTAssertEqual(metadata["net"], net.rawValue, label)
            XCTAssertEqual(metadata["input"], "3x16x16", label)
            XCTAssertEqual(metadata["format"], "pt", label)
            let mean = try XCTUnwrap(metadata["mean"], label).split(separator: ",").compactMap { Double($0) }
            XCTAssertEqual(mean.count, 3, label)
            for (torch, bytes) in zip(mean, try XCTUnwrap(model.normalization).mean) {
                XCTAssertEqual(torch * 255, Double(bytes), accuracy: 1e-3, "\(label): mean in fractions of 255")
            }

            // Back: the same weights, batch-norm statistics, normalisation, settings and history, bit for bit.
            let loaded = try HashingModel.loadSafetensors(from: path)
            XCTAssertEqual(loaded.hyperparameters, model.hyperparameters, label)
            XCTAssertEqual(loaded.normalization, model.normalization, label)
            XCTAssertEqual(loaded.history, model.history, label)
            XCTAssertEqual(loaded.codeLayerIndex, model.codeLayerIndex, label)
            let before = try XCTUnwrap(model.network).parameters, after = try XCTUnwrap(loaded.network).parameters
            XCTAssertEqual(before.map(\.name), after.map(\.name), label)
            for (a, b) in zip(before, after) {
                XCTAssertEqual(a.value.shape, b.value.shape, "\(label): \(a.name)")
                XCTAssertEqual(a.value.storage.map(\.bitPattern), b.value.storage.map(\.bitPattern), "\(label): \(a.name)")
            }
            XCTAssertEqual(try loaded.outputs(for: images).storage.map(\.bitPattern),
                           try model.outputs(for: images).storage.map(\.bitPattern), label)
            XCTAssertEqual(try loaded.encode(images), try model.encode(images), label)
            // It trains on (with a fresh optimiser).
            try loaded.train(on: images, epochs: 2)
            XCTAssertEqual(loaded.completedEpochs, 2, label)
        }
    }

    func testAFileWithoutHashLabsMetadataLoadsGivenMethodAndNet() throws {
        let folder = try temporaryFolder(self)
        let (model, images) = try trainedModel(.dpsh, .smallConv, [:])
        var file = try model.safetensorsFile()
        file.metadata = ["format": "pt"]   // as PyTorch's save_file would write the same state dict
        let path = folder + "/torch.safetensors"
        try file.write(to: path)
        XCTAssertThrowsError(try HashingModel.loadSafetensors(from: path)) {
            XCTAssertTrue("\($0)".contains("was not written by HashLab"), "\($0)")
        }
        let torchMean = try XCTUnwrap(model.normalization).torchMean, torchStd = model.normalization!.torchStd
        let loaded = try HashingModel.loadSafetensors(from: path, options: .init(method: .dpsh, net: .smallConv,
                                                                                   mean: torchMean, std: torchStd))
        XCTAssertEqual(loaded.bits, 8)
        XCTAssertEqual(loaded.inputShape, [3, 16, 16], "the input size from the first linear layer's inputs")
        XCTAssertTrue(loaded.hyperparameters.codeBatchNormalization, "the batch-norm tensors are in the file")
        XCTAssertEqual(loaded.history, [], "PyTorch's training is not HashLab's history")
        for (a, b) in zip(model.network!.parameters, loaded.network!.parameters) {
            XCTAssertEqual(a.value.storage.map(\.bitPattern), b.value.storage.map(\.bitPattern), a.name)
        }
        // The normalisation went through PyTorch's units: equal to float32 rounding.
        for (a, b) in zip(model.normalization!.mean + model.normalization!.deviation,
                          loaded.normalization!.mean + loaded.normalization!.deviation) {
            XCTAssertEqual(a, b, accuracy: a.ulp * 4)
        }
        XCTAssertEqual(try loaded.encode(images), try model.encode(images))
        XCTAssertThrowsError(try loaded.set("bits", to: "16"), "imported weights fix the architecture")
    }

    func testTheModuleSourceListsTheSafetensorsLayers() throws {
        for (label, method, net, settings) in variants {
            let (model, _) = try trainedModel(method, net, settings)
            let source = try model.torchModuleSource(weightsFile: "m.safetensors")
            let tensorNames = try model.safetensorsFile().entries.map(\.name)
            let lines = source.components(separatedBy: "\n")
            let start = try XCTUnwrap(lines.firstIndex(of: "    return nn.Sequential("), label)
            let end = try XCTUnwrap(lines[start...].firstIndex(of: "    )"), label)
            let modules = lines[(start + 1)..<end].map { $0.trimmingCharacters(in: .whitespaces) }
            // One module a line, numbered in order by its comment.
            for (index, line) in modules.enumerated() {
                let parts = line.components(separatedBy: "# ")
                XCTAssertEqual(parts.count, 2, "\(label): `\(line)`")
                XCTAssertTrue(parts[0].trimmingCharacters(in: .whitespaces).hasSuffix("),"), "\(label): `\(line)`")
                XCTAssertEqual(Int(parts.last!.prefix { $0.isNumber }), index, "\(label): `\(line)`")
            }
            // The modules with tensors are exactly the safetensors' prefixes, and of the right kind.
            let withTensors = Set(tensorNames.compactMap { Int($0.split(separator: ".")[0]) })
            for (index, line) in modules.enumerated() {
                let holds = ["nn.Conv2d(", "nn.Linear(", "nn.BatchNorm1d(", "nn.BatchNorm2d("].contains { line.hasPrefix($0) }
                XCTAssertEqual(holds, withTensors.contains(index), "\(label): module \(index) `\(line)`")
            }
            let firstLinear = try XCTUnwrap(modules.firstIndex { $0.hasPrefix("nn.Linear(") }, label)
            XCTAssertTrue(modules[firstLinear - 1].hasPrefix("nn.Flatten()"), label)
            XCTAssertEqual(modules.filter { $0.hasPrefix("nn.Flatten()") }.count, 1, label)
            XCTAssertTrue(source.contains("net.load_state_dict(safetensors.torch.load_file(\"m.safetensors\"))"), label)
            XCTAssertTrue(source.contains("transforms.Normalize(mean=("), label)
            XCTAssertEqual(source.contains("class WithinChannelLRN(nn.Module):"), settings["lrn"] == "on", label)
            XCTAssertTrue(source.contains(method == .dlbhc ? "> 0.5" : "net(x)[:, j] > 0"), label)
        }
    }

    /// Python itself parses the module source (skipped where there is no python3).
    func testTheModuleSourceIsPython() throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
        else { throw XCTSkip("no python3 to parse the module source with") }
        let folder = try temporaryFolder(self)
        let (model, _) = try trainedModel(.dsh, .dshCIFAR, ["lrn": "on"])
        let path = folder + "/net.py"
        try model.saveTorchModuleSource(to: path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())", path]
        try process.run()
        process.waitUntilExit()
        let source = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 0, source)
    }
}
