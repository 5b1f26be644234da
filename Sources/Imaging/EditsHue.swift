/// The hexcone HSV colour model on 8-bit RGB: V = max, S = (max − min)/max (0 for black), H in degrees, 60° × the
/// position between the two strongest primaries (0 for grays). OpenCV's `cvtColor(…, COLOR_RGB2HSV)` up to its 8-bit
/// scaling. (Pillow's own integer HSV, which colorhash needs, is `Image.pillowHSV`.)
public enum HexconeHSV {
    /// Hue in degrees [0, 360), saturation and value in [0, 1].
    public static func fromRGB(red: Int, green: Int, blue: Int) -> (hue: Double, saturation: Double, value: Double) {
        let high = max(red, green, blue), low = min(red, green, blue)
        let value = Double(high) / 255
        guard high > 0 else { return (0, 0, 0) }
        let spread = Double(high - low)
        let saturation = spread / Double(high)
        guard spread > 0 else { return (0, 0, value) }
        var hue: Double
        if high == red { hue = 60 * Double(green - blue) / spread }
        else if high == green { hue = 120 + 60 * Double(blue - red) / spread }
        else { hue = 240 + 60 * Double(red - green) / spread }
        if hue < 0 { hue += 360 }
        return (hue, saturation, value)
    }

    /// The inverse, to RGB in [0, 1]: with C = V·S, X = C·(1 − |(H/60) mod 2 − 1|), m = V − C,
    /// (R, G, B) = (C, X, 0), (X, C, 0), (0, C, X), (0, X, C), (X, 0, C) or (C, 0, X) by the sextant of H, plus m.
    public static func toRGB(hue: Double, saturation: Double, value: Double) -> (red: Double, green: Double, blue: Double) {
        var hue = hue.truncatingRemainder(dividingBy: 360)
        if hue < 0 { hue += 360 }
        let chroma = value * saturation
        let sextant = hue / 60
        let second = chroma * (1 - abs(sextant.truncatingRemainder(dividingBy: 2) - 1))
        let lift = value - chroma
        switch Int(sextant) {
        case 0: return (chroma + lift, second + lift, lift)
        case 1: return (second + lift, chroma + lift, lift)
        case 2: return (lift, chroma + lift, second + lift)
        case 3: return (lift, second + lift, chroma + lift)
        case 4: return (second + lift, lift, chroma + lift)
        default: return (chroma + lift, lift, second + lift)
        }
    }
}

extension Image {
    /// The image with every colour's hue turned by `degrees` around the colour wheel (red → yellow → green → …
    /// for positive angles), saturation and value kept: the edit that changes what colours a picture has but not
    /// its shapes or its brightness pattern much. Gray pixels (and gray images) are unchanged; alpha is kept.
    /// Each pixel goes to hexcone HSV, H becomes (H + degrees) mod 360, and back; exact up to the final rounding
    /// to bytes (a turn by 0 returns the same bytes). HashLab's own lesson edit, not one of Pillow's.
    public func hueRotated(by degrees: Double) -> Image {
        guard channels >= 3, degrees.isFinite else { return self }
        var result = self
        for base in stride(from: 0, to: samples.count, by: channels) {
            let (hue, saturation, value) = HexconeHSV.fromRGB(red: Int(samples[base]), green: Int(samples[base + 1]),
                                                              blue: Int(samples[base + 2]))
            guard saturation > 0 else { continue }
            let (r, g, b) = HexconeHSV.toRGB(hue: hue + degrees, saturation: saturation, value: value)
            func byte(_ x: Double) -> UInt8 { UInt8(min(255, max(0, (x * 255).rounded()))) }
            result.samples[base] = byte(r)
            result.samples[base + 1] = byte(g)
            result.samples[base + 2] = byte(b)
        }
        return result
    }
}
