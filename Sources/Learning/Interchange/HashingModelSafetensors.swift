import Foundation

/// What a reader of a model's safetensors file may be told besides the file: needed for a file written by PyTorch
/// (method and net), optional for one written by HashLab (which records them; given ones must agree).
public struct SafetensorsModelOptions: Sendable, Equatable {
    public var method: HashingMethod?
    public var net: HashingNet?
    /// Checked against the code layer's rows; the file always gives it.
    public var bits: Int?
    /// Replace the file's normalisation: PyTorch's `transforms.Normalize(mean, std)` numbers, fractions of 255
    /// (`Normalization(torchMean:torchStd:channels:)`); one number, or one per channel. Both or neither.
    public var mean: [Double]?
    public var std: [Double]?

    public init(method: HashingMethod? = nil, net: HashingNet? = nil, bits: Int? = nil, mean: [Double]? = nil,
                std: [Double]? = nil) {
        self.method = method
        self.net = net
        self.bits = bits
        self.mean = mean
        self.std = std
    }
}

extension Normalization {
    /// The normalisation of PyTorch's `transforms.Normalize(mean, std)` after `ToTensor()`, which scales bytes to
    /// [0, 1] first: `(x/255 − mean)/std = (x − 255·mean)/(255·std)`, so HashLab (working on bytes) keeps 255 times
    /// each number. One number stands for every channel.
    public init(torchMean mean: [Double], torchStd std: [Double], channels: Int) throws {
        func spread(_ values: [Double], _ name: String) throws -> [Float] {
            if values.count == 1 { return Array(repeating: Float(255 * values[0]), count: channels) }
            guard values.count == channels else {
                throw HashingError("\(name) gives \(values.count) numbers; the net takes \(channels) channel"
                                   + (channels == 1 ? "" : "s") + " (give one number, or one per channel)")
            }
            return values.map { Float(255 * $0) }
        }
        guard std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw HashingError("std must be positive and mean finite")
        }
        self.init(mean: try spread(mean, "mean"), deviation: try spread(std, "std"))
    }

    /// PyTorch's `Normalize` mean and std (fractions of 255) for this normalisation.
    public var torchMean: [Double] { mean.map { Double($0) / 255 } }
    public var torchStd: [Double] { deviation.map { Double($0) / 255 } }
}

/// A model's weights as a safetensors file, named as PyTorch names the same net (`TorchSequentialLayout`), with
/// what HashLab knows about the model in `__metadata__`:
///
/// - for people and PyTorch scripts: `format` (`pt`, the safetensors convention for PyTorch tensors), `method`,
///   `bits`, `net`, `input` (`3x32x32`), and `mean` and `std` as `transforms.Normalize` takes them (absent for a
///   model that has not trained, which normalises each data set by its own statistics);
/// - for HashLab, exactly: `kind` (`hashing-model`, which marks a file HashLab wrote), the hyperparameters, the
///   code layer, the classes, the history and evaluations (JSON, as in a checkpoint) and the normalisation as
///   HashLab's own float32 numbers (`hashing-normalization`), so that a round trip is bit for bit.
///
/// Only what inference and further training need travels: the optimiser's state, the position inside an epoch
/// and DPSH's memory stay in HashLab's own checkpoints (`save(to:)`); a model loaded from safetensors trains on
/// with a fresh optimiser.
extension HashingModel {
    enum SafetensorsKey {
        static let format = "format", method = "method", bits = "bits", net = "net", input = "input"
        static let mean = "mean", std = "std", normalization = "hashing-normalization"
        static let kept = [MetadataKey.kind, MetadataKey.hyperparameters, MetadataKey.codeLayer, MetadataKey.classCount,
                           MetadataKey.history, MetadataKey.evaluations]
    }

    /// The model's safetensors file (see the extension's documentation).
    public func safetensorsFile() throws -> SafetensorsFile {
        let checkpoint = try checkpoint()
        guard let network, let inputShape else { throw HashingError("the model has no network yet") }
        var metadata = checkpoint.header.metadata.filter { SafetensorsKey.kept.contains($0.key) }
        metadata[SafetensorsKey.format] = "pt"
        metadata[SafetensorsKey.method] = method.rawValue
        metadata[SafetensorsKey.bits] = String(bits)
        metadata[SafetensorsKey.net] = hyperparameters.net.rawValue
        metadata[SafetensorsKey.input] = inputShape.map(String.init).joined(separator: "x")
        if let normalization {
            metadata[SafetensorsKey.mean] = normalization.torchMean.map { String(Float($0)) }.joined(separator: ",")
            metadata[SafetensorsKey.std] = normalization.torchStd.map { String(Float($0)) }.joined(separator: ",")
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            metadata[SafetensorsKey.normalization] = String(decoding: try encoder.encode(normalization), as: UTF8.self)
        }
        var file = SafetensorsFile(metadata: metadata)
        let values = Dictionary(network.parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        for tensor in try TorchSequentialLayout(network: network).tensors {
            file.append(name: tensor.name, shape: tensor.shape, floats: values[tensor.parameter]!.storage)
        }
        return file
    }

    /// Writes the model's safetensors file to `path` (temporary file, then rename).
    public func saveSafetensors(to path: String) throws {
        try safetensorsFile().write(to: path)
    }

    /// Reads a model from a safetensors file: one HashLab wrote needs no options; one PyTorch wrote needs the
    /// method and the net, and takes the bits (and DLBHC's classes) from its linear layers, the input size from
    /// the first linear layer's inputs, the code-layer batch norm (and dsh-cifar's LRN) from which tensors it holds,
    /// and the normalisation from `options` — else none, so that the model, like a new one, normalises a data set
    /// by its own statistics until it trains.
    public static func loadSafetensors(from path: String, options: SafetensorsModelOptions = .init()) throws
        -> HashingModel {
        let file = try SafetensorsFile.read(from: path)
        return try HashingModel(safetensors: file, options: options)
    }

    /// Builds a model from a safetensors file already read (`file.path` names it in errors).
    public convenience init(safetensors file: SafetensorsFile, options: SafetensorsModelOptions = .init()) throws {
        let plan = file.metadata[MetadataKey.kind] == "hashing-model"
            ? try SafetensorsPlan(hashLabFile: file, options: options)
            : try SafetensorsPlan(foreignFile: file, options: options)
        let scratch = try HashingModel(hyperparameters: plan.hyperparameters, inputShape: plan.inputShape,
                                       classCount: plan.classCount)
        let layout = try TorchSequentialLayout(network: scratch.network!)
        let values = try plan.checkedTensors(in: file, against: layout, netName: scratch.network!.spec.name)
        for parameter in scratch.network!.parameters { parameter.value = values[parameter.name]! }
        var checkpoint = try scratch.checkpoint()
        checkpoint.header.normalization = plan.normalization
        if options.mean != nil || options.std != nil {
            guard let mean = options.mean, let std = options.std else {
                throw SafetensorsError(file.path, "give mean and std together, as transforms.Normalize takes them")
            }
            do {
                checkpoint.header.normalization = try Normalization(torchMean: mean, torchStd: std,
                                                                    channels: plan.inputShape[0])
            } catch {
                throw SafetensorsError(file.path, "\(error)")
            }
        }
        if let normalization = checkpoint.header.normalization, normalization.mean.count != plan.inputShape[0] {
            throw SafetensorsError(file.path, "the normalisation has \(normalization.mean.count) channels, the net "
                                   + "takes \(plan.inputShape[0])")
        }
        for key in [MetadataKey.history, MetadataKey.evaluations] { checkpoint.header.metadata[key] = file.metadata[key] }
        try self.init(checkpoint: checkpoint, path: file.path)
        holdsImportedWeights = true
    }
}

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
        // The linear layers' weights, in Sequential order: the last gives the bits (DLBHC: the classes, and the
        // one before it the bits).
        let linears = file.entries
            .compactMap { entry -> (index: Int, entry: SafetensorsFile.Entry)? in
                guard entry.shape.count == 2, entry.name.hasSuffix(".weight"),
                      let index = Int(entry.name.dropLast(".weight".count)) else { return nil }
                return (index, entry)
            }
            .sorted { $0.index < $1.index }
        let needed = method == .dlbhc ? 2 : 1
        guard linears.count >= needed else {
            throw fail("holds no linear layer's weight (a 2-D tensor named INDEX.weight)"
                       + (method == .dlbhc ? " before a classifier's" : "") + ": not a \(net) net")
        }
        let code = linears[linears.count - needed].entry
        let bits = code.shape[0]
        if let wanted = options.bits, wanted != bits {
            throw fail("tensor \(code.name) has \(bits) rows, so the model has \(bits) bits, not \(wanted)")
        }
        var hyperparameters: HashingHyperparameters
        do { hyperparameters = try HashingHyperparameters(method: method, bits: bits) } catch {
            throw fail("tensor \(code.name) has \(bits) rows: \(error)")
        }
        hyperparameters.net = net
        let classCount = method == .dlbhc ? linears.last!.entry.shape[0] : 10
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
