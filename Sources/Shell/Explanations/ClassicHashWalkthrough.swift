import ClassicHashing
import Foundation
import Imaging

/// The steps of a classic hash on one image, recomputed from public pieces (Pillow's gray conversion, Lanczos
/// resizing) so that `explain` can show every intermediate: the gray picture, the thumbnail, the numbers the
/// transform gives, the threshold and the bits.
///
/// The bits come from the same arithmetic as ClassicHashing's, written plainly: aHash and dHash compare integers
/// (exact); wHash compares block sums of the thumbnail, which is what the Haar low band is up to a positive factor
/// and the removed mean (exact but for PyWavelets' rounding where block sums tie at the median); pHash shows
/// the library's own steps (`perceptualHashSteps`), whose DCT is scipy's operation by operation; the colour hash
/// counts Pillow's HSV bytes (exact).
/// `hash` stays the reference: `explain` prints whether its bits agree.
public struct ClassicHashWalkthrough: Sendable {
    public var kind: HashKind
    /// The Pillow gray picture (nil for the colour hash, which looks at colours).
    public var gray: Image?
    /// The thumbnail the transform starts from (nil for the colour hash).
    public var thumbnail: Image?
    /// The numbers that are thresholded, row-major (`columns` per row): thumbnail pixels (aHash), brightness steps
    /// right minus left (dHash), DCT coefficients (pHash), Haar low-band values as block mean minus image mean in
    /// 0…1 units (wHash), bin values (colour hash).
    public var values: [Double]
    public var columns: Int
    /// What the values are compared with: the mean (aHash), 0 (dHash), the median (pHash, wHash).
    public var threshold: Double
    /// Words for the threshold ("mean", "median", …).
    public var thresholdName: String
    /// The hash built from the recomputed bits.
    public var hash: ImageHash
    /// For the colour hash: the fraction behind every bin value.
    public var binFractions: [Double]

    /// Walks through `kind` on `image` with imagehash's defaults (hash size 8, binbits 3).
    public init(kind: HashKind, image: Image, size: Int = 8, binBits: Int = 3) throws {
        guard image.width > 0, image.height > 0 else { throw HashError("explain: the image is empty") }
        self.kind = kind
        binFractions = []
        switch kind {
        case .ahash:
            let gray = image.convertedToGray()
            let small = gray.resized(width: size, height: size, filter: .lanczos)
            let pixels = small.samples.map(Int.init)
            let total = pixels.reduce(0, +)
            self.gray = gray
            thumbnail = small
            values = pixels.map(Double.init)
            columns = size
            threshold = Double(total) / Double(pixels.count)
            thresholdName = "mean"
            hash = ImageHash(kind: .ahash, bits: pixels.map { $0 * pixels.count > total }, gridWidth: size,
                             gridHeight: size)
        case .dhash:
            let gray = image.convertedToGray()
            let small = gray.resized(width: size + 1, height: size, filter: .lanczos)
            let pixels = small.samples.map(Int.init)
            var steps: [Double] = []
            for row in 0..<size {
                for column in 0..<size {
                    steps.append(Double(pixels[row * (size + 1) + column + 1] - pixels[row * (size + 1) + column]))
                }
            }
            self.gray = gray
            thumbnail = small
            values = steps
            columns = size
            threshold = 0
            thresholdName = "0 (brighter than the left neighbour)"
            hash = ImageHash(kind: .dhash, bits: steps.map { $0 > 0 }, gridWidth: size, gridHeight: size)
        case .phash:
            // The library's own steps: its DCT is scipy's arithmetic (exact zeros on a flat thumbnail, the same
            // rounding noise elsewhere), which no plainer formula reproduces.
            let gray = image.convertedToGray()
            let steps = try perceptualHashSteps(gray: gray, size: size)
            self.gray = gray
            thumbnail = steps.thumbnail
            values = steps.coefficients
            columns = size
            threshold = steps.median
            thresholdName = "median"
            hash = steps.hash
        case .whash:
            guard size >= 2, size & (size - 1) == 0 else {
                throw HashError("explain whash: the hash size must be a power of two, got \(size)")
            }
            let gray = image.convertedToGray()
            let side = min(gray.width, gray.height)
            // imagehash: the largest power of two not above the smaller side, but at least the hash size.
            let scale = max(1 << (Int.bitWidth - 1 - side.leadingZeroBitCount), size)
            let small = gray.resized(width: scale, height: scale, filter: .lanczos)
            let blockSide = scale / size
            var sums = [Int](repeating: 0, count: size * size)
            for y in 0..<scale {
                for x in 0..<scale { sums[(y / blockSide) * size + x / blockSide] += Int(small.samples[y * scale + x]) }
            }
            let total = sums.reduce(0, +)
            let pixelsPerBlock = Double(blockSide * blockSide)
            let mean = Double(total) / Double(scale * scale) / 255
            let middleSum = ClassicHashWalkthrough.median(sums.map(Double.init))
            self.gray = gray
            thumbnail = small
            values = sums.map { Double($0) / pixelsPerBlock / 255 - mean }
            columns = size
            threshold = middleSum / pixelsPerBlock / 255 - mean
            thresholdName = "median"
            hash = ImageHash(kind: .whash, bits: sums.map { Double($0) > middleSum }, gridWidth: size,
                             gridHeight: size)
        case .colorhash:
            guard (1...16).contains(binBits) else { throw HashError("explain colorhash: binbits must be 1…16") }
            let rgb = image.convertedToRGB()
            let luma = image.convertedToGray().samples
            let hsv = rgb.hsvSamples()
            let count = image.width * image.height
            var black = 0, grayish = 0, colored = 0
            var faint = [Int](repeating: 0, count: 6), bright = [Int](repeating: 0, count: 6)
            for i in 0..<count {
                if luma[i] < 32 { black += 1; continue }
                let saturation = hsv[3 * i + 1]
                if saturation < 85 { grayish += 1; continue }
                colored += 1
                let bin = min(5, 2 * Int(hsv[3 * i]) / 85)
                if saturation < 170 { faint[bin] += 1 } else if saturation > 170 { bright[bin] += 1 }
            }
            let levels = 1 << binBits
            let fractions = [Double(black) / Double(count), Double(grayish) / Double(count)]
                + (faint + bright).map { Double($0) / Double(max(1, colored)) }
            let quantised = [min(levels - 1, Int(fractions[0] * Double(levels))),
                             min(levels - 1, Int(fractions[1] * Double(levels)))]
                + (faint + bright).map { min(levels - 1, $0 * levels / max(1, colored)) }
            var bits: [Bool] = []
            for value in quantised {
                for i in 0..<binBits { bits.append((value / (1 << (binBits - i - 1))) % (1 << (binBits - i)) > 0) }
            }
            gray = nil
            thumbnail = nil
            values = quantised.map(Double.init)
            columns = 1
            threshold = 0
            thresholdName = "none (each bin's share is quantised to \(binBits) bits)"
            binFractions = fractions
            hash = ImageHash(kind: .colorhash, bits: bits, gridWidth: binBits, gridHeight: 14)
        }
    }

    /// The colour hash's 14 bins, in imagehash's order.
    public static let colorBinNames = ["black (gray < 32)", "gray (saturation < 85)"]
        + ["red", "yellow", "green", "cyan", "blue", "magenta"].map { "faint \($0)" }
        + ["red", "yellow", "green", "cyan", "blue", "magenta"].map { "bright \($0)" }

    /// numpy's median: the middle value, or the mean of the two middle ones.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
