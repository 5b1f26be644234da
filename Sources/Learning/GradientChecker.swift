import Seeding

/// The one finite-difference gradient checker that every layer and loss test calls (Caffe's
/// `GradientChecker` in spirit). For a scalar function f of a Float32 tensor x and an analytic gradient g it
/// compares each g_i with the central difference
///
///     (f(x + h·e_i) − f(x − h·e_i)) / (x_i⁺ − x_i⁻)
///
/// where x_i± are the perturbed values as actually stored in Float32 (their difference is taken exactly in
/// Float64, so the rounding of x_i ± h does not bias the quotient) and f is accumulated in Float64.
/// The truncation error is O(h²); the Float32 rounding of f's inputs is the usual limit, hence the relative
/// tolerance of about 1e-2 by default (scaled as Caffe does by max(|analytic|, |numeric|, `floor`)).
public enum GradientChecker {
    /// The outcome of a check.
    public struct Result: Sendable, CustomStringConvertible {
        public var checked: Int
        public var failures: Int
        /// The largest |analytic − numeric| / max(|analytic|, |numeric|, floor) seen, and where.
        public var worstError: Double
        public var worstIndex: Int
        public var worstAnalytic: Double
        public var worstNumeric: Double
        public var label: String
        public var passed: Bool { failures == 0 }
        public var description: String {
            "\(label): \(checked) checked, \(failures) failed, worst relative error \(worstError) at \(worstIndex) "
                + "(analytic \(worstAnalytic), numeric \(worstNumeric))"
        }
    }

    /// Checks `analytic` against central differences of `value` around `point`.
    public static func check(point: Tensor, analytic: Tensor, step: Float = 1e-3, tolerance: Double = 1e-2,
                             floor: Double = 1, label: String = "gradient",
                             value: (Tensor) -> Double) -> Result {
        precondition(point.shape == analytic.shape, "gradient shape \(analytic.shape) is not the point's \(point.shape)")
        var result = Result(checked: 0, failures: 0, worstError: 0, worstIndex: -1, worstAnalytic: 0, worstNumeric: 0,
                            label: label)
        var probe = point
        for index in 0..<point.count {
            let original = point.storage[index]
            let plus = original + step, minus = original - step
            probe.storage[index] = plus
            let high = value(probe)
            probe.storage[index] = minus
            let low = value(probe)
            probe.storage[index] = original
            let numeric = (high - low) / (Double(plus) - Double(minus))
            let exact = Double(analytic.storage[index])
            let scale = max(abs(exact), abs(numeric), floor)
            let error = abs(exact - numeric) / scale
            result.checked += 1
            if error > tolerance { result.failures += 1 }
            if error > result.worstError || result.worstIndex < 0 {
                result.worstError = error
                result.worstIndex = index
                result.worstAnalytic = exact
                result.worstNumeric = numeric
            }
        }
        return result
    }

    /// Checks a layer's input gradient and every trainable parameter gradient, using the scalar objective
    /// `L = Σ r_i·y_i + penalty` with fixed random weights r (so dL/dy = r is a dense, generic output gradient) and
    /// the term the layer itself adds to the objective (`Layer.penalty`, 0 for almost every layer).
    /// `training` selects the mode the layer runs in (dropout masks are redrawn, so check dropout at inference
    /// or with rate 0; batch norm in both).
    public static func check(layer: Layer, input: Tensor, seed: UInt64 = 1, training: Bool = false,
                             step: Float = 1e-3, tolerance: Double = 1e-2) -> [Result] {
        var generator = SeededGenerator(seed: seed)
        var output = Tensor(shape: [0])
        // Snapshot stored (non-trainable) state such as running statistics, restored before every evaluation.
        let stored = layer.parameters.map(\.value)
        func restore() { for (parameter, value) in zip(layer.parameters, stored) { parameter.value = value } }
        layer.forward(input: input, output: &output, training: training)
        let weights = Tensor(shape: output.shape,
                             values: (0..<output.count).map { _ in Float(generator.nextUnitDouble() * 2 - 1) })
        func objective(_ x: Tensor) -> Double {
            restore()
            var y = Tensor(shape: [0])
            layer.forward(input: x, output: &y, training: training)
            var sum: Double = 0
            for i in 0..<y.count { sum += Double(y.storage[i]) * Double(weights.storage[i]) }
            return sum + layer.penalty
        }
        restore()
        layer.forward(input: input, output: &output, training: training)
        for parameter in layer.parameters { parameter.gradient.fill(0) }
        var inputGradient = Tensor(shape: input.shape)
        let wanted = layer.computesInputGradient
        layer.computesInputGradient = true
        layer.backward(input: input, output: output, outputGradient: weights, inputGradient: &inputGradient)
        layer.computesInputGradient = wanted
        var results = [check(point: input, analytic: inputGradient, step: step, tolerance: tolerance,
                             label: "\(layer.spec) input", value: objective)]
        for parameter in layer.parameters where parameter.isTrainable {
            let analytic = parameter.gradient
            let original = parameter.value
            results.append(check(point: original, analytic: analytic, step: step, tolerance: tolerance,
                                 label: "\(layer.spec) \(parameter.name)") { candidate in
                restore()
                parameter.value = candidate
                var y = Tensor(shape: [0])
                layer.forward(input: input, output: &y, training: training)
                var sum: Double = 0
                for i in 0..<y.count { sum += Double(y.storage[i]) * Double(weights.storage[i]) }
                return sum + layer.penalty
            })
            parameter.value = original
        }
        restore()
        return results
    }

    /// Checks a loss's gradient with respect to the network outputs.
    public static func check(loss: Loss, outputs: Tensor, labels: [Int32], step: Float = 1e-3,
                             tolerance: Double = 1e-2, floor: Double = 1e-3) -> Result {
        var gradient = Tensor(shape: outputs.shape)
        _ = loss.evaluate(outputs: outputs, labels: labels, gradient: &gradient)
        var scratch = Tensor(shape: outputs.shape)
        return check(point: outputs, analytic: gradient, step: step, tolerance: tolerance, floor: floor,
                     label: "\(loss.name) loss") { candidate in
            loss.evaluate(outputs: candidate, labels: labels, gradient: &scratch)
        }
    }
}
