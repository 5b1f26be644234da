/// Max or average pooling over square windows, with the net's rounding of the output size
/// (`Kernels.pooledExtent`) and, for averages, Caffe's border divisor (`Kernels.averagePool`).
/// Max pooling routes each output gradient to the single input that won the forward pass. Forward computes the
/// maxima alone (`Kernels.maxPoolValues`, what inference needs); backward finds the winners again from the input
/// (`Kernels.maxPool`), so the layer keeps nothing between the passes.
final class PoolingLayer: ImageMap {
    let spec: LayerSpec
    let isMax: Bool
    let window: Kernels.Window
    var parameters: [Parameter] { [] }
    var computesInputGradient = true
    /// Max pooling's backward scratch: per output, the winner's offset in its input plane, and the maxima found
    /// again with them.
    private var winners: [Int32] = [], maxima: [Float] = []

    init(spec: LayerSpec, isMax: Bool, channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int,
         rounding: PoolingRounding) {
        self.spec = spec
        self.isMax = isMax
        window = Kernels.Window(channels: channels, height: height, width: width, kernel: kernel, stride: stride,
                                padding: padding,
                                outputHeight: Kernels.pooledExtent(height, kernel: kernel, stride: stride,
                                                                   padding: padding, rounding: rounding),
                                outputWidth: Kernels.pooledExtent(width, kernel: kernel, stride: stride,
                                                                  padding: padding, rounding: rounding))
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == window.channels, inputShape[2] == window.height,
              inputShape[3] == window.width else {
            throw LayerError("pooling expects N×\(window.channels)×\(window.height)×\(window.width), got \(inputShape)")
        }
        return [inputShape[0], window.channels, window.outputHeight, window.outputWidth]
    }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        let batch = input.batchSize
        output.reshape(to: [batch, window.channels, window.outputHeight, window.outputWidth])
        let inputItem = input.itemSize, outputItem = output.itemSize
        let window = window, isMax = isMax
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
            let (x, y) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!))
            Kernels.parallelRanges(batch) { _, range in
                for n in range {
                    if isMax {
                        Kernels.maxPoolValues(x.base + n * inputItem, window, output: y.base + n * outputItem)
                    } else {
                        Kernels.averagePool(x.base + n * inputItem, window, output: y.base + n * outputItem)
                    }
                }
            }
        }}
    }

    func mapImage(_ input: UnsafePointer<Float>, count: Int, to output: UnsafeMutablePointer<Float>) {
        if isMax {
            Kernels.maxPoolValues(input, window, output: output)
        } else {
            Kernels.averagePool(input, window, output: output)
        }
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let batch = input.batchSize
        inputGradient.reshape(to: input.shape)
        let inputItem = input.itemSize, outputItem = outputGradient.itemSize
        let window = window, isMax = isMax
        let inputPlane = window.height * window.width, outputPlane = window.outputPlane
        if isMax && winners.count != outputGradient.count {
            winners = [Int32](repeating: 0, count: outputGradient.count)
            maxima = [Float](repeating: 0, count: outputGradient.count)
        }
        input.storage.withUnsafeBufferPointer { x in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        winners.withUnsafeMutableBufferPointer { winnerBuffer in
        maxima.withUnsafeMutableBufferPointer { maximaBuffer in
            let (x, dy, dx) = (SharedPointer(x.baseAddress!), SharedPointer(dy.baseAddress!), SharedPointer(dx.baseAddress!))
            let winners = WinnerPointer(base: winnerBuffer.baseAddress)
            let maxima = maximaBuffer.baseAddress.map(SharedPointer.init)
            Kernels.parallelRanges(batch) { _, range in
                for n in range {
                    if isMax {
                        let target = dx.base + n * inputItem
                        for index in 0..<inputItem { target[index] = 0 }
                        let winner = winners.base! + n * outputItem
                        Kernels.maxPool(x.base + n * inputItem, window, output: maxima!.base + n * outputItem,
                                        argmax: winner)
                        let source = dy.base + n * outputItem
                        for c in 0..<window.channels {
                            let plane = target + c * inputPlane
                            for o in c * outputPlane..<(c + 1) * outputPlane { plane[Int(winner[o])] += source[o] }
                        }
                    } else {
                        Kernels.averagePoolBackward(dy.base + n * outputItem, window,
                                                    inputGradient: dx.base + n * inputItem)
                    }
                }
            }
        }}}}}
    }
}

struct WinnerPointer: @unchecked Sendable { let base: UnsafeMutablePointer<Int32>? }
