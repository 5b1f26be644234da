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
                                         values: initialWeights(count: outputs * inputs, fanIn: inputs, fanOut: outputs,
                                                                initialization: initialization, generator: &generator)))
        bias = Parameter(name: "\(index)/bias", value: initialBiases(count: outputs, fanIn: inputs,
                                                                    initialization: initialization, generator: &generator),
                         isDecayed: false)
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
            let (x, y, w, b) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!),
                                SharedPointer(w.baseAddress!), SharedPointer(b.baseAddress!))
            // Each worker computes its own rows of Y (items of the batch): no shared sums.
            Kernels.parallelRanges(batch) { _, range in
                for n in range { for o in 0..<outputs { y.base[n * outputs + o] = b.base[o] } }
                Kernels.multiply(transposeB: true, m: range.count, n: outputs, k: inputs, a: x.base + range.lowerBound * inputs,
                                 lda: inputs, b: w.base, ldb: inputs, beta: 1, c: y.base + range.lowerBound * outputs,
                                 ldc: outputs)
            }
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
            let (x, dy, dx, w, dw) = (SharedPointer(x.baseAddress!), SharedPointer(dy.baseAddress!),
                                      SharedPointer(dx.baseAddress!), SharedPointer(w.baseAddress!),
                                      SharedPointer(dw.baseAddress!))
            // Workers own disjoint rows: of dW (output units) and of dX (items), so every sum is one worker's.
            Kernels.parallelRanges(outputs) { _, range in
                Kernels.multiply(transposeA: true, m: range.count, n: inputs, k: batch, a: dy.base + range.lowerBound,
                                 lda: outputs, b: x.base, ldb: inputs, beta: 1, c: dw.base + range.lowerBound * inputs,
                                 ldc: inputs)
            }
            if wantsInput {
                Kernels.parallelRanges(batch) { _, range in
                    Kernels.multiply(m: range.count, n: inputs, k: outputs, a: dy.base + range.lowerBound * outputs,
                                     lda: outputs, b: w.base, ldb: inputs, c: dx.base + range.lowerBound * inputs,
                                     ldc: inputs)
                }
            }
        }}}}}}
    }
}
