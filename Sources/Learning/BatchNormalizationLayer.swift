/// Batch normalisation (Ioffe & Szegedy 2015) per channel c, over the m = N·H·W values of that channel:
///
///     μ = mean, σ² = biased variance, x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β
///
/// Training uses the batch's μ, σ² and updates `running ← momentum·running + (1 − momentum)·batch` (with the
/// unbiased variance m/(m−1)·σ² for the running one, as PyTorch). Inference uses the running statistics, so the
/// layer is then a fixed affine map. Backward (training): with g = dy·γ,
/// `dx = (1/√(σ²+ε)) · (g − mean(g) − x̂·mean(g·x̂))`, dγ += Σ dy·x̂, dβ += Σ dy.
final class BatchNormalizationLayer: Layer {
    let spec: LayerSpec
    let channels: Int, plane: Int
    let momentum: Float, epsilon: Float
    let scale: Parameter, shift: Parameter, runningMean: Parameter, runningVariance: Parameter
    var parameters: [Parameter] { [scale, shift, runningMean, runningVariance] }
    var computesInputGradient = true
    private var normalized: [Float] = []
    private var inverseDeviation: [Float]
    private var lastForwardWasTraining = true

    init(spec: LayerSpec, channels: Int, plane: Int, momentum: Float, epsilon: Float, index: Int) {
        self.spec = spec
        self.channels = channels
        self.plane = plane
        self.momentum = momentum
        self.epsilon = epsilon
        scale = Parameter(name: "\(index)/scale", value: Tensor(shape: [channels], repeating: 1), isDecayed: false)
        shift = Parameter(name: "\(index)/shift", value: Tensor(shape: [channels]), isDecayed: false)
        runningMean = Parameter(name: "\(index)/running-mean", value: Tensor(shape: [channels]), isTrainable: false)
        runningVariance = Parameter(name: "\(index)/running-variance", value: Tensor(shape: [channels], repeating: 1),
                                    isTrainable: false)
        inverseDeviation = [Float](repeating: 1, count: channels)
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2, inputShape[1] == channels, inputShape.dropFirst(2).reduce(1, *) == plane else {
            throw LayerError("batch-norm expects N×\(channels)×… with \(plane) values per channel, got \(inputShape)")
        }
        return inputShape
    }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        output.reshape(to: input.shape)
        if normalized.count != input.count { normalized = [Float](repeating: 0, count: input.count) }
        let batch = input.batchSize, m = batch * plane
        lastForwardWasTraining = training
        for c in 0..<channels {
            var mean: Double = 0, variance: Double = 0
            if training {
                for n in 0..<batch {
                    let offset = (n * channels + c) * plane
                    for p in 0..<plane { mean += Double(input.storage[offset + p]) }
                }
                mean /= Double(m)
                for n in 0..<batch {
                    let offset = (n * channels + c) * plane
                    for p in 0..<plane { let d = Double(input.storage[offset + p]) - mean; variance += d * d }
                }
                variance /= Double(m)
                runningMean.value.storage[c] = momentum * runningMean.value.storage[c] + (1 - momentum) * Float(mean)
                let unbiased = m > 1 ? variance * Double(m) / Double(m - 1) : variance
                runningVariance.value.storage[c] = momentum * runningVariance.value.storage[c]
                    + (1 - momentum) * Float(unbiased)
            } else {
                mean = Double(runningMean.value.storage[c])
                variance = Double(runningVariance.value.storage[c])
            }
            let inverse = Float(1 / (variance + Double(epsilon)).squareRoot())
            inverseDeviation[c] = inverse
            let mu = Float(mean), gamma = scale.value.storage[c], beta = shift.value.storage[c]
            for n in 0..<batch {
                let offset = (n * channels + c) * plane
                for p in 0..<plane {
                    let xhat = (input.storage[offset + p] - mu) * inverse
                    normalized[offset + p] = xhat
                    output.storage[offset + p] = gamma * xhat + beta
                }
            }
        }
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        inputGradient.reshape(to: input.shape)
        let batch = input.batchSize, m = Float(batch * plane)
        for c in 0..<channels {
            var sumGradient: Float = 0, sumGradientTimesNormalized: Float = 0
            for n in 0..<batch {
                let offset = (n * channels + c) * plane
                for p in 0..<plane {
                    let dy = outputGradient.storage[offset + p]
                    sumGradient += dy
                    sumGradientTimesNormalized += dy * normalized[offset + p]
                }
            }
            scale.gradient.storage[c] += sumGradientTimesNormalized
            shift.gradient.storage[c] += sumGradient
            let gamma = scale.value.storage[c], inverse = inverseDeviation[c]
            let meanGradient = gamma * sumGradient / m, meanGradientTimesNormalized = gamma * sumGradientTimesNormalized / m
            for n in 0..<batch {
                let offset = (n * channels + c) * plane
                for p in 0..<plane {
                    let g = gamma * outputGradient.storage[offset + p]
                    inputGradient.storage[offset + p] = lastForwardWasTraining
                        ? inverse * (g - meanGradient - normalized[offset + p] * meanGradientTimesNormalized)
                        : inverse * g
                }
            }
        }
    }
}
