#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the synthetic rasteriser fills with: a colour at every point of the plane. Flat colour, gradients and
/// textures are all paints, so any shape can be filled with any of them, and a whole canvas too.
/// Angles are in radians; lengths in pixels.
public enum SyntheticPaint: Sendable, Equatable {
    case solid(SyntheticColor)
    /// `start` at the point `from`, `end` at `to`, linear in between along the line through them, flat beyond.
    case linearGradient(from: SyntheticPoint, to: SyntheticPoint, start: SyntheticColor, end: SyntheticColor)
    /// `inner` at `center`, `outer` at `radius` and beyond, linear in the distance between.
    case radialGradient(center: SyntheticPoint, radius: Float, inner: SyntheticColor, outer: SyntheticColor)
    /// Parallel stripes whose normal points at `angle`: each `period` pixels, a band of `duty · period` pixels in
    /// `stripe` colour and the rest in `background`, with anti-aliased edges.
    case stripes(angle: Float, period: Float, duty: Float, stripe: SyntheticColor, background: SyntheticColor)
    /// A checkerboard of `cell`-pixel squares turned by `angle` (no anti-aliasing).
    case checker(cell: Float, angle: Float, first: SyntheticColor, second: SyntheticColor)
    /// Round dots of `radius` on a square grid of `spacing`, turned by `angle`, on a background (anti-aliased).
    case dots(spacing: Float, radius: Float, angle: Float, dot: SyntheticColor, background: SyntheticColor)
    /// Smooth value noise mapped from 0…1 onto the line from `low` to `high`, stretched by `contrast` about 0.5
    /// (value noise clusters near 0.5; a contrast of 2–3 uses the whole range) and clamped.
    case noise(SyntheticValueNoise, contrast: Float, low: SyntheticColor, high: SyntheticColor)

    /// The paint's colour at a point.
    @inlinable
    public func color(at p: SyntheticPoint) -> SyntheticColor {
        switch self {
        case let .solid(c):
            return c
        case let .linearGradient(a, b, start, end):
            let d = b - a
            let length2 = (d * d).sum()
            let t = length2 > 0 ? min(max(((p - a) * d).sum() / length2, 0), 1) : 0
            return start.mixed(with: end, by: t)
        case let .radialGradient(c, r, inner, outer):
            let d = p - c
            let t = r > 0 ? min((d * d).sum().squareRoot() / r, 1) : 1
            return inner.mixed(with: outer, by: t)
        case let .stripes(angle, period, duty, stripe, background):
            let s = p.x * cos(angle) + p.y * sin(angle)
            var u = s.truncatingRemainder(dividingBy: period)
            if u < 0 { u += period }
            let band = duty * period
            // Signed distance to the nearest band edge, negative inside the band.
            let d = u < band ? -min(u, band - u) : min(u - band, period - u)
            return background.mixed(with: stripe, by: min(max(0.5 - d, 0), 1))
        case let .checker(cell, angle, first, second):
            let c = cos(angle), s = sin(angle)
            let x = (c * p.x + s * p.y) / cell, y = (-s * p.x + c * p.y) / cell
            let parity = (Int(x.rounded(.down)) + Int(y.rounded(.down))) & 1
            return parity == 0 ? first : second
        case let .dots(spacing, radius, angle, dot, background):
            let c = cos(angle), s = sin(angle)
            var x = (c * p.x + s * p.y).truncatingRemainder(dividingBy: spacing)
            var y = (-s * p.x + c * p.y).truncatingRemainder(dividingBy: spacing)
            if x < 0 { x += spacing }
            if y < 0 { y += spacing }
            let dx = x - spacing / 2, dy = y - spacing / 2
            let d = (dx * dx + dy * dy).squareRoot() - radius
            return background.mixed(with: dot, by: min(max(0.5 - d, 0), 1))
        case let .noise(field, contrast, low, high):
            let t = (field.value(at: p) - 0.5) * contrast + 0.5
            return low.mixed(with: high, by: min(max(t, 0), 1))
        }
    }
}
