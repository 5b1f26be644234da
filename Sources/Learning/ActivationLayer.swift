import Foundation

/// Element-wise non-linearities. Each backward uses only the forward OUTPUT y:
/// ReLU `y = max(0, x)`, dx = dy·[y > 0]; sigmoid `y = 1/(1 + e^−x)`, dx = dy·y·(1 − y);
/// tanh, dx = dy·(1 − y²).
final class ActivationLayer: Layer {
    let spec: LayerSpec
    var parameters: [Parameter] { [] }
    var computesInputGradient = true

    init(spec: LayerSpec) { self.spec = spec }

    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        let spec = spec
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                switch spec {
                case .relu: for i in x.indices { y[i] = max(x[i], 0) }
                case .sigmoid: for i in x.indices { y[i] = 1 / (1 + expf(-x[i])) }
                default: for i in x.indices { y[i] = tanhf(x[i]) }
                }
            }
        }
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let spec = spec
        output.storage.withUnsafeBufferPointer { y in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
            switch spec {
            case .relu: for i in y.indices { dx[i] = y[i] > 0 ? dy[i] : 0 }
            case .sigmoid: for i in y.indices { dx[i] = dy[i] * y[i] * (1 - y[i]) }
            default: for i in y.indices { dx[i] = dy[i] * (1 - y[i] * y[i]) }
            }
        }}}
    }
}
