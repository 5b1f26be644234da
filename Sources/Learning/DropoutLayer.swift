import Seeding

/// Inverted dropout: while training, each value survives with probability q = 1 − rate and is scaled by 1/q
/// (so the expected output equals the input); at inference the layer is the identity. The mask comes from the
/// layer's own seeded generator, so a run is reproducible.
final class DropoutLayer: Layer {
    let spec: LayerSpec
    let rate: Float
    var generator: SeededGenerator
    var parameters: [Parameter] { [] }
    var computesInputGradient = true
    /// 1/q where the value was kept, 0 where dropped (or all 1 after an inference forward).
    private var mask: [Float] = []

    init(spec: LayerSpec, rate: Float, generator: SeededGenerator) {
        self.spec = spec
        self.rate = rate
        self.generator = generator
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        if mask.count != input.count { mask = [Float](repeating: 1, count: input.count) }
        let keep = 1 - rate, scale = 1 / (1 - rate)
        for i in 0..<mask.count {
            mask[i] = training ? (generator.nextUnitFloat() < keep ? scale : 0) : 1
        }
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
        mask.withUnsafeBufferPointer { m in
            for i in x.indices { y[i] = x[i] * m[i] }
        }}}
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        mask.withUnsafeBufferPointer { m in
            for i in dy.indices { dx[i] = dy[i] * m[i] }
        }}}
    }
}
