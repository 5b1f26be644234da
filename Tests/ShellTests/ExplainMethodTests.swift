import Learning
import Shell
import XCTest

/// `explain METHOD` and `explain MODEL`: the loss with the values substituted, the paper, real knob names only.
final class ExplainMethodTests: XCTestCase {
    /// The model's current values appear, and change when the model's settings change.
    func testExplainModelSubstitutesTheModelsCurrentValues() throws {
        let shell = CommandSession()
        shell.run("model dsh bits 12 net mlp as m")
        let before = shell.run("explain m")
        XCTAssertTrue(before.contains("α = 0.01"), before)
        XCTAssertTrue(before.contains("m = 24 (auto: 2 × 12 bits)"), before)
        XCTAssertTrue(before.contains("max(24 − ‖b₁−b₂‖², 0) + 0.01·"), before)
        XCTAssertTrue(before.contains("not trained yet"), before)
        XCTAssertTrue(before.contains("net mlp"), before)
        shell.run("set m.alpha 0.1")
        shell.run("set m.m 10")
        let after = shell.run("explain m")
        XCTAssertTrue(after.contains("α = 0.1"), after)
        XCTAssertFalse(after.contains("α = 0.01"), after)
        XCTAssertTrue(after.contains("m = 10"), after)
        XCTAssertTrue(after.contains("max(10 − ‖b₁−b₂‖², 0) + 0.1·"), after)
        XCTAssertTrue(after.contains("Knobs (set m.NAME VALUE)"), after)
        // The method word keeps showing the defaults.
        XCTAssertTrue(shell.run("explain dsh").contains("α = 0.01"))
        XCTAssertTrue(shell.run("explain dsh bits 48").contains("m = 96 (auto: 2 × 48 bits)"))
    }

    func testExplainModelShowsTrainingSoFar() throws {
        let shell = CommandSession()
        shell.run("data synthetic per-class 4 size 8 as d; model dpsh bits 8 net mlp as m; set m.batch 8")
        shell.run("set m.balance 0.5")
        shell.run("train m on d epochs 2")
        let text = shell.run("explain m")
        let model = try shell.session.value(named: "m", as: ModelValue.self).model
        XCTAssertTrue(text.contains("trained 2 epochs, last loss " + String(format: "%.4f", model.history.last!.loss)),
                      text)
        XCTAssertTrue(text.contains("trainable numbers"), text)
        XCTAssertTrue(text.contains("β = 0.5"), text)
        XCTAssertTrue(text.contains("wᵢⱼ"), text)
        XCTAssertTrue(text.contains("collapse"), text)
    }

    /// Each method names its paper and section.
    func testEachMethodNamesItsPaper() throws {
        let shell = CommandSession()
        let expected = [
            "dlbhc": ["Lin, Yang, Hsiao & Chen", "Deep learning of binary hash codes for fast image retrieval",
                      "CVPR Workshops 2015, §3"],
            "dsh": ["Liu, Wang, Shan & Chen", "Deep Supervised Hashing for Fast Image Retrieval", "CVPR 2016, §3.1–3.2"],
            "dpsh": ["Li, Wang & Kang", "Feature Learning based Deep Supervised Hashing with Pairwise Labels",
                     "IJCAI 2016, §3"],
            "triplet": ["Schroff, Kalenichenko & Philbin", "FaceNet", "CVPR 2015, §3.1–3.2", "Lai, Pan, Liu & Yan"],
            "hashnet": ["Cao, Long, Wang & Yu", "HashNet: Deep Learning to Hash by Continuation", "ICCV 2017",
                        "thuml/HashNet"],
            "greedyhash": ["Su, Zhang, Han & Tian", "Greedy Hash", "NeurIPS 2018", "ssppp/GreedyHash"],
            "csq": ["Yuan, Wang, Zhang, Tay, Jie, Liu & Feng", "Central Similarity Quantization", "CVPR 2020",
                    "DeepHash-pytorch"],
            "classifier": ["Sablayrolles, Douze, Usunier & Jégou", "How should we evaluate supervised hashing?",
                           "ICASSP 2017"],
            "lsh": ["Charikar", "Similarity estimation techniques from rounding algorithms", "STOC 2002, §3"],
            "pcah": ["Wang, Kumar & Chang", "CVPR 2010"],
            "itq": ["Gong & Lazebnik", "Iterative Quantization", "CVPR 2011, §2"],
            "sh": ["Weiss, Torralba & Fergus", "Spectral Hashing", "NIPS 2008, §3–4"],
            "ksh": ["Liu, Wang, Ji, Jiang & Chang", "Supervised Hashing with Kernels", "CVPR 2012, §3"],
            "sdh": ["Shen, Shen, Liu & Shen", "Supervised Discrete Hashing", "CVPR 2015, §2–3"],
        ]
        for method in HashingMethod.allCases {
            let text = shell.run("explain \(method)")
            // Lines wrap at blanks: compare with the line breaks taken out.
            let joined = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .joined(separator: " ")
            for phrase in expected[method.rawValue] ?? ["(no paper listed for \(method) in this test)"] {
                XCTAssertTrue(joined.contains(phrase), "\(method): missing \(phrase) in\n\(text)")
            }
        }
    }

    /// The knob lines name real hyperparameters, with the values `show` gives, and only those that apply.
    func testEveryKnobShownIsARealHyperparameterThatApplies() throws {
        let shell = CommandSession()
        let successors = ["sigmoid-alpha", "continuation", "penalty", "lambda"]
        let notFor: [HashingMethod: [String]] = [
            .dlbhc: ["m", "alpha", "eta", "balance", "margin", "mining"] + successors,
            .dsh: ["eta", "balance", "margin", "mining"] + successors,
            .dpsh: ["m", "alpha", "margin", "mining"] + successors,
            .triplet: ["m", "alpha", "eta", "balance"] + successors,
            .hashnet: ["m", "alpha", "eta", "margin", "penalty", "lambda"],
            .greedyhash: ["m", "alpha", "eta", "balance", "lambda", "continuation"],
            .csq: ["m", "alpha", "eta", "balance", "penalty", "sigmoid-alpha"],
            .classifier: ["m", "alpha", "eta", "balance", "margin"] + successors,
        ]
        for method in HashingMethod.allCases where !method.isShallow {
            shell.run("model \(method) bits 16 net mlp as k")
            let text = shell.run("explain k")
            let lines = text.split(separator: "\n").map(String.init)
            let knobs = lines.drop { !$0.hasPrefix("Knobs (set") }.dropFirst()
                .prefix { $0.hasPrefix("    ") }.filter { !$0.hasPrefix("     ") }
                .map { $0.split(separator: " ").map(String.init) }
            let training = lines.drop { !$0.hasPrefix("Training: ") }.prefix { $0.hasPrefix("Training: ") || $0.hasPrefix("  ") }
                .joined(separator: " ").dropFirst("Training: ".count)
                .split(separator: ",").map { $0.split(separator: " ").map(String.init) }
            let hyperparameters = try shell.session.value(named: "k", as: ModelValue.self).model.hyperparameters
            XCTAssertEqual(knobs.isEmpty, [.dlbhc, .classifier].contains(method), "\(method)\n\(text)")
            for words in knobs + training {
                XCTAssertTrue(HashingHyperparameters.names.contains(words[0]), "\(method): `\(words[0])` in\n\(text)")
                XCTAssertEqual(words[1], try hyperparameters.value(of: words[0]), "\(method): \(words[0])")
                XCTAssertFalse(notFor[method]!.contains(words[0]), "\(method) shows \(words[0])\n\(text)")
            }
            XCTAssertTrue(training.contains { $0.first == "learning-rate" }, "\(method)\n\(text)")
            XCTAssertFalse(training.contains { $0.first == "momentum" }, "adam has no momentum\n\(text)")
        }
        shell.run("set k.optimizer sgd")
        XCTAssertTrue(shell.run("explain k").contains("momentum 0.9"))
    }

    func testUnknownSubjectsAreOneLineErrorsWithSuggestions() throws {
        let shell = CommandSession()
        shell.run("model triplet bits 8 as tripletModel; picture scene size 32 as photo")
        XCTAssertTrue(shell.failure("explain dshh").contains("did you mean `dsh`"))
        XCTAssertTrue(shell.failure("explain tripletModle").contains("did you mean `tripletModel`"))
        XCTAssertTrue(shell.failure("explain photo").contains("`photo` is an image"))
        XCTAssertTrue(shell.failure("explain dsh photo").contains("a method takes no image"))
        XCTAssertTrue(shell.failure("explain tripletModel bits 12").contains("bits are its own"))
        XCTAssertTrue(shell.failure("explain phash photo bits 12").contains("bits applies to a method"))
        XCTAssertTrue(shell.failure("explain dsh bits 7").contains("bits must be in 8…256"))
    }
}
