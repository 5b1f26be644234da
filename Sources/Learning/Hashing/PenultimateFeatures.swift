import Foundation
import ShallowHashing

// "Deep features + ITQ": a shallow method on the features a deep net learnt. The shallow model keeps an inference
// copy of the deep model (`featureModel`) and asks it, for every image, for the activations that enter its code
// layer — the penultimate layer of a hashing net. Saved with the shallow model, nested in its safetensors file.

extension HashingModel {
    /// The index of the layer whose outputs are the penultimate features: the layer just before the linear layer
    /// that makes the code (for `dsh-cifar`, the ReLU after fc 500; for DLBHC, the same layer before its latent
    /// layer). Nil for a shallow model or a model without a network yet.
    public var penultimateLayerIndex: Int? {
        guard !method.isShallow, let network, let codeLayerIndex else { return nil }
        let linear = (0...codeLayerIndex).last { index in
            if case .linear = network.spec.layers[index] { return true }
            return false
        }
        guard let linear, linear >= 1 else { return nil }
        return linear - 1
    }

    /// The penultimate activations of a trained deep model for every image, as a feature set of kind
    /// "penultimate" (inference mode, normalised as at training).
    public func penultimateFeatures(for images: LabeledImages, shouldStop: () -> Bool = { false }) throws -> FeatureSet {
        guard !method.isShallow else { throw HashingError("\(method) is a shallow model: it has no layers to take features from") }
        guard hasTrained, let network, let normalization, let index = penultimateLayerIndex else {
            throw HashingError("a \(method) model that has not trained has no learnt features: train it first")
        }
        let output = try network.outputs(for: images, normalization: normalization, throughLayer: index,
                                         shouldStop: shouldStop)
        return try FeatureSet(count: images.count, dimension: output.itemSize, values: output.storage,
                              labels: images.labels, classNames: images.classNames,
                              kind: HashingFeatures.penultimate.rawValue)
    }

    /// Makes this shallow model take its features from `deep`'s penultimate layer (an inference copy: later
    /// training of `deep` does not change them). Only before this model has trained.
    public func takeFeatures(from deep: HashingModel) throws {
        guard method.isShallow else { throw HashingError("\(method) is a deep model: it learns its own features") }
        guard !hasTrained else { throw HashingError("features are fixed once the model has trained") }
        guard !deep.method.isShallow else {
            throw HashingError("features come from a deep model's layers; \(deep.method) is shallow")
        }
        guard deep.hasTrained, deep.penultimateLayerIndex != nil else {
            throw HashingError("the \(deep.method) model has not trained: its layers have learnt no features yet")
        }
        var updated = hyperparameters
        updated.features = .penultimate
        let copy = try deep.inferenceCopy()
        featureModel = copy
        try setHyperparameters(updated)
        inputShape = copy.inputShape
    }

    /// The features this shallow model computes from `images`.
    func shallowFeatures(of images: LabeledImages, shouldStop: () -> Bool) throws -> FeatureSet {
        if hyperparameters.features == .penultimate {
            guard let featureModel else { return try hyperparameters.features.features(of: images) }
            return try featureModel.penultimateFeatures(for: images, shouldStop: shouldStop)
        }
        return try hyperparameters.features.features(of: images)
    }

    /// "the penultimate layer of a dsh 12-bit dsh-cifar model", or nil for other features.
    public var featureSource: String? {
        guard hyperparameters.features == .penultimate, let featureModel else { return nil }
        return "the penultimate layer of a \(featureModel.method) \(featureModel.bits)-bit "
            + "\(featureModel.hyperparameters.net) model"
    }

    /// A fresh, untrained model with `hyperparameters` that takes its features where this one does (a sweep's
    /// runs): for a deep model or other features, simply a new model.
    public func freshModel(with hyperparameters: HashingHyperparameters) throws -> HashingModel {
        let model = try HashingModel(hyperparameters: hyperparameters, classCount: classCount)
        if hyperparameters.method.isShallow, hyperparameters.features == .penultimate {
            model.featureModel = featureModel
            model.inputShape = inputShape
        }
        return model
    }
}
