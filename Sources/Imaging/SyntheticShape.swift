/// A shape the synthetic rasteriser can fill or outline, described by its signed distance function: the distance in
/// pixels from a point to the shape's boundary, negative inside. Coverage of a pixel is then approximated as
/// `clamp(0.5 − d, 0, 1)` at its centre — a one-pixel-wide linear ramp across the edge, which is cheap
/// anti-aliasing (exact for a straight edge crossing the pixel axis-aligned, approximate elsewhere).
public enum SyntheticShape: Sendable, Equatable {
    /// A disc of the given radius.
    case circle(center: SyntheticPoint, radius: Float)
    /// An ellipse with semi-axes `radii`, turned by `angle` radians (clockwise on screen, since y points down).
    case ellipse(center: SyntheticPoint, radii: SyntheticPoint, angle: Float)
    /// A `width × height` rectangle centred at `center`, turned by `angle` radians.
    case rectangle(center: SyntheticPoint, width: Float, height: Float, angle: Float)
    /// A closed polygon through `vertices` (any simple or self-intersecting outline; inside by the even–odd rule).
    case polygon([SyntheticPoint])
    /// A straight segment of the given thickness with round caps.
    case line(from: SyntheticPoint, to: SyntheticPoint, width: Float)

    /// A triangle through three points.
    public static func triangle(_ a: SyntheticPoint, _ b: SyntheticPoint, _ c: SyntheticPoint) -> SyntheticShape {
        .polygon([a, b, c])
    }

    /// A regular polygon with `sides` corners on a circle of `radius`, the first corner at `angle` radians.
    public static func regularPolygon(center: SyntheticPoint, radius: Float, sides: Int, angle: Float = 0) -> SyntheticShape {
        precondition(sides >= 3, "a polygon needs at least three sides")
        return .polygon((0..<sides).map { k in
            let a = angle + Float(k) * 2 * .pi / Float(sides)
            return center + radius * SyntheticPoint(cos(a), sin(a))
        })
    }

    /// A star with `points` tips on a circle of `outerRadius` and notches on a circle of `innerRadius`.
    public static func star(center: SyntheticPoint, outerRadius: Float, innerRadius: Float, points: Int,
                            angle: Float = 0) -> SyntheticShape {
        precondition(points >= 2, "a star needs at least two points")
        return .polygon((0..<(2 * points)).map { k in
            let a = angle + Float(k) * .pi / Float(points)
            let r = k % 2 == 0 ? outerRadius : innerRadius
            return center + r * SyntheticPoint(cos(a), sin(a))
        })
    }

    /// The axis-aligned box that holds the shape: (minimum corner, maximum corner).
    public var bounds: (SyntheticPoint, SyntheticPoint) {
        switch self {
        case let .circle(c, r):
            return (c - SyntheticPoint(r, r), c + SyntheticPoint(r, r))
        case let .ellipse(c, radii, _):
            let r = max(radii.x, radii.y)
            return (c - SyntheticPoint(r, r), c + SyntheticPoint(r, r))
        case let .rectangle(c, w, h, _):
            let r = 0.5 * (w * w + h * h).squareRoot()
            return (c - SyntheticPoint(r, r), c + SyntheticPoint(r, r))
        case let .polygon(vertices):
            guard var low = vertices.first else { return (.zero, .zero) }
            var high = low
            for v in vertices { low = pointwiseMin(low, v); high = pointwiseMax(high, v) }
            return (low, high)
        case let .line(a, b, w):
            let h = SyntheticPoint(w / 2, w / 2)
            return (pointwiseMin(a, b) - h, pointwiseMax(a, b) + h)
        }
    }

    /// The signed distance in pixels from `p` to the boundary, negative inside. Exact for circles, rectangles,
    /// polygons and lines; for an ellipse a first-order approximation (the circle's distance scaled by the
    /// gradient), good to a fraction of a pixel near the edge, which is all coverage needs.
    @inlinable
    public func signedDistance(to p: SyntheticPoint) -> Float {
        switch self {
        case let .circle(c, r):
            let d = p - c
            return (d * d).sum().squareRoot() - r
        case let .ellipse(c, radii, angle):
            let q = Self.rotate(p - c, by: -angle)
            let k = q / radii
            let k0 = (k * k).sum().squareRoot()
            let g = q / (radii * radii)
            let k1 = (g * g).sum().squareRoot()
            guard k1 > 0 else { return -min(radii.x, radii.y) }
            return k0 * (k0 - 1) / k1
        case let .rectangle(c, w, h, angle):
            let q = Self.rotate(p - c, by: -angle)
            let d = SyntheticPoint(abs(q.x) - w / 2, abs(q.y) - h / 2)
            let outside = pointwiseMax(d, .zero)
            return (outside * outside).sum().squareRoot() + min(max(d.x, d.y), 0)
        case let .polygon(vertices):
            return Self.polygonDistance(vertices, p)
        case let .line(a, b, w):
            let ab = b - a, ap = p - a
            let length2 = (ab * ab).sum()
            let t = length2 > 0 ? min(max((ap * ab).sum() / length2, 0), 1) : 0
            let d = ap - t * ab
            return (d * d).sum().squareRoot() - w / 2
        }
    }

    @inlinable
    static func rotate(_ v: SyntheticPoint, by angle: Float) -> SyntheticPoint {
        let c = cos(angle), s = sin(angle)
        return SyntheticPoint(c * v.x - s * v.y, s * v.x + c * v.y)
    }

    /// Distance to the nearest edge, signed by the even–odd crossing rule (after Inigo Quilez's polygon SDF).
    @usableFromInline
    static func polygonDistance(_ v: [SyntheticPoint], _ p: SyntheticPoint) -> Float {
        let n = v.count
        guard n >= 2 else { return .infinity }
        var best = Float.infinity
        var inside = false
        var j = n - 1
        for i in 0..<n {
            let e = v[j] - v[i], w = p - v[i]
            let length2 = (e * e).sum()
            let t = length2 > 0 ? min(max((w * e).sum() / length2, 0), 1) : 0
            let b = w - t * e
            best = min(best, (b * b).sum())
            if (v[i].y > p.y) != (v[j].y > p.y) {
                let xCross = v[i].x + (p.y - v[i].y) * (v[j].x - v[i].x) / (v[j].y - v[i].y)
                if p.x < xCross { inside.toggle() }
            }
            j = i
        }
        let d = best.squareRoot()
        return inside ? -d : d
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
