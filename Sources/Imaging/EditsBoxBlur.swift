extension Image {
    /// Pillow's `ImageFilter.GaussianBlur(radius)`, bit for bit: the Gaussian of standard deviation σ = `radius`
    /// approximated by three passes of a box blur in each direction (Gwosdek et al., "Theoretical foundations of
    /// Gaussian convolution by extended box filtering", SSVM 2011).
    ///
    /// n box passes of length L have variance n(L² − 1)/12, so σ² = n(L² − 1)/12 gives L = √(12σ²/n + 1). Box
    /// lengths must be odd, 2l + 1, so the box gets an integer radius l = ⌊(L − 1)/2⌋ plus a fractional part α:
    /// the two pixels just outside the box count with weight α each, and α is chosen so that the variance is
    /// exactly σ²/n per pass: α = (2l + 1)(l(l + 1) − 3σ²/n) / (6(σ²/n − (l + 1)²)). Pillow computes this in
    /// single precision and then blurs in 8.24 fixed point; this port repeats both exactly (see `boxBlurred`).
    /// Compared with `gaussianBlurred(sigma:)`, the result differs by a level or so but costs O(1) per sample
    /// whatever the radius.
    public func pillowGaussianBlurred(radius: Double) throws -> Image {
        guard radius.isFinite, radius >= 0 else { throw EditError("blur radius \(radius) must be a finite number ≥ 0") }
        if radius == 0 { return self }
        let passes = 3
        let r = Float(radius)
        let sigma2: Float = r * r / Float(passes)
        let length = Float((12.0 * Double(sigma2) + 1.0).squareRoot())
        let integerPart = Float(((Double(length) - 1.0) / 2.0).rounded(.down))
        var fraction: Float = (2 * integerPart + 1) * (integerPart * (integerPart + 1) - 3 * sigma2)
        fraction /= 6 * (sigma2 - (integerPart + 1) * (integerPart + 1))
        return boxBlurred(radius: integerPart + fraction, passes: passes)
    }

    /// Pillow's box blur (`ImageFilter.BoxBlur(radius)` is `passes` = 1), bit for bit: each pass replaces a
    /// sample by the mean of the 2r + 1 samples around it in a row, plus the two next ones weighted by the
    /// fractional part of `radius`; samples beyond the edge repeat the edge sample. Rows first (`passes` times),
    /// then columns (`passes` times). Weights are 8.24 fixed point: w = ⌊2²⁴ / (2·radius + 1)⌋ for the box and
    /// (2²⁴ − (2r + 1)w)/2 for each of the two fractional neighbours; a running sum makes each pass O(1) per
    /// sample. Every channel (alpha too) is blurred alike.
    public func boxBlurred(radius: Float, passes: Int = 1) -> Image {
        precondition(radius >= 0 && passes >= 1, "box blur needs radius ≥ 0 and at least one pass")
        guard width > 0, height > 0 else { return self }
        var result = self
        var line = [UInt8](), blurred = [UInt8]()
        // Rows.
        line = [UInt8](repeating: 0, count: width)
        blurred = line
        for y in 0..<height {
            for c in 0..<channels {
                for x in 0..<width { line[x] = result.samples[(y * width + x) * channels + c] }
                for _ in 0..<passes {
                    Self.boxBlurLine(line, into: &blurred, radius: radius)
                    swap(&line, &blurred)
                }
                for x in 0..<width { result.samples[(y * width + x) * channels + c] = line[x] }
            }
        }
        // Columns.
        line = [UInt8](repeating: 0, count: height)
        blurred = line
        for x in 0..<width {
            for c in 0..<channels {
                for y in 0..<height { line[y] = result.samples[(y * width + x) * channels + c] }
                for _ in 0..<passes {
                    Self.boxBlurLine(line, into: &blurred, radius: radius)
                    swap(&line, &blurred)
                }
                for y in 0..<height { result.samples[(y * width + x) * channels + c] = line[y] }
            }
        }
        return result
    }

    /// One pass of Pillow's `ImagingLineBoxBlur8` over a line: a running sum `sum` of the 2r + 1 samples of the
    /// box (r = the integer part of `radius`), moved one sample per step; out = (sum·w + (two far samples)·f
    /// + 2²³) >> 24. Unsigned 32-bit wrapping arithmetic, as in C (the final values never overflow).
    fileprivate static func boxBlurLine(_ input: [UInt8], into output: inout [UInt8], radius floatRadius: Float) {
        let count = input.count
        let last = count - 1
        let radius = Int(floatRadius)
        let boxWeight = UInt32(Float(UInt32(1) << 24) / (floatRadius * 2 + 1))
        let farWeight = ((UInt32(1) << 24) &- UInt32(radius * 2 + 1) &* boxWeight) / 2
        let edgeA = min(radius + 1, count), edgeB = max(count - radius - 1, 0)
        @inline(__always) func value(_ i: Int) -> UInt32 { UInt32(input[i]) }
        var sum = value(0) &* UInt32(radius + 1)
        if edgeA > 1 { for x in 0..<(edgeA - 1) { sum &+= value(x) } }
        sum &+= value(last) &* UInt32(radius - edgeA + 1)
        @inline(__always) func step(_ x: Int, subtract: Int, add: Int, left: Int, right: Int) {
            sum = sum &+ value(add) &- value(subtract)
            let bulk = sum &* boxWeight &+ (value(left) + value(right)) &* farWeight
            output[x] = UInt8(truncatingIfNeeded: (bulk &+ (1 << 23)) >> 24)
        }
        if edgeA <= edgeB {
            for x in 0..<edgeA { step(x, subtract: 0, add: x + radius, left: 0, right: x + radius + 1) }
            for x in edgeA..<edgeB {
                step(x, subtract: x - radius - 1, add: x + radius, left: x - radius - 1, right: x + radius + 1)
            }
            for x in edgeB...last { step(x, subtract: x - radius - 1, add: last, left: x - radius - 1, right: last) }
        } else {
            for x in 0..<edgeB { step(x, subtract: 0, add: x + radius, left: 0, right: x + radius + 1) }
            for x in edgeB..<edgeA { step(x, subtract: 0, add: last, left: 0, right: last) }
            if edgeA <= last {
                for x in edgeA...last { step(x, subtract: x - radius - 1, add: last, left: x - radius - 1, right: last) }
            }
        }
    }
}
