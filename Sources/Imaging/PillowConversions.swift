import Foundation

/// Colour conversions that give the same bytes as Pillow's `Image.convert` (libImaging/Convert.c), so that
/// hashes computed here match Python's imagehash bit for bit. All of them are exact integer (or, for HSV,
/// Pillow's own float) arithmetic; none is an approximation of Pillow.
extension Image {
    /// Pillow's `convert("L")`: ITU-R 601-2 luma with Pillow's fixed-point rounding,
    /// `L = (19595 R + 38470 G + 7471 B + 32768) >> 16` (the weights 0.299, 0.587, 0.114 scaled by 2¹⁶ and
    /// summing to exactly 65536, so gray pixels stay unchanged). Alpha is dropped, never composited.
    public func convertedToGray() -> Image {
        let count = width * height
        if channels == 1 { return self }
        var out = [UInt8](repeating: 0, count: count)
        samples.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                let s = source.baseAddress!, t = target.baseAddress!
                switch channels {
                case 2:
                    for i in 0..<count { t[i] = s[2 * i] }
                case 3:
                    Image.lumaRows(s, t, count, stride: 3)
                default:
                    Image.lumaRows(s, t, count, stride: 4)
                }
            }
        }
        return Image(width: width, height: height, channels: 1, samples: out)
    }

    /// `L24(rgb) >> 16` for `count` pixels of `stride` bytes; the stride is a literal at each call so the loop
    /// vectorises.
    @inline(__always)
    static func lumaRows(_ s: UnsafePointer<UInt8>, _ t: UnsafeMutablePointer<UInt8>, _ count: Int, stride: Int) {
        for i in 0..<count {
            let p = s + i * stride
            let luma = UInt32(p[0]) &* 19595 &+ UInt32(p[1]) &* 38470 &+ UInt32(p[2]) &* 7471 &+ 0x8000
            t[i] = UInt8(truncatingIfNeeded: luma >> 16)
        }
    }

    /// Pillow's `convert("RGB")`: gray is replicated into the three channels, alpha is dropped.
    public func convertedToRGB() -> Image {
        if channels == 3 { return self }
        let count = width * height
        var out = [UInt8](repeating: 0, count: count * 3)
        for i in 0..<count {
            if channels <= 2 {
                let v = samples[i * channels]
                out[3 * i] = v; out[3 * i + 1] = v; out[3 * i + 2] = v
            } else {
                out[3 * i] = samples[4 * i]; out[3 * i + 1] = samples[4 * i + 1]; out[3 * i + 2] = samples[4 * i + 2]
            }
        }
        return Image(width: width, height: height, channels: 3, samples: out)
    }

    /// Pillow's `convert("HSV")` as interleaved (hue, saturation, value) bytes, `3 * width * height` of them.
    ///
    /// Pillow follows Python's colorsys in single-precision floats with double-precision steps, then truncates:
    /// `h = fmod((h6 / 6 + 1), 1)`, hue byte = `Int(h * 255)`, saturation byte = `Int((max − min) / max * 255)`,
    /// value = max. Gray pixels (and gray images: Pillow's `l2hsv`) have hue 0 and saturation 0. Reproduced
    /// here with the same float/double mix, so every byte is Pillow's.
    public func hsvSamples() -> [UInt8] {
        let count = width * height
        var out = [UInt8](repeating: 0, count: count * 3)
        if channels <= 2 {
            for i in 0..<count { out[3 * i + 2] = samples[i * channels] }
            return out
        }
        let step = channels
        for i in 0..<count {
            let p = i * step
            let hsv = Image.pillowHSV(red: samples[p], green: samples[p + 1], blue: samples[p + 2])
            out[3 * i] = hsv.hue; out[3 * i + 1] = hsv.saturation; out[3 * i + 2] = hsv.value
        }
        return out
    }

    /// One pixel of Pillow's `rgb2hsv_row` (Convert.c), with its float and double steps.
    @inlinable
    public static func pillowHSV(red r: UInt8, green g: UInt8, blue b: UInt8)
        -> (hue: UInt8, saturation: UInt8, value: UInt8) {
        let maxc = max(r, max(g, b)), minc = min(r, min(g, b))
        if maxc == minc { return (0, 0, maxc) }
        let cr = Float(maxc - minc)
        let s: Float = cr / Float(maxc)
        let rc: Float = Float(maxc - r) / cr
        let gc: Float = Float(maxc - g) / cr
        let bc: Float = Float(maxc - b) / cr
        var h: Float
        if r == maxc {
            h = bc - gc
        } else if g == maxc {
            h = Float(2.0 + Double(rc) - Double(bc))
        } else {
            h = Float(4.0 + Double(gc) - Double(rc))
        }
        // fmod(x, 1) for x = h/6 + 1 in [5/6, 11/6]: x − 1 is exact there (Sterbenz), so this is fmod exactly.
        let shifted = Double(h) / 6.0 + 1.0
        h = Float(shifted >= 1 ? shifted - 1 : shifted)
        let hue = min(255, max(0, Int(Double(h) * 255.0)))
        let saturation = min(255, max(0, Int(Double(s) * 255.0)))
        return (UInt8(hue), UInt8(saturation), maxc)
    }
}
