import Foundation

/// What a safetensors file's model is: hyperparameters, input shape, classes and normalisation, from HashLab's
/// metadata or, for a file PyTorch wrote, from the options and the tensors' names and shapes.
struct SafetensorsPlan {
    var hyperparameters: HashingHyperparameters
    var inputShape: [Int]
    var classCount: Int
    var normalization: Normalization?

    /// A file HashLab wrote: everything is in `__metadata__`; options must agree with it.
    init(hashLabFile file: SafetensorsFile, options: SafetensorsModelOptions) throws {
        typealias Key = HashingModel.MetadataKey
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(file.path, message) }
        let decoder = JSONDecoder()
        guard let json = file.metadata[Key.hyperparameters],
              let hyperparameters = try? decoder.decode(HashingHyperparameters.self, from: Data(json.utf8)) else {
            throw fail("__metadata__ \(Key.hyperparameters) is missing or malformed")
        }
        let shape = (file.metadata[HashingModel.SafetensorsKey.input] ?? "").split(separator: "x").compactMap { Int($0) }
        guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
            throw fail("__metadata__ input is not CxHxW (e.g. 3x32x32)")
        }
        guard let classCount = Int(file.metadata[Key.classCount] ?? "") else {
            throw fail("__metadata__ \(Key.classCount) is missing or not a number")
        }
        let held = "\(hyperparameters.method) \(hyperparameters.bits) bits on \(hyperparameters.net)"
        if let method = options.method, method != hyperparameters.method {
            throw fail("holds a \(held) model; method \(method) disagrees (leave it out: the file says)")
        }
        if let net = options.net, net != hyperparameters.net {
            throw fail("holds a \(held) model; net \(net) disagrees (leave it out: the file says)")
        }
        if let bits = options.bits, bits != hyperparameters.bits {
            throw fail("holds a \(held) model; bits \(bits) disagrees (leave it out: the file says)")
        }
        var normalization: Normalization?
        if let text = file.metadata[HashingModel.SafetensorsKey.normalization] {
            guard let decoded = try? decoder.decode(Normalization.self, from: Data(text.utf8)),
                  decoded.mean.count == decoded.deviation.count else {
                throw fail("__metadata__ \(HashingModel.SafetensorsKey.normalization) is malformed")
            }
            normalization = decoded
        }
        self.init(hyperparameters: hyperparameters, inputShape: shape, classCount: classCount,
                  normalization: normalization)
    }

    /// A file another framework wrote: the method and net come from the options, the rest from the tensors.
    init(foreignFile file: SafetensorsFile, options: SafetensorsModelOptions) throws {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(file.path, message) }
        guard let method = options.method, let net = options.net else {
            let framework = file.metadata["framework"].map { " (by \($0))" } ?? ""
            throw fail("was not written by HashLab\(framework), so it does not say which model it holds: give its "
                       + "method and net (" + (options.method == nil ? "method" : "net") + " is missing)")
        }
        // The linear layers' weights, in Sequential order: the last gives the bits (DLBHC, GreedyHash: the classes,
        // and the one before it the bits; the classifier baseline: the classes, the bits being the options').
        let linears = file.entries
            .compactMap { entry -> (index: Int, entry: SafetensorsFile.Entry)? in
                guard entry.shape.count == 2, entry.name.hasSuffix(".weight"),
                      let index = Int(entry.name.dropLast(".weight".count)) else { return nil }
                return (index, entry)
            }
            .sorted { $0.index < $1.index }
        let hasHead = method == .dlbhc || method == .greedyhash
        let needed = hasHead ? 2 : 1
        guard linears.count >= needed else {
            throw fail("holds no linear layer's weight (a 2-D tensor named INDEX.weight)"
                       + (hasHead ? " before a classifier's" : "") + ": not a \(net) net")
        }
        let code = linears[linears.count - needed].entry
        var bits = code.shape[0]
        if method == .classifier {
            guard let wanted = options.bits else {
                throw fail("holds a classifier, whose codes are codewords of its \(bits) classes: give their bits")
            }
            bits = wanted
        } else if let wanted = options.bits, wanted != bits {
            throw fail("tensor \(code.name) has \(bits) rows, so the model has \(bits) bits, not \(wanted)")
        }
        var hyperparameters: HashingHyperparameters
        do { hyperparameters = try HashingHyperparameters(method: method, bits: bits) } catch {
            throw fail("tensor \(code.name) has \(bits) rows: \(error)")
        }
        hyperparameters.net = net
        let classCount = method.learnsFromClasses && method != .csq ? linears.last!.entry.shape[0] : 10
        // The variants one method and net allow differ in tensors: code-layer batch norm on or off (and, for
        // dsh-cifar, its LRN layers, which shift the indices). Take the one whose names the file has, else the
        // method's default, against which the tensor check then says what differs.
        let names = Set(file.entries.map(\.name).filter { !$0.hasSuffix(".num_batches_tracked") })
        var chosen = hyperparameters
        search: for batchNorm in [hyperparameters.codeBatchNormalization, !hyperparameters.codeBatchNormalization] {
            for lrn in net == .dshCIFAR ? [false, true] : [false] {
                var variant = hyperparameters
                variant.codeBatchNormalization = batchNorm
                variant.localResponseNormalization = lrn
                let layers = try variant.netSpec(inputShape: [3, 32, 32], classCount: classCount).spec.layers
                if Set(TorchSequentialLayout.tensorNames(of: layers)) == names { chosen = variant; break search }
            }
        }
        let inputShape = try SafetensorsPlan.inputShape(of: chosen, classCount: classCount, file: file)
        self.init(hyperparameters: chosen, inputShape: inputShape, classCount: classCount, normalization: nil)
    }

    init(hyperparameters: HashingHyperparameters, inputShape: [Int], classCount: Int, normalization: Normalization?) {
        self.hyperparameters = hyperparameters
        self.inputShape = inputShape
        self.classCount = classCount
        self.normalization = normalization
    }

    /// The C×S×S input that makes the first linear layer see as many features as its weight in the file has
    /// columns: C from the first convolution's weight (or, for a net that starts with a linear layer, 3 or 1 —
    /// whichever leaves a square), S = 32 when it fits (CIFAR-10's size), else the largest that fits. (Rounding
    /// makes several sizes fit: in ceil mode 13…16 all pool twice to 4; the largest is the one the windows tile.)
    /// When none does, 3×32×32, and the tensor check then names the layer whose shape is wrong.
    static func inputShape(of hyperparameters: HashingHyperparameters, classCount: Int,
                           file: SafetensorsFile) throws -> [Int] {
        let spec = try hyperparameters.netSpec(inputShape: [3, 32, 32], classCount: classCount).spec
        let fallback = [3, 32, 32]
        guard let firstLinear = TorchSequentialLayout.firstLinearLayer(of: spec.layers) else { return fallback }
        let linearModule = TorchSequentialLayout.moduleIndices(of: spec.layers)[firstLinear]
        guard let features = file.entry(named: "\(linearModule).weight")?.shape.last else { return fallback }
        let prefix = spec.layers[..<firstLinear]
        if prefix.isEmpty {
            for channels in [3, 1] where features % channels == 0 {
                let side = Int(Double(features / channels).squareRoot().rounded())
                if side * side * channels == features { return [channels, side, side] }
            }
            return fallback
        }
        guard case .convolution = prefix.first!, let channels = file.entry(named: "0.weight")?.shape.dropFirst().first
        else { return fallback }
        func featuresFor(side: Int) -> Int? {
            var (c, h, w) = (channels, side, side)
            for layer in prefix {
                switch layer {
                case let .convolution(outputs, kernel, stride, padding):
                    guard h + 2 * padding >= kernel, w + 2 * padding >= kernel else { return nil }
                    (c, h, w) = (outputs, (h + 2 * padding - kernel) / stride + 1, (w + 2 * padding - kernel) / stride + 1)
                case let .maxPool(kernel, stride, padding), let .averagePool(kernel, stride, padding):
                    guard h + 2 * padding >= kernel, w + 2 * padding >= kernel else { return nil }
                    h = Kernels.pooledExtent(h, kernel: kernel, stride: stride, padding: padding, rounding: spec.pooling)
                    w = Kernels.pooledExtent(w, kernel: kernel, stride: stride, padding: padding, rounding: spec.pooling)
                default: break
                }
            }
            return c * h * w
        }
        if featuresFor(side: 32) == features { return [channels, 32, 32] }
        var largest: Int?
        for side in 1...1024 {
            guard let count = featuresFor(side: side) else { continue }
            if count == features { largest = side }
            if count > features { break }
        }
        return largest.map { [channels, $0, $0] } ?? fallback
    }

    /// The file's tensors under HashLab's parameter names and shapes, after checking that the file holds exactly
    /// the layout's tensors (PyTorch's `num_batches_tracked` aside), each float32 and of the layout's shape.
    func checkedTensors(in file: SafetensorsFile, against layout: TorchSequentialLayout,
                        netName: String) throws -> [String: Tensor] {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(file.path, message) }
        let model = "\(hyperparameters.method) \(hyperparameters.bits) bits on \(netName) for "
            + inputShape.map(String.init).joined(separator: "x") + " images"
        let layers = Dictionary(layout.modules.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        func role(_ tensor: TorchSequentialLayout.TensorName) -> String {
            let module = Int(tensor.name.split(separator: ".").first ?? "") ?? -1
            return layers[module].map { "\($0.hashLabDescription) (\($0.source))" } ?? "its layer"
        }
        var values: [String: Tensor] = [:]
        for tensor in layout.tensors {
            guard let entry = file.entry(named: tensor.name) else {
                throw fail("tensor \(tensor.name) is missing: \(model) needs it for \(role(tensor)), shape \(tensor.shape)")
            }
            guard entry.dtype == "F32" else {
                throw fail("tensor \(tensor.name) is \(entry.dtype); HashLab reads float32 (F32) only "
                           + "(convert in PyTorch with .float() before saving)")
            }
            guard entry.shape == tensor.shape else {
                throw fail("tensor \(tensor.name) has shape \(entry.shape); \(model) needs \(tensor.shape) for \(role(tensor))")
            }
            values[tensor.parameter] = Tensor(shape: tensor.parameterShape, values: try file.floats(of: tensor.name))
        }
        let expected = Set(layout.tensors.map(\.name))
        let batchNorms = Set(layout.modules.filter { $0.source.contains("BatchNorm") }.map(\.index))
        for entry in file.entries where !expected.contains(entry.name) {
            let parts = entry.name.split(separator: ".")
            if parts.count == 2, parts[1] == "num_batches_tracked", let module = Int(parts[0]), batchNorms.contains(module) {
                continue  // PyTorch's count of training batches: HashLab has no use for it.
            }
            throw fail("tensor \(entry.name) is not part of \(model), whose tensors are "
                       + "\(layout.tensors.first!.name) … \(layout.tensors.last!.name) (\(layout.tensors.count) of them)")
        }
        return values
    }
}
