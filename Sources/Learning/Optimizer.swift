import Foundation

/// Which optimiser, with its hyperparameters, as data (printed by the shell, stored in checkpoints).
public enum OptimizerSpec: Sendable, Equatable, Codable, CustomStringConvertible {
    /// SGD with momentum μ and L2 weight decay λ (Caffe's rule): v ← μ·v + lr·(g + λ·w); w ← w − v.
    case sgd(momentum: Float = 0.9, weightDecay: Float = 0)
    /// Adam (Kingma & Ba 2015) with bias correction; weight decay λ adds λ·w to the gradient (L2, not AdamW):
    /// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − lr·m̂/(√v̂ + ε), m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
    case adam(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0)

    public var description: String {
        switch self {
        case let .sgd(momentum, decay): return "sgd momentum \(momentum) weight-decay \(decay)"
        case let .adam(beta1, beta2, epsilon, decay):
            return "adam beta1 \(beta1) beta2 \(beta2) eps \(epsilon) weight-decay \(decay)"
        }
    }
}

/// The learning rate as a function of training progress (in epochs, fractional within an epoch).
public enum LearningRateSchedule: Sendable, Equatable, Codable, CustomStringConvertible {
    case constant(Float)
    /// `base · factor^⌊epoch / every⌋`.
    case step(base: Float, factor: Float, every: Int)
    /// Cosine annealing from `base` to `minimum` over `epochs`: `min + (base − min)·(1 + cos(π·t/epochs))/2`.
    case cosine(base: Float, minimum: Float, epochs: Int)

    public func rate(atEpoch epoch: Double) -> Float {
        switch self {
        case let .constant(rate): return rate
        case let .step(base, factor, every):
            return base * powf(factor, Float(Int(epoch) / max(every, 1)))
        case let .cosine(base, minimum, epochs):
            let t = min(max(epoch / Double(max(epochs, 1)), 0), 1)
            return minimum + (base - minimum) * Float((1 + cos(Double.pi * t)) / 2)
        }
    }

    public var description: String {
        switch self {
        case let .constant(rate): return "constant \(rate)"
        case let .step(base, factor, every): return "step \(base) ×\(factor) every \(every) epochs"
        case let .cosine(base, minimum, epochs): return "cosine \(base)→\(minimum) over \(epochs) epochs"
        }
    }
}

/// Applies an `OptimizerSpec` to a network's trainable parameters, keeping its per-parameter state
/// (momentum / Adam moments) and step count.
public final class Optimizer: @unchecked Sendable {
    public let spec: OptimizerSpec
    let parameters: [Parameter]
    /// Momentum buffer (SGD) or first moment (Adam), per trainable parameter.
    var first: [Tensor]
    /// Second moment (Adam only).
    var second: [Tensor]
    public private(set) var steps: Int = 0

    public init(spec: OptimizerSpec, network: Network) {
        self.spec = spec
        parameters = network.parameters.filter(\.isTrainable)
        first = parameters.map { Tensor(shape: $0.value.shape) }
        if case .adam = spec { second = parameters.map { Tensor(shape: $0.value.shape) } } else { second = [] }
    }

    /// One update of every trainable parameter from its accumulated gradient (gradients are left as they are).
    public func step(learningRate: Float) {
        steps += 1
        for (index, parameter) in parameters.enumerated() {
            let decay: Float
            switch spec {
            case let .sgd(_, weightDecay): decay = parameter.isDecayed ? weightDecay : 0
            case let .adam(_, _, _, weightDecay): decay = parameter.isDecayed ? weightDecay : 0
            }
            let count = parameter.value.count
            parameter.value.storage.withUnsafeMutableBufferPointer { w in
            parameter.gradient.storage.withUnsafeBufferPointer { g in
            first[index].storage.withUnsafeMutableBufferPointer { m in
                switch spec {
                case let .sgd(momentum, _):
                    for i in 0..<count {
                        m[i] = momentum * m[i] + learningRate * (g[i] + decay * w[i])
                        w[i] -= m[i]
                    }
                case let .adam(beta1, beta2, epsilon, _):
                    let correction1 = 1 - powf(beta1, Float(steps)), correction2 = 1 - powf(beta2, Float(steps))
                    let stepSize = learningRate / correction1, rootCorrection2 = correction2.squareRoot()
                    second[index].storage.withUnsafeMutableBufferPointer { v in
                        // 8 lanes at a time (blocks of 8 split over the cores: every element is independent),
                        // then the rest one by one: the same operations in the same order per element (no fused
                        // multiply-adds), so both give identical bits.
                        let (w, g, m, v) = (SharedPointer(w.baseAddress!), SharedPointer(g.baseAddress!),
                                            SharedPointer(m.baseAddress!), SharedPointer(v.baseAddress!))
                        typealias Lanes = SIMD8<Float>
                        let vectorEnd = count - count % 8
                        let update = { @Sendable (blocks: Range<Int>) in
                            for block in blocks {
                                let i = block * 8
                                let gradient = Lanes.load(g.base + i) + decay * Lanes.load(w.base + i)
                                let newM = beta1 * Lanes.load(m.base + i) + (1 - beta1) * gradient
                                let newV = beta2 * Lanes.load(v.base + i) + (1 - beta2) * gradient * gradient
                                newM.store(to: m.base + i)
                                newV.store(to: v.base + i)
                                (Lanes.load(w.base + i) - stepSize * newM / (newV.squareRoot() / rootCorrection2 + epsilon))
                                    .store(to: w.base + i)
                            }
                        }
                        if count >= 1 << 14 {
                            Kernels.parallelRanges(vectorEnd / 8) { _, blocks in update(blocks) }
                        } else {
                            update(0..<vectorEnd / 8)
                        }
                        let (wTail, gTail, mTail, vTail) = (w.base, g.base, m.base, v.base)
                        for i in vectorEnd..<count {
                            let gradient = gTail[i] + decay * wTail[i]
                            mTail[i] = beta1 * mTail[i] + (1 - beta1) * gradient
                            vTail[i] = beta2 * vTail[i] + (1 - beta2) * gradient * gradient
                            wTail[i] -= stepSize * mTail[i] / (vTail[i].squareRoot() / rootCorrection2 + epsilon)
                        }
                    }
                }
            }}}
        }
    }

    /// The optimiser's state as named tensors (for checkpoints): "optimizer/first/<param>", "optimizer/second/…".
    public var state: [(name: String, tensor: Tensor)] {
        zip(parameters, first).map { ("optimizer/first/\($0.name)", $1) }
            + zip(parameters, second).map { ("optimizer/second/\($0.name)", $1) }
    }

    /// Restores state saved by `state` plus the step count; tensors that do not match are an error.
    public func restore(state tensors: [String: Tensor], steps: Int) throws {
        for (index, parameter) in parameters.enumerated() {
            guard let saved = tensors["optimizer/first/\(parameter.name)"], saved.shape == parameter.value.shape else {
                throw CheckpointError.mismatch("optimizer state for \(parameter.name) is missing or misshaped")
            }
            first[index] = saved
            if !second.isEmpty {
                guard let savedSecond = tensors["optimizer/second/\(parameter.name)"],
                      savedSecond.shape == parameter.value.shape else {
                    throw CheckpointError.mismatch("optimizer state for \(parameter.name) is missing or misshaped")
                }
                second[index] = savedSecond
            }
        }
        self.steps = steps
    }
}

extension SIMD8 where Scalar == Float {
    /// Eight numbers from `pointer` (no alignment needed).
    @inline(__always) static func load(_ pointer: UnsafePointer<Float>) -> Self {
        UnsafeRawPointer(pointer).loadUnaligned(as: Self.self)
    }
    @inline(__always) static func load(_ pointer: UnsafeMutablePointer<Float>) -> Self {
        UnsafeRawPointer(pointer).loadUnaligned(as: Self.self)
    }
    /// Writes the eight numbers to `pointer` (no alignment needed).
    @inline(__always) func store(to pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: self, as: Self.self)
    }
}
