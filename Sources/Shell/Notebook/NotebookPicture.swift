import Imaging

extension Notebook {
    /// The longer side a small picture is enlarged to, at most, in pixels.
    public static let smallPictureSide = 128
    /// The longer side a large picture is reduced to, in pixels.
    public static let largePictureSide = 512

    /// `image` as a notebook shows it. A small one (longer side under `smallPictureSide`) is enlarged by the largest
    /// whole factor that keeps its longer side within that, each pixel repeated (nearest neighbour): a 32×32
    /// picture becomes 128×128 of sharp 4×4 squares, an 8×8 thumbnail 128×128 of 16×16 squares, where a browser's
    /// smooth scaling would blur them. A large one (longer side above `largePictureSide`) is reduced to that with
    /// a box filter, so that a photo does not weigh the page down. Others stay as they are.
    public static func pictureImage(_ image: Image) -> Image {
        let side = max(image.width, image.height)
        guard side > 0 else { return image }
        if side > largePictureSide {
            let scale = Double(largePictureSide) / Double(side)
            return image.resized(width: max(1, Int((Double(image.width) * scale).rounded())),
                                 height: max(1, Int((Double(image.height) * scale).rounded())), filter: .box)
        }
        let factor = max(1, smallPictureSide / side)
        guard factor > 1 else { return image }
        return image.resized(width: image.width * factor, height: image.height * factor, filter: .nearest)
    }
}
