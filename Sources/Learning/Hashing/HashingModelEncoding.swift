import Codes
import Foundation

// What a hashing model gives for images: the real outputs of its code layer, and their signs as codes — the one
// path `encode`, `eval`, `search`, a training run's measurements and the benchmark all take.

extension HashingModel {
    /// The real outputs of the code layer for every image (in order, normalised, not augmented, inference mode):
    /// `images.count × bits`. An untrained model builds its network from its seed and, lacking training
    /// statistics, normalises with the statistics of `images` itself. `shouldStop` is asked before every batch;
    /// when it answers true the pass ends with a `CancellationError` (a partial set of outputs is kept nowhere).
    public func outputs(for images: LabeledImages, batchSize: Int = 256,
                        shouldStop: () -> Bool = { false }) throws -> Tensor {
        if method.isShallow { return try shallowOutputs(for: images, shouldStop: shouldStop) }
        let shape = [images.channels, images.height, images.width]
        if network == nil { try buildNetwork(inputShape: shape) }
        guard let network, let codeLayerIndex, shape == inputShape else {
            throw HashingError("images are \(shape.map(String.init).joined(separator: "x")) but the model takes "
                               + (inputShape ?? []).map(String.init).joined(separator: "x"))
        }
        var output = try network.outputs(for: images, normalization: normalization ?? Normalization(measuring: images),
                                         batchSize: batchSize, throughLayer: codeLayerIndex, shouldStop: shouldStop)
        if let codewords = try classCodewords(), images.count > 0 { output = codewords.outputs(forScores: output) }
        precondition(images.count == 0 || output.itemSize == bits, "code layer gives \(output.itemSize) values, not \(bits)")
        return output.count == 0 ? Tensor(shape: [0, bits]) : output
    }

    /// The binary codes of `images` (labelled with their labels): outputs above `codeThreshold` are 1-bits.
    public func encode(_ images: LabeledImages, batchSize: Int = 256,
                       shouldStop: () -> Bool = { false }) throws -> CodeSet {
        let real = try outputs(for: images, batchSize: batchSize, shouldStop: shouldStop)
        var codes = try CodeSet(realOutputs: real.storage, bitCount: bits, threshold: codeThreshold,
                                labels: images.labels)
        codes.classNames = images.classNames
        return codes
    }
}
