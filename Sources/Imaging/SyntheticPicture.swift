import Seeding
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The catalogue of pictures HashLab draws itself, so that lessons run on a fresh machine with no image files:
/// `SyntheticPicture.make(.scene, size: 256, seed: 3)`. Every picture is RGB, a pure function of
/// (kind, width, height, seed), and drawn in proportion to its size, so the same seed at 64 and at 256 pixels shows
/// the same composition. Each kind has varied structure at several scales (not flat areas alone), so that
/// perceptual hashes, which look at low frequencies, and difference hashes, which look at neighbouring gradients,
/// both have something to see.
public enum SyntheticPicture {
    public enum Kind: String, CaseIterable, Sendable {
        /// Ten to twenty overlapping filled and outlined shapes (discs, ellipses, boxes, triangles, stars, lines)
        /// in flat and gradient colours over a soft noise background.
        case shapes
        /// A linear gradient with a radial light and a faint cloud texture.
        case gradient
        /// Soft-edged stripes at a random angle and period, under uneven lighting.
        case stripes
        /// A turned checkerboard under a lighting gradient.
        case checker
        /// Coloured fractal value noise (clouds, marble-like blotches).
        case noise
        /// A grid of dots at an angle over a gradient.
        case dots
        /// A landscape-like composition: sky, sun, noisy hills, buildings with textured walls, trees, grain.
        case scene

        /// One line on what the kind draws, for help text.
        public var summary: String {
            switch self {
            case .shapes: return "overlapping filled and outlined shapes over a soft background"
            case .gradient: return "linear and radial gradients with a faint cloud texture"
            case .stripes: return "soft stripes at an angle under uneven light"
            case .checker: return "a turned checkerboard under a lighting gradient"
            case .noise: return "coloured fractal value noise (clouds)"
            case .dots: return "a grid of dots at an angle over a gradient"
            case .scene: return "a landscape: sky, sun, hills, buildings, trees, film grain"
            }
        }
    }

    /// A square picture of `size × size` pixels.
    public static func make(_ kind: Kind, size: Int, seed: UInt64) -> Image {
        make(kind, width: size, height: size, seed: seed)
    }

    /// A `width × height` RGB picture of the given kind.
    public static func make(_ kind: Kind, width: Int, height: Int, seed: UInt64) -> Image {
        canvas(kind, width: width, height: height, seed: seed).image()
    }

    /// The picture before conversion to bytes, for callers that want to draw more on it.
    public static func canvas(_ kind: Kind, width: Int, height: Int, seed: UInt64) -> SyntheticCanvas {
        // Mix the kind into the seed so that `shapes seed 1` and `scene seed 1` do not share their random stream.
        let kindIndex = UInt64(Kind.allCases.firstIndex(of: kind)!)
        var g = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ kindIndex &+ 1)
        var canvas = SyntheticCanvas(width: width, height: height)
        let painter = Painter(width: Float(width), height: Float(height))
        switch kind {
        case .shapes: painter.shapes(&canvas, &g)
        case .gradient: painter.gradient(&canvas, &g)
        case .stripes: painter.stripes(&canvas, &g)
        case .checker: painter.checker(&canvas, &g)
        case .noise: painter.noise(&canvas, &g)
        case .dots: painter.dots(&canvas, &g)
        case .scene: painter.scene(&canvas, &g)
        }
        return canvas
    }
}

/// The drawing recipes behind `SyntheticPicture`; lengths are fractions of the picture's smaller side.
private struct Painter {
    let width: Float
    let height: Float
    var side: Float { min(width, height) }

    func uniform(_ range: ClosedRange<Float>, _ g: inout SeededGenerator) -> Float {
        range.lowerBound + (range.upperBound - range.lowerBound) * g.nextUnitFloat()
    }

    func point(_ g: inout SeededGenerator, margin: Float = 0) -> SyntheticPoint {
        SyntheticPoint(uniform(-margin...(1 + margin), &g) * width, uniform(-margin...(1 + margin), &g) * height)
    }

    func randomPaint(_ g: inout SeededGenerator, around center: SyntheticPoint, size: Float) -> SyntheticPaint {
        let a = SyntheticColor.random(using: &g), b = SyntheticColor.random(using: &g)
        switch g.next() % 4 {
        case 0, 1:
            return .solid(a)
        case 2:
            let angle = uniform(0...(2 * .pi), &g)
            let d = size * SyntheticPoint(cos(angle), sin(angle))
            return .linearGradient(from: center - d, to: center + d, start: a, end: b)
        default:
            return .radialGradient(center: center, radius: size, inner: a, outer: b)
        }
    }

    func randomShape(_ g: inout SeededGenerator, center c: SyntheticPoint, radius r: Float) -> SyntheticShape {
        let angle = uniform(0...(2 * .pi), &g)
        switch g.next() % 6 {
        case 0: return .circle(center: c, radius: r)
        case 1: return .ellipse(center: c, radii: SyntheticPoint(r, r * uniform(0.3...0.8, &g)), angle: angle)
        case 2: return .rectangle(center: c, width: 2 * r, height: 2 * r * uniform(0.3...1, &g), angle: angle)
        case 3: return .regularPolygon(center: c, radius: r, sides: 3 + Int(g.next() % 4), angle: angle)
        case 4: return .star(center: c, outerRadius: r, innerRadius: r * uniform(0.35...0.6, &g),
                             points: 4 + Int(g.next() % 4), angle: angle)
        default:
            let d = r * SyntheticPoint(cos(angle), sin(angle))
            return .line(from: c - d, to: c + d, width: max(1, r * uniform(0.08...0.25, &g)))
        }
    }

    func softBackground(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        let a = SyntheticColor.random(saturation: 0.1...0.6, value: 0.3...0.9, using: &g)
        let b = SyntheticColor.random(saturation: 0.1...0.6, value: 0.3...0.9, using: &g)
        canvas.fill(with: .linearGradient(from: point(&g), to: point(&g), start: a, end: b))
        let field = SyntheticValueNoise(scale: side / 4, octaves: 4, using: &g)
        canvas.fill(with: .noise(field, contrast: 2.5, low: .black, high: .white), opacity: 0.25)
    }

    func grain(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator, amount: Float = 0.02) {
        canvas.addNoise(standardDeviation: amount, using: &g)
    }

    func shapes(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        softBackground(&canvas, &g)
        let count = 10 + Int(g.next() % 11)
        for _ in 0..<count {
            let c = point(&g, margin: 0.1)
            let r = side * uniform(0.05...0.25, &g)
            let shape = randomShape(&g, center: c, radius: r)
            let paint = randomPaint(&g, around: c, size: r)
            if g.next() % 4 == 0 {
                canvas.stroke(shape, lineWidth: max(1, r * uniform(0.05...0.2, &g)), with: paint)
            } else {
                canvas.fill(shape, with: paint, opacity: uniform(0.7...1, &g))
            }
        }
        grain(&canvas, &g)
    }

    func gradient(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        let a = SyntheticColor.random(using: &g), b = SyntheticColor.random(using: &g)
        canvas.fill(with: .linearGradient(from: point(&g, margin: 0.2), to: point(&g, margin: 0.2), start: a, end: b))
        let light = SyntheticColor.random(saturation: 0...0.4, value: 0.8...1, using: &g)
        canvas.fill(with: .radialGradient(center: point(&g), radius: side * uniform(0.3...0.8, &g),
                                          inner: light, outer: .black), opacity: 0.45)
        let field = SyntheticValueNoise(scale: side / 3, octaves: 3, using: &g)
        canvas.fill(with: .noise(field, contrast: 2, low: .black, high: .white), opacity: 0.12)
        grain(&canvas, &g, amount: 0.01)
    }

    func stripes(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        let stripe = SyntheticColor.random(using: &g), background = SyntheticColor.random(using: &g)
        canvas.fill(with: .stripes(angle: uniform(0...(.pi), &g), period: side * uniform(0.06...0.2, &g),
                                   duty: uniform(0.3...0.7, &g), stripe: stripe, background: background))
        lighting(&canvas, &g)
        grain(&canvas, &g)
    }

    func checker(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        let first = SyntheticColor.random(value: 0.6...1, using: &g)
        let second = SyntheticColor.random(value: 0.05...0.5, using: &g)
        canvas.fill(with: .checker(cell: side * uniform(0.06...0.18, &g), angle: uniform(0...(.pi / 2), &g),
                                   first: first, second: second))
        lighting(&canvas, &g)
        grain(&canvas, &g)
    }

    func dots(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        let a = SyntheticColor.random(value: 0.5...1, using: &g), b = SyntheticColor.random(value: 0.1...0.6, using: &g)
        canvas.fill(with: .linearGradient(from: point(&g), to: point(&g), start: a, end: b))
        let spacing = side * uniform(0.06...0.16, &g)
        let dotColor = SyntheticColor.random(value: 0.75...1, using: &g)
        // The dot layer (dots on the gradient's darker end) at 70 % lets the gradient show through everywhere.
        let layer = SyntheticPaint.dots(spacing: spacing, radius: spacing * uniform(0.2...0.4, &g),
                                        angle: uniform(0...(.pi / 2), &g), dot: dotColor, background: b)
        canvas.fill(with: layer, opacity: 0.7)
        lighting(&canvas, &g)
        grain(&canvas, &g)
    }

    func noise(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        let low = SyntheticColor.random(value: 0.05...0.5, using: &g)
        let high = SyntheticColor.random(value: 0.6...1, using: &g)
        let coarse = SyntheticValueNoise(scale: side * uniform(0.15...0.4, &g), octaves: 5, using: &g)
        canvas.fill(with: .noise(coarse, contrast: 2.5, low: low, high: high))
        let tint = SyntheticColor.random(using: &g)
        let fine = SyntheticValueNoise(scale: side * uniform(0.05...0.12, &g), octaves: 3, using: &g)
        canvas.fill(with: .noise(fine, contrast: 3, low: tint, high: .white), opacity: 0.3)
        grain(&canvas, &g, amount: 0.01)
    }

    /// Uneven light: a radial highlight and a darkening gradient, as a photo of a flat surface would have.
    func lighting(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        canvas.fill(with: .radialGradient(center: point(&g), radius: side * uniform(0.4...1, &g),
                                          inner: .white, outer: .black), opacity: 0.25)
        canvas.fill(with: .linearGradient(from: point(&g), to: point(&g), start: .black, end: .white), opacity: 0.15)
    }

    func scene(_ canvas: inout SyntheticCanvas, _ g: inout SeededGenerator) {
        // Sky: a vertical gradient from a deep to a pale colour.
        let hue = g.nextUnitFloat()
        let skyTop = SyntheticColor(hue: hue, saturation: uniform(0.4...0.8, &g), value: uniform(0.5...0.9, &g))
        let skyBottom = SyntheticColor(hue: hue + uniform(-0.1...0.1, &g), saturation: uniform(0.05...0.3, &g),
                                       value: uniform(0.8...1, &g))
        canvas.fill(with: .linearGradient(from: SyntheticPoint(0, 0), to: SyntheticPoint(0, height * 0.7),
                                          start: skyTop, end: skyBottom))
        // Clouds.
        let clouds = SyntheticValueNoise(scale: side * 0.25, octaves: 5, using: &g)
        canvas.fill(with: .noise(clouds, contrast: 3, low: skyTop, high: .white), opacity: uniform(0.2...0.5, &g))
        // Sun.
        let sun = SyntheticPoint(uniform(0.1...0.9, &g) * width, uniform(0.08...0.35, &g) * height)
        let sunRadius = side * uniform(0.05...0.1, &g)
        canvas.fill(.circle(center: sun, radius: sunRadius * 2.5),
                    with: .radialGradient(center: sun, radius: sunRadius * 2.5,
                                          inner: SyntheticColor(red: 1, green: 0.95, blue: 0.7), outer: skyBottom),
                    opacity: 0.6)
        canvas.fill(.circle(center: sun, radius: sunRadius), with: .solid(SyntheticColor(red: 1, green: 0.97, blue: 0.85)))
        // Two ranges of hills: a ridge line drawn from 1-D value noise, the far one paler.
        for layer in 0..<2 {
            let ridge = SyntheticValueNoise(scale: side * uniform(0.2...0.4, &g), octaves: 4, using: &g)
            let base = height * (layer == 0 ? uniform(0.45...0.6, &g) : uniform(0.6...0.75, &g))
            let amplitude = height * (layer == 0 ? 0.35 : 0.2)
            let steps = 48
            var vertices: [SyntheticPoint] = [SyntheticPoint(-1, height + 1)]
            for k in 0...steps {
                let x = width * Float(k) / Float(steps)
                let y = base - amplitude * (ridge.value(at: SyntheticPoint(x, 0)) - 0.5) * 2
                vertices.append(SyntheticPoint(x, y))
            }
            vertices.append(SyntheticPoint(width + 1, height + 1))
            let green = SyntheticColor(hue: uniform(0.2...0.4, &g), saturation: uniform(0.3...0.7, &g),
                                       value: layer == 0 ? uniform(0.35...0.6, &g) : uniform(0.2...0.45, &g))
            let hillTexture = SyntheticValueNoise(scale: side * 0.08, octaves: 4, using: &g)
            let far = layer == 0 ? green.mixed(with: skyBottom, by: 0.4) : green
            canvas.fill(.polygon(vertices), with: .noise(hillTexture, contrast: 2, low: far.mixed(with: .black, by: 0.35),
                                                         high: far.mixed(with: .white, by: 0.2)))
        }
        // Buildings with striped or checkered walls and a darker roof.
        let buildings = 2 + Int(g.next() % 4)
        for _ in 0..<buildings {
            let w = side * uniform(0.08...0.2, &g), h = side * uniform(0.15...0.4, &g)
            let x = uniform(0.05...0.95, &g) * width, groundY = height * uniform(0.75...0.95, &g)
            let wall = SyntheticColor.random(saturation: 0.05...0.4, value: 0.5...0.95, using: &g)
            let window = wall.mixed(with: .black, by: 0.6)
            let paint: SyntheticPaint = g.next() % 2 == 0
                ? .checker(cell: max(2, w / 5), angle: 0, first: wall, second: window)
                : .stripes(angle: 0, period: max(3, h / 6), duty: 0.35, stripe: window, background: wall)
            let center = SyntheticPoint(x, groundY - h / 2)
            canvas.fill(.rectangle(center: center, width: w, height: h, angle: 0), with: paint)
            canvas.stroke(.rectangle(center: center, width: w, height: h, angle: 0), lineWidth: max(1, side / 200),
                          with: .solid(wall.mixed(with: .black, by: 0.7)))
            let roof = SyntheticShape.triangle(SyntheticPoint(x - w * 0.6, groundY - h), SyntheticPoint(x + w * 0.6, groundY - h),
                                               SyntheticPoint(x, groundY - h - w * uniform(0.3...0.7, &g)))
            canvas.fill(roof, with: .solid(SyntheticColor.random(saturation: 0.4...0.8, value: 0.2...0.5, using: &g)))
        }
        // Trees: a trunk and a round crown with a light-to-dark gradient.
        let trees = 2 + Int(g.next() % 6)
        for _ in 0..<trees {
            let x = uniform(0...1, &g) * width, groundY = height * uniform(0.7...1, &g)
            let r = side * uniform(0.04...0.09, &g)
            canvas.fill(.line(from: SyntheticPoint(x, groundY), to: SyntheticPoint(x, groundY - 2.5 * r), width: max(1, r * 0.35)),
                        with: .solid(SyntheticColor(red: 0.3, green: 0.2, blue: 0.1)))
            let crown = SyntheticPoint(x, groundY - 2.5 * r - r * 0.6)
            let leaf = SyntheticColor(hue: uniform(0.22...0.38, &g), saturation: uniform(0.5...0.9, &g), value: uniform(0.3...0.7, &g))
            canvas.fill(.ellipse(center: crown, radii: SyntheticPoint(r, r * 1.3), angle: 0),
                        with: .radialGradient(center: crown - SyntheticPoint(r * 0.4, r * 0.4), radius: 1.6 * r,
                                              inner: leaf.mixed(with: .white, by: 0.3), outer: leaf.mixed(with: .black, by: 0.5)))
        }
        grain(&canvas, &g, amount: 0.025)
    }
}
