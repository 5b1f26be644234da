import ClassicHashing
import Imaging

extension Image {
    /// The image with every colour's hue turned by `degrees` around the colour wheel (red → yellow → green → …
    /// for positive angles), saturation and value kept: the edit that changes what colours a picture has but not
    /// its shapes or its brightness pattern much. Gray pixels (and gray images) are unchanged; alpha is kept.
    ///
    /// Each pixel goes to the hexcone HSV model (`ColorHistogram.hsv`: V = max, S = (max − min)/max, H in
    /// degrees), H becomes (H + degrees) mod 360, and back: with C = V·S, X = C·(1 − |(H/60) mod 2 − 1|),
    /// m = V − C, (R, G, B) = (C, X, 0), (X, C, 0), (0, C, X), (0, X, C), (X, 0, C) or (C, 0, X) by the sextant
    /// of H, plus m, × 255, rounded. Exact up to that final rounding (a turn by 0 returns the same bytes).
    ///
    /// This is HashLab's own lesson edit (the shell's `hue` command), not one of Pillow's.
    func hueRotated(by degrees: Double) -> Image {
        guard channels >= 3, degrees.isFinite else { return self }
        var result = self
        let step = channels
        for base in stride(from: 0, to: samples.count, by: step) {
            let (hue, saturation, value) = ColorHistogram.hsv(red: Int(samples[base]), green: Int(samples[base + 1]),
                                                              blue: Int(samples[base + 2]))
            guard saturation > 0 else { continue }
            var turned = (hue + degrees).truncatingRemainder(dividingBy: 360)
            if turned < 0 { turned += 360 }
            let chroma = value * saturation
            let sextant = turned / 60
            let second = chroma * (1 - abs(sextant.truncatingRemainder(dividingBy: 2) - 1))
            let (r, g, b): (Double, Double, Double)
            switch Int(sextant) {
            case 0: (r, g, b) = (chroma, second, 0)
            case 1: (r, g, b) = (second, chroma, 0)
            case 2: (r, g, b) = (0, chroma, second)
            case 3: (r, g, b) = (0, second, chroma)
            case 4: (r, g, b) = (second, 0, chroma)
            default: (r, g, b) = (chroma, 0, second)
            }
            let lift = value - chroma
            func byte(_ x: Double) -> UInt8 { UInt8(min(255, max(0, ((x + lift) * 255).rounded()))) }
            result.samples[base] = byte(r)
            result.samples[base + 1] = byte(g)
            result.samples[base + 2] = byte(b)
        }
        return result
    }
}
