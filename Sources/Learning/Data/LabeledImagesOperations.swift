import Imaging
import Seeding

/// Selection and combination of labelled sets: the building blocks of splits and samples. All of them copy the
/// selected images into a new contiguous buffer (3,072 bytes per CIFAR-sized image: 60,000 images are 184 MB).
extension LabeledImages {
    /// An empty set of the given image shape.
    public init(channels: Int, height: Int, width: Int, classNames: [String]) {
        self.init(count: 0, channels: channels, height: height, width: width, pixels: [], labels: [],
                  classNames: classNames)
    }

    /// A set from equally sized `Image`s (interleaved samples) with one label each; the images are stored planar.
    public init(images: [Image], labels: [Int32], classNames: [String]) throws {
        guard images.count == labels.count else {
            throw DatasetError.invalidArgument("\(images.count) images but \(labels.count) labels")
        }
        let first = images.first
        let (w, h, c) = (first?.width ?? 0, first?.height ?? 0, first?.channels ?? 3)
        var pixels = [UInt8](repeating: 0, count: images.count * w * h * c)
        for (n, image) in images.enumerated() {
            guard image.width == w, image.height == h, image.channels == c else {
                throw DatasetError.incompatible(
                    reason: "image \(n) is \(image.width)×\(image.height)×\(image.channels), image 0 is \(w)×\(h)×\(c)")
            }
            let base = n * w * h * c
            for i in 0..<(w * h) {
                for k in 0..<c { pixels[base + k * w * h + i] = image.samples[i * c + k] }
            }
        }
        for label in labels where label < 0 || Int(label) >= classNames.count {
            throw DatasetError.invalidArgument("label \(label) is outside 0..<\(classNames.count)")
        }
        self.init(count: images.count, channels: c, height: h, width: w, pixels: pixels, labels: labels,
                  classNames: classNames)
    }

    /// Image `index` as an `Image` with interleaved samples (planar → interleaved), e.g. to preview or hash it.
    public func image(at index: Int) -> Image {
        precondition(index >= 0 && index < count, "image index out of range")
        let plane = width * height
        var samples = [UInt8](repeating: 0, count: imageSize)
        let base = index * imageSize
        for i in 0..<plane {
            for k in 0..<channels { samples[i * channels + k] = pixels[base + k * plane + i] }
        }
        return Image(width: width, height: height, channels: channels, samples: samples)
    }

    /// One line for the shell: "6000 images of 32×32×3, 10 classes: disc 600, ring 600, …".
    public var summary: String {
        let counts = zip(classNames, classCounts).map { "\($0) \($1)" }
        let shown = counts.count > 12 ? counts.prefix(12).joined(separator: ", ") + ", …" : counts.joined(separator: ", ")
        return "\(count) images of \(width)×\(height)×\(channels), \(classNames.count) classes: \(shown)"
    }

    /// How many images each class has, indexed by class.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels where label >= 0 && Int(label) < counts.count { counts[Int(label)] += 1 }
        return counts
    }

    /// The indices of each class's images, in order, indexed by class.
    public var indicesByClass: [[Int]] {
        var lists = [[Int]](repeating: [], count: classNames.count)
        for (i, label) in labels.enumerated() where label >= 0 && Int(label) < lists.count {
            lists[Int(label)].append(i)
        }
        return lists
    }

    /// The images at `indices`, in that order (repeats allowed). Indices must be in `0..<count`.
    public func subset(_ indices: [Int]) -> LabeledImages {
        let size = imageSize
        var newPixels = [UInt8](repeating: 0, count: indices.count * size)
        var newLabels = [Int32](repeating: 0, count: indices.count)
        pixels.withUnsafeBufferPointer { source in
            newPixels.withUnsafeMutableBufferPointer { destination in
                for (n, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "image index \(i) out of range 0..<\(count)")
                    newLabels[n] = labels[i]
                    guard size > 0 else { continue }
                    (destination.baseAddress! + n * size).update(from: source.baseAddress! + i * size, count: size)
                }
            }
        }
        return LabeledImages(count: indices.count, channels: channels, height: height, width: width,
                             pixels: newPixels, labels: newLabels, classNames: classNames)
    }

    /// The sets one after another. They must share image shape and class names.
    public static func concatenating(_ parts: [LabeledImages]) throws -> LabeledImages {
        guard let first = parts.first else { throw DatasetError.invalidArgument("nothing to concatenate") }
        for (n, part) in parts.enumerated() {
            guard part.channels == first.channels, part.height == first.height, part.width == first.width else {
                throw DatasetError.incompatible(reason: "part \(n) has images of \(part.width)×\(part.height)×"
                    + "\(part.channels), part 0 of \(first.width)×\(first.height)×\(first.channels)")
            }
            guard part.classNames == first.classNames else {
                throw DatasetError.incompatible(reason: "part \(n) has different class names")
            }
        }
        var pixels = [UInt8]()
        pixels.reserveCapacity(parts.reduce(0) { $0 + $1.pixels.count })
        var labels = [Int32]()
        labels.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts {
            pixels.append(contentsOf: part.pixels)
            labels.append(contentsOf: part.labels)
        }
        return LabeledImages(count: labels.count, channels: first.channels, height: first.height, width: first.width,
                             pixels: pixels, labels: labels, classNames: first.classNames)
    }

    /// A class-balanced random sample: `perClass` images of every class, drawn without replacement (seeded),
    /// returned class by class, each class's images in their original order. Throws if a class has fewer.
    public func taking(perClass: Int, seed: UInt64) throws -> LabeledImages {
        subset(try takingIndices(perClass: perClass, seed: seed))
    }

    /// The indices `taking(perClass:seed:)` selects.
    public func takingIndices(perClass: Int, seed: UInt64) throws -> [Int] {
        guard perClass >= 0 else { throw DatasetError.invalidArgument("per-class count \(perClass) is negative") }
        var generator = SeededGenerator(seed: seed)
        var chosen: [Int] = []
        for (label, var members) in indicesByClass.enumerated() {
            guard members.count >= perClass else {
                throw DatasetError.tooFewImages(className: classNames[label], available: members.count,
                                                needed: perClass, purpose: "taking \(perClass) per class")
            }
            shuffleSeeded(&members, using: &generator)
            chosen.append(contentsOf: members.prefix(perClass).sorted())
        }
        return chosen
    }
}

/// Fisher–Yates with our own generator and our own index arithmetic, so a shuffle is the same on every platform
/// and Swift version (the standard library's `shuffle(using:)` does not promise its algorithm).
func shuffleSeeded<T>(_ items: inout [T], using generator: inout SeededGenerator) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
        let j = Int(boundedRandom(UInt64(i + 1), using: &generator))
        if i != j { items.swapAt(i, j) }
    }
}

/// A uniform integer in 0..<bound by Lemire's multiply-and-reject method (no modulo bias).
func boundedRandom(_ bound: UInt64, using generator: inout SeededGenerator) -> UInt64 {
    precondition(bound > 0)
    var product = generator.next().multipliedFullWidth(by: bound)
    if product.low < bound {
        let threshold = (0 &- bound) % bound
        while product.low < threshold { product = generator.next().multipliedFullWidth(by: bound) }
    }
    return product.high
}
