import Dispatch
import Imaging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A labelled set from a folder of class folders, `root/CLASS/*.png` or `*.jpg`: the classes are the sub-folders'
/// names in byte order (so `airplane` is 0 when it sorts first), the images every image file in each (a name that
/// `Image.isImageFileName` accepts: `.png`, `.jpg`, `.jpeg`, any case), also in byte order, resized to one fixed
/// size and converted to one channel count.
///
/// Decoding is a parameter (`decode: path → Image`), so this reader does not depend on a particular image library;
/// the shell passes Imaging's PNG-or-JPEG reader. Files are decoded on all cores; the result does not depend on scheduling.
public enum ImageFolderDataset {
    /// The class folders of `root` (sorted; hidden folders skipped) and each one's image files (sorted paths).
    public static func listing(root: String) throws -> [(className: String, files: [String])] {
        try checkFolder(root)
        let classes = try entries(of: root).filter { !$0.hasPrefix(".") && isDirectory(joined(root, $0)) }
        guard !classes.isEmpty else { throw DatasetError.empty(path: root, reason: "no class folders (expected root/CLASS/*.png or *.jpg)") }
        return try classes.map { name in
            let folder = joined(root, name)
            let files = try entries(of: folder)
                .filter { !$0.hasPrefix(".") && Image.isImageFileName($0) }
                .map { joined(folder, $0) }
            return (name, files)
        }
    }

    /// Reads the set.
    ///
    /// - Parameters:
    ///   - size: images are resized to `size × size` pixels with Pillow's bilinear filter (torchvision's `Resize`).
    ///   - channels: 3 for RGB (gray is replicated, alpha dropped: Pillow's `convert("RGB")`), 1 for gray
    ///     (ITU-R 601-2 luma, Pillow's `convert("L")`).
    ///   - decode: turns a file path into an `Image`; its errors are reported with the path.
    /// - Throws: `DatasetError` for a missing root, no class folders, no images at all, or an undecodable file.
    public static func load(root: String, size: Int = 32, channels: Int = 3,
                            decode: @escaping @Sendable (String) throws -> Image) throws -> LabeledImages {
        guard size > 0 else { throw DatasetError.invalidArgument("image size must be positive, not \(size)") }
        guard channels == 1 || channels == 3 else {
            throw DatasetError.invalidArgument("channels must be 1 or 3, not \(channels)")
        }
        let classes = try listing(root: root)
        var paths: [String] = []
        var labels: [Int32] = []
        for (label, entry) in classes.enumerated() {
            paths.append(contentsOf: entry.files)
            labels.append(contentsOf: repeatElement(Int32(label), count: entry.files.count))
        }
        guard !paths.isEmpty else { throw DatasetError.empty(path: root, reason: "no PNG or JPEG files in any class folder") }
        let imageSize = channels * size * size
        var pixels = [UInt8](repeating: 0, count: paths.count * imageSize)
        let failures = FolderFailures()
        let sendablePaths = paths
        pixels.withUnsafeMutableBufferPointer { buffer in
            let target = FolderWriteTarget(base: buffer.baseAddress!)
            let chunks = min(paths.count, 16)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for i in stride(from: chunk, to: sendablePaths.count, by: chunks) {
                    do {
                        let image = try decode(sendablePaths[i])
                        guard image.width > 0, image.height > 0 else {
                            failures.record(i, DatasetError.undecodable(path: sendablePaths[i], reason: "empty image"))
                            continue
                        }
                        let planar = planarPixels(of: image, size: size, channels: channels)
                        (target.base + i * imageSize).update(from: planar, count: imageSize)
                    } catch let error as DatasetError {
                        failures.record(i, error)
                    } catch {
                        failures.record(i, DatasetError.undecodable(path: sendablePaths[i], reason: "\(error)"))
                    }
                }
            }
        }
        if let error = failures.first { throw error }
        return LabeledImages(count: paths.count, channels: channels, height: size, width: size, pixels: pixels,
                             labels: labels, classNames: classes.map(\.className))
    }

    /// `image` converted to `channels`, resized to `size × size` and laid out planar (C·H·W): the pixels that
    /// PyTorch's `ImageFolder` (PIL's `convert("RGB")`, or `convert("L")` for gray) followed by torchvision's
    /// `Resize((size, size))` (PIL's bilinear filter, widened by the scale when shrinking) would give, because both
    /// steps are Imaging's Pillow-exact ones. Search by image encodes a picture through the same function, so a
    /// picture and its copy in a folder data set get the same code.
    static func planarPixels(of image: Image, size: Int, channels: Int) -> [UInt8] {
        let converted = channels == 1 ? image.convertedToGray() : image.convertedToRGB()
        let resized = converted.resized(width: size, height: size, filter: .bilinear)
        let plane = size * size
        var out = [UInt8](repeating: 0, count: channels * plane)
        for i in 0..<plane {
            for c in 0..<channels { out[c * plane + i] = resized.samples[i * channels + c] }
        }
        return out
    }

    /// The names in a folder, sorted by their bytes (so the order does not depend on the locale).
    static func entries(of folder: String) throws -> [String] {
        guard let directory = opendir(folder) else {
            throw DatasetError.unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

private struct FolderWriteTarget: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
}

/// The first failure by file order, whatever the thread that met it.
private final class FolderFailures: Sendable {
    private let errors = Mutex<[Int: DatasetError]>([:])
    func record(_ index: Int, _ error: DatasetError) {
        errors.withLock { $0[index] = error }
    }
    var first: DatasetError? {
        errors.withLock { errors in errors.keys.min().map { errors[$0]! } }
    }
}
