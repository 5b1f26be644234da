import Foundation

/// Element-wise non-linearities. Each backward uses only the forward OUTPUT y:
/// ReLU `y = max(0, x)`, dx = dy·[y > 0]; sigmoid `y = 1/(1 + e^−x)`, dx = dy·y·(1 − y);
/// tanh, dx = dy·(1 − y²). Both passes are split over the cores (element-wise: no order to keep).
final class ActivationLayer: ImageMap {
    let spec: LayerSpec
    var parameters: [Parameter] { [] }
    var computesInputGradient = true

    init(spec: LayerSpec) { self.spec = spec }

    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        let spec = spec
        if input.count == 0 { return }
        input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
                let (x, y) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!))
                Kernels.parallelRanges(input.count) { _, range in
                    switch spec {
                    case .relu: for i in range { y.base[i] = max(x.base[i], 0) }
                    case .sigmoid: for i in range { y.base[i] = 1 / (1 + expf(-x.base[i])) }
                    default: for i in range { y.base[i] = tanhf(x.base[i]) }
                    }
                }
            }
        }
    }

    func mapImage(_ input: UnsafePointer<Float>, count: Int, to output: UnsafeMutablePointer<Float>) {
        switch spec {
        case .relu: for i in 0..<count { output[i] = max(input[i], 0) }
        case .sigmoid: for i in 0..<count { output[i] = 1 / (1 + expf(-input[i])) }
        default: for i in 0..<count { output[i] = tanhf(input[i]) }
        }
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let spec = spec
        if output.count == 0 { return }
        output.storage.withUnsafeBufferPointer { y in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
            let (y, dy, dx) = (SharedPointer(y.baseAddress!), SharedPointer(dy.baseAddress!), SharedPointer(dx.baseAddress!))
            Kernels.parallelRanges(output.count) { _, range in
                switch spec {
                case .relu: for i in range { dx.base[i] = y.base[i] > 0 ? dy.base[i] : 0 }
                case .sigmoid: for i in range { dx.base[i] = dy.base[i] * y.base[i] * (1 - y.base[i]) }
                default: for i in range { dx.base[i] = dy.base[i] * (1 - y.base[i] * y.base[i]) }
                }
            }
        }}}
    }
}
