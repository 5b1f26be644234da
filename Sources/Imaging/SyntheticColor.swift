import Seeding

/// A point in pixel coordinates for the synthetic rasteriser: x to the right, y down, (0, 0) the top-left corner
/// of the top-left pixel, so pixel (i, j) has its centre at (i + 0.5, j + 0.5).
public typealias SyntheticPoint = SIMD2<Float>

/// A linear RGB colour with components in 0…1, as the synthetic rasteriser paints with.
/// Converted to bytes only at the end (`round(255 · v)`, clamped), so blending happens at Float precision.
public struct SyntheticColor: Sendable, Equatable {
    public var red: Float
    public var green: Float
    public var blue: Float

    public init(red: Float, green: Float, blue: Float) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A gray level in 0…1.
    public init(gray: Float) { self.init(red: gray, green: gray, blue: gray) }

    /// A colour from hue (0…1 around the wheel), saturation and value (0…1), the usual HSV hexcone.
    public init(hue: Float, saturation: Float, value: Float) {
        let h = (hue - hue.rounded(.down)) * 6
        let sector = Int(h) % 6
        let f = h - Float(Int(h))
        let p = value * (1 - saturation)
        let q = value * (1 - saturation * f)
        let t = value * (1 - saturation * (1 - f))
        switch sector {
        case 0: self.init(red: value, green: t, blue: p)
        case 1: self.init(red: q, green: value, blue: p)
        case 2: self.init(red: p, green: value, blue: t)
        case 3: self.init(red: p, green: q, blue: value)
        case 4: self.init(red: t, green: p, blue: value)
        default: self.init(red: value, green: p, blue: q)
        }
    }

    public static let black = SyntheticColor(gray: 0)
    public static let white = SyntheticColor(gray: 1)

    /// The straight-line mix `(1 − t)·self + t·other`.
    @inlinable
    public func mixed(with other: SyntheticColor, by t: Float) -> SyntheticColor {
        SyntheticColor(red: red + (other.red - red) * t,
                       green: green + (other.green - green) * t,
                       blue: blue + (other.blue - blue) * t)
    }

    /// A random colour with hue uniform on the wheel and saturation and value drawn from the given ranges.
    public static func random(saturation: ClosedRange<Float> = 0.3...1, value: ClosedRange<Float> = 0.2...1,
                              using generator: inout SeededGenerator) -> SyntheticColor {
        let hue = generator.nextUnitFloat()
        let s = saturation.lowerBound + (saturation.upperBound - saturation.lowerBound) * generator.nextUnitFloat()
        let v = value.lowerBound + (value.upperBound - value.lowerBound) * generator.nextUnitFloat()
        return SyntheticColor(hue: hue, saturation: s, value: v)
    }
}
