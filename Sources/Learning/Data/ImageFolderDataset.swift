import Dispatch
import Imaging
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A labelled set from a folder of class folders, `root/CLASS/*.png`: the classes are the sub-folders' names in
/// byte order (so `airplane` is 0 when it sorts first), the images every `.png` file (any case) in each, also in byte
/// order, resized to one fixed size and converted to one channel count.
///
/// Decoding is a parameter (`decode: path → Image`), so this reader does not depend on a particular PNG library;
/// the shell passes Imaging's PNG reader. Files are decoded on all cores; the result does not depend on scheduling.
public enum ImageFolderDataset {
    /// The class folders of `root` (sorted; hidden folders skipped) and each one's `.png` files (sorted paths).
    public static func listing(root: String) throws -> [(className: String, files: [String])] {
        try checkFolder(root)
        let classes = try entries(of: root).filter { !$0.hasPrefix(".") && isDirectory(joined(root, $0)) }
        guard !classes.isEmpty else { throw DatasetError.empty(path: root, reason: "no class folders (expected root/CLASS/*.png)") }
        return try classes.map { name in
            let folder = joined(root, name)
            let files = try entries(of: folder)
                .filter { !$0.hasPrefix(".") && $0.lowercased().hasSuffix(".png") }
                .map { joined(folder, $0) }
            return (name, files)
        }
    }

    /// Reads the set.
    ///
    /// - Parameters:
    ///   - size: images are resized to `size × size` pixels (area-averaging when shrinking, bilinear when growing).
    ///   - channels: 3 for RGB (gray is replicated; alpha is composited over black — i.e. dropped after
    ///     premultiplying), 1 for gray (ITU-R 601-2 luma, `(299 R + 587 G + 114 B) / 1000`).
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
        guard !paths.isEmpty else { throw DatasetError.empty(path: root, reason: "no .png files in any class folder") }
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

    /// `image` resized to `size × size`, converted to `channels` and laid out planar (C·H·W).
    static func planarPixels(of image: Image, size: Int, channels: Int) -> [UInt8] {
        // To RGB or gray Float samples first (alpha composited over black).
        let plane = image.width * image.height
        var source = [Float](repeating: 0, count: plane * channels)
        for i in 0..<plane {
            let base = i * image.channels
            let r, g, b: Float
            var alpha: Float = 1
            switch image.channels {
            case 1, 2:
                r = Float(image.samples[base]); g = r; b = r
                if image.channels == 2 { alpha = Float(image.samples[base + 1]) / 255 }
            default:
                r = Float(image.samples[base]); g = Float(image.samples[base + 1]); b = Float(image.samples[base + 2])
                if image.channels == 4 { alpha = Float(image.samples[base + 3]) / 255 }
            }
            if channels == 1 {
                source[i] = alpha * (299 * r + 587 * g + 114 * b) / 1000
            } else {
                source[i] = alpha * r
                source[plane + i] = alpha * g
                source[2 * plane + i] = alpha * b
            }
        }
        var out = [UInt8](repeating: 0, count: channels * size * size)
        for c in 0..<channels {
            let resized = resample(plane: Array(source[(c * plane)..<((c + 1) * plane)]),
                                   width: image.width, height: image.height, to: size)
            for i in 0..<(size * size) {
                out[c * size * size + i] = UInt8(min(max(resized[i], 0), 255).rounded())
            }
        }
        return out
    }

    /// One plane resized to `size × size`, separably: each output sample along an axis is the average of the
    /// input over the output pixel's footprint (box filter; exact area averaging) when shrinking, and linear
    /// interpolation between the two nearest input centres when growing. Not Pillow's filter; good for training.
    static func resample(plane: [Float], width: Int, height: Int, to size: Int) -> [Float] {
        let horizontal = weights(from: width, to: size)
        let vertical = weights(from: height, to: size)
        var rows = [Float](repeating: 0, count: height * size)
        for y in 0..<height {
            for (x, taps) in horizontal.enumerated() {
                var sum: Float = 0
                for (i, w) in taps { sum += w * plane[y * width + i] }
                rows[y * size + x] = sum
            }
        }
        var out = [Float](repeating: 0, count: size * size)
        for (y, taps) in vertical.enumerated() {
            for x in 0..<size {
                var sum: Float = 0
                for (i, w) in taps { sum += w * rows[i * size + x] }
                out[y * size + x] = sum
            }
        }
        return out
    }

    /// For each of `outputs` samples, the input samples and weights (summing to 1) that make it.
    static func weights(from inputs: Int, to outputs: Int) -> [[(Int, Float)]] {
        let scale = Double(inputs) / Double(outputs)
        return (0..<outputs).map { o in
            if scale > 1 {
                let start = Double(o) * scale, end = Double(o + 1) * scale
                var taps: [(Int, Float)] = []
                var i = Int(start)
                while Double(i) < end && i < inputs {
                    let overlap = min(end, Double(i + 1)) - max(start, Double(i))
                    if overlap > 0 { taps.append((i, Float(overlap / scale))) }
                    i += 1
                }
                return taps
            } else {
                let centre = (Double(o) + 0.5) * scale - 0.5
                let left = Int(centre.rounded(.down))
                let t = Float(centre - Double(left))
                let a = min(max(left, 0), inputs - 1), b = min(max(left + 1, 0), inputs - 1)
                return a == b ? [(a, Float(1))] : [(a, 1 - t), (b, t)]
            }
        }
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
