import Dispatch

// GIST descriptors of a whole labelled image set, as a `FeatureSet` of kind "gist". ShallowHashing knows no image
// type (it sits below Imaging and Learning), so images come as raw planar bytes: image after image, each as
// `channels` planes of height × width bytes — CIFAR-10's layout, and `LabeledImages`' in Learning.

extension FeatureSet {
    /// The 512-d GIST of every image (4 scales × 8 orientations × 4×4 cells for the default descriptor), on its
    /// grey levels: the mean of its channels, in 0…255. Images must be square and at least 8×8; 60,000 CIFAR-10
    /// images take a few seconds on two cores.
    public init(gistOfPlanarPixels pixels: [UInt8], count: Int, channels: Int, height: Int, width: Int,
                labels: [Int32], classNames: [String]) throws {
        guard count >= 0, channels >= 1, height >= 1, width >= 1 else {
            throw ShallowHashingError.invalidArgument(
                "GIST needs count ≥ 0 and images of at least 1 channel and 1×1 pixels, not \(count) × \(channels) × \(height)×\(width)")
        }
        guard height == width else {
            throw ShallowHashingError.invalidArgument("GIST needs square images, not \(height)×\(width) (height × width)")
        }
        guard pixels.count == count * channels * height * width else {
            throw ShallowHashingError.invalidArgument(
                "\(pixels.count) bytes are not \(count) images of \(channels) × \(height)×\(width)")
        }
        let descriptor = try GISTDescriptor(imageSize: height)
        let values = descriptor.describe(planarPixels: pixels, count: count, channels: channels)
        try self.init(count: count, dimension: descriptor.dimension, values: values, labels: labels,
                      classNames: classNames, kind: "gist")
    }
}

extension GISTDescriptor {
    /// The descriptors of `count` planar images of `channels` × n × n bytes (checked by the caller), row after row,
    /// on the mean of each image's channels. The images are split into contiguous runs computed in parallel, each
    /// run with its own buffers; the result does not depend on the split (every image is computed alone).
    func describe(planarPixels pixels: [UInt8], count: Int, channels: Int) -> [Float] {
        let n = imageSize, d = dimension, imageBytes = channels * n * n
        precondition(pixels.count == count * imageBytes, "pixel count does not match the shape")
        var values = [Float](repeating: 0, count: count * d)
        guard count > 0 else { return values }
        let runs = min(count, 64)
        values.withUnsafeMutableBufferPointer { buffer in
            let target = GISTWriteTarget(base: buffer.baseAddress!)
            pixels.withUnsafeBufferPointer { source in
                let bytes = GISTReadSource(base: source.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: runs) { run in
                    let workspace = GISTWorkspace(for: self)
                    var grey = [Double](repeating: 0, count: n * n)
                    for image in (run * count / runs)..<((run + 1) * count / runs) {
                        greyLevels(of: bytes.base + image * imageBytes, channels: channels, into: &grey)
                        grey.withUnsafeBufferPointer { grey in
                            describe(grey: grey, into: UnsafeMutableBufferPointer(start: target.base + image * d, count: d),
                                     workspace: workspace)
                        }
                    }
                }
            }
        }
        return values
    }

    /// The grey level of each pixel of a planar image: the mean of its channels (LMgist's `mean(img, 3)`).
    private func greyLevels(of image: UnsafePointer<UInt8>, channels: Int, into grey: inout [Double]) {
        let pixelsPerPlane = imageSize * imageSize
        for i in 0..<pixelsPerPlane {
            var sum = 0
            for channel in 0..<channels { sum += Int(image[channel * pixelsPerPlane + i]) }
            grey[i] = Double(sum) / Double(channels)
        }
    }
}

/// The output buffer, written by concurrent runs into disjoint rows.
private struct GISTWriteTarget: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// The input bytes, read by concurrent runs.
private struct GISTReadSource: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
}
