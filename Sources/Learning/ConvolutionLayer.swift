import Seeding

/// 2-D convolution (cross-correlation, as in Caffe and PyTorch) with zero padding:
///
///     y[n, o, oy, ox] = b[o] + Σ_{c, ky, kx} W[o, c, ky, kx] · x[n, c, oy·s − p + ky, ox·s − p + kx]
///
/// computed as GEMMs: im2col turns a group of G images into a K×(G·P) matrix (K = C·k², P = output pixels), and
/// `W (O×K) · columns` gives every output at once. Backward, with dY gathered as O×(G·P):
/// `dW += dY · columnsᵀ`, `db += Σ dY`, `dColumns = Wᵀ · dY`, then col2im adds dColumns back onto dX.
/// The batch is split over the cores; each worker accumulates its own dW, db, summed in worker order.
final class ConvolutionLayer: Layer {
    let spec: LayerSpec
    let weight: Parameter, bias: Parameter
    var parameters: [Parameter] { [weight, bias] }
    var computesInputGradient = true
    let window: Kernels.Window
    let outputChannels: Int
    /// Images per GEMM: enough columns (≈4096) that the multiply is not skinny.
    let groupSize: Int
    /// Per-worker scratch: columns (K×G·P), gathered outputs (O×G·P), weight and bias gradient partial sums.
    private var columns: [Float] = [], gathered: [Float] = [], weightPartials: [Float] = [], biasPartials: [Float] = []

    init(spec: LayerSpec, inputChannels: Int, height: Int, width: Int, outputChannels: Int, kernel: Int,
         stride: Int, padding: Int, initialization: Initialization, generator: inout SeededGenerator, index: Int) {
        self.spec = spec
        self.outputChannels = outputChannels
        let outputHeight = (height + 2 * padding - kernel) / stride + 1
        let outputWidth = (width + 2 * padding - kernel) / stride + 1
        window = Kernels.Window(channels: inputChannels, height: height, width: width, kernel: kernel, stride: stride,
                                padding: padding, outputHeight: outputHeight, outputWidth: outputWidth)
        let fanIn = inputChannels * kernel * kernel
        weight = Parameter(name: "\(index)/weight",
                           value: Tensor(shape: [outputChannels, fanIn],
                                         values: initialWeights(count: outputChannels * fanIn, fanIn: fanIn,
                                                                initialization: initialization, generator: &generator)))
        bias = Parameter(name: "\(index)/bias", value: Tensor(shape: [outputChannels]), isDecayed: false)
        groupSize = max(1, 4096 / max(1, window.outputPlane))
    }

    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == window.channels, inputShape[2] == window.height,
              inputShape[3] == window.width else {
            throw LayerError("convolution expects N×\(window.channels)×\(window.height)×\(window.width), got \(inputShape)")
        }
        return [inputShape[0], outputChannels, window.outputHeight, window.outputWidth]
    }

    private func prepareScratch(batch: Int, backward: Bool) {
        let workers = Kernels.slices(batch).count
        let group = min(groupSize, max(1, (batch + workers - 1) / workers))
        let columnCount = workers * window.columnRows * group * window.outputPlane
        if columns.count < columnCount { columns = [Float](repeating: 0, count: columnCount) }
        let gatheredCount = workers * outputChannels * group * window.outputPlane
        if gathered.count < gatheredCount { gathered = [Float](repeating: 0, count: gatheredCount) }
        if backward {
            let partialCount = workers * weight.value.count
            if weightPartials.count < partialCount { weightPartials = [Float](repeating: 0, count: partialCount) }
            if biasPartials.count < workers * outputChannels {
                biasPartials = [Float](repeating: 0, count: workers * outputChannels)
            }
        }
    }

    func forward(input: Tensor, output: inout Tensor, training: Bool) {
        let batch = input.batchSize
        output.reshape(to: [batch, outputChannels, window.outputHeight, window.outputWidth])
        prepareScratch(batch: batch, backward: false)
        let workers = Kernels.slices(batch).count
        let group = min(groupSize, max(1, (batch + workers - 1) / workers))
        let (window, outputs, plane, rows) = (window, outputChannels, window.outputPlane, window.columnRows)
        let inputItem = input.itemSize, outputItem = output.itemSize
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
        weight.value.storage.withUnsafeBufferPointer { w in
        bias.value.storage.withUnsafeBufferPointer { b in
        columns.withUnsafeMutableBufferPointer { columnBuffer in
        gathered.withUnsafeMutableBufferPointer { gatheredBuffer in
            let (x, y, w, b) = (SharedPointer(x.baseAddress!), SharedPointer(y.baseAddress!),
                                SharedPointer(w.baseAddress!), SharedPointer(b.baseAddress!))
            let (cols, gath) = (SharedPointer(columnBuffer.baseAddress!), SharedPointer(gatheredBuffer.baseAddress!))
            Kernels.parallelRanges(batch) { worker, range in
                let columns = cols.base + worker * rows * group * plane
                let product = gath.base + worker * outputs * group * plane
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start)
                    let rowLength = count * plane
                    for g in 0..<count {
                        Kernels.imageToColumns(x.base + (start + g) * inputItem, window, columns: columns,
                                               rowLength: rowLength, columnOffset: g * plane)
                    }
                    Kernels.multiply(m: outputs, n: rowLength, k: rows, a: w.base, lda: rows, b: columns,
                                     ldb: rowLength, c: product, ldc: rowLength)
                    for g in 0..<count {
                        let image = y.base + (start + g) * outputItem
                        for o in 0..<outputs {
                            let source = product + o * rowLength + g * plane, target = image + o * plane
                            let shift = b.base[o]
                            for p in 0..<plane { target[p] = source[p] + shift }
                        }
                    }
                    start += count
                }
            }
        }}}}}}
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let batch = input.batchSize
        inputGradient.reshape(to: input.shape)
        prepareScratch(batch: batch, backward: true)
        let workers = Kernels.slices(batch).count
        let group = min(groupSize, max(1, (batch + workers - 1) / workers))
        let (window, outputs, plane, rows) = (window, outputChannels, window.outputPlane, window.columnRows)
        let inputItem = input.itemSize, outputItem = outputGradient.itemSize
        let weightCount = weight.value.count
        let wantsInput = computesInputGradient
        input.storage.withUnsafeBufferPointer { x in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        weight.value.storage.withUnsafeBufferPointer { w in
        columns.withUnsafeMutableBufferPointer { columnBuffer in
        gathered.withUnsafeMutableBufferPointer { gatheredBuffer in
        weightPartials.withUnsafeMutableBufferPointer { weightPartialBuffer in
        biasPartials.withUnsafeMutableBufferPointer { biasPartialBuffer in
            let (x, dy, dx, w) = (SharedPointer(x.baseAddress!), SharedPointer(dy.baseAddress!),
                                  SharedPointer(dx.baseAddress!), SharedPointer(w.baseAddress!))
            let (cols, gath) = (SharedPointer(columnBuffer.baseAddress!), SharedPointer(gatheredBuffer.baseAddress!))
            let (dwAll, dbAll) = (SharedPointer(weightPartialBuffer.baseAddress!),
                                  SharedPointer(biasPartialBuffer.baseAddress!))
            Kernels.parallelRanges(batch) { worker, range in
                let columns = cols.base + worker * rows * group * plane
                let gradient = gath.base + worker * outputs * group * plane
                let dw = dwAll.base + worker * weightCount, db = dbAll.base + worker * outputs
                for index in 0..<weightCount { dw[index] = 0 }
                for index in 0..<outputs { db[index] = 0 }
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start)
                    let rowLength = count * plane
                    for g in 0..<count {
                        Kernels.imageToColumns(x.base + (start + g) * inputItem, window, columns: columns,
                                               rowLength: rowLength, columnOffset: g * plane)
                        let image = dy.base + (start + g) * outputItem
                        for o in 0..<outputs {
                            let source = image + o * plane, target = gradient + o * rowLength + g * plane
                            var sum: Float = 0
                            for p in 0..<plane { target[p] = source[p]; sum += source[p] }
                            db[o] += sum
                        }
                    }
                    // dW (O×K) += dY (O×GP) · columnsᵀ (GP×K)
                    Kernels.multiply(transposeB: true, m: outputs, n: rows, k: rowLength, a: gradient, lda: rowLength,
                                     b: columns, ldb: rowLength, beta: 1, c: dw, ldc: rows)
                    if wantsInput {
                        // dColumns (K×GP) = Wᵀ (K×O) · dY (O×GP), written over the columns buffer.
                        Kernels.multiply(transposeA: true, m: rows, n: rowLength, k: outputs, a: w.base, lda: rows,
                                         b: gradient, ldb: rowLength, c: columns, ldc: rowLength)
                        for g in 0..<count {
                            let image = dx.base + (start + g) * inputItem
                            for index in 0..<inputItem { image[index] = 0 }
                            Kernels.columnsToImage(columns, rowLength: rowLength, columnOffset: g * plane, window,
                                                   image: image)
                        }
                    }
                    start += count
                }
            }
        }}}}}}}}
        // Add the workers' partial sums in worker order (deterministic).
        weight.gradient.storage.withUnsafeMutableBufferPointer { dw in
            weightPartials.withUnsafeBufferPointer { partial in
                for worker in 0..<workers {
                    for index in 0..<weightCount { dw[index] += partial[worker * weightCount + index] }
                }
            }
        }
        bias.gradient.storage.withUnsafeMutableBufferPointer { db in
            biasPartials.withUnsafeBufferPointer { partial in
                for worker in 0..<workers {
                    for index in 0..<outputs { db[index] += partial[worker * outputs + index] }
                }
            }
        }
    }
}
