import XCTest
import Learning
import Seeding

/// Every layer's backward against finite differences (GradientChecker), including odd sizes, stride > 1 and
/// ceil-mode pooling borders.
final class LayerGradientTests: XCTestCase {
    private func assertGradients(_ spec: LayerSpec, input: Tensor, training: Bool = false, tolerance: Double = 1e-2,
                                 pooling: PoolingRounding = .ceil,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let layer = try buildLayer(spec, itemShape: Array(input.shape.dropFirst()), pooling: pooling)
        let results = GradientChecker.check(layer: layer, input: input, seed: 11, training: training, tolerance: tolerance)
        XCTAssertEqual(results.count, 1 + layer.parameters.filter(\.isTrainable).count, file: file, line: line)
        for result in results {
            XCTAssertGreaterThan(result.checked, 0, file: file, line: line)
            XCTAssertTrue(result.passed, "\(result)", file: file, line: line)
        }
    }

    func testConvolutionGradients() throws {
        try assertGradients(.convolution(outputChannels: 4, kernel: 3, stride: 1, padding: 1),
                            input: randomTensor([2, 3, 5, 5], seed: 1))
        // Odd size, stride 2, no padding; and stride 2 with padding 2 and a kernel wider than the stride.
        try assertGradients(.convolution(outputChannels: 3, kernel: 3, stride: 2, padding: 0),
                            input: randomTensor([2, 2, 7, 6], seed: 2))
        try assertGradients(.convolution(outputChannels: 2, kernel: 5, stride: 2, padding: 2),
                            input: randomTensor([3, 2, 7, 7], seed: 3))
        // Stride 1 with no more filters than input channels: dX as the full convolution of dY, one image per GEMM
        // (plane 36) and several images per GEMM (plane 16, three per worker); and the col2im route grouped.
        try assertGradients(.convolution(outputChannels: 2, kernel: 3, stride: 1, padding: 1),
                            input: randomTensor([2, 3, 6, 6], seed: 41))
        try assertGradients(.convolution(outputChannels: 3, kernel: 3, stride: 1, padding: 1),
                            input: randomTensor([6, 3, 4, 4], seed: 42))
        try assertGradients(.convolution(outputChannels: 4, kernel: 3, stride: 1, padding: 1),
                            input: randomTensor([6, 2, 4, 4], seed: 43))
    }

    /// The Winograd route (5×5, stride 1): dW, db and dX through the transforms' adjoints, at odd sizes (partial
    /// tiles), paddings 0–4, and with more images than one group per worker.
    func testWinogradConvolutionGradients() throws {
        try assertGradients(.convolution(outputChannels: 3, kernel: 5, stride: 1, padding: 2),
                            input: randomTensor([2, 2, 7, 9], seed: 51))
        try assertGradients(.convolution(outputChannels: 2, kernel: 5, stride: 1, padding: 0),
                            input: randomTensor([1, 3, 6, 5], seed: 52))
        try assertGradients(.convolution(outputChannels: 2, kernel: 5, stride: 1, padding: 4),
                            input: randomTensor([2, 1, 3, 4], seed: 53))
        try assertGradients(.convolution(outputChannels: 2, kernel: 5, stride: 1, padding: 1),
                            input: randomTensor([9, 2, 4, 4], seed: 54))
        try assertGradients(.convolution(outputChannels: 2, kernel: 5, stride: 1, padding: 2),
                            input: randomTensor([1, 1, 5, 35], seed: 55))
    }

    /// The Winograd backward against the plain Float64 loops it replaces (not only finite differences): dW, db
    /// and dX to 10⁻⁵ of their largest entry, at the shapes of the forward test — partial tiles, paddings 0–4,
    /// every lane-group shape, several images per group and worker.
    func testWinogradConvolutionBackwardMatchesDirectLoops() throws {
        for (shape, outputs, padding) in [([2, 3, 9, 9], 5, 2), ([3, 4, 7, 11], 6, 2), ([1, 2, 5, 5], 3, 0),
                                           ([2, 1, 6, 8], 2, 1), ([1, 3, 5, 6], 2, 3), ([2, 2, 4, 3], 3, 4),
                                           ([2, 3, 34, 17], 4, 2), ([37, 2, 8, 8], 3, 2), ([2, 32, 16, 16], 32, 2),
                                           ([1, 2, 6, 32], 3, 2), ([1, 1, 5, 36], 2, 2)] {
            let layer = try buildLayer(.convolution(outputChannels: outputs, kernel: 5, stride: 1, padding: padding),
                                       itemShape: Array(shape.dropFirst()))
            let input = randomTensor(shape, seed: 61)
            let output = forward(layer, input, training: true)
            let outputGradient = randomTensor(output.shape, seed: 62)
            var inputGradient = Tensor(shape: [0])
            for parameter in layer.parameters { parameter.gradient = Tensor(shape: parameter.value.shape) }
            layer.backward(input: input, output: output, outputGradient: outputGradient, inputGradient: &inputGradient)
            let reference = Reference.convolutionBackward(input, weight: layer.parameters[0].value,
                                                          outputGradient: outputGradient, outputs: outputs, kernel: 5,
                                                          stride: 1, padding: padding)
            for (name, tensor, values) in [("dW", layer.parameters[0].gradient, reference.weight),
                                           ("db", layer.parameters[1].gradient, reference.bias),
                                           ("dX", inputGradient, reference.input)] {
                let scale = max(values.map(abs).max() ?? 1, 1e-12)
                XCTAssertLessThan(maxDifference(tensor, values) / scale, 1e-5, "\(name) for \(shape) pad \(padding)")
            }
        }
    }

    func testMaxPoolGradientsOnRowsWideEnoughForEightLanes() throws {
        // At least 8 windows inside the image per row: the 8-lane path (stride 2, stride 1, any other stride),
        // with border windows beside it.
        try assertGradients(.maxPool(kernel: 3, stride: 2), input: spacedTensor([1, 2, 21, 20], seed: 44))
        try assertGradients(.maxPool(kernel: 3, stride: 1, padding: 1), input: spacedTensor([1, 1, 12, 11], seed: 45))
        try assertGradients(.maxPool(kernel: 2, stride: 3), input: spacedTensor([1, 1, 26, 26], seed: 46))
    }

    func testMaxPoolTiesGoToTheFirstElementOfTheWindow() throws {
        // All inputs equal: every window's winner is its top-left element (Caffe's first maximum), so each of the
        // 10×10 outputs sends its gradient to input (2·oy, 2·ox) and nothing else receives any.
        let layer = try buildLayer(.maxPool(kernel: 3, stride: 2), itemShape: [1, 20, 20])
        let input = Tensor(shape: [1, 1, 20, 20], repeating: 1)
        let output = forward(layer, input)
        XCTAssertEqual(output.shape, [1, 1, 10, 10])
        var inputGradient = Tensor(shape: [0])
        layer.backward(input: input, output: output, outputGradient: Tensor(shape: [1, 1, 10, 10], repeating: 1),
                       inputGradient: &inputGradient)
        for y in 0..<20 { for x in 0..<20 {
            let expected: Float = (y % 2 == 0 && x % 2 == 0) ? 1 : 0
            XCTAssertEqual(inputGradient[y * 20 + x], expected, "input (\(y), \(x))")
        }}
    }

    func testMaxPoolGradientsIncludingCeilModeBorders() throws {
        // 7×7 with kernel 3 stride 2: ceil mode gives 3×3 windows whose last row/column is clipped.
        try assertGradients(.maxPool(kernel: 3, stride: 2), input: spacedTensor([2, 2, 7, 7], seed: 4))
        // 6×6 with kernel 3 stride 2: ceil((6−3)/2)+1 = 3, the last window hangs one pixel over.
        try assertGradients(.maxPool(kernel: 3, stride: 2), input: spacedTensor([2, 3, 6, 6], seed: 5))
        try assertGradients(.maxPool(kernel: 3, stride: 2, padding: 1), input: spacedTensor([1, 2, 5, 8], seed: 6))
        try assertGradients(.maxPool(kernel: 2, stride: 2), input: spacedTensor([2, 1, 5, 5], seed: 7))
    }

    func testAveragePoolGradientsIncludingCeilModeBorders() throws {
        try assertGradients(.averagePool(kernel: 3, stride: 2), input: randomTensor([2, 2, 7, 7], seed: 8))
        try assertGradients(.averagePool(kernel: 3, stride: 2), input: randomTensor([2, 2, 6, 6], seed: 9))
        try assertGradients(.averagePool(kernel: 3, stride: 2, padding: 1), input: randomTensor([1, 3, 5, 8], seed: 10))
        try assertGradients(.averagePool(kernel: 3, stride: 3, padding: 1), input: randomTensor([2, 1, 7, 7], seed: 11))
    }

    func testFloorModePoolingGradients() throws {
        // An 8×8 input pooled 3/2 in floor mode gives 3×3 windows over rows and columns 0…6; 21×20 gives 10×9,
        // dropping the last column. The dropped inputs' gradients are checked exactly below.
        try assertGradients(.maxPool(kernel: 3, stride: 2), input: spacedTensor([2, 2, 8, 8], seed: 12), pooling: .floor)
        try assertGradients(.maxPool(kernel: 3, stride: 2), input: spacedTensor([1, 1, 21, 20], seed: 13), pooling: .floor)
        try assertGradients(.averagePool(kernel: 3, stride: 2), input: randomTensor([2, 2, 8, 8], seed: 14), pooling: .floor)
        try assertGradients(.averagePool(kernel: 3, stride: 2, padding: 1), input: randomTensor([1, 3, 6, 7], seed: 15),
                            pooling: .floor)
    }

    /// The inputs no floor-mode window covers (row and column 7 of an 8×8 input under 3/2 pooling) get a gradient
    /// of exactly 0; every other input is in a window of the average and gets one.
    func testFloorModePoolingLeavesUncoveredInputsWithoutGradient() throws {
        for spec in [LayerSpec.averagePool(kernel: 3, stride: 2), .maxPool(kernel: 3, stride: 2)] {
            let layer = try buildLayer(spec, itemShape: [1, 8, 8], pooling: .floor)
            let input = spacedTensor([1, 1, 8, 8], seed: 16)
            let output = forward(layer, input)
            XCTAssertEqual(output.shape, [1, 1, 3, 3])
            var inputGradient = Tensor(shape: [1, 1, 8, 8], repeating: 7)   // stale values must be overwritten
            layer.backward(input: input, output: output, outputGradient: Tensor(shape: [1, 1, 3, 3], repeating: 1),
                           inputGradient: &inputGradient)
            for y in 0..<8 { for x in 0..<8 {
                let gradient = inputGradient[y * 8 + x]
                if y == 7 || x == 7 {
                    XCTAssertEqual(gradient, 0, "\(spec): input (\(y), \(x))")
                } else if case .averagePool = spec {
                    XCTAssertGreaterThan(gradient, 0, "\(spec): input (\(y), \(x))")
                }
            }}
            XCTAssertEqual(inputGradient.storage.reduce(0, +), 9, accuracy: 1e-5, "\(spec): the 9 outputs' gradient")
        }
    }

    func testActivationGradients() throws {
        try assertGradients(.relu, input: spacedTensor([2, 3, 3, 3], seed: 12))
        try assertGradients(.sigmoid, input: randomTensor([2, 3, 3, 3], seed: 13, scale: 3))
        try assertGradients(.tanh, input: randomTensor([3, 7], seed: 14, scale: 2))
    }

    func testLinearGradients() throws {
        try assertGradients(.linear(outputs: 5), input: randomTensor([3, 7], seed: 15))
        try assertGradients(.linear(outputs: 4), input: randomTensor([2, 2, 3, 3], seed: 16))
    }

    func testDropoutGradientsAtInferenceAndWithRateZero() throws {
        try assertGradients(.dropout(rate: 0.5), input: randomTensor([2, 9], seed: 17), training: false)
        try assertGradients(.dropout(rate: 0), input: randomTensor([2, 9], seed: 18), training: true)
    }

    func testLocalResponseNormalizationGradients() throws {
        // Strong α so that the normalisation term matters; odd and even window sizes, window wider than channels.
        try assertGradients(.localResponseNormalization(size: 3, alpha: 0.8, beta: 0.75, k: 1),
                            input: randomTensor([2, 5, 3, 3], seed: 19, scale: 2))
        try assertGradients(.localResponseNormalization(size: 4, alpha: 0.5, beta: 0.75, k: 2),
                            input: randomTensor([1, 6, 2, 3], seed: 20, scale: 2))
        try assertGradients(.localResponseNormalization(size: 5, alpha: 1, beta: 0.5, k: 1),
                            input: randomTensor([2, 3, 2, 2], seed: 21, scale: 2))
    }

    func testWithinChannelNormalizationGradients() throws {
        try assertGradients(.localResponseNormalizationWithinChannel(size: 3, alpha: 2, beta: 0.75),
                            input: randomTensor([2, 2, 5, 4], seed: 27, scale: 1.5))
        try assertGradients(.localResponseNormalizationWithinChannel(size: 5, alpha: 3, beta: 0.6),
                            input: randomTensor([1, 2, 3, 6], seed: 28, scale: 1.5))
    }

    func testBatchNormalizationGradientsInBothModes() throws {
        try assertGradients(.batchNormalization(), input: randomTensor([4, 3, 3, 3], seed: 22), training: true)
        try assertGradients(.batchNormalization(), input: randomTensor([5, 6], seed: 23), training: true)
        try assertGradients(.batchNormalization(), input: randomTensor([4, 3, 2, 2], seed: 24), training: false)
    }

    func testSoftmaxCrossEntropyGradient() {
        let outputs = randomTensor([5, 4], seed: 25, scale: 3)
        let result = GradientChecker.check(loss: SoftmaxCrossEntropy(), outputs: outputs, labels: [0, 3, 1, 2, 3])
        XCTAssertTrue(result.passed, "\(result)")
        XCTAssertLessThan(result.worstError, 1e-2)
    }

    /// The checker must catch a wrong gradient, or every check above proves nothing.
    func testCheckerRejectsAWrongGradient() {
        let point = randomTensor([6], seed: 26)
        var wrong = Tensor(shape: [6])
        for i in 0..<6 { wrong[i] = 2 * point[i] }   // d/dx Σx² = 2x …
        wrong[3] += 0.1                               // … except one element
        let result = GradientChecker.check(point: point, analytic: wrong) { x in
            x.storage.reduce(0.0) { $0 + Double($1) * Double($1) }
        }
        XCTAssertEqual(result.failures, 1)
        XCTAssertEqual(result.worstIndex, 3)
    }
}
