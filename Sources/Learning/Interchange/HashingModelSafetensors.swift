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
        if method.isShallow { return try saveShallow(to: path) }
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
        if file.metadata[MetadataKey.kind] == shallowKind {
            if options.method != nil || options.net != nil || options.bits != nil || options.mean != nil || options.std != nil {
                throw HashingError("\(path): a shallow model's file records its own settings; give no options")
            }
            return try HashingModel(shallowFile: file)
        }
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
