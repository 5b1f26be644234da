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

    /// A set read from a folder, with what was left out of it and why.
    public struct Loaded: Sendable {
        public var images: LabeledImages
        /// One line per file that could not be decoded ("PATH: reason"), in file order; those files are skipped.
        public var skippedFiles: [String]
        /// Class folders that hold no image file (or only undecodable ones): skipped, so that they take no label.
        public var emptyClasses: [String]
    }

    /// Reads the set. A file that cannot be decoded is skipped and listed (as `hash all` skips and lists it), and a
    /// class folder left without images is skipped and named, rather than becoming a class of 0 images that no
    /// query could ever match.
    ///
    /// - Parameters:
    ///   - size: images are resized to `size × size` pixels with Pillow's bilinear filter (torchvision's `Resize`).
    ///   - channels: 3 for RGB (gray is replicated, alpha dropped: Pillow's `convert("RGB")`), 1 for gray
    ///     (ITU-R 601-2 luma, Pillow's `convert("L")`).
    ///   - decode: turns a file path into an `Image`; its errors are reported with the path.
    /// - Throws: `DatasetError` for a missing root, no class folders, or no decodable image at all (naming the first
    ///   file that failed, if any did).
    public static func load(root: String, size: Int = 32, channels: Int = 3,
                            decode: @escaping @Sendable (String) throws -> Image) throws -> Loaded {
        guard size > 0 else { throw DatasetError.invalidArgument("image size must be positive, not \(size)") }
        guard channels == 1 || channels == 3 else {
            throw DatasetError.invalidArgument("channels must be 1 or 3, not \(channels)")
        }
        let classes = try listing(root: root)
        let paths = classes.flatMap(\.files)
        let imageSize = channels * size * size
        var pixels = [UInt8](repeating: 0, count: paths.count * imageSize)
        let failures = FolderFailures()
        pixels.withUnsafeMutableBufferPointer { buffer in
            let target = FolderWriteTarget(base: buffer.baseAddress!)
            let chunks = max(1, min(paths.count, 16))
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for i in stride(from: chunk, to: paths.count, by: chunks) {
                    do {
                        let image = try decode(paths[i])
                        guard image.width > 0, image.height > 0 else {
                            failures.record(i, DatasetError.undecodable(path: paths[i], reason: "empty image"))
                            continue
                        }
                        let planar = planarPixels(of: image, size: size, channels: channels)
                        (target.base + i * imageSize).update(from: planar, count: imageSize)
                    } catch let error as DatasetError {
                        failures.record(i, error)
                    } catch {
                        failures.record(i, DatasetError.undecodable(path: paths[i], reason: "\(error)"))
                    }
                }
            }
        }
        // Keep the decoded images, class by class; a class with none left is skipped and takes no label.
        let failed = failures.all
        var kept = [UInt8]()
        kept.reserveCapacity(pixels.count)
        var labels: [Int32] = []
        var classNames: [String] = []
        var emptyClasses: [String] = []
        var index = 0
        for entry in classes {
            let before = labels.count
            for _ in entry.files {
                if failed[index] == nil {
                    kept.append(contentsOf: pixels[(index * imageSize)..<((index + 1) * imageSize)])
                    labels.append(Int32(classNames.count))
                }
                index += 1
            }
            if labels.count > before { classNames.append(entry.className) } else { emptyClasses.append(entry.className) }
        }
        guard !labels.isEmpty else {
            if let first = failed.keys.min() { throw failed[first]! }
            throw DatasetError.empty(path: root, reason: "no PNG or JPEG files in any class folder")
        }
        let images = LabeledImages(count: labels.count, channels: channels, height: size, width: size, pixels: kept,
                                   labels: labels, classNames: classNames)
        return Loaded(images: images, skippedFiles: failed.keys.sorted().map { "\(failed[$0]!)" },
                      emptyClasses: emptyClasses)
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

/// The failures by file index, whatever the thread that met each.
private final class FolderFailures: Sendable {
    private let errors = Mutex<[Int: DatasetError]>([:])
    func record(_ index: Int, _ error: DatasetError) {
        errors.withLock { $0[index] = error }
    }
    var all: [Int: DatasetError] { errors.withLock { $0 } }
}
