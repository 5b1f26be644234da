import Foundation

/// How a geometric edit reads the source image between pixel centres.
public enum RotationSampling: String, Sendable, CaseIterable {
    /// The nearest source pixel: no new colours, blocky edges.
    case nearest
    /// A weighted mean of the 2 × 2 surrounding pixels (linear in x, then in y), truncated like Pillow's.
    case bilinear
    /// Keys' cubic convolution (a = −0.5) over the 4 × 4 surrounding pixels: sharper than bilinear, may
    /// overshoot, so results are clamped to 0…255.
    case bicubic
}

extension Image {
    /// The image turned by `degrees` about its centre, counter-clockwise for positive angles (Pillow's
    /// `Image.rotate` convention), keeping the size: corners that turn out of the frame are lost, and places that
    /// no source pixel reaches are painted `fill`.
    ///
    /// How: every destination pixel centre p = (x + ½, y + ½) is mapped back into the source by the inverse
    /// rotation about the centre c = (width/2, height/2), s = c + R(−θ)(p − c), in a frame where pixel (i, j)
    /// covers [i, i+1) × [j, j+1). On the screen y grows downwards, so a counter-clockwise turn by θ sends
    /// (dx, dy) to (cos θ·dx + sin θ·dy, −sin θ·dx + cos θ·dy); its inverse is (cos θ·dx − sin θ·dy,
    /// sin θ·dx + cos θ·dy). A source point outside [0, width) × [0, height) gives `fill`; otherwise the source
    /// is read with `sampling`, interpolation neighbours just past the edge repeating the edge pixel.
    ///
    /// The arithmetic is Pillow's, step for step: the matrix entries are cos and sin of −θ rounded to 15
    /// decimals (Python's `round(…, 15)`), the translation is computed as Pillow's `rotate` does, and
    /// `.bilinear` truncates its result toward zero like Pillow's bilinear filter. So `.bilinear` is bit-exact
    /// with `image.rotate(degrees, resample=Image.BILINEAR)` (checked against the golden `*-rot3.png` files).
    /// `.bicubic` (Keys, a = −0.5, rounded) and `.nearest` at other angles are approximations of Pillow's.
    ///
    /// Multiples of 90° always use nearest sampling; with exact sines and cosines they only move pixels: a
    /// square image (or one whose width and height differ by an even number) comes out as an exact permutation,
    /// and four turns of 90° give the original back, as in Pillow.
    ///
    /// - Parameter fill: one value for every channel, or exactly `channels` values; empty means all zeros
    ///   (black, and transparent for images with alpha — Pillow's default too).
    public func rotated(degrees: Double, sampling: RotationSampling = .bilinear, fill: [UInt8] = []) throws -> Image {
        guard degrees.isFinite else { throw EditError("rotation angle \(degrees) is not a finite number of degrees") }
        let fillColour = try expandedFill(fill)
        var turned = degrees.truncatingRemainder(dividingBy: 360)
        if turned < 0 { turned += 360 }
        if turned == 0 { return self }
        let method = turned.truncatingRemainder(dividingBy: 90) == 0 ? .nearest : sampling
        // Pillow: angle = -radians(angle); matrix = [round(cos, 15), round(sin, 15), 0, round(-sin, 15), round(cos, 15), 0]
        let radians = -(turned * (Double.pi / 180))
        func roundedTo15(_ value: Double) -> Double { Double(String(format: "%.15f", value)) ?? value }
        let a = roundedTo15(cos(radians)), b = roundedTo15(sin(radians))
        let d = roundedTo15(-sin(radians)), e = roundedTo15(cos(radians))
        let centreX = Double(width) / 2, centreY = Double(height) / 2
        // The translation that keeps the centre fixed: matrix · (−c) + c, evaluated in Pillow's order.
        let offsetX = a * -centreX + b * -centreY + 0.0 + centreX
        let offsetY = d * -centreX + e * -centreY + 0.0 + centreY
        var result = Image(width: width, height: height, channels: channels)
        var pixel = [UInt8](repeating: 0, count: channels)
        for y in 0..<height {
            let yIn = Double(y) + 0.5
            for x in 0..<width {
                let xIn = Double(x) + 0.5
                // Source point in the continuous frame (pixel i covers [i, i + 1)).
                let sourceX = a * xIn + b * yIn + offsetX
                let sourceY = d * xIn + e * yIn + offsetY
                let base = (y * width + x) * channels
                if !(sourceX >= 0 && sourceY >= 0 && sourceX < Double(width) && sourceY < Double(height)) {
                    for c in 0..<channels { result.samples[base + c] = fillColour[c] }
                    continue
                }
                // Interpolation works in pixel-index coordinates, where pixel i's centre sits at i.
                sample(atX: sourceX - 0.5, y: sourceY - 0.5, using: method, into: &pixel)
                for c in 0..<channels { result.samples[base + c] = pixel[c] }
            }
        }
        return result
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

    /// The interpolated pixel at a fractional position given in pixel-index coordinates (pixel i's centre at i);
    /// neighbours outside the image repeat the nearest edge pixel.
    fileprivate func sample(atX x: Double, y: Double, using sampling: RotationSampling, into pixel: inout [UInt8]) {
        @inline(__always) func clampedX(_ i: Int) -> Int { min(max(i, 0), width - 1) }
        @inline(__always) func clampedY(_ i: Int) -> Int { min(max(i, 0), height - 1) }
        switch sampling {
        case .nearest:
            // The pixel whose square [i − ½, i + ½) holds the point, as Pillow's nearest filter picks it
            // (floor of the continuous coordinate): exact half-way points go to the right / lower pixel.
            let column = clampedX(Int((x + 0.5).rounded(.down)))
            let row = clampedY(Int((y + 0.5).rounded(.down)))
            let base = (row * width + column) * channels
            for c in 0..<channels { pixel[c] = samples[base + c] }
        case .bilinear:
            let left = Int(x.rounded(.down)), top = Int(y.rounded(.down))
            let fx = x - Double(left), fy = y - Double(top)
            let x0 = clampedX(left), x1 = clampedX(left + 1), y0 = clampedY(top), y1 = clampedY(top + 1)
            for c in 0..<channels {
                let a = Double(self[x0, y0, c]), b = Double(self[x1, y0, c])
                let d = Double(self[x0, y1, c]), e = Double(self[x1, y1, c])
                let upper = a + (b - a) * fx, lower = d + (e - d) * fx
                // Truncated toward zero, as Pillow's bilinear filter does (a convex mix stays within 0…255).
                pixel[c] = UInt8(upper + (lower - upper) * fy)
            }
        case .bicubic:
            let left = Int(x.rounded(.down)), top = Int(y.rounded(.down))
            let fx = x - Double(left), fy = y - Double(top)
            let wx = Self.cubicWeights(fx), wy = Self.cubicWeights(fy)
            for c in 0..<channels {
                var total = 0.0
                for j in 0..<4 {
                    let row = clampedY(top - 1 + j)
                    var line = 0.0
                    for i in 0..<4 { line += wx[i] * Double(self[clampedX(left - 1 + i), row, c]) }
                    total += wy[j] * line
                }
                pixel[c] = EditArithmetic.roundedByte(total)
            }
        }
    }

    /// Keys' cubic convolution weights (a = −0.5) of the four neighbours at offsets −1, 0, 1, 2 from a point
    /// `t` ∈ [0, 1) past the second one. They sum to 1.
    fileprivate static func cubicWeights(_ t: Double) -> SIMD4<Double> {
        let a = -0.5
        func kernel(_ s: Double) -> Double {
            let s = abs(s)
            if s < 1 { return ((a + 2) * s - (a + 3)) * s * s + 1 }
            if s < 2 { return ((s - 5) * s + 8) * s * a - 4 * a }
            return 0
        }
        return SIMD4(kernel(t + 1), kernel(t), kernel(1 - t), kernel(2 - t))
    }
}
