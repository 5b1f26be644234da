// The training section of the benchmark: dsh-cifar (12 bits) training and encoding speed on CIFAR-10-sized
// inputs, and the peak memory while training.
import Foundation
import Learning
import Seeding

/// Random CIFAR-sized labelled images (speed does not depend on the pixel values).
private func randomImages(count: Int, seed: UInt64) -> LabeledImages {
    var generator = SeededGenerator(seed: seed)
    let pixels = (0..<count * 3 * 32 * 32).map { _ in UInt8(truncatingIfNeeded: generator.next() >> 56) }
    let labels = (0..<count).map { _ in Int32(generator.next() % 10) }
    return LabeledImages(count: count, channels: 3, height: 32, width: 32, pixels: pixels, labels: labels,
                         classNames: (0..<10).map { "class\($0)" })
}

func trainingBenchmarks() throws -> [Figure] {
    let spec = NetSpec.dshCIFAR(bits: 12)
    if ProcessInfo.processInfo.environment["HASHLAB_PROFILE"] == "only" {
        try profile(network: try Network(spec: spec, seed: 1))
        return []
    }
    let load = loadAverage()
    let context = "\(Kernels.workerCount) workers, BLAS \(Kernels.blasCoreName), load \(load)"

    // Training: the training run `train` drives for a DSH model — forward, DSH's pairwise loss over the batch,
    // backward, Adam, at batch 64 without augmentation (as the PyTorch anchor, torch_speed.py, does), batching
    // included.
    let images = randomImages(count: 64 * 60, seed: 1)
    var hyperparameters = try HashingHyperparameters(method: .dsh, bits: 12)
    hyperparameters.net = .dshCIFAR
    hyperparameters.batchSize = 64
    try HashingModel(hyperparameters: hyperparameters).train(on: randomImages(count: 64 * 4, seed: 2), epochs: 1)
    let model = try HashingModel(hyperparameters: hyperparameters)
    let cpuBefore = processorSeconds()
    // Three epochs of 60 batches (about 5 s): one epoch alone moved by ±15% from run to run on these VMs; the
    // PyTorch anchor averages 10 s.
    let epochs = 3
    let run = try TrainingRun(model: model, images: images, moreEpochs: epochs)
    let trainSeconds = try seconds { try run.run() }
    let trainCPU = processorSeconds() - cpuBefore
    let trainRate = Double(epochs * images.count) / trainSeconds
    // What two otherwise idle cores would do, from the CPU time this process used (other helpers' builds share
    // the machine): an estimate, not a measurement.
    let idleEstimate = Double(epochs * images.count) / trainCPU * Double(Kernels.workerCount)
    let peak = peakResidentMegabytes()

    // Encoding: what `encode` runs — the model's forward pass to its code layer at batch 256, and the signs.
    let encodeImages = randomImages(count: 256 * 16, seed: 3)
    _ = try model.encode(randomImages(count: 256, seed: 4), batchSize: 256)
    if ProcessInfo.processInfo.environment["HASHLAB_PROFILE"] == "encode" {
        // The steadiest figure for comparing two builds: the best of 10 encodes (these VMs move by ±15% run to run).
        var best = Double.infinity
        for _ in 0..<10 { best = min(best, try seconds { _ = try model.encode(encodeImages, batchSize: 256) }) }
        FileHandle.standardError.write("encode, best of 10: \(Int(Double(encodeImages.count) / best)) img/s\n".data(using: .utf8)!)
        return []
    }
    // Four passes over 4,096 images (about 2 s), for the same reason.
    let encodePasses = 4
    let encodeCPUBefore = processorSeconds()
    let encodeSeconds = try seconds { for _ in 0..<encodePasses { _ = try model.encode(encodeImages, batchSize: 256) } }
    let encoded = Double(encodePasses * encodeImages.count)
    let encodeRate = encoded / encodeSeconds
    let encodeIdleEstimate = encoded / (processorSeconds() - encodeCPUBefore) * Double(Kernels.workerCount)

    if ProcessInfo.processInfo.environment["HASHLAB_PROFILE"] != nil, let network = model.network {
        try profile(network: network)
    }

    // The two GEMM backends on conv2's forward shape at batch 64 split in groups of 16 (32 × 4096 × 800).
    var gemmFigures: [Figure] = []
    for backend in MatrixBackend.allCases {
        var generator = SeededGenerator(seed: 6)
        let a = Tensor(shape: [32, 800], values: (0..<32 * 800).map { _ in Float(generator.nextGaussian()) })
        let b = Tensor(shape: [800, 4096], values: (0..<800 * 4096).map { _ in Float(generator.nextGaussian()) })
        _ = Kernels.product(a, b, backend: backend)
        let repeats = 10
        let cpu = processorTime { for _ in 0..<repeats { _ = Kernels.product(a, b, backend: backend) } }
        gemmFigures.append(Figure(key: "gemm_conv2_gflops_\(backend.rawValue)",
                                  value: 2.0 * 32 * 4096 * 800 * Double(repeats) / cpu / 1e9, unit: "GFLOP/s",
                                  note: "one core, per CPU second: 32×800 · 800×4096"))
    }
    return [
        Figure(key: "train_images_per_s", value: trainRate, unit: "img/s",
               note: "dsh-cifar 12 bits, batch 64, fwd+DSH loss+bwd+Adam (\(context); CPU-time estimate on idle cores "
                   + "\(Int(idleEstimate)))"),
        Figure(key: "encode_images_per_s", value: encodeRate, unit: "img/s",
               note: "dsh-cifar encode (forward to the codes), batch 256 (CPU-time estimate on idle cores \(Int(encodeIdleEstimate)))"),
        Figure(key: "train_peak_rss_mb", value: peak, unit: "MB", note: "peak resident memory after training"),
    ] + gemmFigures
}

/// User + system CPU seconds of this process so far (all threads).
private func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds (all threads) spent in `body`.
private func processorTime(_ body: () -> Void) -> Double {
    let start = processorSeconds()
    body()
    return processorSeconds() - start
}

/// Per-layer forward/backward CPU times (all threads) at batch 64, the least of 20 runs (robust to other load on
/// the machine), printed to standard error with HASHLAB_PROFILE set (`only`: nothing else is measured; `encode`:
/// the best of 10 encodes instead of the figures).
private func profile(network: Network) throws {
    var generator = SeededGenerator(seed: 5)
    let input = Tensor(shape: [64, 3, 32, 32], values: (0..<64 * 3 * 1024).map { _ in Float(generator.nextGaussian()) })
    var activations = [input]
    var forwardTimes = [Double](repeating: .infinity, count: network.layers.count), backwardTimes = forwardTimes
    let repeats = 20
    for _ in 0..<repeats {
        activations = [input]
        for (index, layer) in network.layers.enumerated() {
            var output = Tensor(shape: [0])
            layer.forward(input: activations[index], output: &output, training: true)
            forwardTimes[index] = min(forwardTimes[index], processorTime { layer.forward(input: activations[index], output: &output, training: true) })
            activations.append(output)
        }
        var gradient = Tensor(shape: activations.last!.shape, repeating: 0.01)
        for index in network.layers.indices.reversed() {
            var inputGradient = Tensor(shape: [0])
            let layer = network.layers[index]
            layer.backward(input: activations[index], output: activations[index + 1], outputGradient: gradient,
                           inputGradient: &inputGradient)
            backwardTimes[index] = min(backwardTimes[index], processorTime {
                layer.backward(input: activations[index], output: activations[index + 1], outputGradient: gradient,
                               inputGradient: &inputGradient)
            })
            gradient = inputGradient
        }
    }
    FileHandle.standardError.write("least CPU ms of \(repeats) runs, batch 64 (load \(loadAverage()))\n".data(using: .utf8)!)
    for (index, layer) in network.layers.enumerated() {
        FileHandle.standardError.write(String(format: "%-28@ fwd %7.2f  bwd %7.2f CPU ms\n", "\(layer.spec)" as NSString,
                                              forwardTimes[index] * 1000, backwardTimes[index] * 1000).data(using: .utf8)!)
    }
}

/// The one-minute load average (other processes competing for the two cores).
private func loadAverage() -> String {
    String((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first ?? "?")
}
