// What a deep model's hyperparameters set up for training besides the network's shape: each method's loss, the
// settings the layers read (GreedyHash's penalty, HashNet's continuation), and the per-class targets (CSQ's hash
// centres, the classifier's codewords).

extension HashingModel {
    /// The loss `train` descends, for images `images` (whose fingerprint is `data`); DPSH's memory is carried over from
    /// `previous` (same data) or restored from the checkpoint the model was loaded from.
    func makeLoss(for images: LabeledImages, data: String, carryMemoryFrom previous: PairwiseLabelLikelihoodLoss?) throws
        -> Loss {
        let h = hyperparameters
        switch h.method {
        // DLBHC, GreedyHash and the classifier train a classifier on top of their code layer (the net's last layer
        // gives class scores); GreedyHash's penalty is its sign layer's (`configureLayers`).
        case .dlbhc, .greedyhash, .classifier: return SoftmaxCrossEntropy()
        case .lsh, .pcah, .itq, .sh, .ksh, .sdh: throw HashingError("\(h.method) is a shallow method: it has no loss to descend")
        case .dsh: return DeepSupervisedHashingLoss(bits: h.bits, margin: h.effectivePairMargin, alpha: h.alpha)
        case .triplet: return try TripletLoss(margin: h.tripletMargin, mining: h.mining)
        case .hashnet: return HashNetLoss(bits: h.bits, alpha: h.effectiveSigmoidAlpha, pairBalance: h.pairBalance)
        case .csq: return CentralSimilarityLoss(centers: hashCenters!, lambda: h.centralLambda)
        case .dpsh:
            let loss = PairwiseLabelLikelihoodLoss(bits: h.bits, eta: h.eta, trainingLabels: images.labels,
                                                   pairBalance: h.pairBalance)
            if let previous, previous.memory.shape == loss.memory.shape {
                try loss.restoreMemory(previous.memory)
            } else if let saved = savedState, saved.header.metadata[MetadataKey.trainingData] == data,
                      let memory = saved.tensors.first(where: { $0.name == MetadataKey.memoryTensor }) {
                try loss.restoreMemory(memory.tensor)
            }
            pairwiseLoss = loss
            return loss
        }
    }

    /// Hands the layers that read a hyperparameter its current value: GreedyHash's sign its penalty weight, HashNet's
    /// tanh(β·z) its β growth. Called whenever the network is built or the hyperparameters change, so that the layers
    /// always follow the hyperparameters (a loaded model's too).
    func configureLayers() {
        guard let network else { return }
        for layer in network.layers {
            if let sign = layer as? SignStraightThroughLayer { sign.penaltyWeight = hyperparameters.greedyPenalty }
            if let continuation = layer as? ScaledTanhLayer { continuation.growth = hyperparameters.continuation }
        }
    }

    /// CSQ's hash centre of every class (`HashCenters`), one row of ±1 per class; nil for the other methods. They are
    /// not stored: they follow from the classes, the bits and the seed, all of which a checkpoint or a safetensors
    /// file keeps, so a loaded model has the centres it trained with.
    public var hashCenters: [[Float]]? {
        guard method == .csq else { return nil }
        return HashCenters.make(classes: classCount, bits: bits, seed: hyperparameters.seed)
    }

    /// The classifier baseline's codeword of every class (`ClassCodewords`); nil for the other methods.
    public func classCodewords() throws -> ClassCodewords? {
        guard method == .classifier else { return nil }
        return try ClassCodewords(classes: classCount, bits: bits)
    }
}
