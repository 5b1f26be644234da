import Foundation

/// Caffe's LRN with `norm_region: WITHIN_CHANNEL` (as in the DSH prototxt). For a pixel p of one channel, with
/// W(p) the size×size window centred on p (clipped to the image; zero padding counts in the divisor D = size²,
/// as Caffe's average pooling with pad (size−1)/2 and stride 1 does):
///
///     s[p] = 1 + α · (1/D) · Σ_{q ∈ W(p)} x[q]²,     y[p] = x[p] · s[p]^(−β)
///
/// and, since q ∈ W(p) ⇔ p ∈ W(q) for odd sizes,
///
///     dx[q] = dy[q]·s[q]^(−β) − (2αβ/D) · x[q] · Σ_{p ∈ W(q)} dy[p]·y[p] / s[p].
final class WithinChannelNormalizationLayer: Layer {
    let spec: LayerSpec
    let channels: Int, height: Int, width: Int, size: Int
    let alpha: Float, beta: Float
    var parameters: [Parameter] { [] }
    var computesInputGradient = true
    private var scale: [Float] = []

    init(spec: LayerSpec, channels: Int, height: Int, width: Int, size: Int, alpha: Float, beta: Float) {
        self.spec = spec
        self.channels = channels
        self.height = height
        self.width = width
        self.size = size
        self.alpha = alpha
        self.beta = beta
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == channels, inputShape[2] == height, inputShape[3] == width else {
            throw LayerError("LRN expects N×\(channels)×\(height)×\(width), got \(inputShape)")
        }
        return inputShape
    }

    /// Sums `values` over every clipped size×size window of each plane into `sums`.
    private static func boxSum(_ values: UnsafePointer<Float>, into sums: UnsafeMutablePointer<Float>, planes: Int,
                               height: Int, width: Int, radius: Int) {
        for plane in 0..<planes {
            let source = values + plane * height * width, target = sums + plane * height * width
            for y in 0..<height {
                for x in 0..<width {
                    var sum: Float = 0
                    for yy in max(0, y - radius)...min(height - 1, y + radius) {
                        for xx in max(0, x - radius)...min(width - 1, x + radius) { sum += source[yy * width + xx] }
                    }
                    target[y * width + x] = sum
                }
            }
        }
    }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        if scale.count != input.count { scale = [Float](repeating: 0, count: input.count) }
        let (planes, radius) = (input.batchSize * channels, (size - 1) / 2)
        let factor = alpha / Float(size * size)
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
        scale.withUnsafeMutableBufferPointer { s in
            // y holds x² for a moment, then s = box sum of it, then y = x·s^(−β).
            for i in x.indices { y[i] = x[i] * x[i] }
            WithinChannelNormalizationLayer.boxSum(y.baseAddress!, into: s.baseAddress!, planes: planes, height: height,
                                                   width: width, radius: radius)
            for i in x.indices {
                s[i] = 1 + factor * s[i]
                y[i] = x[i] * powf(s[i], -beta)
            }
        }}}
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let (planes, radius) = (input.batchSize * channels, (size - 1) / 2)
        let factor = 2 * alpha * beta / Float(size * size)
        var ratio = [Float](repeating: 0, count: input.count), sums = ratio
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeBufferPointer { y in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        scale.withUnsafeBufferPointer { s in
            for i in x.indices { ratio[i] = dy[i] * y[i] / s[i] }
            ratio.withUnsafeBufferPointer { r in
                sums.withUnsafeMutableBufferPointer { t in
                    WithinChannelNormalizationLayer.boxSum(r.baseAddress!, into: t.baseAddress!, planes: planes,
                                                           height: height, width: width, radius: radius)
                }
            }
            for i in x.indices { dx[i] = dy[i] * powf(s[i], -beta) - factor * x[i] * sums[i] }
        }}}}}
    }
}
