import XCTest
import Learning
import Seeding

/// Forward results against independent Float64 loops written in the test (TestSupport.Reference).
final class LayerForwardTests: XCTestCase {
    func testConvolutionMatchesDirectLoops() throws {
        for (shape, outputs, kernel, stride, padding) in [([2, 3, 9, 9], 5, 5, 1, 2), ([3, 2, 7, 8], 4, 3, 2, 1),
                                                           ([1, 4, 6, 5], 3, 2, 3, 0), ([70, 2, 5, 5], 3, 3, 1, 1)] {
            let layer = try buildLayer(.convolution(outputChannels: outputs, kernel: kernel, stride: stride, padding: padding),
                                       itemShape: Array(shape.dropFirst()))
            let bias = layer.parameters[1]
            for i in 0..<bias.value.count { bias.value[i] = Float(i) * 0.1 - 0.2 }
            let input = randomTensor(shape, seed: 31)
            let output = forward(layer, input)
            let reference = Reference.convolution(input, weight: layer.parameters[0].value, bias: bias.value,
                                                  outputs: outputs, kernel: kernel, stride: stride, padding: padding)
            XCTAssertEqual(output.shape, reference.shape)
            XCTAssertLessThan(maxDifference(output, reference.values), 1e-5, "conv \(shape) k\(kernel) s\(stride) p\(padding)")
        }
    }

    /// 5×5 filters with stride 1 take Winograd's F(4×4, 5×5): against the direct Float64 sum at odd sizes (partial
    /// tiles at the right and bottom edges), every padding a tile allows (0…4), a 1×1 output, lane groups over
    /// 8, 4, 2 and 1 tile rows (1, 2, 4 and 8 tiles per row: 4, 8, 16, 32 columns), rows of 9 tiles (a full and a
    /// partial group), several images per group and per worker, and one channel.
    func testWinogradConvolutionMatchesDirectLoops() throws {
        for (shape, outputs, padding) in [([2, 3, 9, 9], 5, 2), ([3, 4, 7, 11], 6, 2), ([1, 2, 5, 5], 3, 0),
                                           ([2, 1, 6, 8], 2, 1), ([1, 3, 5, 6], 2, 3), ([2, 2, 4, 3], 3, 4),
                                           ([2, 3, 34, 17], 4, 2), ([37, 2, 8, 8], 3, 2), ([1, 32, 16, 16], 32, 2),
                                           ([1, 2, 6, 32], 3, 2), ([2, 2, 8, 32], 3, 2), ([1, 1, 5, 36], 2, 2)] {
            let layer = try buildLayer(.convolution(outputChannels: outputs, kernel: 5, stride: 1, padding: padding),
                                       itemShape: Array(shape.dropFirst()))
            let bias = layer.parameters[1]
            for i in 0..<bias.value.count { bias.value[i] = Float(i) * 0.1 - 0.2 }
            let input = randomTensor(shape, seed: 33)
            let output = forward(layer, input)
            let reference = Reference.convolution(input, weight: layer.parameters[0].value, bias: bias.value,
                                                  outputs: outputs, kernel: 5, stride: 1, padding: padding)
            XCTAssertEqual(output.shape, reference.shape)
            let scale = reference.values.map(abs).max() ?? 1
            XCTAssertLessThan(maxDifference(output, reference.values) / scale, 1e-5, "conv \(shape) pad \(padding)")
        }
    }

    func testPoolingMatchesCaffeDefinition() throws {
        for (shape, kernel, stride, padding) in [([2, 2, 7, 7], 3, 2, 0), ([1, 3, 6, 6], 3, 2, 0), ([2, 1, 32, 32], 3, 2, 0),
                                                ([1, 2, 5, 8], 3, 2, 1), ([1, 2, 7, 7], 3, 3, 1), ([1, 1, 6, 9], 2, 2, 1)] {
            for isMax in [true, false] {
                let spec: LayerSpec = isMax ? .maxPool(kernel: kernel, stride: stride, padding: padding)
                                            : .averagePool(kernel: kernel, stride: stride, padding: padding)
                let layer = try buildLayer(spec, itemShape: Array(shape.dropFirst()))
                let input = randomTensor(shape, seed: 32)
                let output = forward(layer, input)
                let reference = Reference.pool(input, kernel: kernel, stride: stride, padding: padding, max: isMax)
                XCTAssertEqual(output.shape, reference.shape, "\(spec) on \(shape)")
                if output.shape == reference.shape {
                    XCTAssertLessThan(maxDifference(output, reference.values), 1e-6, "\(spec) on \(shape)")
                }
            }
        }
        // Known values: 32 → 16 → 8 → 4 in dsh-cifar; a 7-wide input with kernel 3 stride 2 gives 3.
        XCTAssertEqual(Reference.pooledSize(32, kernel: 3, stride: 2, padding: 0), 16)
        XCTAssertEqual(Reference.pooledSize(7, kernel: 3, stride: 2, padding: 0), 3)
        XCTAssertEqual(Reference.pooledSize(6, kernel: 3, stride: 2, padding: 0), 3)
    }

    func testFloorModePoolingMatchesPyTorchDefinition() throws {
        for (shape, kernel, stride, padding) in [([2, 2, 7, 7], 3, 2, 0), ([1, 3, 6, 6], 3, 2, 0), ([2, 1, 32, 32], 3, 2, 0),
                                                ([1, 2, 5, 8], 3, 2, 1), ([1, 2, 7, 7], 3, 3, 1), ([1, 1, 6, 9], 2, 2, 1),
                                                ([1, 2, 15, 15], 3, 2, 0), ([1, 1, 21, 20], 3, 2, 0)] {
            for isMax in [true, false] {
                let spec: LayerSpec = isMax ? .maxPool(kernel: kernel, stride: stride, padding: padding)
                                            : .averagePool(kernel: kernel, stride: stride, padding: padding)
                let layer = try buildLayer(spec, itemShape: Array(shape.dropFirst()), pooling: .floor)
                let input = randomTensor(shape, seed: 33)
                let output = forward(layer, input)
                let reference = Reference.pool(input, kernel: kernel, stride: stride, padding: padding, max: isMax,
                                               floor: true)
                XCTAssertEqual(output.shape, reference.shape, "\(spec) on \(shape)")
                if output.shape == reference.shape {
                    XCTAssertLessThan(maxDifference(output, reference.values), 1e-6, "\(spec) on \(shape)")
                }
            }
        }
        // Known values, as torch.nn.MaxPool2d(3, 2) gives them: 32 → 15 → 7 → 3 in dsh-torch, where ceil mode
        // gives 16, 8, 4; 8 → 3 (ceil 4); with padding 1, 5 → 3 either way.
        for (size, padding, expected) in [(32, 0, 15), (15, 0, 7), (7, 0, 3), (8, 0, 3), (5, 1, 3)] {
            XCTAssertEqual(Kernels.pooledExtent(size, kernel: 3, stride: 2, padding: padding, rounding: .floor), expected)
            XCTAssertEqual(Reference.pooledSize(size, kernel: 3, stride: 2, padding: padding, floor: true), expected)
        }
        XCTAssertEqual(Kernels.pooledExtent(8, kernel: 3, stride: 2, padding: 0), 4)
    }

    func testFloorModeAveragePoolDividesByTheWholeWindowByHand() throws {
        // 1×1×4×4 holding 0…15, kernel 3 stride 2: floor mode keeps only the top-left window (rows and columns
        // 0…2), whose nine values 0,1,2, 4,5,6, 8,9,10 sum to 45: mean 5. With padding 1 (PyTorch's
        // count_include_pad) the 2×2 output's top-left window covers the padding and the values 0,1,4,5: 10/9.
        let ramp = Tensor(shape: [1, 1, 4, 4], values: (0..<16).map(Float.init))
        let unpadded = forward(try buildLayer(.averagePool(kernel: 3, stride: 2), itemShape: [1, 4, 4], pooling: .floor), ramp)
        XCTAssertEqual(unpadded.shape, [1, 1, 1, 1])
        XCTAssertEqual(unpadded.storage, [5])
        let padded = forward(try buildLayer(.averagePool(kernel: 3, stride: 2, padding: 1), itemShape: [1, 4, 4],
                                            pooling: .floor), ramp)
        XCTAssertEqual(padded.shape, [1, 1, 2, 2])
        XCTAssertEqual(padded[0], 10 / 9, accuracy: 1e-6)
        // The bottom-right window covers rows and columns 1…3: 5+6+7 + 9+10+11 + 13+14+15 = 90, over 9.
        XCTAssertEqual(padded[3], 10, accuracy: 1e-6)
    }

    func testAveragePoolBorderDivisorByHand() throws {
        // 1×1×4×4 of ones, kernel 3 stride 2, no padding: ceil mode makes 2×2 outputs; the right/bottom windows
        // cover only 2 columns/rows of the image and Caffe divides by that clipped area, so every output is 1.
        // With padding 1 the padding counts as zeros: the top-left window holds 4 ones over an area of 9.
        let ones = Tensor(shape: [1, 1, 4, 4], repeating: 1)
        let unpadded = forward(try buildLayer(.averagePool(kernel: 3, stride: 2), itemShape: [1, 4, 4]), ones)
        XCTAssertEqual(unpadded.shape, [1, 1, 2, 2])
        XCTAssertEqual(unpadded.storage, [1, 1, 1, 1])
        let padded = forward(try buildLayer(.averagePool(kernel: 3, stride: 2, padding: 1), itemShape: [1, 4, 4]), ones)
        XCTAssertEqual(padded.shape, [1, 1, 3, 3])
        XCTAssertEqual(padded[0], 4 / 9, accuracy: 1e-7)
        // The last window starts at 3 and is clipped to rows/columns 3…4 (image row 3 + padding row 4): area 2·2,
        // holding one image pixel → 1/4.
        XCTAssertEqual(padded[8], 0.25, accuracy: 1e-7)
    }

    func testActivationsLinearLRNAndBatchNormMatchFormulas() throws {
        let input = randomTensor([2, 4, 3, 3], seed: 33, scale: 2)
        let relu = forward(try buildLayer(.relu, itemShape: [4, 3, 3]), input)
        let sigmoid = forward(try buildLayer(.sigmoid, itemShape: [4, 3, 3]), input)
        let tanhOut = forward(try buildLayer(.tanh, itemShape: [4, 3, 3]), input)
        for i in 0..<input.count {
            let x = Double(input[i])
            XCTAssertEqual(Double(relu[i]), max(x, 0), accuracy: 1e-7)
            XCTAssertEqual(Double(sigmoid[i]), 1 / (1 + exp(-x)), accuracy: 1e-6)
            XCTAssertEqual(Double(tanhOut[i]), tanh(x), accuracy: 1e-6)
        }

        let linear = try buildLayer(.linear(outputs: 3), itemShape: [4, 3, 3])
        linear.parameters[1].value = Tensor(shape: [3], values: [0.5, -1, 2])
        let linearOut = forward(linear, input)
        let w = linear.parameters[0].value
        for n in 0..<2 { for o in 0..<3 {
            var sum = Double(linear.parameters[1].value[o])
            for f in 0..<36 { sum += Double(w[o * 36 + f]) * Double(input[n * 36 + f]) }
            XCTAssertEqual(Double(linearOut[n * 3 + o]), sum, accuracy: 1e-5)
        }}

        let (size, alpha, beta, k) = (3, 0.7, 0.75, 1.5)
        let lrnOut = forward(try buildLayer(.localResponseNormalization(size: size, alpha: Float(alpha), beta: Float(beta),
                                                                       k: Float(k)), itemShape: [4, 3, 3]), input)
        for n in 0..<2 { for c in 0..<4 { for p in 0..<9 {
            var sum = 0.0
            for j in (c - 1)...(c + 1) where j >= 0 && j < 4 { let v = Double(input[(n * 4 + j) * 9 + p]); sum += v * v }
            let x = Double(input[(n * 4 + c) * 9 + p])
            XCTAssertEqual(Double(lrnOut[(n * 4 + c) * 9 + p]), x * pow(k + alpha / Double(size) * sum, -beta), accuracy: 1e-5)
        }}}

        // Within-channel LRN, size 3: the 3×3 neighbourhood clipped to the image, divisor always 9.
        let within = forward(try buildLayer(.localResponseNormalizationWithinChannel(size: 3, alpha: Float(alpha),
                                                                                     beta: Float(beta)),
                                            itemShape: [4, 3, 3]), input)
        for plane in 0..<8 { for y in 0..<3 { for x in 0..<3 {
            var sum = 0.0
            for yy in (y - 1)...(y + 1) where yy >= 0 && yy < 3 {
                for xx in (x - 1)...(x + 1) where xx >= 0 && xx < 3 { let v = Double(input[plane * 9 + yy * 3 + xx]); sum += v * v }
            }
            let value = Double(input[plane * 9 + y * 3 + x])
            XCTAssertEqual(Double(within[plane * 9 + y * 3 + x]), value * pow(1 + alpha / 9 * sum, -beta), accuracy: 1e-5)
        }}}

        let batchNorm = try buildLayer(.batchNormalization(momentum: 0.9, epsilon: 1e-5), itemShape: [4, 3, 3])
        let normalized = forward(batchNorm, input, training: true)
        for c in 0..<4 {
            var values: [Double] = []
            for n in 0..<2 { for p in 0..<9 { values.append(Double(input[(n * 4 + c) * 9 + p])) } }
            let mean = values.reduce(0, +) / 18
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 18
            var index = 0
            for n in 0..<2 { for p in 0..<9 {
                XCTAssertEqual(Double(normalized[(n * 4 + c) * 9 + p]), (values[index] - mean) / (variance + 1e-5).squareRoot(),
                               accuracy: 1e-4)
                index += 1
            }}
            XCTAssertEqual(Double(batchNorm.parameters[2].value[c]), 0.1 * mean, accuracy: 1e-5)
            XCTAssertEqual(Double(batchNorm.parameters[3].value[c]), 0.9 + 0.1 * variance * 18 / 17, accuracy: 1e-5)
        }
        // Inference uses the running statistics.
        let inference = forward(batchNorm, input, training: false)
        let rm = Double(batchNorm.parameters[2].value[1]), rv = Double(batchNorm.parameters[3].value[1])
        XCTAssertEqual(Double(inference[9]), (Double(input[9]) - rm) / (rv + 1e-5).squareRoot(), accuracy: 1e-5)
    }

    /// The DSH nets' head in Float64 — fc 500 (parameters 6, 7) → ReLU → fc 12 (8, 9) — on the features of two
    /// images, against the engine's `output`, to 1e-4 of the largest output.
    private func assertHeadMatches(_ output: Tensor, features: [Double], parameters p: [Tensor],
                                   file: StaticString = #filePath, line: UInt = #line) {
        func fullyConnected(_ x: [Double], _ w: Tensor, _ b: Tensor, outputs: Int) -> [Double] {
            let inputs = x.count / 2
            return (0..<2 * outputs).map { index in
                let (n, o) = (index / outputs, index % outputs)
                var sum = Double(b[o])
                for f in 0..<inputs { sum += Double(w[o * inputs + f]) * x[n * inputs + f] }
                return sum
            }
        }
        let hidden = fullyConnected(features, p[6], p[7], outputs: 500).map { max($0, 0) }
        let values = fullyConnected(hidden, p[8], p[9], outputs: 12)
        let scale = values.map(abs).max() ?? 1
        XCTAssertGreaterThan(scale, 1e-3, file: file, line: line)
        XCTAssertLessThan(maxDifference(output, values) / scale, 1e-4, file: file, line: line)
    }

    /// The whole dsh-torch net (ReLU before each pooling, floor mode, fc 500 on 576 inputs) against a Float64
    /// loop-by-loop forward of the same weights.
    func testDSHTorchForwardMatchesDirectFloat64Network() throws {
        let spec = NetSpec.dshTorch(bits: 12)
        let network = try Network(spec: spec, seed: 6)
        XCTAssertEqual(network.outputShape, [12])
        for parameter in network.parameters where parameter.name.hasSuffix("bias") {
            for i in 0..<parameter.value.count { parameter.value[i] = Float(i % 5) * 0.02 - 0.04 }
        }
        let input = randomTensor([2, 3, 32, 32], seed: 35, scale: 2)
        let output = try network.forward(input)
        let p = network.parameters.map(\.value)
        XCTAssertEqual(p[6].shape, [500, 576])
        func relu(_ v: [Double]) -> [Double] { v.map { max($0, 0) } }
        func tensor(_ v: [Double], _ shape: [Int]) -> Tensor { Tensor(shape: shape, values: v.map { Float($0) }) }
        var values = input.storage.map(Double.init), shape = input.shape
        for (block, outputs) in [32, 32, 64].enumerated() {
            (values, shape) = Reference.convolution(tensor(values, shape), weight: p[2 * block], bias: p[2 * block + 1],
                                                    outputs: outputs, kernel: 5, stride: 1, padding: 2)
            (values, shape) = Reference.pool(tensor(relu(values), shape), kernel: 3, stride: 2, padding: 0,
                                             max: block == 0, floor: true)
        }
        XCTAssertEqual(shape, [2, 64, 3, 3])
        assertHeadMatches(output, features: values, parameters: p)
    }

    /// Glorot-normal draws have standard deviation √(2 / (fanIn + fanOut)): a conv's fanOut is outputs·kernel².
    func testGlorotNormalInitialisationScale() throws {
        for (spec, itemShape, fanIn, fanOut) in [(LayerSpec.linear(outputs: 500), [576], 576, 500),
                                                 (.convolution(outputChannels: 32, kernel: 5, stride: 1, padding: 2),
                                                  [3, 8, 8], 75, 800)] {
            let weights = try buildLayer(spec, itemShape: itemShape, initialization: .glorotNormal).parameters[0].value
            let values = weights.storage.map(Double.init)
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            let expected = (2.0 / Double(fanIn + fanOut)).squareRoot()
            XCTAssertEqual(deviation / expected, 1, accuracy: 0.05, "\(spec)")
            XCTAssertEqual(mean / expected, 0, accuracy: 0.05, "\(spec)")
        }
    }

    /// PyTorch's default (kaiming_uniform_ with a = √5): weights and biases uniform in ±1/√fanIn, so their
    /// standard deviation is 1/√(3·fanIn); every other scheme starts the biases at 0.
    func testPyTorchDefaultInitialisationScale() throws {
        for (spec, itemShape, fanIn) in [(LayerSpec.linear(outputs: 500), [576], 576),
                                         (.convolution(outputChannels: 64, kernel: 5, stride: 1, padding: 2), [32, 8, 8], 800)] {
            let layer = try buildLayer(spec, itemShape: itemShape, initialization: .pytorch)
            let bound = 1 / Double(fanIn).squareRoot()
            for (index, parameter) in layer.parameters.enumerated() {
                let values = parameter.value.storage.map(Double.init)
                XCTAssertTrue(values.allSatisfy { abs($0) <= bound }, "\(spec) parameter \(index) beyond ±1/√fanIn")
                let deviation = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
                // 64 biases: a looser check of their spread than of the weights'.
                XCTAssertEqual(deviation / (bound / 3.0.squareRoot()), 1, accuracy: index == 0 ? 0.05 : 0.3, "\(spec) \(index)")
            }
            let xavier = try buildLayer(spec, itemShape: itemShape, initialization: .xavier)
            XCTAssertTrue(xavier.parameters[1].value.storage.allSatisfy { $0 == 0 }, "xavier biases start at 0")
        }
    }

    /// The whole dsh-cifar net against a Float64 loop-by-loop forward of the same weights.
    func testDSHCIFARForwardMatchesDirectFloat64Network() throws {
        let spec = NetSpec.dshCIFAR(bits: 12)
        let network = try Network(spec: spec, seed: 5)
        XCTAssertEqual(network.outputShape, [12])
        for parameter in network.parameters where parameter.name.hasSuffix("bias") {
            for i in 0..<parameter.value.count { parameter.value[i] = Float(i % 5) * 0.02 - 0.04 }
        }
        let input = randomTensor([2, 3, 32, 32], seed: 34, scale: 2)
        let output = try network.forward(input)
        XCTAssertEqual(output.shape, [2, 12])

        let p = network.parameters.map(\.value)
        func relu(_ v: [Double]) -> [Double] { v.map { max($0, 0) } }
        func tensor(_ v: [Double], _ shape: [Int]) -> Tensor { Tensor(shape: shape, values: v.map { Float($0) }) }
        // Arithmetic in Float64, loop by loop; activations are rounded to Float32 between layers (the reference
        // helpers take Tensors), which is also what the engine stores.
        var (values, shape) = Reference.convolution(input, weight: p[0], bias: p[1], outputs: 32, kernel: 5, stride: 1, padding: 2)
        (values, shape) = Reference.pool(tensor(values, shape), kernel: 3, stride: 2, padding: 0, max: true)
        values = relu(values)
        (values, shape) = Reference.convolution(tensor(values, shape), weight: p[2], bias: p[3], outputs: 32, kernel: 5,
                                                stride: 1, padding: 2)
        (values, shape) = Reference.pool(tensor(values, shape), kernel: 3, stride: 2, padding: 0, max: false)
        values = relu(values)
        (values, shape) = Reference.convolution(tensor(values, shape), weight: p[4], bias: p[5], outputs: 64, kernel: 5,
                                                stride: 1, padding: 2)
        values = relu(values)
        (values, shape) = Reference.pool(tensor(values, shape), kernel: 3, stride: 2, padding: 0, max: false)
        XCTAssertEqual(shape, [2, 64, 4, 4])
        assertHeadMatches(output, features: values, parameters: p)
    }
}

/// Inference (`Network.outputs`) runs each convolution and the pooling and ReLU after it in one pass per image.
final class FusedInferenceTests: XCTestCase {
    /// The fused pass gives the numbers of the layers run one after another (`Network.forward`), bit for bit, on
    /// both DSH nets (pool then ReLU, ReLU then pool), with 11 images: uneven halves for the two workers and
    /// partial groups of images.
    func testFusedInferenceEqualsLayerByLayerForward() throws {
        for spec in [NetSpec.dshCIFAR(bits: 12), .dshTorch(bits: 12)] {
            let network = try Network(spec: spec, seed: 3)
            let images = bandImages(count: 11, channels: 3, size: 32, seed: 4)
            let normalization = Normalization(measuring: images)
            let fused = try network.outputs(for: images, normalization: normalization, batchSize: 11)
            let batcher = try Batcher(images: images, batchSize: 11, normalization: normalization, shuffles: false, seed: 0)
            var input = Tensor(shape: [0]), labels: [Int32] = []
            batcher.fill(batch: &input, labels: &labels, index: 0, epoch: 0, order: batcher.order(epoch: 0),
                         training: false)
            let direct = try network.forward(input)
            XCTAssertEqual(fused.shape, direct.shape, spec.name)
            XCTAssertEqual(fused.storage, direct.storage, spec.name)
            XCTAssertGreaterThan(fused.storage.map(abs).max() ?? 0, 0, spec.name)
        }
    }
}
