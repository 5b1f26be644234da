import ShallowHashing

// What a shallow hashing model sees of an image: not the image, but a feature vector computed from it. The shallow
// methods (ShallowHashing) work on any `FeatureSet`; this file makes them from labelled images.

/// The feature a shallow hashing model computes from each image (its `features` hyperparameter).
public enum HashingFeatures: String, Sendable, Equatable, Codable, CaseIterable, CustomStringConvertible {
    /// The raw pixel values, scaled to 0…1: 3,072 numbers for a CIFAR-10 image.
    case pixels
    /// The grey-level GIST descriptor (4 scales × 8 orientations × 4×4 cells = 512 numbers), LEAR's, as the hashing
    /// papers compute it for CIFAR-10. Needs square images of at least 8×8 pixels.
    case gist
    /// The activations that enter a trained deep model's code layer — the 500 of `dsh-cifar`'s fc layer after its
    /// ReLU: features a net learnt for the task, the "deep features + ITQ" baseline. The shallow model holds a copy
    /// of that deep model (`model … features penultimate from MODEL`), so it computes them itself
    /// (`HashingModel.penultimateFeatures`).
    case penultimate

    public var description: String { rawValue }

    /// The features of every image of `images`, in order, with their labels and class names. `penultimate`
    /// features need the deep model they come from: `HashingModel.shallowFeatures(of:)` computes them.
    public func features(of images: LabeledImages) throws -> FeatureSet {
        switch self {
        case .penultimate:
            throw HashingError("features penultimate come from a trained deep model: make the model with "
                               + "`model METHOD bits K features penultimate from MODEL`")
        case .pixels: return try FeatureSet(pixelsOf: images)
        case .gist:
            return try FeatureSet(gistOfPlanarPixels: images.pixels, count: images.count, channels: images.channels,
                                  height: images.height, width: images.width, labels: images.labels,
                                  classNames: images.classNames)
        }
    }
}

extension FeatureSet {
    /// The raw pixels as features: each image's `channels · height · width` bytes (3,072 for CIFAR-10, in its
    /// planar R, G, B order), scaled to 0…1. This is the "pixels" baseline of the learning-to-hash papers; the
    /// methods subtract the training set's mean themselves, so the set itself is not centred.
    public init(pixelsOf images: LabeledImages) throws {
        let scale: Float = 1 / 255
        try self.init(count: images.count, dimension: images.imageSize, values: images.pixels.map { Float($0) * scale },
                      labels: images.labels, classNames: images.classNames, kind: HashingFeatures.pixels.rawValue)
    }
}
