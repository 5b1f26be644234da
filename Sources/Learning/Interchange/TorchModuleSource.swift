import Foundation

/// The PyTorch source of a model's net: a Python file that builds the `nn.Sequential` whose state dict is the
/// model's safetensors file (`TorchSequentialLayout`), so that a PyTorch user picks the weights up without guessing
/// the layout. The comments say how to load the weights, how to normalise images as the model did, and which
/// output gives the codes.
extension HashingModel {
    /// The Python text; `weightsFile` (the safetensors file's name) goes into the loading example.
    public func torchModuleSource(weightsFile: String = "model.safetensors") throws -> String {
        guard let network, let inputShape, let codeLayerIndex else {
            throw HashingError("the model has no network yet: train it (or encode with it) first")
        }
        let layout = try TorchSequentialLayout(network: network)
        let shape = inputShape.map(String.init).joined(separator: "×")
        var lines = [
            "# \(method) \(bits) bits on \(hyperparameters.net)"
                + (network.spec.name == hyperparameters.net.rawValue ? "" : " (\(network.spec.name))")
                + ", written by HashLab as the PyTorch module whose",
            "# state dict is the model's safetensors file. Load the weights with",
            "#",
            "#     import safetensors.torch",
            "#     net = hashlab_net()",
            "#     net.load_state_dict(safetensors.torch.load_file(\"\(weightsFile)\"))",
            "#     net.eval()",
            "#",
            "# Input: N×\(shape) float images, every byte scaled to [0, 1] (transforms.ToTensor()) and then normalised as",
        ]
        if let normalization {
            func list(_ values: [Double]) -> String {
                "(" + values.map { String(format: "%.6g", $0) }.joined(separator: ", ") + (values.count == 1 ? ",)" : ")")
            }
            lines.append("#     transforms.Normalize(mean=\(list(normalization.torchMean)), std=\(list(normalization.torchStd)))")
            lines.append("# (the channel statistics of the model's first training data).")
        } else {
            lines.append("#     transforms.Normalize(mean, std) with the channel means and standard deviations of the images")
            lines.append("# themselves: the model has not trained, and HashLab normalises each data set by its own statistics.")
        }
        let codeModule = layout.modules.first { $0.layer == codeLayerIndex }!.index
        if method == .classifier {
            lines.append("# Codes: the predicted class c = net(x).argmax(1), written as HashLab's codeword of class c "
                         + "(ClassCodewords:")
            lines.append("# row c of a Hadamard matrix, so that two images' codes are equal exactly when their classes "
                         + "are).")
        } else if codeLayerIndex == network.layers.count - 1 {
            lines.append("# Codes: bit j of an image is 1 where net(x)[:, j] > 0.")
        } else {
            let latent = method == .dlbhc ? "the sigmoid latent layer" : "the code layer, before the sign"
            let threshold = method == .dlbhc ? "0.5" : "0"
            lines.append("# Codes: the output of module \(codeModule) (\(latent)) above \(threshold), i.e. "
                         + "net[:\(codeModule + 1)](x) > \(threshold);")
            lines.append("# the modules after it are the classifier that trained it.")
        }
        lines += ["", "import torch", "from torch import nn", ""]
        if network.spec.layers.contains(where: {
            if case .localResponseNormalizationWithinChannel = $0 { true } else { false }
        }) {
            lines += [
                "",
                "class WithinChannelLRN(nn.Module):",
                "    \"\"\"Caffe's LRN with norm_region WITHIN_CHANNEL: y = x · (1 + α/size² · Σ x²)^(−β), the sum over",
                "    the size×size window around each pixel (zero padded); PyTorch has no module for it.\"\"\"",
                "",
                "    def __init__(self, size, alpha, beta):",
                "        super().__init__()",
                "        self.size, self.alpha, self.beta = size, alpha, beta",
                "",
                "    def forward(self, x):",
                "        mean_square = nn.functional.avg_pool2d(x * x, self.size, stride=1, padding=self.size // 2,",
                "                                               count_include_pad=True)",
                "        return x * (1 + self.alpha * mean_square) ** (-self.beta)",
                "",
            ]
        }
        if network.spec.layers.contains(.signStraightThrough) {
            lines += [
                "",
                "class SignStraightThrough(nn.Module):",
                "    \"\"\"GreedyHash's hash layer: forward sign(x), backward the identity (the straight-through estimator).\"\"\"",
                "",
                "    def forward(self, x):",
                "        return x + (torch.sign(x) - x).detach()",
                "",
            ]
        }
        if network.spec.layers.contains(.scaledTanh) {
            lines += [
                "",
                "class ScaledTanh(nn.Module):",
                "    \"\"\"HashNet's continuation: tanh(beta * x). HashLab grows beta during training as (1 + gamma * step)^0.5;",
                "    the state dict holds the last value.\"\"\"",
                "",
                "    def __init__(self):",
                "        super().__init__()",
                "        self.register_buffer(\"beta\", torch.ones(1))",
                "",
                "    def forward(self, x):",
                "        return torch.tanh(self.beta * x)",
                "",
            ]
        }
        lines += ["", "def hashlab_net():", "    return nn.Sequential("]
        let width = layout.modules.map(\.source.count).max() ?? 0
        for module in layout.modules {
            let code = "        \(module.source),"
            let comment = "# \(module.index)" + (module.hashLabDescription.isEmpty ? "" : ": \(module.hashLabDescription)")
                + (module.layer == codeLayerIndex ? " (code layer)" : "")
            lines.append(code.padding(toLength: width + 11, withPad: " ", startingAt: 0) + comment)
        }
        lines += ["    )", ""]
        return lines.joined(separator: "\n")
    }

    /// Writes `torchModuleSource` to `path` (temporary file, then rename).
    public func saveTorchModuleSource(to path: String, weightsFile: String = "model.safetensors") throws {
        guard !method.isShallow else {
            throw HashingError("a \(method) model has no network, so no PyTorch module: save it to a .safetensors file")
        }
        let text = try torchModuleSource(weightsFile: weightsFile)
        do { try replaceFile(atPath: path, with: Array(text.utf8)) } catch {
            throw HashingError("\(path): cannot write: \(error.reason)")
        }
    }
}
