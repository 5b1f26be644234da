/// One layer described as data: what the shell prints, edits, and a checkpoint stores. `Network` builds the
/// working layer objects from these.
public enum LayerSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// 2-D convolution with `outputChannels` square `kernel×kernel` filters, zero padding, and a bias per filter.
    case convolution(outputChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0)
    /// Max pooling; its output size follows the net's `PoolingRounding`.
    case maxPool(kernel: Int, stride: Int, padding: Int = 0)
    /// Average pooling; padding counts as zeros in a window's divisor, and the output size follows the net's
    /// `PoolingRounding`.
    case averagePool(kernel: Int, stride: Int, padding: Int = 0)
    case relu
    case sigmoid
    case tanh
    /// GreedyHash's hash layer (Su et al., NeurIPS 2018): forward b = sign(h); backward passes the gradient straight
    /// through, dL/dh = dL/db, as if the layer were the identity (`SignStraightThroughLayer`).
    case signStraightThrough
    /// HashNet's continuation (Cao et al., ICCV 2017): h = tanh(β·x), β a stored number that grows with the training
    /// step, so that tanh tends to sign (`ScaledTanhLayer`).
    case scaledTanh
    /// Fully connected: flattens each item and maps it to `outputs` numbers (weights and a bias).
    case linear(outputs: Int)
    /// Inverted dropout: in training each value is zeroed with probability `rate` and the rest scaled by
    /// 1/(1 − rate); at inference it is the identity.
    case dropout(rate: Float)
    /// Caffe's local response normalisation across channels:
    /// `y = x · (k + α/size · Σ x²)^(−β)`, the sum over `size` neighbouring channels.
    case localResponseNormalization(size: Int, alpha: Float, beta: Float, k: Float)
    /// Caffe's local response normalisation WITHIN_CHANNEL (the DSH prototxt's):
    /// `y = x · (1 + α/size² · Σ x²)^(−β)`, the sum over the size×size neighbourhood (odd size, zero padded).
    case localResponseNormalizationWithinChannel(size: Int, alpha: Float, beta: Float)
    /// Batch normalisation per channel (or per feature after a linear layer), with a learned scale and shift;
    /// running statistics `running ← momentum·running + (1 − momentum)·batch` serve at inference.
    case batchNormalization(momentum: Float = 0.9, epsilon: Float = 1e-5)

    /// Whether this is a pooling layer (max or average), whose output size follows the net's `PoolingRounding`.
    public var isPooling: Bool {
        switch self {
        case .maxPool, .averagePool: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case let .convolution(outputs, kernel, stride, padding):
            return "conv \(outputs)@\(kernel)x\(kernel)" + (stride != 1 ? " stride \(stride)" : "")
                + (padding != 0 ? " pad \(padding)" : "")
        case let .maxPool(kernel, stride, padding):
            return "max-pool \(kernel)/\(stride)" + (padding != 0 ? " pad \(padding)" : "")
        case let .averagePool(kernel, stride, padding):
            return "avg-pool \(kernel)/\(stride)" + (padding != 0 ? " pad \(padding)" : "")
        case .relu: return "relu"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .signStraightThrough: return "sign (straight-through)"
        case .scaledTanh: return "tanh(β·x)"
        case let .linear(outputs): return "fc \(outputs)"
        case let .dropout(rate): return "dropout \(rate)"
        case let .localResponseNormalization(size, alpha, beta, k):
            return "lrn size \(size) alpha \(alpha) beta \(beta) k \(k)"
        case let .localResponseNormalizationWithinChannel(size, alpha, beta):
            return "lrn-within size \(size) alpha \(alpha) beta \(beta)"
        case let .batchNormalization(momentum, epsilon): return "batch-norm momentum \(momentum) eps \(epsilon)"
        }
    }
}

/// How a network's weights are first drawn (biases start at 0). `fanIn` is the inputs of one output unit
/// (`inputChannels·kernel²` for a convolution, the input features for a linear layer); `fanOut` is the outputs one
/// input feeds (`outputChannels·kernel²`, or the output features).
public enum Initialization: String, Sendable, Equatable, Codable, CaseIterable {
    /// Caffe's "xavier" filler: uniform in ±√(3 / fanIn), so the variance is 1/fanIn.
    case xavier
    /// Glorot & Bengio (2010) as PyTorch's `xavier_normal_`: Gaussian with variance 2 / (fanIn + fanOut), the
    /// compromise that keeps the variance of both the forward signal and the backward gradient. For dsh-torch's
    /// conv1 (fanIn 75, fanOut 800) that is a standard deviation of 0.048, against Caffe's xavier 0.115.
    case glorotNormal = "glorot-normal"
    /// He et al. (2015): Gaussian with standard deviation √(2 / fanIn), for ReLU networks.
    case he
    /// PyTorch's default for `nn.Linear` and `nn.Conv2d` (`kaiming_uniform_` with a = √5): weights uniform in
    /// ±1/√fanIn — variance 1/(3·fanIn), a third of Caffe's xavier — and biases uniform in ±1/√fanIn too (every
    /// other scheme here starts the biases at 0). What a PyTorch model gets when its code sets no initialisation.
    case pytorch
}

/// How a pooling layer sizes its output when the windows do not tile the (padded) input exactly.
///
/// With `span = size + 2·pad − kernel`, ceil gives `⌈span / stride⌉ + 1` outputs (the last window may hang over the
/// edge and is clipped), floor gives `⌊span / stride⌋ + 1` (only whole windows). A 32×32 image through dsh's three
/// 3/2 poolings: ceil 32→16→8→4, floor 32→15→7→3, so the first fc layer sees 64·4·4 = 1,024 or 64·3·3 = 576 inputs.
public enum PoolingRounding: String, Sendable, Equatable, Codable {
    /// Caffe's rule (and PyTorch's `ceil_mode=True`).
    case ceil
    /// PyTorch's and TensorFlow's default.
    case floor
}

/// A whole network as data: the input shape of one item (channels, height, width) and its layers in order.
public struct NetSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    public var name: String
    /// `[channels, height, width]` of one input image (or `[features]` for flat input).
    public var inputShape: [Int]
    public var layers: [LayerSpec]
    public var initialization: Initialization
    /// How every pooling layer of the net rounds its output size: a net follows one framework's convention.
    public var pooling: PoolingRounding

    public init(name: String, inputShape: [Int], layers: [LayerSpec], initialization: Initialization = .xavier,
                pooling: PoolingRounding = .ceil) {
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        self.initialization = initialization
        self.pooling = pooling
    }

    private enum CodingKeys: String, CodingKey { case name, inputShape, layers, initialization, pooling }

    /// Checkpoints written before `pooling` existed lack it; their nets all pooled in ceil mode.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        inputShape = try container.decode([Int].self, forKey: .inputShape)
        layers = try container.decode([LayerSpec].self, forKey: .layers)
        initialization = try container.decode(Initialization.self, forKey: .initialization)
        pooling = try container.decodeIfPresent(PoolingRounding.self, forKey: .pooling) ?? .ceil
    }

    public var description: String {
        let pools = layers.contains(where: \.isPooling)
        var lines = ["\(name): input \(inputShape.map(String.init).joined(separator: "x")), \(initialization.rawValue) init"
                     + (pools ? ", \(pooling.rawValue)-mode pooling" : "")]
        for (index, layer) in layers.enumerated() { lines.append("  \(index + 1). \(layer)") }
        return lines.joined(separator: "\n")
    }

    /// The DSH paper's CIFAR-10 net (Liu et al., CVPR 2016), layer for layer as its Caffe prototxt
    /// (CIFAR-10/train_test.prototxt): conv 32@5×5 pad 2 → max-pool 3/2 → ReLU → [LRN] → conv 32@5×5 pad 2 →
    /// avg-pool 3/2 → ReLU → [LRN] → conv 64@5×5 pad 2 → ReLU → avg-pool 3/2 → fc 500 → ReLU → fc `bits`,
    /// Xavier weights. For a 32×32 input the maps are 32→16→8→4 (ceil mode). Note the prototxt pools conv2
    /// BEFORE its ReLU (unlike conv3). Its LRN is WITHIN_CHANNEL (size 3, α 5e-5, β 0.75), which
    /// `localResponseNormalization: true` inserts.
    public static func dshCIFAR(bits: Int, localResponseNormalization: Bool = false,
                                inputShape: [Int] = [3, 32, 32]) -> NetSpec {
        let lrn: [LayerSpec] = localResponseNormalization
            ? [.localResponseNormalizationWithinChannel(size: 3, alpha: 5e-5, beta: 0.75)] : []
        let layers: [LayerSpec] = [.convolution(outputChannels: 32, kernel: 5, stride: 1, padding: 2),
                                   .maxPool(kernel: 3, stride: 2), .relu] + lrn
            + [.convolution(outputChannels: 32, kernel: 5, stride: 1, padding: 2),
               .averagePool(kernel: 3, stride: 2), .relu] + lrn
            + [.convolution(outputChannels: 64, kernel: 5, stride: 1, padding: 2), .relu,
               .averagePool(kernel: 3, stride: 2),
               .linear(outputs: 500), .relu, .linear(outputs: bits)]
        return NetSpec(name: "dsh-cifar", inputShape: inputShape, layers: layers, initialization: .xavier)
    }

    /// The same net as PyTorch ports of DSH write it (e.g. weixu000/DSH-pytorch), which differ from the prototxt in
    /// three conventions: every block is conv → ReLU → pool (so conv2's ReLU comes before its average pooling, which
    /// does not commute with it), pooling rounds down (32→15→7→3, so fc 500 sees 576 inputs instead of 1,024), and
    /// weights start from Glorot-normal draws (`xavier_normal_`) instead of Caffe's xavier filler.
    public static func dshTorch(bits: Int, inputShape: [Int] = [3, 32, 32]) -> NetSpec {
        let layers: [LayerSpec] = [.convolution(outputChannels: 32, kernel: 5, stride: 1, padding: 2), .relu,
                                   .maxPool(kernel: 3, stride: 2),
                                   .convolution(outputChannels: 32, kernel: 5, stride: 1, padding: 2), .relu,
                                   .averagePool(kernel: 3, stride: 2),
                                   .convolution(outputChannels: 64, kernel: 5, stride: 1, padding: 2), .relu,
                                   .averagePool(kernel: 3, stride: 2),
                                   .linear(outputs: 500), .relu, .linear(outputs: bits)]
        return NetSpec(name: "dsh-torch", inputShape: inputShape, layers: layers, initialization: .glorotNormal,
                       pooling: .floor)
    }

    /// A small multilayer perceptron for quick lessons: flatten → fc `hidden` → ReLU → fc `outputs`.
    public static func smallMLP(inputShape: [Int], hidden: Int = 64, outputs: Int) -> NetSpec {
        NetSpec(name: "mlp", inputShape: inputShape, layers: [.linear(outputs: hidden), .relu, .linear(outputs: outputs)],
                initialization: .he)
    }

    /// A small conv net for quick lessons on small images: conv 16@3×3 pad 1 → ReLU → max-pool 2/2 →
    /// conv 32@3×3 pad 1 → ReLU → avg-pool 2/2 → fc 64 → ReLU → fc `outputs`.
    public static func smallConvNet(inputShape: [Int], outputs: Int) -> NetSpec {
        NetSpec(name: "small-conv", inputShape: inputShape,
                layers: [.convolution(outputChannels: 16, kernel: 3, stride: 1, padding: 1), .relu,
                         .maxPool(kernel: 2, stride: 2),
                         .convolution(outputChannels: 32, kernel: 3, stride: 1, padding: 1), .relu,
                         .averagePool(kernel: 2, stride: 2),
                         .linear(outputs: 64), .relu, .linear(outputs: outputs)],
                initialization: .he)
    }
}
