import Foundation

/// How `rotate` reads the source image between pixel centres: Pillow's three `Image.rotate` filters.
public enum RotationSampling: String, Sendable, CaseIterable {
    /// `Image.NEAREST`, Pillow's default: the source pixel under the point. No new colours, jagged edges.
    case nearest
    /// `Image.BILINEAR`: the 2 × 2 surrounding pixels, mixed linearly in x then y, truncated.
    case bilinear
    /// `Image.BICUBIC`: the 4 × 4 surrounding pixels through Pillow's cubic (the a = −1 cubic convolution),
    /// clipped to 0…255 and truncated.
    case bicubic
}

extension Image {
    /// The image turned by `degrees` about its centre, counter-clockwise for positive angles, keeping the size,
    /// exactly as Pillow's `image.rotate(degrees, resample=…)` (default `NEAREST`, as Pillow): corners that turn
    /// out of the frame are lost, and places that no source pixel reaches are painted `fill`.
    ///
    /// Pillow's steps (Image.rotate, Image.transform, libImaging/Geometry.c):
    /// - the angle is taken modulo 360; 0 is a copy, 180 a transpose, and 90 or 270 on a square image a transpose
    ///   (exact permutations, whatever the filter);
    /// - otherwise every destination pixel centre p = (x + ½, y + ½) is mapped back into the source by the inverse
    ///   rotation about the centre c = (width/2, height/2): s = M·p + t, with M's entries cos and sin of −θ
    ///   rounded to 15 decimals (Python's `round(…, 15)`) and t = M·(−c) + c, in a frame where pixel (i, j)
    ///   covers [i, i+1) × [j, j+1). On the screen y grows downwards, so this turns the picture counter-clockwise;
    /// - nearest sampling runs in 16.16 fixed point (Pillow's `affine_fixed`): the source pixel is ⌊s⌋ of the
    ///   fixed-point coordinate, stepped by M's columns along rows and down the image;
    /// - bilinear and bicubic sample at s − ½ (pixel i's centre at i), edge rows and columns repeating, and
    ///   truncate the result; images with alpha are premultiplied first and divided back after (Pillow's "RGBa").
    ///
    /// - Parameter fill: one value for every channel, or exactly `channels` values; empty means all zeros
    ///   (black, and transparent for images with alpha — Pillow's default too).
    public func rotated(degrees: Double, sampling: RotationSampling = .nearest, fill: [UInt8] = []) throws -> Image {
        guard degrees.isFinite else { throw EditError("rotation angle \(degrees) is not a finite number of degrees") }
        let fillColour = try expandedFill(fill)
        var turned = degrees.truncatingRemainder(dividingBy: 360)  // Python's angle % 360.0: never negative
        if turned < 0 { turned += 360 }
        if turned == 0 { return self }
        if turned == 180 { return mirrored().flipped() }
        if width == height && (turned == 90 || turned == 270) { return quarterTurned(counterClockwise: turned == 90) }
        if sampling != .nearest && hasAlpha {
            return premultiplied().affineRotated(turned, sampling: sampling, fill: fillColour).unpremultiplied()
        }
        return affineRotated(turned, sampling: sampling, fill: fillColour)
    }

    /// The general case of `rotated`: `turned` ∈ (0, 360) degrees, through Pillow's affine transform.
    private func affineRotated(_ turned: Double, sampling: RotationSampling, fill fillColour: [UInt8]) -> Image {
        // Pillow: angle = -radians(angle); matrix = [round(cos, 15), round(sin, 15), 0, round(-sin, 15), round(cos, 15), 0]
        let radians = -(turned * (Double.pi / 180))
        func roundedTo15(_ value: Double) -> Double { Double(String(format: "%.15f", value)) ?? value }
        let a = roundedTo15(cos(radians)), b = roundedTo15(sin(radians))
        let d = roundedTo15(-sin(radians)), e = roundedTo15(cos(radians))
        let centreX = Double(width) / 2, centreY = Double(height) / 2
        // The translation that keeps the centre fixed: matrix · (−c) + c, evaluated in Pillow's order.
        let c = a * -centreX + b * -centreY + 0.0 + centreX
        let f = d * -centreX + e * -centreY + 0.0 + centreY
        var result = Image(width: width, height: height, channels: channels)
        for p in 0..<(width * height) {
            for k in 0..<channels { result.samples[p * channels + k] = fillColour[k] }
        }
        if sampling == .nearest {
            nearestAffine(a, b, c, d, e, f, into: &result)
            return result
        }
        var pixel = [UInt8](repeating: 0, count: channels)
        for y in 0..<height {
            let yIn = Double(y) + 0.5
            for x in 0..<width {
                let xIn = Double(x) + 0.5
                let sourceX = a * xIn + b * yIn + c, sourceY = d * xIn + e * yIn + f
                // Outside [0, width) × [0, height): no source pixel, the fill stays.
                guard sourceX >= 0, sourceY >= 0, sourceX < Double(width), sourceY < Double(height) else { continue }
                if sampling == .bilinear {
                    bilinearSample(atX: sourceX - 0.5, y: sourceY - 0.5, into: &pixel)
                } else {
                    bicubicSample(atX: sourceX - 0.5, y: sourceY - 0.5, into: &pixel)
                }
                let base = (y * width + x) * channels
                for k in 0..<channels { result.samples[base + k] = pixel[k] }
            }
        }
        return result
    }

    /// A quarter turn of a square image, as Pillow's `transpose(ROTATE_90)` (counter-clockwise) or `ROTATE_270`.
    private func quarterTurned(counterClockwise: Bool) -> Image {
        var result = Image(width: height, height: width, channels: channels)
        for y in 0..<result.height {
            for x in 0..<result.width {
                // Counter-clockwise: the destination's row y is the source's column width − 1 − y.
                let (sx, sy) = counterClockwise ? (width - 1 - y, x) : (y, height - 1 - x)
                for k in 0..<channels { result[x, y, k] = self[sx, sy, k] }
            }
        }
        return result
    }

    /// Pillow's nearest-neighbour affine transform (`ImagingTransformAffine`): 16.16 fixed point while every
    /// corner's source coordinate fits (`affine_fixed`), doubles stepped the same way otherwise. The source pixel
    /// of destination (x, y) is ⌊a·(x + ½) + b·(y + ½) + c⌋, ⌊d·(x + ½) + e·(y + ½) + f⌋ with the sums
    /// accumulated step by step.
    private func nearestAffine(_ a: Double, _ b: Double, _ c: Double, _ d: Double, _ e: Double, _ f: Double,
                               into result: inout Image) {
        func fits(_ x: Int, _ y: Int) -> Bool {
            abs(Double(x) * a + Double(y) * b + c) < 32768 && abs(Double(x) * d + Double(y) * e + f) < 32768
        }
        func copy(from column: Int, _ row: Int, to x: Int, _ y: Int) {
            guard column >= 0, column < width, row >= 0, row < height else { return }
            let source = (row * width + column) * channels, target = (y * width + x) * channels
            for k in 0..<channels { result.samples[target + k] = samples[source + k] }
        }
        if fits(0, 0) && fits(width, height) && fits(0, height) && fits(width, 0) {
            // FIX(v) = ⌊v·65536 + ½⌋; the pixel-centre offsets are folded into the starting point.
            func fixed(_ value: Double) -> Int { Int((value * 65536 + 0.5).rounded(.down)) }
            let stepX = fixed(a), stepY = fixed(d), rowStepX = fixed(b), rowStepY = fixed(e)
            var rowX = fixed(c + a * 0.5 + b * 0.5), rowY = fixed(f + d * 0.5 + e * 0.5)
            for y in 0..<height {
                var xx = rowX, yy = rowY
                for x in 0..<width {
                    copy(from: xx >> 16, yy >> 16, to: x, y)  // >> rounds toward −∞, as C's on int
                    xx += stepX
                    yy += stepY
                }
                rowX += rowStepX
                rowY += rowStepY
            }
            return
        }
        // Pillow's floating-point fallback: COORD(v) is −1 for negative v, else (int)v; each row starts afresh.
        func coordinate(_ value: Double) -> Int { value < 0 ? -1 : Int(value) }
        let startX = c + b * 0.5 + a * 0.5, startY = f + e * 0.5 + d * 0.5
        for y in 0..<height {
            var xx = startX, yy = startY
            for x in 0..<width {
                copy(from: coordinate(xx), coordinate(yy), to: x, y)
                xx += a
                yy += d
            }
        }
    }

    /// A fill list expanded to one value per channel.
    fileprivate func expandedFill(_ fill: [UInt8]) throws -> [UInt8] {
        switch fill.count {
        case 0: return [UInt8](repeating: 0, count: channels)
        case 1: return [UInt8](repeating: fill[0], count: channels)
        case channels: return fill
        default:
            throw EditError("fill colour has \(fill.count) values but the image has \(channels) channels")
        }
    }

    /// Pillow's bilinear filter at a point in pixel-index coordinates (pixel i's centre at i): v = a + (b − a)·dx
    /// along the two rows, then along y, truncated toward zero. Neighbours past the edge repeat the edge pixel.
    private func bilinearSample(atX x: Double, y: Double, into pixel: inout [UInt8]) {
        let left = Int(x.rounded(.down)), top = Int(y.rounded(.down))
        let dx = x - Double(left), dy = y - Double(top)
        let x0 = clampedColumn(left), x1 = clampedColumn(left + 1)
        let y0 = clampedRow(top), y1 = clampedRow(top + 1)
        for k in 0..<channels {
            let a = Double(self[x0, y0, k]), b = Double(self[x1, y0, k])
            let d = Double(self[x0, y1, k]), e = Double(self[x1, y1, k])
            let upper = a + (b - a) * dx, lower = d + (e - d) * dx
            pixel[k] = UInt8(upper + (lower - upper) * dy)  // a convex mix stays within 0…255
        }
    }

    /// Pillow's bicubic filter: through four samples v1…v4 at offsets −1, 0, 1, 2 the cubic
    /// v2 + d(−v1 + v3) + d²(2(v1 − v2) + v3 − v4) + d³(−v1 + v2 − v3 + v4) (cubic convolution with a = −1),
    /// along the four rows and then down the column of their results; ≤ 0 gives 0, ≥ 255 gives 255, else the
    /// value truncated. Rows and columns past the edge repeat the edge.
    private func bicubicSample(atX x: Double, y: Double, into pixel: inout [UInt8]) {
        let left = Int(x.rounded(.down)), top = Int(y.rounded(.down))
        let dx = x - Double(left), dy = y - Double(top)
        func cubic(_ v1: Double, _ v2: Double, _ v3: Double, _ v4: Double, _ d: Double) -> Double {
            let p1 = v2, p2 = -v1 + v3, p3 = 2 * (v1 - v2) + v3 - v4, p4 = -v1 + v2 - v3 + v4
            return p1 + d * (p2 + d * (p3 + d * p4))
        }
        let columns = (0..<4).map { clampedColumn(left - 1 + $0) }
        for k in 0..<channels {
            var rows = SIMD4<Double>()
            for j in 0..<4 {
                let row = clampedRow(top - 1 + j)
                rows[j] = cubic(Double(self[columns[0], row, k]), Double(self[columns[1], row, k]),
                                Double(self[columns[2], row, k]), Double(self[columns[3], row, k]), dx)
            }
            let value = cubic(rows[0], rows[1], rows[2], rows[3], dy)
            pixel[k] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
        }
    }

    private func clampedColumn(_ i: Int) -> Int { min(max(i, 0), width - 1) }
    private func clampedRow(_ i: Int) -> Int { min(max(i, 0), height - 1) }
}
