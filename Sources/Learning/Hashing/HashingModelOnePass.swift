import Codes
import Foundation
import ShallowHashing

// A hashing model of a shallow method (LSH, PCAH, ITQ, SH, KSH, SDH): no network, no epochs. Training computes the features
// of the training images (`features`: pixels, …) and runs the method's closed-form steps once — PCA, ITQ's 50
// rotations — which `ShallowHashing` implements on any `FeatureSet`. The model's real outputs are then the
// projections f(x) whose signs are the bits, so that `hist` shows them beside a deep model's outputs, and `encode`,
// `eval`, `compare`, `sweep` and `search` use a shallow model exactly as a deep one.

/// What a shallow model trained on, with which settings, and how long it took.
public struct OnePassTraining: Sendable, Equatable, Codable {
    /// How many training images, and their fingerprint (`HashingModel.fingerprint`).
    public var images: Int
    public var data: String
    public var seconds: Double
    /// The settings it trained with: `train` again with others trains afresh.
    public var hyperparameters: HashingHyperparameters
}

extension HashingModel {
    /// The `kind` of a shallow model's file.
    static let shallowKind = "shallow-hashing-model"
    /// Where a shallow model's file keeps the deep model its penultimate features come from.
    static let featureModelPrefix = "feature-model/"

    /// Trains a shallow model in one pass: the features of `images`, then the method on them. The same data with
    /// the same settings changes nothing; anything else trains afresh (nothing carries over from an earlier
    /// pass). `shouldStop` is asked before and after the features; the method's own steps take seconds and are
    /// not interrupted.
    func trainInOnePass(on images: LabeledImages, shouldStop: () -> Bool) throws -> Trainer.Outcome {
        let data = HashingModel.fingerprint(images)
        if let done = onePassTraining, shallowHasher != nil, done.data == data, done.hyperparameters == hyperparameters {
            return .finished
        }
        if shouldStop() { return .stopped }
        let start = monotonicSeconds()
        let features = try shallowFeatures(of: images, shouldStop: shouldStop)
        if shouldStop() { return .stopped }
        let hasher = try method.shallowMethod!.train(on: features, bitCount: bits, seed: hyperparameters.seed,
                                                     iterations: hyperparameters.iterations,
                                                     anchors: hyperparameters.anchors)
        shallowHasher = hasher
        inputShape = [images.channels, images.height, images.width]
        classCount = max(images.classNames.count, Int(images.labels.max() ?? 0) + 1)
        onePassTraining = OnePassTraining(images: images.count, data: data, seconds: monotonicSeconds() - start,
                                          hyperparameters: hyperparameters)
        return .finished
    }

    /// f(x) for every image: the real projections whose signs are the bits (`images.count × bits`).
    func shallowOutputs(for images: LabeledImages, shouldStop: () -> Bool) throws -> Tensor {
        guard let hasher = shallowHasher else {
            throw HashingError("\(method) has not trained yet: train it first (one pass, no epochs)")
        }
        // GIST gives 512 numbers for any image size, so the features' dimension alone would not catch images of
        // another size than the model learnt on: compare the images' shape itself.
        let shape = [images.channels, images.height, images.width]
        if let inputShape, images.count > 0, shape != inputShape {
            throw HashingError("images are \(shape.map(String.init).joined(separator: "x")) but the model learnt on "
                               + inputShape.map(String.init).joined(separator: "x"))
        }
        if shouldStop() { throw CancellationError() }
        let features = try shallowFeatures(of: images, shouldStop: shouldStop)
        if shouldStop() { throw CancellationError() }
        let projections = try hasher.projections(of: features)
        return Tensor(shape: [images.count, bits], values: projections.elements.map(Float.init))
    }

    /// A shallow model that later training of this one cannot change (the hasher is a value).
    func shallowCopy() throws -> HashingModel {
        let copy = try HashingModel(hyperparameters: hyperparameters, classCount: classCount)
        copy.shallowHasher = shallowHasher
        copy.onePassTraining = onePassTraining
        copy.inputShape = inputShape
        copy.featureModel = featureModel
        copy.evaluations = evaluations
        return copy
    }

    // MARK: Files

    /// The shallow model as a safetensors file: each learnt matrix as a float64 tensor (the exact Doubles, so a
    /// loaded model encodes to the same bits), and in `__metadata__` the hyperparameters, the training record and
    /// the measurements.
    func shallowSafetensorsFile() throws -> SafetensorsFile {
        guard let hasher = shallowHasher, let onePassTraining else {
            throw HashingError("\(method) has not trained yet: there is nothing to save")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let parameters = hasher.parameters
        var file = SafetensorsFile(metadata: [
            MetadataKey.kind: HashingModel.shallowKind,
            MetadataKey.hyperparameters: try json(hyperparameters),
            MetadataKey.classCount: String(classCount),
            MetadataKey.evaluations: try json(evaluations),
            "hashing-one-pass": try json(onePassTraining),
            "hashing-input-shape": (inputShape ?? []).map(String.init).joined(separator: "x"),
            "feature-kind": parameters.featureKind,
        ])
        for name in parameters.matrices.keys.sorted() {
            let matrix = parameters.matrices[name]!
            file.append(name: name, shape: [matrix.rows, matrix.columns], doubles: matrix.elements)
        }
        // Penultimate features: the deep model they come from, whole, nested under its own prefix.
        if hyperparameters.features == .penultimate, let featureModel {
            file.append(try featureModel.safetensorsFile(), prefix: HashingModel.featureModelPrefix)
        }
        return file
    }

    func saveShallow(to path: String) throws {
        try shallowSafetensorsFile().write(to: path)
    }

    /// The shallow model in `path`, or nil when the file is not a shallow model's (a checkpoint, say).
    static func loadShallowIfShallow(from path: String) throws -> HashingModel? {
        guard let file = try? SafetensorsFile.read(from: path), file.metadata[MetadataKey.kind] == shallowKind else {
            return nil
        }
        return try HashingModel(shallowFile: file)
    }

    /// Rebuilds a shallow model from its safetensors file (`file.path` names it in errors).
    convenience init(shallowFile file: SafetensorsFile) throws {
        let decoder = JSONDecoder()
        func decoded<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            guard let text = file.metadata[key], let value = try? decoder.decode(T.self, from: Data(text.utf8)) else {
                throw HashingError("\(file.path): the shallow model's \(key) is missing or malformed")
            }
            return value
        }
        let hyperparameters = try decoded(HashingHyperparameters.self, MetadataKey.hyperparameters)
        guard let method = hyperparameters.method.shallowMethod else {
            throw HashingError("\(file.path): a shallow model's file names the deep method \(hyperparameters.method)")
        }
        try self.init(hyperparameters: hyperparameters, classCount: Int(file.metadata[MetadataKey.classCount] ?? "") ?? 10)
        if let inner = file.nested(prefix: HashingModel.featureModelPrefix) {
            do { featureModel = try HashingModel(safetensors: inner) } catch {
                throw HashingError("\(file.path): the deep model its features come from: \(error)")
            }
        } else if hyperparameters.features == .penultimate {
            throw HashingError("\(file.path): the model takes penultimate features but holds no deep model to take them from")
        }
        var matrices: [String: Matrix] = [:]
        for entry in file.entries where !entry.name.hasPrefix(HashingModel.featureModelPrefix) {
            guard entry.shape.count == 2 else {
                throw HashingError("\(file.path): tensor \(entry.name) is not a matrix (shape \(entry.shape))")
            }
            matrices[entry.name] = Matrix(rows: entry.shape[0], columns: entry.shape[1],
                                          elements: try file.doubles(of: entry.name))
        }
        let parameters = ShallowHasherParameters(method: method, bitCount: hyperparameters.bits,
                                                 featureKind: file.metadata["feature-kind"] ?? hyperparameters.features.rawValue,
                                                 matrices: matrices)
        do { shallowHasher = try method.restore(parameters) } catch {
            throw HashingError("\(file.path): \(error)")
        }
        onePassTraining = try decoded(OnePassTraining.self, "hashing-one-pass")
        evaluations = try decoded([EvaluationRecord].self, MetadataKey.evaluations)
        let shape = (file.metadata["hashing-input-shape"] ?? "").split(separator: "x").compactMap { Int($0) }
        inputShape = shape.count == 3 ? shape : nil
    }
}

extension OnePassTraining {
    /// "trained in one pass on 5000 images (pixels) in 1.2 s".
    public var summary: String {
        "trained in one pass on \(images) images (\(hyperparameters.features)) in " + String(format: "%.1f s", seconds)
    }
}
