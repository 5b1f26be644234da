// What each method that followed DPSH does, for `explain`: HashNet, GreedyHash, CSQ, and the classifier baseline that
// judges them. The maths itself is beside the losses and layers: HashNetLoss and ScaledTanhLayer,
// SignStraightThroughLayer, CentralSimilarityLoss and HashCenters, ClassCodewords.

extension HashingHyperparameters {
    /// Fills `explanation` for HashNet, GreedyHash, CSQ or the classifier baseline with these values.
    func explainSuccessorMethod(_ explanation: inout HashingExplanation) {
        switch method {
        case .hashnet: explainHashNet(&explanation)
        case .greedyhash: explainGreedyHash(&explanation)
        case .csq: explainCentralSimilarity(&explanation)
        default: explainClassifier(&explanation)
        }
    }

    private func text(_ name: String) -> String { (try? value(of: name)) ?? "?" }

    private func explainHashNet(_ explanation: inout HashingExplanation) {
        let k = String(bits), alpha = text("sigmoid-alpha"), gamma = text("continuation"), balance = text("balance")
        explanation.title = "HashNet — deep learning to hash by continuation: the pairs' likelihood, weighted against "
            + "their imbalance, on tanh(β·z), which becomes sign(z) as β grows"
        explanation.setting = "for every pair (i, j) of a batch, i = j included; s = 1 when the two share a label, 0 "
            + "when not; z = the \(k) outputs of the last linear layer, h = tanh(β·z) the code layer"
        explanation.loss = "L = (1/N²) Σᵢⱼ " + (pairBalance == 0 ? "" : "wᵢⱼ·")
            + "(log(1 + e^Θᵢⱼ) − sᵢⱼΘᵢⱼ),  Θᵢⱼ = \(alpha)·hᵢᵀhⱼ"
        explanation.values = [
            "α = \(alpha)" + (sigmoidAlpha == nil ? " (auto: 10/\(k) bits)" : ""),
            "h = tanh(β·z) with β = √(1 + \(gamma)·step) (γ = continuation): 1 at the start, "
                + String(format: "%.2f after 1,000 steps", Double(ScaledTanhLayer.beta(growth: continuation, step: 1000))),
            "balance = \(balance)" + (pairBalance == 1 ? " (HashNet's weighting)" : pairBalance == 0 ? " (off)" : ""),
        ]
        explanation.terms = [
            .init(formula: "log(1 + e^Θᵢⱼ) − sᵢⱼΘᵢⱼ",
                  meaning: "the negative log-likelihood of the pair's label under p(sᵢⱼ = 1) = σ(Θᵢⱼ), as DPSH's; α = "
                      + "\(alpha) sets how sharply σ turns with the Hamming distance (hᵢᵀhⱼ = k − 2·distance for ±1 "
                      + "codes)"),
            .init(formula: "wᵢⱼ = (1−b) + b/(2p) if similar, (1−b) + b/(2(1−p)) if not",
                  meaning: "weighted maximum likelihood with b = balance = \(balance): p is the share of similar pairs "
                      + "in the batch (about 1/classes), so that the few similar pairs weigh as much as the many "
                      + "dissimilar ones"),
            .init(formula: "h = tanh(β·z), β = √(1 + γ·step)",
                  meaning: "continuation: a smooth tanh at first, so that gradients flow, steepening towards sign(z) "
                      + "as training goes on, so that the outputs end (nearly) binary with no quantisation term"),
        ]
        explanation.codeRule = "bit j is 1 where hⱼ > 0, i.e. zⱼ > 0 (β does not change the sign)"
        explanation.sources = [
            .init(citation: "Cao, Long, Wang & Yu, \"HashNet: Deep Learning to Hash by Continuation\", ICCV 2017",
                  section: nil, contribution: "the weighted likelihood, the adaptive sigmoid and the continuation"),
            .init(citation: "thuml/HashNet (the authors' code), pytorch/src/train.py and network.py", section: nil,
                  contribution: "α = 10/bits and β = (1 + 0.005·iteration)^½"),
        ]
        explanation.notes = [
            "What it fixes: the sign's gradient, zero almost everywhere, by continuation instead of a quantisation "
                + "penalty; and DPSH's imbalance of dissimilar pairs, by weighting (`balance`, shared with DPSH).",
            "β is recomputed before every step from the optimiser's step count (the authors' code every 200 "
                + "iterations, DeepHash-pytorch every 20 epochs); the model keeps its last β for `hist`. The "
                + "reference weights S/S₁ and S/S₀ average 2, so its loss is twice the one shown.",
        ]
    }

    private func explainGreedyHash(_ explanation: inout HashingExplanation) {
        let k = String(bits), penalty = text("penalty")
        explanation.title = "GreedyHash — a classifier trained on the binary codes themselves, the gradient passed "
            + "straight through the sign"
        explanation.setting = "for every image of a batch with label y; net → fc(\(k))"
            + (codeBatchNormalization ? " → batch norm" : "") + " → h (the code layer) → b = sign(h) → fc(classes) "
            + "→ softmax; backward, dL/dh = dL/db"
        explanation.loss = "L = −(1/N) Σᵢ log softmax(W·bᵢ + c)[yᵢ] + \(penalty)·(1/(N·\(k))) Σᵢⱼ |(|hᵢⱼ| − 1)|³,  "
            + "bᵢ = sign(hᵢ)"
        explanation.values = ["penalty λ = \(penalty)", "k = \(k) bits"]
        explanation.terms = [
            .init(formula: "−log softmax(W·bᵢ + c)[yᵢ]",
                  meaning: "cross-entropy of the class scores computed from the binary code b itself: the codes "
                      + "retrieval will use are the ones that learn to tell the classes apart"),
            .init(formula: "b = sign(h), dL/dh = dL/db",
                  meaning: "the straight-through sign: forward the exact binary code, backward the gradient as if the "
                      + "sign were the identity (its true derivative is 0 almost everywhere)"),
            .init(formula: "λ·mean |(|h| − 1)|³",
                  meaning: "draws every h towards ±1 with weight λ = \(penalty), so that the identity the backward "
                      + "pretends is close to the sign the forward takes"),
        ]
        explanation.codeRule = "bit j is 1 where hⱼ > 0: the b the classifier was trained on"
        explanation.sources = [
            .init(citation: "Su, Zhang, Han & Tian, \"Greedy Hash: Towards Fast Optimization for Accurate Hash Coding "
                      + "in CNN\", NeurIPS 2018", section: nil,
                  contribution: "the greedy principle, the hash layer and its penalty"),
            .init(citation: "ssppp/GreedyHash (the authors' code), cifar1.py", section: nil,
                  contribution: "λ = 0.1 and the penalty as a mean over the batch's outputs"),
        ]
        explanation.notes = [
            "What it fixes: the sign's gradient. Earlier methods relax sign to tanh or a sigmoid and pay a quantisation "
                + "gap at the end; GreedyHash trains on sign(h) itself and makes the gap the penalty's business.",
            "The authors' classifier has no bias and trains with SGD (learning rate 1e-3, momentum 0.9, weight decay "
                + "5e-4); here the classifier has a bias (a per-class offset) and the optimiser is the model's.",
        ]
    }

    private func explainCentralSimilarity(_ explanation: inout HashingExplanation) {
        let k = String(bits), lambda = text("lambda")
        let centres = HashCenters.isPowerOfTwo(bits)
            ? "rows of the \(k) × \(k) Hadamard matrix and their opposites, any two \(bits / 2) bits apart (up to "
                + "\(2 * bits) classes; a row and its opposite \(k) apart)"
            : "k = \(k) is not a power of two: Bernoulli(0.5) bits drawn from the seed, about \(bits / 2) bits apart"
        explanation.title = "CSQ — central similarity quantization: one hash centre per class, and every code "
            + "pulled to its class's centre"
        explanation.setting = "for every image of a batch with label y; u = tanh(z), the \(k) outputs of the code "
            + "layer; c_y ∈ {−1, +1}^\(k) the centre of class y"
        explanation.loss = "L = (1/(N·\(k))) Σᵢⱼ BCE((uᵢⱼ + 1)/2, (c_yᵢ,ⱼ + 1)/2) + \(lambda)·(1/(N·\(k))) Σᵢⱼ "
            + "(|uᵢⱼ| − 1)²"
        explanation.values = ["λ = \(lambda)", "centres: \(centres)"]
        explanation.terms = [
            .init(formula: "BCE(p, t) = −t·log p − (1 − t)·log(1 − p)",
                  meaning: "bit by bit, the binary cross-entropy of p = (u + 1)/2 against the centre's bit: pulls "
                      + "each output towards its class's centre, and so away from every other centre"),
            .init(formula: "λ·mean (|u| − 1)²",
                  meaning: "quantisation: draws every output towards ±1 with weight λ = \(lambda)"),
        ]
        explanation.codeRule = "bit j is 1 where uⱼ > 0 (the sign)"
        explanation.sources = [
            .init(citation: "Yuan, Wang, Zhang, Tay, Jie, Liu & Feng, \"Central Similarity Quantization for Efficient "
                      + "Image and Video Retrieval\", CVPR 2020", section: nil,
                  contribution: "hash centres from a Hadamard matrix or Bernoulli draws, and the central loss"),
            .init(citation: "swuxyj/DeepHash-pytorch, CSQ.py", section: nil,
                  contribution: "λ = 1e-4 (the authors' code weighs the quantisation term by 0.05)"),
        ]
        explanation.notes = [
            "What it fixes: the pairs' cost and their imbalance. Pairwise losses look at N² pairs of a batch, only "
                + "about 1/classes of them similar; with a fixed target per image the loss has N·k terms and no "
                + "pairs to balance.",
            "The centres are not stored: they follow from the classes, the bits and the seed, which every saved model "
                + "keeps.",
        ]
    }

    private func explainClassifier(_ explanation: inout HashingExplanation) {
        let k = String(bits)
        var order = 1
        while order * 2 <= bits { order *= 2 }
        explanation.title = "Classifier baseline — a softmax classifier whose code is its predicted class: a test of "
            + "the evaluation protocol, not a hashing method"
        explanation.setting = "for every image of a batch with label y; net → fc(classes)"
            + (codeBatchNormalization ? " → batch norm" : "") + " → softmax; z = the class scores"
        explanation.loss = "L = −(1/N) Σᵢ log softmax(zᵢ)[yᵢ]"
        explanation.values = ["k = \(k) bits, of which the first \(order) hold the codeword"]
        explanation.terms = [
            .init(formula: "−log softmax(zᵢ)[yᵢ]", meaning: "plain classification: nothing about codes or distances"),
            .init(formula: "code = codeword(argmax z)",
                  meaning: "the predicted class written as row c of [H; −H], H the \(order) × \(order) Hadamard "
                      + "matrix: equal codes exactly when the predicted classes are equal, different classes "
                      + "\(order / 2) bits apart"),
        ]
        explanation.codeRule = "the codeword of the predicted class: row c of [H; −H] in the first \(order) bits, −1 "
            + "(bit 0) in the rest"
        explanation.sources = [
            .init(citation: "Sablayrolles, Douze, Usunier & Jégou, \"How should we evaluate supervised hashing?\", "
                      + "ICASSP 2017", section: nil,
                  contribution: "the baseline that encodes a classifier's output, and the protocols it calls for"),
        ]
        explanation.notes = [
            "The lesson: when the database's labels are available for training (the DPSH protocol trains on images "
                + "of the database), retrieving same-class images is classification, and this baseline beats the "
                + "hashing methods on mAP while encoding nothing but the class. Judge retrieval on held-out images, "
                + "or better on classes never seen in training.",
        ]
    }
}
