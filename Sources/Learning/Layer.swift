import Seeding

/// A learnable (or stored) tensor of a layer together with its gradient.
/// `gradient` accumulates over `backward` calls until `Network.zeroGradients()`.
public final class Parameter {
    /// `layer index/role`, e.g. "3/weight"; stable names key checkpoints.
    public let name: String
    public var value: Tensor
    public var gradient: Tensor
    /// Whether an optimiser updates it (batch-norm running statistics are stored but not trained).
    public let isTrainable: Bool
    /// Whether weight decay applies (weights yes, biases and batch-norm shifts no — as Caffe's decay_mult 0).
    public let isDecayed: Bool

    public init(name: String, value: Tensor, isTrainable: Bool = true, isDecayed: Bool = true) {
        self.name = name
        self.value = value
        self.gradient = Tensor(shape: value.shape)
        self.isTrainable = isTrainable
        self.isDecayed = isDecayed
    }
}

/// The one contract of every layer (Caffe's, llm.c's naming):
/// - `forward` computes `output` from `input` (the network owns both and reuses them across batches) and keeps
///   in the layer whatever else backward needs (max-pool winners, dropout mask, normalised values…);
/// - `backward` gets the same `input` and `output` plus dLoss/dOutput, writes dLoss/dInput into `inputGradient`
///   (overwriting it), and ADDS the parameter gradients into `parameters[i].gradient`.
/// Shapes include the batch axis first.
public protocol Layer: AnyObject {
    var spec: LayerSpec { get }
    var parameters: [Parameter] { get }
    /// The output shape for an input shape; throws `LayerError` if the input cannot feed this layer.
    func outputShape(for inputShape: [Int]) throws -> [Int]
    func forward(input: Tensor, output: inout Tensor, training: Bool)
    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor)
    /// Set to false for a network's first layer: its input gradient is nobody's business, and skipping it saves
    /// a GEMM and a col2im in convolutions. (`inputGradient` is then left unspecified.)
    var computesInputGradient: Bool { get set }
    /// The value of a term the layer adds to the training objective, as of its last `forward`; `backward` then
    /// includes the term's gradient in `inputGradient`. 0 for every layer but GreedyHash's sign, whose penalty
    /// λ·mean(|(|h| − 1)|³) draws its input towards ±1 (an activity regulariser, in Keras's words). The trainer adds
    /// it to the loss it reports; the gradient checker to the objective it differentiates.
    var penalty: Double { get }
    /// Told by the trainer, before each training step, how many optimiser steps came before: for a layer whose
    /// behaviour follows training progress (HashNet's continuation, tanh(β·x) with β growing with the step). Every
    /// other layer ignores it.
    func prepare(forTrainingStep step: Int)
}

/// A layer whose inference forward maps each image on its own — pooling, element-wise activations — so that a
/// convolution can pass each image it makes through it while that image is still in cache, instead of writing the
/// whole batch to memory and reading it back (`ConvolutionLayer.forward(input:through:output:)`, which
/// `Network.outputs` uses for inference).
protocol ImageMap: Layer {
    /// Inference forward of one image: `count` numbers at `input` (one item of the layer's input) to one item of
    /// its output at `output`. The same numbers `forward` gives that image.
    func mapImage(_ input: UnsafePointer<Float>, count: Int, to output: UnsafeMutablePointer<Float>)
}

extension Layer {
    public var penalty: Double { 0 }
    public func prepare(forTrainingStep step: Int) {}
}

/// A spec that does not fit the shape it is given.
public struct LayerError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Builds the working layer for `spec`, whose items have shape `itemShape` (no batch axis), drawing its initial
/// weights from `generator`; pooling layers round their output size by `pooling`.
public func makeLayer(_ spec: LayerSpec, itemShape: [Int], initialization: Initialization,
                      pooling: PoolingRounding, generator: inout SeededGenerator, index: Int) throws -> Layer {
    func image() throws -> (Int, Int, Int) {
        guard itemShape.count == 3 else {
            throw LayerError("layer \(index + 1) (\(spec)) needs C×H×W input, got \(itemShape)")
        }
        return (itemShape[0], itemShape[1], itemShape[2])
    }
    func positive(_ values: Int...) throws {
        guard values.allSatisfy({ $0 > 0 }) else { throw LayerError("layer \(index + 1) (\(spec)): sizes must be positive") }
    }
    switch spec {
    case let .convolution(outputs, kernel, stride, padding):
        let (c, h, w) = try image()
        try positive(outputs, kernel, stride)
        guard padding >= 0, h + 2 * padding >= kernel, w + 2 * padding >= kernel else {
            throw LayerError("layer \(index + 1) (\(spec)): kernel larger than the padded \(h)x\(w) input")
        }
        return ConvolutionLayer(spec: spec, inputChannels: c, height: h, width: w, outputChannels: outputs,
                                kernel: kernel, stride: stride, padding: padding, initialization: initialization,
                                generator: &generator, index: index)
    case let .maxPool(kernel, stride, padding), let .averagePool(kernel, stride, padding):
        let (c, h, w) = try image()
        try positive(kernel, stride)
        guard padding >= 0, padding < kernel, h + 2 * padding >= kernel, w + 2 * padding >= kernel else {
            throw LayerError("layer \(index + 1) (\(spec)): window does not fit the \(h)x\(w) input (pad < kernel)")
        }
        var isMax = false
        if case .maxPool = spec { isMax = true }
        return PoolingLayer(spec: spec, isMax: isMax, channels: c, height: h, width: w, kernel: kernel,
                            stride: stride, padding: padding, rounding: pooling)
    case .relu, .sigmoid, .tanh:
        return ActivationLayer(spec: spec)
    case .signStraightThrough:
        return SignStraightThroughLayer(spec: spec)
    case .scaledTanh:
        return ScaledTanhLayer(spec: spec, index: index)
    case let .linear(outputs):
        try positive(outputs)
        return LinearLayer(spec: spec, inputs: itemShape.reduce(1, *), outputs: outputs,
                           initialization: initialization, generator: &generator, index: index)
    case let .dropout(rate):
        guard rate >= 0, rate < 1 else { throw LayerError("layer \(index + 1): dropout rate must be in [0, 1)") }
        return DropoutLayer(spec: spec, rate: rate, generator: generator.fork())
    case let .localResponseNormalization(size, alpha, beta, k):
        let (c, h, w) = try image()
        try positive(size)
        return LocalResponseNormalizationLayer(spec: spec, channels: c, plane: h * w, size: size, alpha: alpha,
                                               beta: beta, k: k)
    case let .localResponseNormalizationWithinChannel(size, alpha, beta):
        let (c, h, w) = try image()
        guard size > 0, size % 2 == 1 else {
            throw LayerError("layer \(index + 1) (\(spec)): within-channel LRN needs an odd size")
        }
        return WithinChannelNormalizationLayer(spec: spec, channels: c, height: h, width: w, size: size, alpha: alpha,
                                               beta: beta)
    case let .batchNormalization(momentum, epsilon):
        guard momentum >= 0, momentum < 1, epsilon > 0 else {
            throw LayerError("layer \(index + 1): batch-norm needs 0 ≤ momentum < 1 and epsilon > 0")
        }
        let channels = itemShape.first ?? 1
        let plane = itemShape.count == 3 ? itemShape[1] * itemShape[2] : itemShape.dropFirst().reduce(1, *)
        return BatchNormalizationLayer(spec: spec, channels: channels, plane: plane, momentum: momentum,
                                       epsilon: epsilon, index: index)
    }
}

/// Draws `count` initial weights for a unit with `fanIn` inputs.
func initialWeights(count: Int, fanIn: Int, fanOut: Int, initialization: Initialization,
                    generator: inout SeededGenerator) -> [Float] {
    switch initialization {
    case .xavier:
        return uniformDraws(count: count, bound: (3.0 / Double(fanIn)).squareRoot(), generator: &generator)
    case .glorotNormal:
        return gaussianDraws(count: count, deviation: (2.0 / Double(fanIn + fanOut)).squareRoot(), generator: &generator)
    case .he:
        return gaussianDraws(count: count, deviation: (2.0 / Double(fanIn)).squareRoot(), generator: &generator)
    case .pytorch:
        return uniformDraws(count: count, bound: (1.0 / Double(fanIn)).squareRoot(), generator: &generator)
    }
}

/// The initial biases of a unit with `fanIn` inputs: 0, except PyTorch's default, uniform in ±1/√fanIn (drawn
/// after the weights, so the other schemes' draws are as they were).
func initialBiases(count: Int, fanIn: Int, initialization: Initialization, generator: inout SeededGenerator) -> Tensor {
    guard initialization == .pytorch else { return Tensor(shape: [count]) }
    return Tensor(shape: [count], values: uniformDraws(count: count, bound: (1.0 / Double(fanIn)).squareRoot(),
                                                       generator: &generator))
}

/// `count` draws uniform in ±bound.
private func uniformDraws(count: Int, bound: Double, generator: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in Float((generator.nextUnitDouble() * 2 - 1) * bound) }
}

/// `count` Gaussian draws with mean 0.
private func gaussianDraws(count: Int, deviation: Double, generator: inout SeededGenerator) -> [Float] {
    (0..<count).map { _ in Float(generator.nextGaussian() * deviation) }
}
