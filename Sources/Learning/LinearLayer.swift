import Seeding

/// Fully connected: each item is flattened to F numbers and `y = W·x + b` with W of shape Out×F.
/// For a batch X (N×F): Y = X·Wᵀ + b; backward dW += dYᵀ·X, db += Σₙ dY, dX = dY·W.
final class LinearLayer: Layer {
    let spec: LayerSpec
    let weight: Parameter, bias: Parameter
    let inputs: Int, outputs: Int
    var parameters: [Parameter] { [weight, bias] }
    var computesInputGradient = true

    init(spec: LayerSpec, inputs: Int, outputs: Int, initialization: Initialization, generator: inout SeededGenerator,
         index: Int) {
        self.spec = spec
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(name: "\(index)/weight",
                           value: Tensor(shape: [outputs, inputs],
                                         values: initialWeights(count: outputs * inputs, fanIn: inputs,
                                                                initialization: initialization, generator: &generator)))
        bias = Parameter(name: "\(index)/bias", value: Tensor(shape: [outputs]), isDecayed: false)
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2, inputShape.dropFirst().reduce(1, *) == inputs else {
            throw LayerError("fc \(outputs) expects \(inputs) inputs per item, got shape \(inputShape)")
        }
        return [inputShape[0], outputs]
    }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        let batch = input.batchSize
        output.reshape(to: [batch, outputs])
        let (inputs, outputs) = (inputs, outputs)
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
        weight.value.storage.withUnsafeBufferPointer { w in
        bias.value.storage.withUnsafeBufferPointer { b in
            for n in 0..<batch { for o in 0..<outputs { y[n * outputs + o] = b[o] } }
            Kernels.multiply(transposeB: true, m: batch, n: outputs, k: inputs, a: x.baseAddress!, lda: inputs,
                             b: w.baseAddress!, ldb: inputs, beta: 1, c: y.baseAddress!, ldc: outputs)
        }}}}
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let batch = input.batchSize
        inputGradient.reshape(to: input.shape)
        let (inputs, outputs, wantsInput) = (inputs, outputs, computesInputGradient)
        input.storage.withUnsafeBufferPointer { x in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        weight.value.storage.withUnsafeBufferPointer { w in
        weight.gradient.storage.withUnsafeMutableBufferPointer { dw in
        bias.gradient.storage.withUnsafeMutableBufferPointer { db in
            for n in 0..<batch { for o in 0..<outputs { db[o] += dy[n * outputs + o] } }
            Kernels.multiply(transposeA: true, m: outputs, n: inputs, k: batch, a: dy.baseAddress!, lda: outputs,
                             b: x.baseAddress!, ldb: inputs, beta: 1, c: dw.baseAddress!, ldc: inputs)
            if wantsInput {
                Kernels.multiply(m: batch, n: inputs, k: outputs, a: dy.baseAddress!, lda: outputs,
                                 b: w.baseAddress!, ldb: inputs, c: dx.baseAddress!, ldc: inputs)
            }
        }}}}}}
    }
}
