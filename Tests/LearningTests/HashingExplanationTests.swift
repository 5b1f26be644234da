import Imaging
import Learning
import XCTest

/// The plain-data explanation of each method, and preparing one image for a model.
final class HashingExplanationTests: XCTestCase {
    func testKnobsAreRealNamesThatApplyWithTheirValues() throws {
        for method in HashingMethod.allCases {
            var hyperparameters = try HashingHyperparameters(method: method, bits: 24)
            try hyperparameters.set("schedule", to: "step")
            try hyperparameters.set("optimizer", to: "sgd")
            let explanation = hyperparameters.explanation
            XCTAssertEqual(explanation.method, method)
            let knobs = explanation.methodKnobs + explanation.trainingKnobs
            XCTAssertEqual(Set(knobs.map(\.name)).count, knobs.count, "\(method): a knob twice")
            for knob in knobs {
                XCTAssertTrue(HashingHyperparameters.names.contains(knob.name), knob.name)
                XCTAssertTrue(hyperparameters.applies(knob.name), "\(method) shows \(knob.name)")
                XCTAssertEqual(knob.value, try hyperparameters.value(of: knob.name))
                XCTAssertEqual(knob.meaning, HashingHyperparameters.explanations[knob.name])
            }
            // Every name that applies is shown once (except the method itself, the subject).
            XCTAssertEqual(Set(knobs.map(\.name)),
                           Set(HashingHyperparameters.names.filter { $0 != "method" && hyperparameters.applies($0) }))
            // (A shallow model has no network: no optimiser, schedule or net to show.)
            for name in ["momentum", "step-every", "step-factor", "lrn"] where !method.isShallow {
                XCTAssertTrue(knobs.contains { $0.name == name }, "\(method) lacks \(name)")
            }
            XCTAssertFalse(explanation.sources.isEmpty)
            XCTAssertFalse(explanation.terms.isEmpty)
        }
        let dsh = try HashingHyperparameters(method: .dsh, bits: 12)
        XCTAssertFalse(dsh.applies("eta"))
        XCTAssertFalse(dsh.applies("momentum"))
        XCTAssertFalse(dsh.applies("no-such-knob"))
        XCTAssertEqual(dsh.unusedBecause("eta"), "DPSH only")
        XCTAssertEqual(dsh.unusedBecause("momentum"), "SGD only")
        XCTAssertNil(dsh.unusedBecause("alpha"))
        XCTAssertNil(dsh.unusedBecause("learning-rate"))
        var torch = dsh
        try torch.set("net", to: "dsh-torch")
        XCTAssertEqual(torch.unusedBecause("lrn"), "dsh-cifar net only")
        try torch.set("net", to: "dsh-cifar")
        XCTAssertNil(torch.unusedBecause("lrn"))
        XCTAssertEqual(dsh.explanation.methodKnobs.map(\.name), ["m", "alpha"])
    }

    func testLossCarriesTheValues() throws {
        var dpsh = try HashingHyperparameters(method: .dpsh, bits: 12)
        try dpsh.set("eta", to: "0.5")
        XCTAssertTrue(dpsh.explanation.loss.contains("+ 0.5·Σᵢ ‖bᵢ − uᵢ‖²"), dpsh.explanation.loss)
        // Balanced pairs by default (wᵢⱼ in the loss); β = 0 is the paper's plain sum.
        XCTAssertTrue(dpsh.explanation.loss.contains("wᵢⱼ"))
        try dpsh.set("balance", to: "0")
        XCTAssertFalse(dpsh.explanation.loss.contains("wᵢⱼ"))
        try dpsh.set("balance", to: "0.5")
        XCTAssertTrue(dpsh.explanation.loss.contains("wᵢⱼ"))
        var triplet = try HashingHyperparameters(method: .triplet, bits: 12)
        try triplet.set("margin", to: "2.5")
        XCTAssertTrue(triplet.explanation.loss.contains("‖uₐ − uₙ‖² + 2.5)"), triplet.explanation.loss)
    }

    /// An image of the model's size passes unchanged; another size is resized as the folder reader resizes.
    func testInputImagesPrepareAnImageLikeTheFolderReader() throws {
        let model = try HashingModel(method: .dsh, bits: 8, net: .mlp, inputShape: [3, 16, 16])
        let small = SyntheticPicture.make(.shapes, size: 16, seed: 4)
        let same = try model.inputImages(for: small)
        XCTAssertEqual(same.image(at: 0), small)
        XCTAssertEqual([same.count, same.channels, same.height, same.width], [1, 3, 16, 16])
        let large = SyntheticPicture.make(.scene, size: 64, seed: 2)
        let prepared = try model.inputImages(for: large).image(at: 0)
        XCTAssertEqual([prepared.width, prepared.height, prepared.channels], [16, 16, 3])
        // Area averaging by 4: pixel (0, 0) is the mean of the 4×4 block, rounded.
        for channel in 0..<3 {
            var sum = 0.0
            for y in 0..<4 { for x in 0..<4 { sum += Double(large.samples[(y * 64 + x) * 3 + channel]) } }
            XCTAssertEqual(Double(prepared.samples[channel]), (sum / 16).rounded(), accuracy: 1, "channel \(channel)")
        }
        let untrained = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        XCTAssertThrowsError(try untrained.inputImages(for: small))
    }
}
