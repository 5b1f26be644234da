/// A HashLab net as PyTorch writes the same net: one `nn.Sequential` whose modules are HashLab's layers in
/// HashLab's order, with an `nn.Flatten()` put in before the first linear layer (HashLab's linear layers flatten
/// their input themselves; PyTorch's `nn.Linear` does not). A state dict names every tensor by its module's index
/// in the Sequential and the module's own name for it:
///
///     dsh-torch, 12 bits                          PyTorch                            tensors
///      1. conv 32@5x5 pad 2                    0  nn.Conv2d(3, 32, 5, padding=2)     0.weight [32, 3, 5, 5], 0.bias [32]
///      2. relu                                 1  nn.ReLU()
///      3. max-pool 3/2                         2  nn.MaxPool2d(3, 2)
///      …
///      9. avg-pool 3/2                         8  nn.AvgPool2d(3, 2)
///                                              9  nn.Flatten()
///     10. fc 500                              10  nn.Linear(576, 500)                10.weight [500, 576], 10.bias
///     11. relu                                11  nn.ReLU()
///     12. fc 12                               12  nn.Linear(500, 12)                 12.weight [12, 500], 12.bias
///
/// so layer i (counting from 0) is module i before the first linear layer and module i + 1 from it on.
/// Batch normalisation's four tensors are `weight` (HashLab's scale γ), `bias` (the shift β), `running_mean`
/// and `running_var`; PyTorch adds a fifth, `num_batches_tracked`, which it fills in itself when a state dict lacks
/// it, and which HashLab does not write (and ignores when it reads one). HashNet's `ScaledTanh` keeps its β as a
/// buffer `beta` of shape [1].
///
/// The LAYOUTS are PyTorch's, and the bytes need no reordering, only new shapes: HashLab keeps a convolution's
/// filters as an O × (C·k·k) matrix, the left operand of its GEMM, whose columns follow im2col's row order
/// (c, ky, kx) — which is exactly OIHW flattened, so the weight is reshaped to [O, C, k, k]. A linear layer's
/// weight is [out, in] in both. HashLab's activations are N·C·H·W, so the features a linear layer sees after the
/// convolutions are in C·H·W order, as `nn.Flatten()` leaves them. The interchange test against tensors written by
/// PyTorch checks this on real weights.
public struct TorchSequentialLayout: Sendable {
    /// One module of the Sequential.
    public struct Module: Sendable, Equatable {
        /// Its index in the Sequential: the prefix of its tensors' names.
        public var index: Int
        /// The index of the HashLab layer it stands for; nil for the inserted `nn.Flatten()`.
        public var layer: Int?
        /// The Python expression that builds it, e.g. `nn.Conv2d(3, 32, 5, padding=2)`.
        public var source: String
        /// The HashLab layer as `show` prints it, e.g. `conv 32@5x5 pad 2` (empty for the Flatten).
        public var hashLabDescription: String
    }

    /// One tensor of the state dict and the HashLab parameter it holds.
    public struct TensorName: Sendable, Equatable {
        /// PyTorch's name, e.g. `3.weight`.
        public var name: String
        /// PyTorch's shape (a convolution's weight is [O, C, k, k]).
        public var shape: [Int]
        /// The HashLab parameter's name, e.g. `3/weight` (its layer index, which can differ from the module's).
        public var parameter: String
        /// The HashLab parameter's shape (a convolution's weight is [O, C·k·k]).
        public var parameterShape: [Int]
    }

    public let modules: [Module]
    /// Every tensor, in layer order.
    public let tensors: [TensorName]

    /// The layout of `network`, whose layers give every module's sizes.
    public init(network: Network) throws {
        let layers = network.spec.layers
        let indices = TorchSequentialLayout.moduleIndices(of: layers)
        var modules: [Module] = []
        var tensors: [TensorName] = []
        var itemShape = network.spec.inputShape
        for (layerIndex, layer) in network.layers.enumerated() {
            let spec = layers[layerIndex]
            if case .linear = spec, layerIndex == TorchSequentialLayout.firstLinearLayer(of: layers) {
                modules.append(Module(index: indices[layerIndex] - 1, layer: nil, source: "nn.Flatten()",
                                      hashLabDescription: ""))
            }
            let module = indices[layerIndex]
            modules.append(Module(index: module, layer: layerIndex,
                                  source: TorchSequentialLayout.source(of: spec, itemShape: itemShape,
                                                                       pooling: network.spec.pooling),
                                  hashLabDescription: spec.description))
            for parameter in layer.parameters {
                let role = String(parameter.name.split(separator: "/").last ?? "")
                var shape = parameter.value.shape
                if case let .convolution(outputs, kernel, _, _) = spec, role == "weight" {
                    shape = [outputs, itemShape[0], kernel, kernel]
                }
                tensors.append(TensorName(name: "\(module).\(TorchSequentialLayout.torchName(ofRole: role))",
                                          shape: shape, parameter: parameter.name,
                                          parameterShape: parameter.value.shape))
            }
            itemShape = Array(try layer.outputShape(for: [1] + itemShape).dropFirst())
        }
        self.modules = modules
        self.tensors = tensors
    }

    /// The index of the first linear layer, before which the Flatten goes (nil when there is none).
    public static func firstLinearLayer(of layers: [LayerSpec]) -> Int? {
        layers.firstIndex { if case .linear = $0 { true } else { false } }
    }

    /// The Sequential index of every layer: its own index, plus one from the first linear layer on.
    public static func moduleIndices(of layers: [LayerSpec]) -> [Int] {
        let flatten = firstLinearLayer(of: layers) ?? layers.count
        return layers.indices.map { $0 < flatten ? $0 : $0 + 1 }
    }

    /// The state-dict names of a net with these layers, in layer order (shapes need the built net: `init`).
    public static func tensorNames(of layers: [LayerSpec]) -> [String] {
        zip(layers, moduleIndices(of: layers)).flatMap { layer, module -> [String] in
            switch layer {
            case .convolution, .linear: return ["\(module).weight", "\(module).bias"]
            case .batchNormalization:
                return ["weight", "bias", "running_mean", "running_var"].map { "\(module).\($0)" }
            case .scaledTanh: return ["\(module).beta"]
            default: return []
            }
        }
    }

    /// PyTorch's name for a HashLab parameter role (the part after the slash of `3/weight`).
    static func torchName(ofRole role: String) -> String {
        switch role {
        case "scale": return "weight"
        case "shift": return "bias"
        case "running-mean": return "running_mean"
        case "running-variance": return "running_var"
        default: return role
        }
    }

    /// The Python expression for one layer, given its input item shape ([C, H, W] or [features]).
    static func source(of layer: LayerSpec, itemShape: [Int], pooling: PoolingRounding) -> String {
        func number(_ value: Float) -> String {
            let text = String(format: "%.6g", Double(value))
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        }
        func window(_ kernel: Int, _ stride: Int, _ padding: Int) -> String {
            "\(kernel), \(stride)" + (padding != 0 ? ", padding=\(padding)" : "") + (pooling == .ceil ? ", ceil_mode=True" : "")
        }
        switch layer {
        case let .convolution(outputs, kernel, stride, padding):
            return "nn.Conv2d(\(itemShape[0]), \(outputs), \(kernel)" + (stride != 1 ? ", stride=\(stride)" : "")
                + (padding != 0 ? ", padding=\(padding)" : "") + ")"
        case let .maxPool(kernel, stride, padding): return "nn.MaxPool2d(\(window(kernel, stride, padding)))"
        // HashLab's average counts padding in the divisor and clips ceil-mode windows at the padded border, as
        // PyTorch's default count_include_pad=True does.
        case let .averagePool(kernel, stride, padding): return "nn.AvgPool2d(\(window(kernel, stride, padding)))"
        case .relu: return "nn.ReLU()"
        case .sigmoid: return "nn.Sigmoid()"
        case .tanh: return "nn.Tanh()"
        // Modules PyTorch has not: TorchModuleSource defines them in the file it writes.
        case .signStraightThrough: return "SignStraightThrough()"
        case .scaledTanh: return "ScaledTanh()"
        case let .linear(outputs): return "nn.Linear(\(itemShape.reduce(1, *)), \(outputs))"
        case let .dropout(rate): return "nn.Dropout(\(number(rate)))"
        case let .localResponseNormalization(size, alpha, beta, k):
            // Caffe's ACROSS_CHANNELS formula is PyTorch's: x · (k + α/size · Σ x²)^(−β).
            return "nn.LocalResponseNorm(\(size), alpha=\(number(alpha)), beta=\(number(beta)), k=\(number(k)))"
        case let .localResponseNormalizationWithinChannel(size, alpha, beta):
            return "WithinChannelLRN(\(size), alpha=\(number(alpha)), beta=\(number(beta)))"
        case let .batchNormalization(momentum, epsilon):
            // PyTorch's momentum weighs the NEW batch (running ← (1 − m)·running + m·batch); HashLab's weighs the
            // running value, so PyTorch's is 1 − HashLab's.
            let kind = itemShape.count == 3 ? "nn.BatchNorm2d" : "nn.BatchNorm1d"
            return "\(kind)(\(itemShape[0]), eps=\(number(epsilon)), momentum=\(number(1 - momentum)))"
        }
    }
}
