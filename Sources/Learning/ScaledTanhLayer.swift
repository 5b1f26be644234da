import Foundation

/// HashNet's continuation (Cao, Long, Wang & Yu, "HashNet: Deep Learning to Hash by Continuation", ICCV 2017):
/// the code layer's outputs z pass through
///
///     h = tanh(β·z),    dL/dz = dL/dh · β·(1 − h²)
///
/// with β growing during training. sign(z) is the limit of tanh(β·z) as β → ∞, but its gradient is 0 almost
/// everywhere; the paper starts from the smooth β = 1 and raises β step by step, so that the net learns while the
/// gradient still flows and ends with outputs that are (nearly) their signs. The authors' code (thuml/HashNet,
/// pytorch/src/network.py) sets
///
///     β = (1 + γ·t)^½,   γ = 0.005,  t = the training iteration
///
/// recomputed there every 200 iterations (a staircase of the same curve); here it is recomputed before every step
/// (`prepare(forTrainingStep:)`, which the trainer calls with the optimiser's step count), so that the short runs of
/// a lesson see it grow. γ is `growth`, which the hashing model sets from its `continuation` hyperparameter; γ = 0
/// keeps β = 1, a plain tanh. (DeepHash-pytorch's HashNet.py grows it per epoch instead: β = (⌊epoch/20⌋ + 1)^½.)
///
/// β is stored as a parameter of the layer that the optimiser does not train (like batch norm's running statistics),
/// so that checkpoints and safetensors files keep it and a saved model's real outputs are tanh(β·z) with the β it last
/// trained with. The codes do not depend on it: sign(tanh(β·z)) = sign(z). The gradient checker sees a fixed β.
/// Training sets β from the optimiser's step count, which a checkpoint keeps: a model loaded from a checkpoint goes
/// on from its β, one loaded from safetensors (which trains on with a fresh optimiser) starts again from β = 1.
final class ScaledTanhLayer: Layer {
    let spec: LayerSpec
    /// β, a 1-element tensor named `INDEX/beta`.
    let scale: Parameter
    var parameters: [Parameter] { [scale] }
    var computesInputGradient = true
    /// γ in β = (1 + γ·t)^½.
    var growth: Double = 0

    init(spec: LayerSpec, index: Int, beta: Float = 1) {
        self.spec = spec
        scale = Parameter(name: "\(index)/beta", value: Tensor(shape: [1], values: [beta]), isTrainable: false,
                          isDecayed: false)
    }

    /// β after `step` optimiser steps.
    static func beta(growth: Double, step: Int) -> Float {
        Float((1 + growth * Double(step)).squareRoot())
    }

    func prepare(forTrainingStep step: Int) {
        scale.value.storage[0] = ScaledTanhLayer.beta(growth: growth, step: step)
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        let beta = scale.value.storage[0]
        for i in 0..<input.count { output.storage[i] = tanhf(beta * input.storage[i]) }
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let beta = scale.value.storage[0]
        for i in 0..<output.count {
            let h = output.storage[i]
            inputGradient.storage[i] = outputGradient.storage[i] * beta * (1 - h * h)
        }
    }
}
