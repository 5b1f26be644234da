import Foundation

/// GreedyHash's hash layer (Su, Zhang, Han & Tian, "Greedy Hash: Towards Fast Optimization for Accurate Hash Coding
/// in CNN", NeurIPS 2018): the net's code layer gives real outputs h, and this layer hands the layers after it the
/// binary code itself,
///
///     forward   b = sign(h)              (sign(0) = 0, as PyTorch's torch.sign)
///     backward  dL/dh = dL/db            (the straight-through estimator)
///
/// The sign's true derivative is 0 wherever it exists, so an honest backward would stop all learning; the paper's
/// "greedy principle" is to move h as if the step were taken on b directly: the gradient passes through unchanged,
/// as if the layer were the identity. What follows (GreedyHash's classifier on b) therefore trains on the very codes
/// retrieval will use, with no relaxation (no tanh, no sigmoid) in between.
///
/// The price is the gap between h and b, which the identity pretends is not there. The paper closes it with a penalty
/// on h, λ·‖|h| − 1‖₃³, written in the authors' code (ssppp/GreedyHash, cifar1.py) as the mean over the batch's N × k
/// outputs:
///
///     penalty = λ · (1/(N·k)) · Σ |(|h| − 1)|³
///     d penalty/dh = λ/(N·k) · 3·(|h| − 1)·||h| − 1|·sign(h)
///
/// which draws every output towards ±1, hardest where it is far (the cube: small near ±1, steep away from them).
/// The derivative has a kink at h = 0 (the slope jumps from +3λ/(N·k) to −3λ/(N·k)); sign(0) = 0 takes the middle,
/// as PyTorch's autograd of |·| does. This layer reports the penalty (`penalty`) and adds its gradient in backward:
/// the one term of a layer in the objective (see `Layer.penalty`). λ is `penaltyWeight`, which the hashing model sets
/// from its `penalty` hyperparameter (0: no penalty).
///
/// GRADIENT CHECKS. A straight-through layer has no true gradient to check against: finite differences of sign(h)
/// are 0 (or enormous across 0). What its backward computes is the exact gradient of a SURROGATE, the identity plus
/// the penalty, f(h) = Σ r·h + penalty(h) for an upstream gradient r; the tests check backward against central
/// differences of that surrogate with the one checker, and check separately that the forward is the sign.
final class SignStraightThroughLayer: Layer {
    let spec: LayerSpec
    var parameters: [Parameter] { [] }
    var computesInputGradient = true
    /// λ, the weight of the penalty (0 by default: the plain straight-through sign).
    var penaltyWeight: Double = 0
    /// The penalty of the last forward's input.
    private(set) var penalty: Double = 0

    init(spec: LayerSpec, penaltyWeight: Double = 0) {
        self.spec = spec
        self.penaltyWeight = penaltyWeight
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        var sum: Double = 0
        for i in 0..<input.count {
            let h = input.storage[i]
            output.storage[i] = h > 0 ? 1 : (h < 0 ? -1 : 0)
            let gap = abs(abs(Double(h)) - 1)
            sum += gap * gap * gap
        }
        penalty = input.count == 0 ? 0 : penaltyWeight * sum / Double(input.count)
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let step = input.count == 0 ? 0 : 3 * penaltyWeight / Double(input.count)
        for i in 0..<input.count {
            let h = Double(input.storage[i])
            let distance = abs(h) - 1
            let direction: Double = h > 0 ? 1 : (h < 0 ? -1 : 0)
            // dL/dh = dL/db (straight through) + the penalty's slope.
            inputGradient.storage[i] = outputGradient.storage[i] + Float(step * distance * abs(distance) * direction)
        }
    }
}
