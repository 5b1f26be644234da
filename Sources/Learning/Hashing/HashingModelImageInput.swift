import Imaging

extension HashingModel {
    /// `image` as a one-image set in the shape this model takes, prepared as `ImageFolderDataset` prepares a PNG
    /// file: converted to the model's channels (gray replicated for RGB, alpha composited over black, luma
    /// `(299 R + 587 G + 114 B) / 1000` for gray) and resized to the model's square input by area averaging when
    /// shrinking and bilinear interpolation when growing. An image that already has the model's size and an
    /// RGB (or, for a gray model, gray) layout comes through unchanged, sample for sample. Labelled 0 of one
    /// class, `name`.
    ///
    /// Throws when the model has no input shape yet (it has neither trained nor encoded), or when its input is
    /// not square or not 1 or 3 channels (no data source of this project makes such a model).
    public func inputImages(for image: Image, name: String = "image") throws -> LabeledImages {
        guard let inputShape, inputShape.count == 3 else {
            throw HashingError("the model has no input size yet: train it (or encode with it) first")
        }
        let (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        guard height == width, channels == 1 || channels == 3 else {
            throw HashingError("the model takes \(channels)x\(height)x\(width) images; only square 1- or 3-channel "
                               + "inputs can be prepared from an image")
        }
        guard image.width > 0, image.height > 0 else { throw HashingError("the image is empty") }
        let pixels = ImageFolderDataset.planarPixels(of: image, size: width, channels: channels)
        return LabeledImages(count: 1, channels: channels, height: height, width: width, pixels: pixels,
                             labels: [0], classNames: [name])
    }
}
