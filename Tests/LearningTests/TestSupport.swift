import Learning
import Seeding

/// Uniform random values in [−scale, scale].
func randomTensor(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    return Tensor(shape: shape, values: (0..<count).map { _ in Float((generator.nextUnitDouble() * 2 - 1) * scale) })
}

/// Distinct values at least `spacing` apart in a seeded random order (no ties, no values near a kink at 0
/// when `spacing` > 2·step): for max pooling and ReLU gradient checks.
func spacedTensor(_ shape: [Int], seed: UInt64, spacing: Float = 0.02) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) { order.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
    return Tensor(shape: shape, values: order.map { (Float($0) - Float(count) / 2 + 0.5) * spacing })
}

func buildLayer(_ spec: LayerSpec, itemShape: [Int], seed: UInt64 = 7, initialization: Initialization = .xavier,
                pooling: PoolingRounding = .ceil) throws -> Layer {
    var generator = SeededGenerator(seed: seed)
    return try makeLayer(spec, itemShape: itemShape, initialization: initialization, pooling: pooling,
                         generator: &generator, index: 0)
}

/// A small labelled set of separable patterns: class k lights up one of `classes` horizontal bands (all
/// channels) over noise, so a small net can learn it in seconds.
func bandImages(count: Int, classes: Int = 4, channels: Int = 3, size: Int = 8, seed: UInt64) -> LabeledImages {
    var generator = SeededGenerator(seed: seed)
    var pixels = [UInt8](repeating: 0, count: count * channels * size * size)
    var labels: [Int32] = []
    for n in 0..<count {
        let label = Int(generator.next() % UInt64(classes))
        labels.append(Int32(label))
        let bandHeight = size / classes
        for c in 0..<channels {
            for y in 0..<size {
                for x in 0..<size {
                    let inBand = y / max(bandHeight, 1) == label
                    let noise = Int(generator.next() % 100)
                    pixels[((n * channels + c) * size + y) * size + x] = UInt8(min(255, (inBand ? 130 : 20) + noise))
                }
            }
        }
    }
    return LabeledImages(count: count, channels: channels, height: size, width: size, pixels: pixels, labels: labels,
                         classNames: (0..<classes).map { "band\($0)" })
}

func forward(_ layer: Layer, _ input: Tensor, training: Bool = false) -> Tensor {
    var output = Tensor(shape: [0])
    layer.forward(input: input, output: &output, training: training)
    return output
}

/// Float64 references written loop by loop, independent of the engine's kernels.
enum Reference {
    /// x: N×C×H×W, w: O×(C·k·k), b: O.
    static func convolution(_ x: Tensor, weight w: Tensor, bias b: Tensor, outputs: Int, kernel k: Int, stride s: Int,
                            padding p: Int) -> (values: [Double], shape: [Int]) {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * p - k) / s + 1, ow = (wd + 2 * p - k) / s + 1
        var y = [Double](repeating: 0, count: n * outputs * oh * ow)
        for i in 0..<n { for o in 0..<outputs { for oy in 0..<oh { for ox in 0..<ow {
            var sum = Double(b[o])
            for ci in 0..<c { for ky in 0..<k { for kx in 0..<k {
                let yy = oy * s - p + ky, xx = ox * s - p + kx
                if yy >= 0 && yy < h && xx >= 0 && xx < wd {
                    sum += Double(w[((o * c + ci) * k + ky) * k + kx]) * Double(x[((i * c + ci) * h + yy) * wd + xx])
                }
            }}}
            y[((i * outputs + o) * oh + oy) * ow + ox] = sum
        }}}}
        return (y, [n, outputs, oh, ow])
    }

    /// The convolution's backward by its definition, loop by loop: every product w·x of the forward sum sends
    /// dY·x to dW, dY·w to dX and dY to db. Returns dW (O×C·k·k), db (O) and dX (N×C×H×W).
    static func convolutionBackward(_ x: Tensor, weight w: Tensor, outputGradient dy: Tensor, outputs: Int, kernel k: Int,
                                    stride s: Int, padding p: Int) -> (weight: [Double], bias: [Double], input: [Double]) {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = (h + 2 * p - k) / s + 1, ow = (wd + 2 * p - k) / s + 1
        var dw = [Double](repeating: 0, count: outputs * c * k * k), db = [Double](repeating: 0, count: outputs)
        var dx = [Double](repeating: 0, count: x.count)
        for i in 0..<n { for o in 0..<outputs { for oy in 0..<oh { for ox in 0..<ow {
            let g = Double(dy[((i * outputs + o) * oh + oy) * ow + ox])
            db[o] += g
            for ci in 0..<c { for ky in 0..<k { for kx in 0..<k {
                let yy = oy * s - p + ky, xx = ox * s - p + kx
                guard yy >= 0 && yy < h && xx >= 0 && xx < wd else { continue }
                let wi = ((o * c + ci) * k + ky) * k + kx, xi = ((i * c + ci) * h + yy) * wd + xx
                dw[wi] += g * Double(x[xi])
                dx[xi] += g * Double(w[wi])
            }}}
        }}}}
        return (dw, db, dx)
    }

    /// The pooled size by its definition, window by window: window j starts at j·stride − pad. Ceil mode (Caffe):
    /// it exists if it is the first or the previous one ended before the end of the padded input, and — when there
    /// is padding — it does not start beyond the image (Caffe's clip). Floor mode (PyTorch): it exists if it ends
    /// inside the padded input.
    static func pooledSize(_ size: Int, kernel: Int, stride: Int, padding: Int, floor: Bool = false) -> Int {
        var count = 0
        while true {
            let start = count * stride - padding
            if floor {
                if count > 0 && start + kernel > size + padding { break }
            } else {
                if count > 0 && (count - 1) * stride - padding + kernel >= size + padding { break }
                if padding > 0 && start >= size { break }
            }
            count += 1
        }
        return count
    }

    /// Max or average pooling in Float64; average divides by the window's area inside the padded image.
    static func pool(_ x: Tensor, kernel k: Int, stride s: Int, padding p: Int, max isMax: Bool,
                     floor: Bool = false) -> (values: [Double], shape: [Int]) {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let oh = pooledSize(h, kernel: k, stride: s, padding: p, floor: floor)
        let ow = pooledSize(w, kernel: k, stride: s, padding: p, floor: floor)
        var y = [Double](repeating: 0, count: n * c * oh * ow)
        for i in 0..<n { for ch in 0..<c { for oy in 0..<oh { for ox in 0..<ow {
            var best = -Double.infinity, sum = 0.0, area = 0
            for ky in 0..<k { for kx in 0..<k {
                let yy = oy * s - p + ky, xx = ox * s - p + kx
                if yy < h + p && xx < w + p { area += 1 }      // inside the padded image
                if yy >= 0 && yy < h && xx >= 0 && xx < w {
                    let v = Double(x[((i * c + ch) * h + yy) * w + xx])
                    best = Swift.max(best, v)
                    sum += v
                }
            }}
            y[((i * c + ch) * oh + oy) * ow + ox] = isMax ? best : sum / Double(area)
        }}}}
        return (y, [n, c, oh, ow])
    }
}

func maxDifference(_ tensor: Tensor, _ reference: [Double]) -> Double {
    precondition(tensor.count == reference.count)
    var worst = 0.0
    for i in 0..<tensor.count { worst = max(worst, abs(Double(tensor[i]) - reference[i])) }
    return worst
}
