import ShallowHashing

// What each shallow method does, for `explain`: its objective (a shallow method minimises one in closed form or by
// alternation, not by gradient descent), its steps, how a code is read off, and the paper it comes from. The maths
// itself is in ShallowHashing, one file per method.

extension HashingHyperparameters {
    /// Fills `explanation` for a shallow method (LSH, PCAH, ITQ, SH, KSH, SDH) with these values.
    func explainShallowMethod(_ explanation: inout HashingExplanation) {
        let k = String(bits)
        let x = "x the \(features) features of an image, μ their training mean"
        let labels = method.shallowMethod?.isSupervised == true ? "labels" : "no labels"
        explanation.notes = [
            "Trained in one pass on the features of the training images (no network, no epochs, \(labels)): "
                + "`train M on DATA` with no epochs. The features here are \(features).",
        ]
        switch method {
        case .lsh:
            explanation.title = "LSH — locality-sensitive hashing: the signs of \(k) random projections"
            explanation.setting = "for every image; \(x); W a d × \(k) matrix of N(0, 1) entries drawn from seed "
                + "\((try? value(of: "seed")) ?? "?")"
            explanation.loss = "nothing is learnt but μ: h(x) = sgn(Wᵀ(x − μ))"
            explanation.terms = [
                .init(formula: "sgn(wⱼᵀ(x − μ))",
                      meaning: "which side of a random hyperplane through μ x lies on; two vectors at angle θ differ "
                          + "in a bit with probability θ/π, so the Hamming distance estimates the angle"),
            ]
            explanation.sources = [
                .init(citation: "Charikar, \"Similarity estimation techniques from rounding algorithms\", STOC 2002",
                      section: "§3", contribution: "the random-hyperplane hash"),
            ]
            explanation.notes.append("It needs many bits before the estimate is sharp: the gap the learnt methods "
                                     + "close at 12–64 bits.")
        case .pcah:
            explanation.title = "PCAH — the signs of the top \(k) principal components"
            explanation.setting = "for every image; \(x); P the \(k) leading eigenvectors of the training covariance"
            explanation.loss = "max tr(Pᵀ Σ P) over PᵀP = I (PCA), then h(x) = sgn(Pᵀ(x − μ))"
            explanation.terms = [
                .init(formula: "Pᵀ Σ P = diag(λ₁ … λ_k)",
                      meaning: "uncorrelated directions of falling variance: the first bits carry most of it"),
            ]
            explanation.sources = [
                .init(citation: "Wang, Kumar & Chang, \"Semi-supervised hashing for scalable image retrieval\", "
                          + "CVPR 2010", section: nil, contribution: "PCAH as a baseline"),
            ]
            explanation.notes.append("Every bit weighs one unit in the Hamming distance although later directions "
                                     + "carry little variance: PCAH loses mAP as bits grow, which ITQ's rotation repairs.")
        case .itq:
            explanation.title = "ITQ — iterative quantization: PCA, then the rotation that brings the data closest "
                + "to the hypercube's corners"
            explanation.setting = "for every image; \(x); V = (X − μ)P the \(k) principal coordinates of the training set"
            explanation.loss = "Q(B, R) = ‖B − VR‖²_F over B ∈ {−1, +1}^(n×\(k)) and orthogonal R, alternated "
                + "\((try? value(of: "iterations")) ?? "?") times from a random rotation"
            explanation.values = ["iterations = \((try? value(of: "iterations")) ?? "?")"]
            explanation.terms = [
                .init(formula: "B = sgn(VR)", meaning: "the best codes for a fixed rotation"),
                .init(formula: "R = ŜSᵀ for BᵀV = SΩŜᵀ",
                      meaning: "the orthogonal Procrustes solution: the best rotation for fixed codes; neither step "
                          + "can raise Q"),
            ]
            explanation.sources = [
                .init(citation: "Gong & Lazebnik, \"Iterative Quantization: A Procrustes Approach to Learning Binary "
                          + "Codes\", CVPR 2011", section: "§2", contribution: "the quantisation loss and its alternation"),
            ]
        case .sh:
            explanation.title = "SH — spectral hashing: the \(k) smallest analytical eigenfunctions of a box along "
                + "the principal directions"
            explanation.setting = "for every image; \(x); v its principal coordinates, [aⱼ, bⱼ] their range on the "
                + "training set"
            explanation.loss = "min Σᵢⱼ Wᵢⱼ‖yᵢ − yⱼ‖² with balanced, uncorrelated bits, relaxed and solved for a "
                + "uniform density: Φ(x) = sin(π/2 + mπ(vⱼ − aⱼ)/(bⱼ − aⱼ))"
            explanation.terms = [
                .init(formula: "λ ∝ 1 − exp(−ε²ω²/2), ω = mπ/(b − a)",
                      meaning: "the eigenvalue of mode m along direction j; the \(k) smallest are the bits"),
            ]
            explanation.sources = [
                .init(citation: "Weiss, Torralba & Fergus, \"Spectral Hashing\", NIPS 2008", section: "§3–4",
                      contribution: "the relaxation and its eigenfunctions"),
            ]
        case .ksh:
            let iterations = (try? value(of: "iterations")) ?? "?", anchors = (try? value(of: "anchors")) ?? "?"
            let labelled = KernelSupervisedHashing.defaultLabelledCount
            explanation.title = "KSH — supervised hashing with kernels: bit by bit, signs of kernel functions of "
                + "\(anchors) anchors whose code inner products fit the pairwise labels"
            explanation.setting = "for l labelled training images (\(labelled) drawn from the seed, or all if fewer); "
                + "S ∈ {±1}^(l×l) their pairwise labels (+1 same class); k̄(x) = (exp(−‖x − aⱼ‖²/2σ²) for "
                + "\(anchors) anchors aⱼ) − μ, centred by its training mean; K̄ the rows k̄(xᵢ)ᵀ; bit j = sgn(k̄(x)ᵀaⱼ)"
            explanation.loss = "min ‖BBᵀ − \(k)·S‖²_F with B = sgn(K̄A), greedily: bit j maximises bⱼᵀRⱼ₋₁bⱼ for the "
                + "residue Rⱼ₋₁ = \(k)·S − Σ_{t<j} b_t b_tᵀ"
            explanation.values = ["iterations = \(iterations) (most gradient steps per bit)", "anchors = \(anchors)",
                                  "l = \(labelled) at most",
                                  "σ = root mean squared distance of the training points to the anchors"]
            explanation.terms = [
                .init(formula: "bᵢᵀbⱼ = \(k) − 2·Hamming(i, j)",
                      meaning: "code inner products, linear in each bit: fitting them to \(k)·Sᵢⱼ asks for distance "
                          + "0 within a class and \(k) between classes"),
                .init(formula: "K̄ᵀRK̄ a = λ K̄ᵀK̄ a",
                      meaning: "the spectral start of each bit: the sign dropped, the largest generalised eigenvector"),
                .init(formula: "φ(x) = 2/(1 + e^(−x)) − 1",
                      meaning: "the sign made smooth, so that gradient steps (Nesterov's) can refine a; kept only if "
                          + "its true signs fit the residue better"),
            ]
            explanation.sources = [
                .init(citation: "Liu, Wang, Ji, Jiang & Chang, \"Supervised Hashing with Kernels\", CVPR 2012",
                      section: "§3", contribution: "the code inner product objective and its greedy, bit-by-bit solution"),
            ]
        case .sdh:
            let iterations = (try? value(of: "iterations")) ?? "?", anchors = (try? value(of: "anchors")) ?? "?"
            explanation.title = "SDH — supervised discrete hashing: codes a linear classifier reads the labels "
                + "from, regressed on RBF features of \(anchors) anchors"
            explanation.setting = "for the n training images with one-hot labels Y; B ∈ {−1, +1}^(n×\(k)) their "
                + "codes; φ(x) = (exp(−‖x − aⱼ‖²/2σ²) for \(anchors) anchors aⱼ drawn from the training set, 1); "
                + "Φ the rows φ(xᵢ)ᵀ"
            explanation.loss = "‖Y − BW‖² + λ‖W‖² + ν‖B − ΦP‖² + λ_F‖P‖², alternated \(iterations) times: "
                + "G-step W, F-step P, B-step B (discrete, bit by bit)"
            explanation.values = ["λ = \(SupervisedDiscreteHashing.classifierRidge)",
                                  "ν = \(SupervisedDiscreteHashing.regressionWeight)",
                                  "λ_F = \(SupervisedDiscreteHashing.regressionRidge)",
                                  "iterations = \(iterations)", "anchors = \(anchors)",
                                  "σ = root mean squared distance of the training points to the anchors"]
            explanation.terms = [
                .init(formula: "‖Y − BW‖²",
                      meaning: "a linear classifier W must read each image's label from its code: labels shape the bits"),
                .init(formula: "ν‖B − ΦP‖²",
                      meaning: "the codes must be reproducible by the hash function sgn(Pᵀφ(x)) on unseen images"),
                .init(formula: "z = sgn(q − B′W′v)",
                      meaning: "the B-step in closed form, one bit at a time (discrete cyclic coordinate descent): "
                          + "the codes stay binary, no relaxation and rounding"),
            ]
            explanation.sources = [
                .init(citation: "Shen, Shen, Liu & Shen, \"Supervised Discrete Hashing\", CVPR 2015",
                      section: "§2–3", contribution: "the discrete objective and its cyclic coordinate descent"),
            ]
        default:
            break
        }
        explanation.codeRule = "bit j is 1 where fⱼ(x) > 0 (the sign of the projection)"
    }
}
