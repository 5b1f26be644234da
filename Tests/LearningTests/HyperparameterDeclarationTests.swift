import Foundation
import Learning
import XCTest

/// The hyperparameters as checkpoints hold them: the JSON keys and values written before the declarations existed
/// (`hashing-hyperparameters` in a checkpoint's or safetensors file's metadata) still decode, and are still written.
final class HyperparameterCheckpointTests: XCTestCase {
    /// DSH at 12 bits with its defaults, as `HashingModel.save` writes them (sorted keys; m = auto is absent).
    private let defaultDSH = """
        {"alpha":0.01,"augmentation":"none","batchSize":64,"bits":12,"codeBatchNormalization":false,"eta":10,\
        "learningRate":0.001,"localResponseNormalization":false,"method":"dsh","mining":"all","momentum":0.9,\
        "net":"dsh-cifar","optimizer":"adam","schedule":"constant","seed":1,"stepEvery":20,"stepFactor":0.1,\
        "storedPairBalance":1,"tripletMargin":6,"weightDecay":0}
        """

    private func encoded(_ hyperparameters: HashingHyperparameters) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(hyperparameters), as: UTF8.self)
    }

    private func decoded(_ json: String) throws -> HashingHyperparameters {
        try JSONDecoder().decode(HashingHyperparameters.self, from: Data(json.utf8))
    }

    func testTheDefaultsAreWrittenWithTheKeysOfEarlierCheckpoints() throws {
        XCTAssertEqual(try encoded(try HashingHyperparameters(method: .dsh, bits: 12)), defaultDSH)
        XCTAssertEqual(try decoded(defaultDSH), try HashingHyperparameters(method: .dsh, bits: 12))
    }

    func testEveryChangedSettingIsWrittenAndReadBack() throws {
        var h = try HashingHyperparameters(method: .triplet, bits: 16)
        for (name, value) in [("net", "small-conv"), ("batch-norm", "on"), ("m", "30"), ("alpha", "0.25"),
                              ("eta", "0.5"), ("balance", "0.5"), ("margin", "2.5"), ("mining", "semi-hard"),
                              ("learning-rate", "0.003"), ("batch", "32"), ("weight-decay", "0.0005"),
                              ("optimizer", "sgd"), ("momentum", "0.5"), ("schedule", "step"), ("step-every", "7"),
                              ("step-factor", "0.5"), ("augmentation", "standard"), ("seed", "18446744073709551615")] {
            try h.set(name, to: value)
        }
        let json = try encoded(h)
        XCTAssertEqual(json, """
            {"alpha":0.25,"augmentation":"standard","batchSize":32,"bits":16,"codeBatchNormalization":true,"eta":0.5,\
            "learningRate":0.003,"localResponseNormalization":false,"method":"triplet","mining":"semi-hard",\
            "momentum":0.5,"net":"small-conv","optimizer":"sgd","pairMargin":30,"schedule":"step",\
            "seed":18446744073709551615,"stepEvery":7,"stepFactor":0.5,"storedPairBalance":0.5,"tripletMargin":2.5,\
            "weightDecay":0.0005}
            """)
        XCTAssertEqual(try decoded(json), h)
    }

    /// Checkpoints written before DPSH's pair balance existed have no `storedPairBalance`: they trained with the
    /// paper's loss, β = 0.
    func testACheckpointFromBeforePairBalanceReadsAsThePapersLoss() throws {
        let old = defaultDSH.replacingOccurrences(of: "\"method\":\"dsh\"", with: "\"method\":\"dpsh\"")
            .replacingOccurrences(of: "\"storedPairBalance\":1,", with: "")
        let h = try decoded(old)
        XCTAssertEqual(h.method, .dpsh)
        XCTAssertEqual(h.pairBalance, 0)
        XCTAssertNil(h.pairMargin)
    }

    func testAMissingOrMalformedSettingIsAnError() throws {
        XCTAssertThrowsError(try decoded(defaultDSH.replacingOccurrences(of: "\"alpha\":0.01,", with: "")))
        XCTAssertThrowsError(try decoded(defaultDSH.replacingOccurrences(of: "\"dsh-cifar\"", with: "\"resnet\"")))
        XCTAssertThrowsError(try decoded(defaultDSH.replacingOccurrences(of: "\"bits\":12", with: "\"bits\":\"12\"")))
    }
}
