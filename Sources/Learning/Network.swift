import Seeding

/// A network: the layers built from a `NetSpec`, run in order. It owns every activation and activation gradient
/// (one tensor per layer boundary) and reuses them from batch to batch.
///
/// Not thread-safe: use one network from one thread at a time (it is `@unchecked Sendable` so that a shell can
/// hand it to a training thread).
public final class Network: @unchecked Sendable {
    public let spec: NetSpec
    public let layers: [Layer]
    /// `activations[0]` is the input, `activations[i + 1]` the output of layer i.
    private var activations: [Tensor]
    /// `gradients[i]` is dLoss/d`activations[i]`.
    private var gradients: [Tensor]

    /// Builds the layers of `spec` with weights drawn from `SeededGenerator(seed: seed)`: the same seed gives
    /// the same weights, bit for bit.
    public init(spec: NetSpec, seed: UInt64) throws {
        self.spec = spec
        var generator = SeededGenerator(seed: seed)
        var itemShape = spec.inputShape
        var built: [Layer] = []
        guard !spec.layers.isEmpty else { throw LayerError("network \(spec.name) has no layers") }
        guard !itemShape.isEmpty, itemShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError("network \(spec.name): input shape \(itemShape) must be positive")
        }
        for (index, layerSpec) in spec.layers.enumerated() {
            var layerGenerator = generator.fork()
            let layer = try makeLayer(layerSpec, itemShape: itemShape, initialization: spec.initialization,
                                      pooling: spec.pooling,
                                      generator: &layerGenerator, index: index)
            itemShape = Array(try layer.outputShape(for: [1] + itemShape).dropFirst())
            built.append(layer)
        }
        built[0].computesInputGradient = false
        layers = built
        activations = Array(repeating: Tensor(shape: [0]), count: built.count + 1)
        gradients = Array(repeating: Tensor(shape: [0]), count: built.count + 1)
    }

    /// Shape of one output item.
    public var outputShape: [Int] {
        var shape = [1] + spec.inputShape
        for layer in layers { shape = (try? layer.outputShape(for: shape)) ?? shape }
        return Array(shape.dropFirst())
    }

    /// Every parameter, layer by layer (weights before biases), trainable or not.
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The number of trainable numbers.
    public var trainableCount: Int { parameters.filter(\.isTrainable).reduce(0) { $0 + $1.value.count } }

    /// Runs the layers on `input` (N × inputShape) and returns the output. `training` selects dropout and the
    /// batch statistics of batch normalisation. The activations are kept for `backward`.
    @discardableResult
    public func forward(_ input: Tensor, training: Bool = false) throws -> Tensor {
        guard input.shape.count == spec.inputShape.count + 1, Array(input.shape.dropFirst()) == spec.inputShape else {
            throw LayerError("\(spec.name) expects N×\(spec.inputShape.map(String.init).joined(separator: "×")) input, got \(input.shape)")
        }
        activations[0] = input
        for index in layers.indices {
            layers[index].forward(input: activations[index], output: &activations[index + 1], training: training)
        }
        return activations[layers.count]
    }

    /// The output of the last `forward`, without a copy.
    public var output: Tensor { activations[layers.count] }

    /// Back-propagates dLoss/dOutput (the shape of the last output) through every layer, ADDING into the
    /// parameter gradients. Call after `forward` on the same batch.
    public func backward(_ outputGradient: Tensor) {
        precondition(outputGradient.shape == activations[layers.count].shape, "gradient shape does not match output")
        gradients[layers.count] = outputGradient
        for index in layers.indices.reversed() {
            layers[index].backward(input: activations[index], output: activations[index + 1],
                                   outputGradient: gradients[index + 1], inputGradient: &gradients[index])
        }
    }

    /// The terms the layers add to the objective, from the last `forward` (`Layer.penalty`: GreedyHash's sign;
    /// 0 for most nets).
    public var penalty: Double { layers.reduce(0) { $0 + $1.penalty } }

    /// Tells every layer how many optimiser steps came before the coming one (`Layer.prepare(forTrainingStep:)`:
    /// HashNet's continuation).
    public func prepare(forTrainingStep step: Int) {
        for layer in layers { layer.prepare(forTrainingStep: step) }
    }

    /// Sets every parameter gradient to zero.
    public func zeroGradients() {
        for parameter in parameters { parameter.gradient.fill(0) }
    }
}
