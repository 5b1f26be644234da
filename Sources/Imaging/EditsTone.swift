extension Image {
    /// The image made brighter (`factor` > 1) or darker (`factor` < 1), exactly as Pillow's
    /// `ImageEnhance.Brightness(image).enhance(factor)`.
    ///
    /// Pillow's enhancers blend the image with a "degenerate" image: out = degenerate + factor·(in − degenerate).
    /// For brightness the degenerate image is black, so out = factor·in, computed like Pillow's `ImagingBlend`
    /// in single precision and truncated toward zero (not rounded), clamped to 0…255. Alpha is kept as it is
    /// (Pillow copies it into the degenerate image, so the blend leaves it unchanged). factor 1 is the identity,
    /// 0 gives black. Bit-exact with Pillow.
    public func brightened(by factor: Double) throws -> Image {
        guard factor.isFinite, factor >= 0 else {
            throw EditError("brightness factor \(factor) must be a finite number ≥ 0")
        }
        return blended(withDegenerate: [UInt8](repeating: 0, count: samples.count), factor: factor)
    }

    /// The image with its contrast scaled by `factor`, as Pillow's `ImageEnhance.Contrast(image).enhance(factor)`.
    ///
    /// The degenerate image is a flat gray at the image's mean luma, rounded: mean = ⌊mean(L) + ½⌋, where L is
    /// Pillow's integer ITU-R 601-2 luma (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16 of every pixel (alpha ignored).
    /// Then out = mean + factor·(in − mean), truncated and clamped as in `brightened(by:)`; alpha is kept.
    /// factor 1 is the identity, 0 gives the flat mean gray.
    public func contrasted(by factor: Double) throws -> Image {
        guard factor.isFinite, factor >= 0 else {
            throw EditError("contrast factor \(factor) must be a finite number ≥ 0")
        }
        let pixelCount = width * height
        guard pixelCount > 0 else { return self }
        var lumaSum = 0
        for p in 0..<pixelCount {
            let base = p * channels
            if channels >= 3 {
                let r = Int(samples[base]), g = Int(samples[base + 1]), b = Int(samples[base + 2])
                lumaSum += (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16
            } else {
                lumaSum += Int(samples[base])
            }
        }
        let mean = UInt8(min(255, Int(Double(lumaSum) / Double(pixelCount) + 0.5)))
        return blended(withDegenerate: [UInt8](repeating: mean, count: samples.count), factor: factor)
    }

    /// Pillow's `Image.blend(degenerate, self, factor)` on 8-bit samples, alpha channel left untouched.
    private func blended(withDegenerate degenerate: [UInt8], factor: Double) -> Image {
        let alpha = Float(factor)
        var result = self
        let alphaChannel = hasAlpha ? channels - 1 : -1
        for i in 0..<samples.count where i % channels != alphaChannel {
            let base = Int(degenerate[i])
            let value = Float(base) + alpha * Float(Int(samples[i]) - base)
            result.samples[i] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value.rounded(.towardZero))
        }
        return result
    }
}
