import Foundation

/// Caffe's LRN, ACROSS_CHANNELS: with `pre = (size − 1)/2`,
///
///     scale[c] = k + α/size · Σ_{j = c−pre … c−pre+size−1} x[j]²      (channels outside 0..<C count as 0)
///     y[c]     = x[c] · scale[c]^(−β)
///
/// and the exact gradient
///
///     dx[c] = dy[c]·scale[c]^(−β) − (2αβ/size) · x[c] · Σ_{c′ whose window holds c} dy[c′]·y[c′] / scale[c′].
final class LocalResponseNormalizationLayer: Layer {
    let spec: LayerSpec
    let channels: Int, plane: Int, size: Int
    let alpha: Float, beta: Float, k: Float
    var parameters: [Parameter] { [] }
    var computesInputGradient = true
    private var scale: [Float] = []

    init(spec: LayerSpec, channels: Int, plane: Int, size: Int, alpha: Float, beta: Float, k: Float) {
        self.spec = spec
        self.channels = channels
        self.plane = plane
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == channels, inputShape[2] * inputShape[3] == plane else {
            throw LayerError("LRN expects N×\(channels)×H×W with H·W = \(plane), got \(inputShape)")
        }
        return inputShape
    }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        if scale.count != input.count { scale = [Float](repeating: 0, count: input.count) }
        let (channels, plane, size, alpha, beta, k) = (channels, plane, size, alpha, beta, k)
        let pre = (size - 1) / 2
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
        scale.withUnsafeMutableBufferPointer { s in
            let (x, y, s) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!), SharedPointer(s.baseAddress!))
            Kernels.parallelRanges(input.batchSize) { _, range in
                for n in range {
                    let base = n * channels * plane
                    for c in 0..<channels {
                        let target = s.base + base + c * plane
                        for p in 0..<plane { target[p] = 0 }
                        for j in max(0, c - pre)..<min(channels, c - pre + size) {
                            let source = x.base + base + j * plane
                            for p in 0..<plane { target[p] += source[p] * source[p] }
                        }
                        let values = x.base + base + c * plane, out = y.base + base + c * plane
                        for p in 0..<plane {
                            target[p] = k + alpha / Float(size) * target[p]
                            out[p] = values[p] * powf(target[p], -beta)
                        }
                    }
                }
            }
        }}}
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let (channels, plane, size, alpha, beta) = (channels, plane, size, alpha, beta)
        let pre = (size - 1) / 2
        let factor = 2 * alpha * beta / Float(size)
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeBufferPointer { y in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        scale.withUnsafeBufferPointer { s in
            let (x, y, dy, dx, s) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!),
                                     SharedPointer(dy.baseAddress!), SharedPointer(dx.baseAddress!),
                                     SharedPointer(s.baseAddress!))
            Kernels.parallelRanges(input.batchSize) { _, range in
                for n in range {
                    let base = n * channels * plane
                    for c in 0..<channels {
                        let offset = base + c * plane
                        for p in 0..<plane { dx.base[offset + p] = dy.base[offset + p] * powf(s.base[offset + p], -beta) }
                        // Channels c′ whose window [c′ − pre, c′ − pre + size) contains c.
                        for j in max(0, c - size + 1 + pre)..<min(channels, c + pre + 1) {
                            let other = base + j * plane
                            for p in 0..<plane {
                                dx.base[offset + p] -= factor * x.base[offset + p] * dy.base[other + p]
                                    * y.base[other + p] / s.base[other + p]
                            }
                        }
                    }
                }
            }
        }}}}}
    }
}
