/// A data set as published: a training part and a test part with the same classes and image shape
/// (CIFAR-10's 50,000 + 10,000). The papers' split protocols need to know which image came from which part.
public struct TrainTestImages: Sendable, Equatable {
    public var training: LabeledImages
    public var test: LabeledImages

    public init(training: LabeledImages, test: LabeledImages) throws {
        guard training.channels == test.channels, training.height == test.height, training.width == test.width else {
            throw DatasetError.incompatible(reason: "training images are \(training.width)×\(training.height)×"
                + "\(training.channels), test images \(test.width)×\(test.height)×\(test.channels)")
        }
        guard training.classNames == test.classNames else {
            throw DatasetError.incompatible(reason: "training and test parts have different class names")
        }
        self.training = training
        self.test = test
    }

    public var classNames: [String] { training.classNames }
    public var count: Int { training.count + test.count }

    /// Training images then test images in one set (a copy): index `i < training.count` is training image `i`,
    /// the rest are test images.
    public func all() -> LabeledImages {
        // Shapes and class names were checked in init.
        try! LabeledImages.concatenating([training, test])
    }
}
