/// What a deep hashing method does, as plain data for a reader: its loss written out with the current
/// hyperparameter values substituted, what each term does, how codes are read off the outputs, the papers (with
/// sections) it comes from, and the settings that matter for it. The shell's `explain` lays it out as text; this
/// type only holds words and formulas, so the explanation lives next to the losses it explains
/// (`DeepSupervisedHashingLoss`, `PairwiseLabelLikelihoodLoss`, `TripletLoss`, DLBHC's softmax head in
/// `HashingHyperparameters.netSpec`; the methods after DPSH in SuccessorMethodsExplanation.swift).
///
/// Every knob is named by its declaration in `HashingHyperparameters.specs` (the name `set M.NAME VALUE` takes), with
/// its value from `value(of:)` and its meaning from `HashingHyperparameters.explanations`, so the explanation cannot
/// drift from what the shell accepts. Knobs that change nothing for these settings (DSH's α for DPSH, momentum for
/// Adam, …) are left out: see `HashingHyperparameters.applies(_:)`.
public struct HashingExplanation: Sendable, Equatable {
    /// One term of the loss and what it does.
    public struct Term: Sendable, Equatable {
        /// The term as written in the loss (symbols, not values).
        public var formula: String
        /// What it does, in a sentence (values substituted where they help).
        public var meaning: String
    }

    /// A paper (or other published source) behind the method.
    public struct Source: Sendable, Equatable {
        /// Authors, title, venue and year.
        public var citation: String
        /// Where in it to read ("§3.1–3.2"), or nil when only the paper is cited.
        public var section: String?
        /// What this source contributes (the loss, the mining, …).
        public var contribution: String
    }

    /// One setting with its current value.
    public struct Knob: Sendable, Equatable {
        /// A `HashingHyperparameters.names` entry.
        public var name: String
        public var value: String
        /// `HashingHyperparameters.explanations[name]`.
        public var meaning: String
    }

    public var method: HashingMethod
    /// The method's name and what it is, in a line.
    public var title: String
    /// What the loss runs over (pairs, triplets, images) and what the symbols stand for.
    public var setting: String
    /// The loss with the current values substituted for m, α, η, β, the margin, k.
    public var loss: String
    /// The substituted values, each with its symbol and knob name: "m = 24 (auto: 2 × 12 bits)".
    public var values: [String]
    public var terms: [Term]
    /// How a code is read off the code layer's outputs.
    public var codeRule: String
    public var sources: [Source]
    /// The method's own settings (those that appear in its loss or change its net).
    public var methodKnobs: [Knob]
    /// The other settings that apply (net, optimiser, schedule, …), in `HashingHyperparameters.names` order.
    public var trainingKnobs: [Knob]
    /// Things a reader should know: known failure modes and the fixes this project offers, departures from the
    /// paper.
    public var notes: [String]
}

extension HashingHyperparameters {
    /// The method explained with these values (see `HashingExplanation`).
    public var explanation: HashingExplanation {
        func knob(_ name: String) -> HashingExplanation.Knob {
            HashingExplanation.Knob(name: name, value: (try? value(of: name)) ?? "?",
                                    meaning: HashingHyperparameters.explanations[name] ?? "")
        }
        func text(_ name: String) -> String { (try? value(of: name)) ?? "?" }
        let own = HashingHyperparameters.ownNames(of: method).filter(applies)
        let training = HashingHyperparameters.names.filter { $0 != "method" && !own.contains($0) && applies($0) }
        var explanation = HashingExplanation(
            method: method, title: "", setting: "", loss: "", values: [], terms: [], codeRule: "", sources: [],
            methodKnobs: own.map(knob), trainingKnobs: training.map(knob), notes: [])
        let k = String(bits)
        switch method {
        case .dlbhc:
            explanation.title = "DLBHC — Deep Learning of Binary Hash Codes: a classifier squeezed through a "
                + "sigmoid latent layer of \(k) units, whose rounded outputs are the code"
            explanation.setting = "for every image of a batch with label y; net → fc(\(k))"
                + (codeBatchNormalization ? " → batch norm" : "") + " → h = σ(u) (the latent layer) → fc(classes) → softmax"
            explanation.loss = "L = −(1/N) Σᵢ log softmax(W·hᵢ + c)[yᵢ]"
            explanation.values = ["k = \(k) latent units (bits)"]
            explanation.terms = [
                .init(formula: "−log softmax(W·hᵢ + c)[yᵢ]",
                      meaning: "cross-entropy of the class scores computed from the \(k) latent units only: to "
                          + "classify well, h must summarise the class"),
                .init(formula: "hᵢ = σ(uᵢ)",
                      meaning: "squashes each unit into (0, 1); once units saturate near 0 or 1, rounding them "
                          + "loses little"),
            ]
            explanation.codeRule = "bit j is 1 where hⱼ = σ(uⱼ) > 0.5; the classifier on top is used only in training"
            explanation.sources = [
                .init(citation: "Lin, Yang, Hsiao & Chen, \"Deep learning of binary hash codes for fast image "
                          + "retrieval\", CVPR Workshops 2015", section: "§3",
                      contribution: "the latent layer and its training"),
            ]
            explanation.notes = [
                "Nothing in the loss asks each bit to split the images evenly or the bits to differ from one "
                    + "another: look at the bit balance and correlation with `hist M on DATA`.",
                "The paper fine-tunes an ImageNet-pretrained AlexNet and re-ranks the Hamming neighbours by fc7 "
                    + "features (coarse-to-fine search); here the net trains from scratch and retrieval ranks by "
                    + "the codes alone.",
            ]
        case .dsh:
            let m = HashingHyperparameters.format(effectivePairMargin)
            let a = text("alpha")
            explanation.title = "DSH — Deep Supervised Hashing: similar pairs close, dissimilar pairs at least m "
                + "apart, every output near ±1"
            explanation.setting = "for every pair (b₁, b₂) of a batch, b being the \(k) real outputs; y = 0 when "
                + "the two share a label, 1 when not"
            explanation.loss = "L = ½(1−y)‖b₁−b₂‖² + ½y·max(\(m) − ‖b₁−b₂‖², 0) + \(a)·(‖|b₁|−1‖₁ + ‖|b₂|−1‖₁)"
            explanation.values = [
                "m = \(m)" + (pairMargin == nil ? " (auto: 2 × \(k) bits)" : ""),
                "α = \(a)",
            ]
            explanation.terms = [
                .init(formula: "½(1−y)‖b₁−b₂‖²", meaning: "pulls a similar pair together"),
                .init(formula: "½y·max(m − ‖b₁−b₂‖², 0)",
                      meaning: "pushes a dissimilar pair apart until its squared distance reaches m = \(m); "
                          + "beyond the margin it costs nothing (for ±1 outputs a squared distance of 4 is one "
                          + "differing bit)"),
                .init(formula: "α(‖|b₁|−1‖₁ + ‖|b₂|−1‖₁)",
                      meaning: "the relaxation's regulariser: draws every output towards ±1 with weight α = \(a), so "
                          + "that taking the sign loses little"),
            ]
            explanation.codeRule = "bit j is 1 where bⱼ > 0 (the sign)"
            explanation.sources = [
                .init(citation: "Liu, Wang, Shan & Chen, \"Deep Supervised Hashing for Fast Image Retrieval\", "
                          + "CVPR 2016", section: "§3.1–3.2",
                      contribution: "the pair loss and its relaxation with the regulariser"),
            ]
            explanation.notes = [
                "Pairs are summed over the batch and scaled as the authors' Caffe layer does; α = 0 leaves the "
                    + "outputs spread around 0, where a small change flips a bit (`hist M on DATA` shows it).",
            ]
        case .dpsh:
            let eta = text("eta")
            let balance = text("balance")
            explanation.title = "DPSH — Deep Pairwise-Supervised Hashing: the likelihood of the pair labels, "
                + "with outputs pulled towards their codes"
            explanation.setting = "for image i of a batch against every training image j (their latest outputs are "
                + "remembered); s = 1 when i and j share a label, 0 when not; u = the \(k) real outputs, b = sign(u)"
            if pairBalance == 0 {
                explanation.loss = "L = −Σᵢⱼ (sᵢⱼΘᵢⱼ − log(1 + e^Θᵢⱼ)) + \(eta)·Σᵢ ‖bᵢ − uᵢ‖²,  Θᵢⱼ = ½uᵢᵀuⱼ"
            } else {
                explanation.loss = "L = −Σᵢⱼ wᵢⱼ(sᵢⱼΘᵢⱼ − log(1 + e^Θᵢⱼ)) + \(eta)·Σᵢ ‖bᵢ − uᵢ‖²,  Θᵢⱼ = ½uᵢᵀuⱼ"
            }
            explanation.values = ["η = \(eta)", "β = \(balance) (balance" + (pairBalance == 0 ? ": off, the paper)" : ")")]
            explanation.terms = [
                .init(formula: "−(sᵢⱼΘᵢⱼ − log(1 + e^Θᵢⱼ))",
                      meaning: "the negative log-likelihood of the pair's label under p(sᵢⱼ = 1) = σ(Θᵢⱼ): similar "
                          + "pairs' outputs should point the same way (Θ large), dissimilar ones opposite ways"),
                .init(formula: "η‖bᵢ − uᵢ‖²",
                      meaning: "quantisation: pulls each output towards its code ±1, with weight η = \(eta)"),
            ]
            if pairBalance > 0 {
                explanation.terms.append(.init(
                    formula: "wᵢⱼ = (1−β) + β/(2p) if similar, (1−β) + β/(2(1−p)) if not",
                    meaning: "pair balance with β = \(balance): p is the share of similar pairs, so that similar "
                        + "and dissimilar pairs carry " + (pairBalance == 1 ? "half of the loss each" : "more equal shares")))
            }
            explanation.codeRule = "bit j is 1 where uⱼ > 0 (the sign)"
            explanation.sources = [
                .init(citation: "Li, Wang & Kang, \"Feature Learning based Deep Supervised Hashing with Pairwise "
                          + "Labels\", IJCAI 2016", section: "§3", contribution: "the model and its learning"),
                .init(citation: "Cao, Long, Wang & Yu, \"HashNet: Deep Learning to Hash by Continuation\", ICCV 2017",
                      section: nil, contribution: "the weighted likelihood behind `balance`"),
            ]
            explanation.notes = [
                "The collapse: trained from scratch, the plain likelihood can end with (nearly) one code for every "
                    + "image. With c classes only about 1/c of the pairs are similar; before any feature separates "
                    + "the classes, the cheapest way to lower the dissimilar pairs' loss is to shrink every Θ towards "
                    + "0, where the loss sits at log 2 ≈ 0.693 and the gradient vanishes with the outputs (a "
                    + "saddle). The paper starts from a pretrained net and does not meet it.",
                "The fixes here, both on by default: batch norm on the code layer (batch-norm, now "
                    + text("batch-norm") + ") keeps the outputs from shrinking freely; pair balance (balance, now "
                    + balance + "; 1 = similar and dissimilar pairs weigh half each, 0 = the paper) gives the few "
                    + "similar pairs as much say as the rest. On CIFAR-10 (docs/RESULTS.md) batch norm alone "
                    + "reached mAP 0.343 at 12 bits but collapsed at 48 (0.100); with balance 0.431 and 0.462.",
                "The loss of the first epoch is low and then rises: the memory starts at zeros, whose pairs cost "
                    + "exactly log 2; compare losses from the second epoch on.",
            ]
        case .triplet:
            let margin = text("margin")
            explanation.title = "Triplet hashing — a ranking loss: an image of the anchor's class must be closer "
                + "than one of another class, by a margin"
            explanation.setting = "for triplets (a, p, n) of a batch: anchor a, positive p with a's label, negative n "
                + "with another; u = the \(k) real outputs"
            explanation.loss = "L = max(0, ‖uₐ − uₚ‖² − ‖uₐ − uₙ‖² + \(margin)), averaged over the triplets mining "
                + "picks"
            explanation.values = [
                "margin = \(margin)" + (tripletMargin == Double(bits) / 2 ? " (the default, bits/2)" : ""),
                "mining = \(mining.rawValue)",
            ]
            let picked: String
            switch mining {
            case .all: picked = "every valid triplet of the batch"
            case .hard: picked = "per anchor, its farthest positive and nearest negative (batch hard)"
            case .semiHard: picked = "per anchor–positive pair, the nearest negative still farther than the positive "
                + "(semi-hard)"
            }
            explanation.terms = [
                .init(formula: "‖uₐ − uₚ‖²", meaning: "pulls the positive towards the anchor"),
                .init(formula: "−‖uₐ − uₙ‖²", meaning: "pushes the negative away from the anchor"),
                .init(formula: "+ margin, max(0, ·)",
                      meaning: "until the negative is farther by at least \(margin) (for ±1 outputs a squared "
                          + "distance of 4 is one bit); a satisfied triplet contributes nothing"),
                .init(formula: "mining \(mining.rawValue)", meaning: "trains on " + picked),
            ]
            explanation.codeRule = "bit j is 1 where uⱼ > 0 (the sign)"
            explanation.sources = [
                .init(citation: "Schroff, Kalenichenko & Philbin, \"FaceNet: A Unified Embedding for Face Recognition "
                          + "and Clustering\", CVPR 2015", section: "§3.1–3.2",
                      contribution: "the triplet loss and triplet selection (semi-hard negatives)"),
                .init(citation: "Lai, Pan, Liu & Yan, \"Simultaneous Feature Learning and Hash Coding with Deep "
                          + "Neural Networks\", CVPR 2015", section: nil,
                      contribution: "a triplet ranking loss for hashing"),
                .init(citation: "Hermans, Beyer & Leibe, \"In Defense of the Triplet Loss for Person "
                          + "Re-Identification\", arXiv 2017", section: nil, contribution: "batch-hard mining"),
            ]
            explanation.notes = [
                "Hard mining from a random start can pull the outputs to one point, where every distance is equal "
                    + "and the loss sits near the margin; all or semi-hard triplets are the safer start.",
            ]
        case .hashnet, .greedyhash, .csq, .classifier:
            explainSuccessorMethod(&explanation)
        case .lsh, .pcah, .itq, .sh, .ksh, .sdh:
            explainShallowMethod(&explanation)
        }
        return explanation
    }
}
