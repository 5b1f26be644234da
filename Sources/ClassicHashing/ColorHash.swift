import Imaging

/// imagehash `colorhash(image, binbits)`: the share of pixels in 14 colour bins, each quantised to `binbits`
/// bits.
///
/// Bins, from Pillow's gray (`convert("L")`) and HSV (`convert("HSV")`) bytes of every pixel: black
/// (gray < 32); gray (not black, saturation < 85); then the remaining "coloured" pixels split into faint
/// (saturation < 170) and bright (saturation > 170; exactly 170 falls in neither, as in imagehash), each into six
/// hue bins of width 42.5 on 0…255 (numpy's last bin includes 255). Black and gray are fractions of all pixels, the hue
/// bins fractions of the coloured pixels; each fraction f becomes `min(2^binbits − 1, Int(f · 2^binbits))` and is
/// written with imagehash's own bit pattern: bit i of value v is `(v / 2^(binbits−i−1)) % 2^(binbits−i) > 0`
/// (so for binbits 3, 4 → 110, not 100). Exact.
public func colorHash(_ image: Image, binBits: Int = 3) throws -> ImageHash {
    try colorHashSteps(image, binBits: binBits).hash
}

/// The colour hash's steps: the share of pixels in each bin, and its quantised value.
func colorHashSteps(_ image: Image, binBits: Int) throws -> HashSteps {
    guard binBits >= 1, binBits <= 16 else { throw HashError("colorhash binbits must be 1…16, got \(binBits)") }
    let count = image.width * image.height
    guard count > 0 else { throw HashError("colorhash of an empty image") }
    var black = 0, grayish = 0, colored = 0
    var faint = [Int](repeating: 0, count: 6), bright = [Int](repeating: 0, count: 6)
    image.samples.withUnsafeBufferPointer { samples in
        let channels = image.channels
        for i in 0..<count {
            let p = i * channels
            let red = samples[p]
            let green = channels >= 3 ? samples[p + 1] : red, blue = channels >= 3 ? samples[p + 2] : red
            // Pillow's convert("L") (gray images: the value itself).
            let luma = channels >= 3
                ? (UInt32(red) &* 19595 &+ UInt32(green) &* 38470 &+ UInt32(blue) &* 7471 &+ 0x8000) >> 16
                : UInt32(red)
            if luma < 32 { black += 1; continue }
            if channels < 3 { grayish += 1; continue }  // gray pixels have saturation 0
            let hsv = Image.pillowHSV(red: red, green: green, blue: blue)
            if hsv.saturation < 85 { grayish += 1; continue }
            colored += 1
            let bin = min(5, 2 * Int(hsv.hue) / 85)  // numpy.histogram over linspace(0, 255, 7): width 42.5
            if hsv.saturation < 170 { faint[bin] += 1 } else if hsv.saturation > 170 { bright[bin] += 1 }
        }
    }
    let levels = 1 << binBits
    func quantised(_ fraction: Double) -> Int { min(levels - 1, Int(fraction * Double(levels))) }
    let coloredCount = Double(max(1, colored))
    var values = [quantised(Double(black) / Double(count)), quantised(Double(grayish) / Double(count))]
    for bin in faint + bright { values.append(min(levels - 1, Int(Double(bin * levels) / coloredCount))) }
    var bits: [Bool] = []
    for v in values {
        for i in 0..<binBits { bits.append((v / (1 << (binBits - i - 1))) % (1 << (binBits - i)) > 0) }
    }
    let fractions = [Double(black) / Double(count), Double(grayish) / Double(count)]
        + (faint + bright).map { Double($0) / coloredCount }
    return HashSteps(kind: .colorhash, gray: nil, thumbnail: nil, values: values.map { Double($0) }, columns: 1,
                     threshold: 0, thresholdName: "none (each bin's share is quantised to \(binBits) bits)",
                     hash: ImageHash(kind: .colorhash, bits: bits, gridWidth: binBits, gridHeight: 14),
                     binFractions: fractions)
}
