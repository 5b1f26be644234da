import XCTest
import Codes
import Learning

/// The synthetic set at 16×16: 10 training and 5 test images per class.
private let parts: TrainTestImages = {
    try! SyntheticLabeledSet.makeTrainingAndTest(trainingPerClass: 10, testPerClass: 5, seed: 7, size: 16)
}()

/// A stop check that answers true from its `after`-th question on (what a Ctrl-C then looks like to a loop),
/// counting from when it is armed.
private final class StopAfter: @unchecked Sendable {
    private let lock = NSLock()
    private var asked = 0
    private var armed: Bool
    let after: Int
    init(_ after: Int, armed: Bool = true) {
        self.after = after
        self.armed = armed
    }
    func arm() {
        lock.lock()
        armed = true
        lock.unlock()
    }
    func callAsFunction() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard armed else { return false }
        asked += 1
        return asked >= after
    }
}

/// What a run reported, in a form that compares: "batch", "epoch 1", "measured 2", "one pass", "stopped 1 3".
private func transcript(_ events: [TrainingRun.Event]) -> [String] {
    events.compactMap { event in
        switch event {
        case .batch: return nil
        case .epochEnded(let progress): return "epoch \(progress.epoch + 1)"
        case .measured(let record): return "measured \(record.epochs)"
        case .trainedInOnePass: return "one pass"
        case .stopped(let epoch, let batch): return "stopped \(epoch) \(batch)"
        }
    }
}

/// `TrainingRun` (what `train`, `sweep` and the benchmark drive) and `HyperparameterSweep`.
final class TrainingRunTests: XCTestCase {
    private func heldOut() throws -> HeldOutImages {
        try HeldOutImages(query: parts.test, database: parts.training, queryName: "q", databaseName: "d", k: 20)
    }

    /// Measured after every 2nd epoch and after the last, between epochs: the weights are bit for bit those of a
    /// run that never measured, and each measurement equals `evaluate` on the model of that epoch.
    func testMeasuringOnAScheduleLeavesTheWeightsAsWithout() throws {
        let plain = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        try TrainingRun(model: plain, images: parts.training, moreEpochs: 5).run()
        let measured = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        var events: [TrainingRun.Event] = []
        try TrainingRun(model: measured, images: parts.training, moreEpochs: 5, heldOut: try heldOut(), every: 2)
            .run(report: { events.append($0) })
        XCTAssertEqual(transcript(events), ["epoch 1", "epoch 2", "measured 2", "epoch 3", "epoch 4", "measured 4",
                                            "epoch 5", "measured 5"])
        XCTAssertEqual(measured.network!.parameters.map(\.value), plain.network!.parameters.map(\.value))
        XCTAssertEqual(measured.evaluations.map(\.epochs), [2, 4, 5])
        let last = try plain.evaluate(query: parts.test, database: parts.training, k: 20, radius: 2)
        XCTAssertEqual(measured.evaluations.last?.meanAveragePrecision, last.mapAll)
        XCTAssertEqual(measured.evaluations.last?.query, "q")
        XCTAssertTrue(plain.evaluations.isEmpty)
    }

    /// Stopped mid-epoch, the run reports where; the same run again continues to the same weights as one that
    /// never stopped. The epochs are counted over the model's history: a second run of 2 trains epochs 3 and 4.
    func testAStoppedRunContinuesExactly() throws {
        let reference = try HashingModel(method: .dpsh, bits: 8, net: .mlp)
        try TrainingRun(model: reference, images: parts.training, moreEpochs: 3).run()
        let model = try HashingModel(method: .dpsh, bits: 8, net: .mlp)
        let run = try TrainingRun(model: model, images: parts.training, moreEpochs: 3)
        var events: [TrainingRun.Event] = []
        let outcome = try run.run(report: { events.append($0) }, shouldStop: StopAfter(4).callAsFunction)
        XCTAssertEqual(outcome, .stopped)
        XCTAssertEqual(transcript(events).last, "stopped \(model.position.epoch) \(model.position.batch)")
        XCTAssertEqual(try run.run(), .finished)
        XCTAssertEqual(model.completedEpochs, 3)
        XCTAssertEqual(model.network!.parameters.map(\.value), reference.network!.parameters.map(\.value))
        let more = try TrainingRun(model: model, images: parts.training, moreEpochs: 2)
        XCTAssertEqual(more.targetEpochs, 5)
        events = []
        try more.run(report: { events.append($0) })
        XCTAssertEqual(transcript(events), ["epoch 4", "epoch 5"])
    }

    /// A Ctrl-C that arrives during a measurement leaves that measurement out and stops between two epochs.
    func testStoppingWhileMeasuringSkipsTheMeasurement() throws {
        let model = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        // Armed when the first epoch ends: the run's question whether to measure at all is answered no, and the
        // first question from inside the measurement (encoding the queries) yes.
        let stop = StopAfter(2, armed: false)
        var events: [TrainingRun.Event] = []
        let outcome = try TrainingRun(model: model, images: parts.training, moreEpochs: 3, heldOut: try heldOut(),
                                      every: 1).run(report: { event in
                events.append(event)
                if case .epochEnded = event { stop.arm() }
            }, shouldStop: stop.callAsFunction)
        XCTAssertEqual(outcome, .stopped)
        XCTAssertEqual(transcript(events), ["epoch 1", "stopped 1 0"])
        XCTAssertTrue(model.evaluations.isEmpty)
        XCTAssertEqual(model.completedEpochs, 1)
    }

    /// A diverging run leaves the model as it was before the run: weights, history and measurements.
    func testADivergingRunTakesItsMeasurementsBackWithIt() throws {
        let model = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        try TrainingRun(model: model, images: parts.training, moreEpochs: 1, heldOut: try heldOut()).run()
        XCTAssertEqual(model.evaluations.count, 1)
        try model.set("optimizer", to: "sgd")
        try model.set("learning-rate", to: "1e30")
        XCTAssertThrowsError(try TrainingRun(model: model, images: parts.training, moreEpochs: 3,
                                             heldOut: try heldOut()).run()) { error in
            XCTAssertTrue(error is TrainingDivergedError, "\(error)")
        }
        XCTAssertEqual(model.completedEpochs, 1)
        XCTAssertEqual(model.evaluations.map(\.epochs), [1])
    }

    /// A shallow model's run is one pass, then one measurement.
    func testAShallowRunIsOnePassThenOneMeasurement() throws {
        let model = try HashingModel(method: .itq, bits: 8)
        var events: [TrainingRun.Event] = []
        try TrainingRun(model: model, images: parts.training, moreEpochs: nil, heldOut: try heldOut())
            .run(report: { events.append($0) })
        XCTAssertEqual(transcript(events), ["one pass", "measured 0"])
        XCTAssertNotNil(model.onePassTraining)
    }

    /// What a run refuses before anything trains, each in one line.
    func testRunsAreCheckedBeforeTheyTrain() throws {
        let deep = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        let shallow = try HashingModel(method: .lsh, bits: 8)
        let one = parts.training.subset([0])
        let cases: [(() throws -> TrainingRun, String)] = [
            ({ try TrainingRun(model: deep, images: parts.training, moreEpochs: nil) }, "give epochs N"),
            ({ try TrainingRun(model: deep, images: parts.training, moreEpochs: 0) }, "epochs must be 1 or more"),
            ({ try TrainingRun(model: deep, images: parts.training, moreEpochs: 1, every: 0) }, "every must be 1"),
            ({ try TrainingRun(model: deep, images: one, moreEpochs: 1) }, "training needs at least 2"),
            ({ try TrainingRun(model: shallow, images: parts.training, moreEpochs: 2) }, "leave out epochs"),
            ({ try TrainingRun(model: shallow, images: parts.training, moreEpochs: nil, every: 1) }, "every counts epochs"),
        ]
        for (make, message) in cases {
            XCTAssertThrowsError(try make()) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
        XCTAssertThrowsError(try HeldOutImages(query: parts.test, database: parts.training, k: 0))
        XCTAssertFalse(deep.hasTrained)
    }

    /// A sweep is the cartesian product of its values, each run a fresh model from the base's seed: a run equals
    /// the model made and trained by hand with that setting. A parameter no run reads is refused.
    func testASweepIsSettingsToRuns() throws {
        let base = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        let sweep = try HyperparameterSweep(base: base, parameters: ["alpha", "batch"],
                                            values: [["0", "0.1"], ["16", "32"]])
        XCTAssertEqual(sweep.settings.map(\.values), [["0", "16"], ["0", "32"], ["0.1", "16"], ["0.1", "32"]])
        var finished: [Int] = []
        let runs = try sweep.run(on: parts.training, epochs: 2, heldOut: try heldOut(), report: { event in
            if case .finished(let index, _) = event { finished.append(index) }
        })
        XCTAssertEqual(finished, [0, 1, 2, 3])
        let byHand = try HashingModel(method: .dsh, bits: 8, net: .mlp)
        try byHand.set("alpha", to: "0.1")
        try byHand.set("batch", to: "32")
        try byHand.train(on: parts.training, epochs: 2)
        let metrics = try byHand.evaluate(query: parts.test, database: parts.training, k: 20, radius: 2)
        XCTAssertEqual(runs[3].meanAveragePrecision, metrics.mapAll)
        XCTAssertEqual(runs[3].finalLoss, byHand.history.last?.loss)
        XCTAssertFalse(base.hasTrained)

        XCTAssertThrowsError(try HyperparameterSweep(base: base, parameters: ["margin"], values: [["1", "2"]])) {
            XCTAssertTrue($0 is HyperparameterSweep.UnreadParameterError, "\($0)")
        }
        XCTAssertThrowsError(try HyperparameterSweep(base: base, parameters: ["alpha"], values: [["0", "-1"]])) {
            XCTAssertTrue("\($0)".contains("alpha -1"), "\($0)")
        }
    }
}
