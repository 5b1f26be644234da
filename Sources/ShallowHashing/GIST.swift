import Foundation

// The GIST descriptor (Oliva & Torralba, "Modeling the shape of the scene", IJCV 2001), in the grey-level form the
// learning-to-hash papers use for CIFAR-10: 4 scales × 8 orientations × a 4×4 grid = 512 numbers per image. It
// says how much oriented structure of each scale each part of the image holds — a coarse map of "where are the
// fine vertical edges, where the broad horizontal bands" — and is the feature the shallow baselines (LSH, PCAH,
// ITQ, SH) are compared on in the hashing papers (ITQ's own paper used a 320-d variant: 8, 8, 4 orientations).
//
// Reference followed: LEAR's C implementation (Douze et al., INRIA, `gist.c` v1.1, `bw_gist_scaletab` with
// orientations 8,8,8,8 and 4 blocks): `prefilt`, `create_gabor`, `gist_gabor`, `down_N`, step for step. Where it
// differs from Oliva & Torralba's MATLAB `LMgist.m`, LEAR is followed:
//   - no `boundaryExtension`: LMgist mirrors 32 more pixels around the prefiltered image before the Gabor filters
//     (and builds the filters for the larger size); LEAR filters the image itself, circularly;
//   - no stretching of the grey levels to 0…255 (LMgist's `img − min`, `255·img/max`): the grey levels go into
//     the logarithm as they are;
//   - no resizing: a CIFAR-10 image is already 32×32, and the papers computed GIST at that size;
//   - no rounding of the padded size up to an even number (LMgist's `prefilt`): the two differ for odd sizes only.
// LEAR takes a grey image and says nothing of colour; the grey level here is LMgist's, the mean of the channels
// (`mean(img, 3)`). Deviation from LEAR: the arithmetic is in Double, not Float (LEAR's `fftwf`), so values should
// differ from LEAR's by Float rounding only (not checked against a LEAR build: the tests check the formulas).
//
// The three steps, on an n×n grey image x with values in 0…255:
//   1. prefilter: ℓ = log(1 + x); ℓ ← ℓ − lowpass(ℓ) (whitening); ℓ ← ℓ / (0.2 + √lowpass(ℓ²)) (local contrast);
//   2. Gabor bank: for each filter k, e_k = |IFFT(FFT(ℓ) · G_k)| / n², the local amplitude of its band;
//   3. blocks: the mean of e_k over each cell of a 4×4 grid.

/// The GIST descriptor of square grey images of one size; `describe(grey:)` computes it.
///
/// Filters and FFTW plans are built once, in `init`; a descriptor can then describe any number of images, from
/// any number of threads at once (each call uses its own buffers).
public struct GISTDescriptor: Sendable {
    /// The side n of the n×n images it describes.
    public let imageSize: Int
    /// The number of Gabor orientations at each scale, finest scale first.
    public let orientationsPerScale: [Int]
    /// The grid is `blocksPerSide × blocksPerSide` cells.
    public let blocksPerSide: Int
    /// f_c of the prefilter's low-pass, in cycles per padded image.
    public let prefilterCutoff: Double

    /// The mirrored margin around the image while it is prefiltered (LEAR's `prefilt`: 5 pixels), so that the
    /// circular convolutions there do not wrap the left edge onto the right one.
    public static let prefilterPadding = 5

    /// The prefilter's low-pass on the padded (n + 10)² grid, and the Gabor transfer functions on the n² grid,
    /// filter after filter.
    let lowPass: [Double]
    let gaborTransferFunctions: [Double]
    let paddedTransform: SquareFourierTransform
    let imageTransform: SquareFourierTransform
    /// The grid cell of each row (and column) index, and each cell's bounds: LEAR's `down_N` splits an axis of n
    /// pixels at ⌊i·n / B⌋, i = 0…B.
    let cellOfIndex: [Int]
    let cellBounds: [Int]

    /// The number of filters, Σ orientationsPerScale (32 by default).
    public var filterCount: Int { orientationsPerScale.reduce(0, +) }
    /// filters × cells: 512 by default.
    public var dimension: Int { filterCount * blocksPerSide * blocksPerSide }

    public init(imageSize: Int = 32, orientationsPerScale: [Int] = [8, 8, 8, 8], blocksPerSide: Int = 4,
                prefilterCutoff: Double = 4) throws {
        guard imageSize >= 8 else {
            throw ShallowHashingError.invalidArgument(
                "GIST needs images of at least 8×8 pixels (as LEAR's gist does), not \(imageSize)×\(imageSize)")
        }
        guard !orientationsPerScale.isEmpty, orientationsPerScale.allSatisfy({ $0 >= 1 }) else {
            throw ShallowHashingError.invalidArgument(
                "GIST needs at least one scale and at least one orientation per scale, not \(orientationsPerScale)")
        }
        guard (1...imageSize).contains(blocksPerSide) else {
            throw ShallowHashingError.invalidArgument(
                "GIST's grid needs 1 to \(imageSize) blocks a side for \(imageSize)×\(imageSize) images, not \(blocksPerSide)")
        }
        guard prefilterCutoff > 0, prefilterCutoff.isFinite else {
            throw ShallowHashingError.invalidArgument("GIST's prefilter cutoff must be positive, not \(prefilterCutoff)")
        }
        self.imageSize = imageSize
        self.orientationsPerScale = orientationsPerScale
        self.blocksPerSide = blocksPerSide
        self.prefilterCutoff = prefilterCutoff
        let padded = imageSize + 2 * Self.prefilterPadding
        lowPass = prefilterLowPass(side: padded, cutoff: prefilterCutoff)
        gaborTransferFunctions = GaborFilterSpec.bank(orientationsPerScale: orientationsPerScale)
            .flatMap { $0.transferFunction(side: imageSize) }
        paddedTransform = SquareFourierTransform(side: padded)
        imageTransform = SquareFourierTransform(side: imageSize)
        cellBounds = (0...blocksPerSide).map { $0 * imageSize / blocksPerSide }
        cellOfIndex = (0..<imageSize).map { [cellBounds] i in cellBounds.lastIndex { $0 <= i }! }
    }

    /// The descriptor of one n×n grey image (`grey[r·n + c]`, values ≥ 0, 0…255 for 8-bit images): `dimension`
    /// numbers, filter after filter (scale after scale, orientation after orientation); within a filter, the
    /// cells column of cells after column of cells, top to bottom in each (LEAR's and MATLAB's order).
    public func describe(grey: [Double]) throws -> [Float] {
        try checkGrey(grey)
        let workspace = GISTWorkspace(for: self)
        var descriptor = [Float](repeating: 0, count: dimension)
        grey.withUnsafeBufferPointer { grey in
            descriptor.withUnsafeMutableBufferPointer { describe(grey: grey, into: $0, workspace: workspace) }
        }
        return descriptor
    }

    /// Step 1 alone: the prefiltered image (n×n), what the Gabor bank sees.
    public func prefiltered(grey: [Double]) throws -> [Double] {
        try checkGrey(grey)
        let workspace = GISTWorkspace(for: self)
        grey.withUnsafeBufferPointer { prefilter($0, workspace: workspace) }
        return workspace.prefiltered
    }

    func checkGrey(_ grey: [Double]) throws {
        guard grey.count == imageSize * imageSize else {
            throw ShallowHashingError.invalidArgument(
                "GIST of \(imageSize)×\(imageSize) images needs \(imageSize * imageSize) grey levels, not \(grey.count)")
        }
        guard grey.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw ShallowHashingError.invalidArgument("GIST needs finite grey levels ≥ 0 (it takes log(1 + x))")
        }
    }

    /// The whole descriptor of one image into `descriptor` (`dimension` values), with `workspace`'s buffers.
    func describe(grey: UnsafeBufferPointer<Double>, into descriptor: UnsafeMutableBufferPointer<Float>,
                  workspace: GISTWorkspace) {
        prefilter(grey, workspace: workspace)
        gaborCellAmplitudes(workspace: workspace, into: descriptor)
    }

    // MARK: Step 1, the prefilter

    /// Whitening and local contrast normalisation (LEAR's `prefilt`, fc = 4), into `workspace.prefiltered`.
    ///
    /// The logarithm turns the image's illumination, which multiplies the reflectances, into a term that is added:
    /// log(L·R) = log L + log R (the + 1 keeps black pixels finite). Illumination varies slowly across a scene, so
    /// subtracting the low-pass — keeping ℓ − g∗ℓ, a high-pass — removes it, with any overall brightness: g passes
    /// frequency 0 with gain 1, so a constant added to ℓ cancels exactly. What is left has a flat ("white")
    /// spectrum at low frequencies. Then each pixel is divided by the local root-mean-square √(g ∗ ℓ²) of what is
    /// left around it, so that a dim corner and a bright one, a low-contrast patch and a high-contrast one, reach
    /// the filters at comparable amplitudes; the 0.2 keeps flat regions (where that RMS is near 0) from being
    /// blown up into noise. Both low-passes run on the image mirrored 5 pixels out on every side, and the margin
    /// is cut off at the end.
    func prefilter(_ grey: UnsafeBufferPointer<Double>, workspace: GISTWorkspace) {
        let n = imageSize, p = Self.prefilterPadding, m = n + 2 * p
        let area = Double(m * m)
        let spatial = workspace.paddedSpatial.interleaved
        workspace.padded.withUnsafeMutableBufferPointer { l in
            // ℓ = log(1 + x), mirrored out by p pixels (the edge pixel repeated: MATLAB's 'symmetric').
            for row in 0..<m {
                let sourceRow = mirrored(row - p, side: n)
                for column in 0..<m {
                    l[row * m + column] = log(1 + grey[sourceRow * n + mirrored(column - p, side: n)])
                }
            }
            // Whitening: ℓ ← ℓ − g∗ℓ. The product by the real, even g keeps the spectrum Hermitian, so g∗ℓ is real
            // (up to rounding; its real part is taken, as LEAR does).
            for i in 0..<(m * m) { spatial[2 * i] = l[i]; spatial[2 * i + 1] = 0 }
            lowPassInPlace(workspace)
            for i in 0..<(m * m) { l[i] -= spatial[2 * i] / area }
            // Local contrast: ℓ ← ℓ / (0.2 + √(g∗ℓ²)). The modulus stands for the value (g∗ℓ² ≥ 0 but for rounding).
            for i in 0..<(m * m) { spatial[2 * i] = l[i] * l[i]; spatial[2 * i + 1] = 0 }
            lowPassInPlace(workspace)
            for i in 0..<(m * m) {
                let re = spatial[2 * i], im = spatial[2 * i + 1]
                let localEnergy = (re * re + im * im).squareRoot() / area
                l[i] /= 0.2 + localEnergy.squareRoot()
            }
            // Cut the margin off.
            workspace.prefiltered.withUnsafeMutableBufferPointer { out in
                for row in 0..<n {
                    for column in 0..<n { out[row * n + column] = l[(row + p) * m + column + p] }
                }
            }
        }
    }

    /// `paddedSpatial` ← m² · (g ∗ `paddedSpatial`): forward transform, product by g, unnormalised backward
    /// transform (the caller divides by m²).
    private func lowPassInPlace(_ workspace: GISTWorkspace) {
        let m2 = lowPass.count
        let spectrum = workspace.paddedSpectrum.interleaved
        paddedTransform.forward(workspace.paddedSpatial, into: workspace.paddedSpectrum)
        lowPass.withUnsafeBufferPointer { g in
            for i in 0..<m2 { spectrum[2 * i] *= g[i]; spectrum[2 * i + 1] *= g[i] }
        }
        paddedTransform.backward(workspace.paddedSpectrum, into: workspace.paddedSpatial)
    }

    // MARK: Steps 2 and 3, the Gabor bank and the grid

    /// For each Gabor filter k, the amplitude e_k = |ℓ ∗ g_k| = |IFFT(FFT(ℓ) · G_k)| / n² of the prefiltered image
    /// ℓ, averaged over each cell of the grid (LEAR's `gist_gabor` and `down_N`).
    ///
    /// Why average over cells: e_k itself is an n×n map per filter (32,768 numbers for CIFAR-10), far more than the
    /// scene's layout needs, and it moves when the image shifts by a pixel. Its mean over a 4×4 grid keeps the
    /// coarse layout (is the fine horizontal structure at the top or at the bottom?) and drops the exact positions,
    /// which is what makes GIST a holistic, "spatial envelope" description: 16 numbers per filter. The filtering
    /// is circular (no margin, as in LEAR), so the cells along an edge see a little of the opposite edge.
    func gaborCellAmplitudes(workspace: GISTWorkspace, into descriptor: UnsafeMutableBufferPointer<Float>) {
        let n = imageSize, blocks = blocksPerSide, cells = blocks * blocks
        let input = workspace.imageSpatial.interleaved, spectrum = workspace.imageSpectrum.interleaved
        let output = workspace.imageFiltered.interleaved
        workspace.prefiltered.withUnsafeBufferPointer { l in
            for i in 0..<(n * n) { input[2 * i] = l[i]; input[2 * i + 1] = 0 }
        }
        imageTransform.forward(workspace.imageSpatial, into: workspace.imageSpectrum)
        gaborTransferFunctions.withUnsafeBufferPointer { bank in
            cellOfIndex.withUnsafeBufferPointer { cellOf in
                workspace.cellSums.withUnsafeMutableBufferPointer { sums in
                    for k in 0..<filterCount {
                        // FFT(ℓ) · G_k, into the (now free) input grid, then back to the image plane.
                        let g = bank.baseAddress! + k * n * n
                        for i in 0..<(n * n) {
                            input[2 * i] = spectrum[2 * i] * g[i]
                            input[2 * i + 1] = spectrum[2 * i + 1] * g[i]
                        }
                        imageTransform.backward(workspace.imageSpatial, into: workspace.imageFiltered)
                        // Σ |·| over each cell; cell (column block b_c, row block b_r) is entry b_c·B + b_r.
                        for cell in 0..<cells { sums[cell] = 0 }
                        for row in 0..<n {
                            let rowCell = cellOf[row]
                            for column in 0..<n {
                                let re = output[2 * (row * n + column)], im = output[2 * (row * n + column) + 1]
                                sums[cellOf[column] * blocks + rowCell] += (re * re + im * im).squareRoot()
                            }
                        }
                        // Mean over the cell, and the 1/n² the unnormalised backward transform left out.
                        for columnCell in 0..<blocks {
                            for rowCell in 0..<blocks {
                                let pixels = (cellBounds[columnCell + 1] - cellBounds[columnCell])
                                    * (cellBounds[rowCell + 1] - cellBounds[rowCell])
                                let cell = columnCell * blocks + rowCell
                                descriptor[k * cells + cell] = Float(sums[cell] / Double(n * n) / Double(pixels))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Index i of a line of n pixels reflected at both ends with the end pixel repeated (…, 1, 0 | 0, 1, …, n−1 |
/// n−1, n−2, …), for −n ≤ i < 2n.
func mirrored(_ i: Int, side n: Int) -> Int {
    i < 0 ? -i - 1 : (i >= n ? 2 * n - i - 1 : i)
}

/// The buffers one computation of GIST writes: one per thread, reused from image to image.
final class GISTWorkspace {
    /// The log image with its mirrored margin ((n + 10)²), then its prefiltered version.
    var padded: [Double]
    let paddedSpatial: ComplexGrid
    let paddedSpectrum: ComplexGrid
    /// The prefiltered n×n image.
    var prefiltered: [Double]
    let imageSpatial: ComplexGrid
    let imageSpectrum: ComplexGrid
    let imageFiltered: ComplexGrid
    var cellSums: [Double]

    init(for descriptor: GISTDescriptor) {
        let n = descriptor.imageSize, m = n + 2 * GISTDescriptor.prefilterPadding
        padded = [Double](repeating: 0, count: m * m)
        paddedSpatial = ComplexGrid(side: m)
        paddedSpectrum = ComplexGrid(side: m)
        prefiltered = [Double](repeating: 0, count: n * n)
        imageSpatial = ComplexGrid(side: n)
        imageSpectrum = ComplexGrid(side: n)
        imageFiltered = ComplexGrid(side: n)
        cellSums = [Double](repeating: 0, count: descriptor.blocksPerSide * descriptor.blocksPerSide)
    }
}
