import ClassicHashing
import Imaging

/// The steps of a classic hash on one image, as `explain KIND IMAGE` shows them: ClassicHashing's own
/// `HashSteps` — the gray picture, the thumbnail, the numbers the transform gives, the threshold and the bits —
/// which are the very numbers `hash` decides on.
public typealias ClassicHashWalkthrough = HashSteps

extension HashSteps {
    /// Walks through `kind` on `image` with imagehash's defaults (hash size 8, binbits 3).
    public init(kind: HashKind, image: Image, size: Int = 8, binBits: Int = 3) throws {
        guard image.width > 0, image.height > 0 else { throw HashError("explain: the image is empty") }
        self = try hashSteps(image, kind: kind, size: size, binBits: binBits)
    }
}
