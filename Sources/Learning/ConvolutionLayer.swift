import Seeding

/// 2-D convolution (cross-correlation, as in Caffe and PyTorch) with zero padding:
///
///     y[n, o, oy, ox] = b[o] + Σ_{c, ky, kx} W[o, c, ky, kx] · x[n, c, oy·s − p + ky, ox·s − p + kx]
///
/// computed as GEMMs: im2col turns a group of G images into a K×(G·P) matrix (K = C·k², P = output pixels), and
/// `W (O×K) · columns` gives every output at once. Backward, with dY gathered as O×(G·P):
/// `dW += dY · columnsᵀ`, `db += Σ dY`, `dColumns = Wᵀ · dY`, then col2im adds dColumns back onto dX.
/// With stride 1, padding < kernel and no more filters than input channels, dX is computed instead as the "full" convolution of dY with the filters
/// flipped and transposed, `dX = conv(dY, W′, pad k−1−p)` with `W′[c, o, ky, kx] = W[o, c, k−1−ky, k−1−kx]`:
/// the same products, but as a GEMM with the long inner dimension O·k² and no scatter-adding col2im.
/// The batch is split over the cores; each worker accumulates its own dW, db, summed in worker order.
/// 5×5 filters with stride 1 (every convolution of the DSH nets) go through Winograd's F(4×4, 5×5) instead
/// (`WinogradConvolution`): the same sums with 6.25 times fewer multiplications.
final class ConvolutionLayer: Layer {
    let spec: LayerSpec
    let weight: Parameter, bias: Parameter
    var parameters: [Parameter] { [weight, bias] }
    var computesInputGradient = true
    let window: Kernels.Window
    let outputChannels: Int
    /// Images per GEMM: about 256 columns, i.e. one image for dsh-cifar's conv1 and conv2, four for conv3.
    /// Measured (per-layer profile, batch 64): small groups win because one image's columns (K×P, 800 KB for conv2)
    /// stay in cache between im2col and the GEMM; 4096-column groups (13 MB) were 1.5× slower on conv2.
    let groupSize: Int
    /// Per-worker scratch: columns (K×G·P), column gradients (K×G·P), gathered outputs (O×G·P), weight and bias
    /// gradient partial sums.
    private var columns: [Float] = [], columnGradients: [Float] = [], gathered: [Float] = []
    private var weightPartials: [Float] = [], biasPartials: [Float] = []
    /// Stride 1: the geometry of the full convolution that computes dX from dY, the flipped filters
    /// (C × O·k²), and per-worker scratch for dY's columns and the dX product.
    let transposedWindow: Kernels.Window?
    private var flipped: [Float] = [], transposedColumns: [Float] = [], inputProduct: [Float] = []
    /// The Winograd route, where the shape suits it (kernel 5, stride 1).
    let winograd: WinogradConvolution?

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
                                                                fanOut: outputChannels * kernel * kernel,
                                                                initialization: initialization, generator: &generator)))
        bias = Parameter(name: "\(index)/bias", value: initialBiases(count: outputChannels, fanIn: fanIn,
                                                                    initialization: initialization, generator: &generator),
                         isDecayed: false)
        groupSize = max(1, 256 / max(1, window.outputPlane))
        winograd = WinogradF4x5(channels: inputChannels, outputs: outputChannels, height: height, width: width,
                                kernel: kernel, stride: stride, padding: padding).map(WinogradConvolution.init)
        // Measured on dsh-cifar: the full convolution wins when it has no more filters than input channels
        // (conv2: 32→32), the col2im route when the layer widens (conv3: 32→64, its GEMM then has M = C·k²).
        transposedWindow = stride == 1 && padding <= kernel - 1 && outputChannels <= inputChannels
            ? Kernels.Window(channels: outputChannels, height: outputHeight, width: outputWidth, kernel: kernel, stride: 1,
                             padding: kernel - 1 - padding, outputHeight: height, outputWidth: width)
            : nil
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
        if backward, let transposed = transposedWindow {
            let transposedCount = workers * transposed.columnRows * group * transposed.outputPlane
            if transposedColumns.count < transposedCount { transposedColumns = [Float](repeating: 0, count: transposedCount) }
            let productCount = workers * window.channels * group * transposed.outputPlane
            if inputProduct.count < productCount { inputProduct = [Float](repeating: 0, count: productCount) }
            if flipped.count != weight.value.count { flipped = [Float](repeating: 0, count: weight.value.count) }
        } else if backward {
            if columnGradients.count < columnCount { columnGradients = [Float](repeating: 0, count: columnCount) }
        }
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
        if let winograd {
            input.storage.withUnsafeBufferPointer { x in
            output.storage.withUnsafeMutableBufferPointer { y in
            weight.value.storage.withUnsafeBufferPointer { w in
            bias.value.storage.withUnsafeBufferPointer { b in
                winograd.forward(input: x.baseAddress!, output: y.baseAddress!, batch: batch, weights: w.baseAddress!,
                                 bias: b.baseAddress!)
            }}}}
            return
        }
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
                let product = gath.base + worker * outputs * group * plane
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start)
                    let rowLength = count * plane
                    let columns = cols.base + worker * rows * group * plane
                    for g in 0..<count {
                        Kernels.imageToColumns(x.base + (start + g) * inputItem, window, columns: columns,
                                               rowLength: rowLength, columnOffset: g * plane)
                    }
                    if count == 1 {
                        // One image: its O×P product IS its output (NCHW): the biases are laid down first and the
                        // GEMM adds onto them (beta 1), so there is no separate pass over the output.
                        let image = y.base + start * outputItem
                        for o in 0..<outputs {
                            (image + o * plane).initialize(repeating: b.base[o], count: plane)
                        }
                        Kernels.multiply(m: outputs, n: plane, k: rows, a: w.base, lda: rows, b: columns,
                                         ldb: plane, beta: 1, c: image, ldc: plane)
                    } else {
                        // Several: the O×(G·P) product is scattered to the G images, plus the biases.
                        Kernels.multiply(m: outputs, n: rowLength, k: rows, a: w.base, lda: rows, b: columns,
                                         ldb: rowLength, c: product, ldc: rowLength)
                        for g in 0..<count {
                            let image = y.base + (start + g) * outputItem
                            for o in 0..<outputs {
                                let source = product + o * rowLength + g * plane, destination = image + o * plane
                                let shift = b.base[o]
                                for p in 0..<plane { destination[p] = source[p] + shift }
                            }
                        }
                    }
                    start += count
                }
            }
        }}}}}}
    }

    /// Inference forward followed, image by image, by `maps` (the layers after this one, each mapping one image to
    /// one image): each output image of the convolution goes through them while it is still in cache, and only
    /// the last map's result is stored, in `output`. The same numbers as running the layers one after another,
    /// without writing this layer's output (8 MB per 64 images for dsh-cifar's conv1) to memory and reading it
    /// back. Returns false, doing nothing, where the convolution has no Winograd route.
    func forward(input: Tensor, through maps: [ImageMap], output: inout Tensor) throws -> Bool {
        guard let winograd, !maps.isEmpty else { return false }
        let batch = input.batchSize
        // Item shapes along the chain: the convolution's output, then each map's.
        var shapes = [[1, outputChannels, window.outputHeight, window.outputWidth]]
        for map in maps { shapes.append(try map.outputShape(for: shapes.last!)) }
        let counts = shapes.map { $0.dropFirst().reduce(1, *) }
        output.reshape(to: [batch] + Array(shapes.last!.dropFirst()))
        let largest = counts.max()!, workers = Kernels.slices(batch).count
        var scratch = [Float](repeating: 0, count: 2 * workers * largest)
        let chain = ImageMapChain(maps: maps)
        input.storage.withUnsafeBufferPointer { x in
        output.storage.withUnsafeMutableBufferPointer { y in
        scratch.withUnsafeMutableBufferPointer { scratchBuffer in
        weight.value.storage.withUnsafeBufferPointer { w in
        bias.value.storage.withUnsafeBufferPointer { b in
            let (y, buffers) = (SharedPointer(y.baseAddress!), SharedPointer(scratchBuffer.baseAddress!))
            winograd.forward(input: x.baseAddress!, output: nil, batch: batch, weights: w.baseAddress!,
                             bias: b.baseAddress!) { worker, image, result in
                // Through the maps, between this worker's two scratch images; the last one writes the output.
                var source = UnsafePointer(result)
                for (step, map) in chain.maps.enumerated() {
                    let target = step == chain.maps.count - 1 ? y.base + image * counts.last!
                        : buffers.base + (2 * worker + step % 2) * largest
                    map.mapImage(source, count: counts[step], to: target)
                    source = UnsafePointer(target)
                }
            }
        }}}}}
        return true
    }

    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let batch = input.batchSize
        inputGradient.reshape(to: input.shape)
        if let winograd {
            input.storage.withUnsafeBufferPointer { x in
            outputGradient.storage.withUnsafeBufferPointer { dy in
            inputGradient.storage.withUnsafeMutableBufferPointer { dx in
            weight.value.storage.withUnsafeBufferPointer { w in
            weight.gradient.storage.withUnsafeMutableBufferPointer { dw in
            bias.gradient.storage.withUnsafeMutableBufferPointer { db in
                winograd.backward(input: x.baseAddress!, outputGradient: dy.baseAddress!, inputGradient: dx.baseAddress!,
                                  batch: batch, wantsInput: computesInputGradient, weights: w.baseAddress!,
                                  weightGradient: dw.baseAddress!, biasGradient: db.baseAddress!)
            }}}}}}
            return
        }
        prepareScratch(batch: batch, backward: true)
        let workers = Kernels.slices(batch).count
        let group = min(groupSize, max(1, (batch + workers - 1) / workers))
        let (window, outputs, plane, rows) = (window, outputChannels, window.outputPlane, window.columnRows)
        let inputItem = input.itemSize, outputItem = outputGradient.itemSize
        let weightCount = weight.value.count
        let wantsInput = computesInputGradient
        let transposed = transposedWindow
        let (inputChannels, kernel) = (window.channels, window.kernel)
        if transposed != nil && wantsInput {
            // W′[c, (o·k + ky)·k + kx] = W[o, (c·k + k−1−ky)·k + k−1−kx]
            for c in 0..<inputChannels { for o in 0..<outputs { for ky in 0..<kernel { for kx in 0..<kernel {
                flipped[c * outputs * kernel * kernel + (o * kernel + ky) * kernel + kx] =
                    weight.value.storage[o * rows + (c * kernel + kernel - 1 - ky) * kernel + kernel - 1 - kx]
            }}}}
        }
        input.storage.withUnsafeBufferPointer { x in
        outputGradient.storage.withUnsafeBufferPointer { dy in
        inputGradient.storage.withUnsafeMutableBufferPointer { dx in
        weight.value.storage.withUnsafeBufferPointer { w in
        flipped.withUnsafeBufferPointer { flippedBuffer in
        transposedColumns.withUnsafeMutableBufferPointer { transposedBuffer in
        inputProduct.withUnsafeMutableBufferPointer { inputProductBuffer in
        columns.withUnsafeMutableBufferPointer { columnBuffer in
        columnGradients.withUnsafeMutableBufferPointer { columnGradientBuffer in
        gathered.withUnsafeMutableBufferPointer { gatheredBuffer in
        weightPartials.withUnsafeMutableBufferPointer { weightPartialBuffer in
        biasPartials.withUnsafeMutableBufferPointer { biasPartialBuffer in
            let (x, dy, dx, w) = (SharedPointer(x.baseAddress!), SharedPointer(dy.baseAddress!),
                                  SharedPointer(dx.baseAddress!), SharedPointer(w.baseAddress!))
            let (cols, gath) = (SharedPointer(columnBuffer.baseAddress!), SharedPointer(gatheredBuffer.baseAddress!))
            let columnGradientBase = columnGradientBuffer.baseAddress.map(SharedPointer.init)
            let flippedBase = flippedBuffer.baseAddress.map(SharedPointer.init)
            let transposedBase = transposedBuffer.baseAddress.map(SharedPointer.init)
            let inputProductBase = inputProductBuffer.baseAddress.map(SharedPointer.init)
            let (dwAll, dbAll) = (SharedPointer(weightPartialBuffer.baseAddress!),
                                  SharedPointer(biasPartialBuffer.baseAddress!))
            Kernels.parallelRanges(batch) { worker, range in
                let gatheredGradient = gath.base + worker * outputs * group * plane
                let dw = dwAll.base + worker * weightCount, db = dbAll.base + worker * outputs
                for index in 0..<weightCount { dw[index] = 0 }
                for index in 0..<outputs { db[index] = 0 }
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start)
                    let rowLength = count * plane
                    let columns = cols.base + worker * rows * group * plane
                    for g in 0..<count {
                        Kernels.imageToColumns(x.base + (start + g) * inputItem, window, columns: columns,
                                               rowLength: rowLength, columnOffset: g * plane)
                        let image = dy.base + (start + g) * outputItem
                        for o in 0..<outputs {
                            let source = image + o * plane, target = gatheredGradient + o * rowLength + g * plane
                            var sum: Float = 0
                            if count == 1 {
                                for p in 0..<plane { sum += source[p] }
                            } else {
                                for p in 0..<plane { target[p] = source[p]; sum += source[p] }
                            }
                            db[o] += sum
                        }
                    }
                    // One image: its dY (O×P, NCHW) is used where it lies; several: gathered as O×(G·P).
                    let gradient = count == 1 ? dy.base + start * outputItem : gatheredGradient
                    // dW (O×K) += dY (O×GP) · columnsᵀ (GP×K)
                    Kernels.multiply(transposeB: true, m: outputs, n: rows, k: rowLength, a: gradient, lda: rowLength,
                                     b: columns, ldb: rowLength, beta: 1, c: dw, ldc: rows)
                    if wantsInput, let transposed, let flippedBase, let transposedBase, let inputProductBase {
                        // dX (C × G·HW) = W′ (C × O·k²) · columns of dY (O·k² × G·HW), then copied out per image.
                        let inputPlane = transposed.outputPlane, transposedRows = transposed.columnRows
                        let dyColumns = transposedBase.base + worker * transposedRows * group * inputPlane
                        // One image: the C×HW product is its dX, written in place.
                        let single = count == 1
                        let product = single ? dx.base + start * inputItem
                            : inputProductBase.base + worker * inputChannels * group * inputPlane
                        let length = count * inputPlane
                        for g in 0..<count {
                            Kernels.imageToColumns(dy.base + (start + g) * outputItem, transposed, columns: dyColumns,
                                                   rowLength: length, columnOffset: g * inputPlane)
                        }
                        Kernels.multiply(m: inputChannels, n: length, k: transposedRows, a: flippedBase.base,
                                         lda: transposedRows, b: dyColumns, ldb: length, c: product, ldc: length)
                        for g in 0..<count where !single {
                            let image = dx.base + (start + g) * inputItem
                            for c in 0..<inputChannels {
                                (image + c * inputPlane).update(from: product + c * length + g * inputPlane,
                                                                count: inputPlane)
                            }
                        }
                    } else if wantsInput, let columnGradientBase {
                        let columnGradient = columnGradientBase.base + worker * rows * group * plane
                        // dColumns (K×GP) = Wᵀ (K×O) · dY (O×GP)
                        Kernels.multiply(transposeA: true, m: rows, n: rowLength, k: outputs, a: w.base, lda: rows,
                                         b: gradient, ldb: rowLength, c: columnGradient, ldc: rowLength)
                        for g in 0..<count {
                            let image = dx.base + (start + g) * inputItem
                            for index in 0..<inputItem { image[index] = 0 }
                            Kernels.columnsToImage(columnGradient, rowLength: rowLength, columnOffset: g * plane, window,
                                                   image: image)
                        }
                    }
                    start += count
                }
            }
        }}}}}}}}}}}}
        weight.gradient.storage.withUnsafeMutableBufferPointer { dw in
            weightPartials.withUnsafeBufferPointer { partial in
                Kernels.addPartials(partial.baseAddress!, workers: workers, count: weightCount, to: dw.baseAddress!)
            }
        }
        bias.gradient.storage.withUnsafeMutableBufferPointer { db in
            biasPartials.withUnsafeBufferPointer { partial in
                Kernels.addPartials(partial.baseAddress!, workers: workers, count: outputs, to: db.baseAddress!)
            }
        }
    }
}

/// The maps a fused forward applies, handed to the workers (each calls them on its own images only).
private struct ImageMapChain: @unchecked Sendable { let maps: [ImageMap] }
