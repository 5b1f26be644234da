/// Winograd's minimal filtering F(4×4, 5×5) for 5×5 convolutions with stride 1 (Winograd 1980; Lavin & Gray,
/// "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): the same sums as the direct convolution with
/// 6.25 times fewer multiplications.
///
/// One dimension first. Four outputs of a 5-tap correlation, y_i = Σ_k g_k·d_{i+k} (i = 0…3), read eight inputs
/// d_0…d_7; directly that is 20 multiplications. Seen as polynomials, y comes from the product g(x)·d(x), and a
/// product of polynomials is fixed by its values at enough points: evaluate both at the eight points
/// 0, 1, −1, 2, −2, ½, −½, ∞, multiply the eight values pairwise, interpolate back. In matrices,
///
///     y = Aᵀ [(G g) ⊙ (Bᵀ d)]
///
/// where the rows of Aᵀ hold the points' powers a⁰…a³ (∞ only in the top one), the rows of G the powers a⁰…a⁴
/// over Π_{l≠j}(a_j − a_l), and the rows of Bᵀ the coefficients of Π_{l≠j}(x − a_l) (its last row those of
/// Π_l(x − a_l)) — written out in `inputTransform`, `outputTransform` and `filterMatrix` below, and derived
/// and checked against the direct sum in exact fractions when this was written. Eight multiplications instead
/// of twenty; the rest are additions and constant multiples. Nested, a 4×4 output tile comes from an 8×8 input
/// tile with 64 multiplications instead of 400:
///
///     Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A
///
/// In a layer the sum over input channels moves inside the brackets. With U = G g Gᵀ per filter (o, c) and
/// V = Bᵀ d B per input tile (c, t), each of the 64 points (i, j) of the transformed tiles is one GEMM,
///
///     M[o, t] = Σ_c U[o, c] · V[c, t]        (O×C times C×tiles)
///
/// and Y = Aᵀ M A per output tile. The transforms cost in proportion to C + O, not C·O. Points this small
/// (0, ±1, ±2, ±½) keep Float32 close to the direct sum: about 4·10⁻⁶ of the largest output on dsh-cifar's conv2
/// shapes, against 3·10⁻⁶ for F(2×2, 5×5) (measured in Float64 numpy); points ±3 instead of ±½ lose two digits.
///
/// Backward is the adjoint of each step — the exact gradient of what forward computes:
///
///     dM = A dY Aᵀ                                      per output tile
///     dU[o, c] = Σ_t dM[o, t] · V[c, t]   (GEMM)        dW = Gᵀ dU G
///     dV[c, t] = Σ_o U[o, c] · dM[o, t]   (GEMM)        dX += B dV Bᵀ, the 8×8 input tiles overlapping by 4
///
/// Layout. Tile (ty, tx) makes outputs (4ty…4ty+3, 4tx…4tx+3) and reads the zero-padded input rows 4ty…4ty+7 and
/// columns 4tx…4tx+7. Tiles past an output edge read zeros and their extra outputs are dropped. Transformed
/// tiles lie point by point: `V[p·S + c·n + t]` for point p = 8i + j, tile t of the n in a group of images and
/// S = `pointStride`, so each point's GEMM reads one contiguous C×n matrix. The transforms work on eight tiles
/// at once, one per SIMD lane: element (i, j) of tiles tx…tx+7 is padded[4ty + i][4tx + j], which is contiguous
/// once each padded row is split into its four column phases — padded[r][4k + j] is phase[j mod 4][r][k + j/4].
/// Where a tile row has fewer than eight tiles (4, 2 or 1: dsh-cifar's conv2 and conv3), a lane group takes
/// several tile rows.
struct WinogradF4x5 {
    typealias Lanes = SIMD8<Float>
    static let lanes = 8
    /// Transformed points per tile (8 × 8).
    static let points = 64

    let channels, outputs, height, width, padding: Int
    let outputHeight, outputWidth: Int
    /// Tile rows and columns per image.
    let tileRows, tileColumns: Int
    /// Tile rows per lane group: 8 / tileColumns for 1, 2 or 4 tile columns, else 1 (a group is then up to
    /// eight neighbouring tiles of one tile row).
    let rowsPerGroup: Int
    /// log₂ tileColumns where groups take several tile rows (lane l is then in row l >> columnShift).
    private let columnShift: Int
    /// The lane groups that cover an image's tiles, in flat tile order (t = ty·tileColumns + tx).
    let groups: [LaneGroup]
    /// Rows of the padded input (4·tileRows + 4, plus room for a group's last rows) and columns of each of its
    /// four phases (room for a group's loads at offset +1).
    let paddedRows, phaseWidth: Int
    var tilesPerImage: Int { tileRows * tileColumns }
    /// Floats of scratch one plane's four phases take (input, or output gradient).
    var planeScratch: Int { 4 * paddedRows * phaseWidth }
    /// Floats from one tile row to the next in a phase (four padded rows).
    private var tileRowStep: Int { 4 * phaseWidth }

    /// Eight tiles (`count` of them real) of one image: the first at tile row `row`, column `column`.
    struct LaneGroup {
        let row, column, count: Int
    }

    /// nil unless the shape suits: kernel 5, stride 1, padding at most 4 (each tile must touch the image).
    /// Measured on dsh-cifar (per-layer CPU time, batch 64): faster than im2col + GEMM on all three layers,
    /// conv1 with its 3 input channels included.
    init?(channels: Int, outputs: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        guard kernel == 5, stride == 1, padding <= 4, height + 2 * padding >= 5, width + 2 * padding >= 5 else {
            return nil
        }
        (self.channels, self.outputs, self.height, self.width, self.padding) = (channels, outputs, height, width, padding)
        outputHeight = height + 2 * padding - 4
        outputWidth = width + 2 * padding - 4
        tileRows = (outputHeight + 3) / 4
        tileColumns = (outputWidth + 3) / 4
        rowsPerGroup = [1, 2, 4].contains(tileColumns) ? Self.lanes / tileColumns : 1
        columnShift = tileColumns.trailingZeroBitCount
        var groups: [LaneGroup] = []
        if rowsPerGroup > 1 {
            for row in Swift.stride(from: 0, to: tileRows, by: rowsPerGroup) {
                groups.append(LaneGroup(row: row, column: 0, count: min(Self.lanes, tileColumns * (tileRows - row))))
            }
        } else {
            for row in 0..<tileRows {
                for column in Swift.stride(from: 0, to: tileColumns, by: Self.lanes) {
                    groups.append(LaneGroup(row: row, column: column, count: min(Self.lanes, tileColumns - column)))
                }
            }
        }
        self.groups = groups
        paddedRows = 4 * (tileRows + rowsPerGroup - 1) + 4
        phaseWidth = Self.lanes * ((tileColumns + Self.lanes - 1) / Self.lanes) + 2
    }

    // MARK: The 1-D transforms (each applied along columns, then along rows)

    typealias Eight = (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes, Lanes)
    typealias Four = (Lanes, Lanes, Lanes, Lanes)

    /// Bᵀ d:
    ///
    ///          ⎡ −1   0   21/4    0    −21/4    0   1  0 ⎤
    ///          ⎢  0   1     1  −17/4   −17/4    1   1  0 ⎥
    ///          ⎢  0  −1     1   17/4   −17/4   −1   1  0 ⎥
    ///     Bᵀ = ⎢  0  1/2  1/4   −5/2    −5/4    2   1  0 ⎥
    ///          ⎢  0 −1/2  1/4    5/2    −5/4   −2   1  0 ⎥
    ///          ⎢  0   2     4   −5/2     −5    1/2  1  0 ⎥
    ///          ⎢  0  −2     4    5/2     −5   −1/2  1  0 ⎥
    ///          ⎣  0  −1     0   21/4      0  −21/4  0  1 ⎦
    ///
    /// Rows 1–2, 3–4 and 5–6 (the points ±1, ±2, ±½) share their even and odd parts.
    @inline(__always)
    static func inputTransform(_ d: Eight) -> Eight {
        let (d0, d1, d2, d3, d4, d5, d6, d7) = d
        let even1 = (d2 + d6).addingProduct(-4.25, d4), odd1 = (d1 + d5).addingProduct(-4.25, d3)
        let even2 = d6.addingProduct(0.25, d2).addingProduct(-1.25, d4)
        let odd2 = (0.5 * d1).addingProduct(-2.5, d3).addingProduct(2, d5)
        let even3 = d6.addingProduct(4, d2).addingProduct(-5, d4)
        let odd3 = (2 * d1).addingProduct(-2.5, d3).addingProduct(0.5, d5)
        return ((d6 - d0).addingProduct(5.25, d2 - d4), even1 + odd1, even1 - odd1, even2 + odd2, even2 - odd2,
                even3 + odd3, even3 - odd3, (d7 - d1).addingProduct(5.25, d3 - d5))
    }

    /// B dv, the adjoint of `inputTransform` (Bᵀ's columns).
    @inline(__always)
    static func inputTransformAdjoint(_ v: Eight) -> Eight {
        let (v0, v1, v2, v3, v4, v5, v6, v7) = v
        let (sum1, difference1) = (v1 + v2, v1 - v2)
        let (sum2, difference2) = (v3 + v4, v3 - v4)
        let (sum3, difference3) = (v5 + v6, v5 - v6)
        return (-v0,
                (difference1 - v7).addingProduct(0.5, difference2).addingProduct(2, difference3),
                sum1.addingProduct(5.25, v0).addingProduct(0.25, sum2).addingProduct(4, sum3),
                (-2.5 * (difference2 + difference3)).addingProduct(-4.25, difference1).addingProduct(5.25, v7),
                (-5.25 * v0).addingProduct(-4.25, sum1).addingProduct(-1.25, sum2).addingProduct(-5, sum3),
                difference1.addingProduct(2, difference2).addingProduct(0.5, difference3).addingProduct(-5.25, v7),
                v0 + sum1 + sum2 + sum3,
                v7)
    }

    /// Aᵀ m, the four outputs from eight products:
    ///
    ///          ⎡ 1  1   1  1   1    1     1   0 ⎤
    ///     Aᵀ = ⎢ 0  1  −1  2  −2   1/2  −1/2  0 ⎥
    ///          ⎢ 0  1   1  4   4   1/4   1/4  0 ⎥
    ///          ⎣ 0  1  −1  8  −8   1/8  −1/8  1 ⎦
    @inline(__always)
    static func outputTransform(_ m: Eight) -> Four {
        let (m0, m1, m2, m3, m4, m5, m6, m7) = m
        let (sum1, difference1) = (m1 + m2, m1 - m2)
        let (sum2, difference2) = (m3 + m4, m3 - m4)
        let (sum3, difference3) = (m5 + m6, m5 - m6)
        return (m0 + sum1 + sum2 + sum3,
                difference1.addingProduct(2, difference2).addingProduct(0.5, difference3),
                sum1.addingProduct(4, sum2).addingProduct(0.25, sum3),
                (difference1 + m7).addingProduct(8, difference2).addingProduct(0.125, difference3))
    }

    /// A dy, the adjoint of `outputTransform`.
    @inline(__always)
    static func outputTransformAdjoint(_ y: Four) -> Eight {
        let (y0, y1, y2, y3) = y
        let (even1, odd1) = (y0 + y2, y1 + y3)
        let (even2, odd2) = (y0.addingProduct(4, y2), (2 * y1).addingProduct(8, y3))
        let (even3, odd3) = (y0.addingProduct(0.25, y2), (0.5 * y1).addingProduct(0.125, y3))
        return (y0, even1 + odd1, even1 - odd1, even2 + odd2, even2 - odd2, even3 + odd3, even3 - odd3, y3)
    }

    /// G, 8×5, row by row, for the filters.
    static let filterMatrix: [Float] = [
        -1, 0, 0, 0, 0,
        -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9, -2.0 / 9,
        -2.0 / 9, 2.0 / 9, -2.0 / 9, 2.0 / 9, -2.0 / 9,
        1.0 / 90, 1.0 / 45, 2.0 / 45, 4.0 / 45, 8.0 / 45,
        1.0 / 90, -1.0 / 45, 2.0 / 45, -4.0 / 45, 8.0 / 45,
        32.0 / 45, 16.0 / 45, 8.0 / 45, 4.0 / 45, 2.0 / 45,
        32.0 / 45, -16.0 / 45, 8.0 / 45, -4.0 / 45, 2.0 / 45,
        0, 0, 0, 0, 1,
    ]

    // MARK: Filters

    /// U[(p·O + o)·C + c] = (G g Gᵀ)[i][j] for p = 8i + j, g the 5×5 filter W[o, c] (W is O × C·25). Eight
    /// channels at a time, one per lane (U is contiguous in c; W's 25 taps of one filter are first transposed to
    /// lie channel by channel); the output channels split over the cores.
    func transformFilters(_ weights: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let (outputs, channels) = (outputs, channels)
        let paddedChannels = (channels + Self.lanes - 1) / Self.lanes * Self.lanes
        let (weights, u) = (SharedPointer(weights), SharedPointer(u))
        Self.filterMatrix.withUnsafeBufferPointer { matrix in
            nonisolated(unsafe) let g = matrix.baseAddress!
            Kernels.parallelRanges(outputs) { _, range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 25 * paddedChannels + 64 * paddedChannels) {
                    let taps = $0.baseAddress!, transformed = taps + 25 * paddedChannels
                    taps.initialize(repeating: 0, count: 25 * paddedChannels)
                    for o in range {
                        // taps[k·C′ + c] = W[o, c, k]
                        for c in 0..<channels { for k in 0..<25 { taps[k * paddedChannels + c] = weights.base[(o * channels + c) * 25 + k] } }
                        for block in Swift.stride(from: 0, to: paddedChannels, by: Self.lanes) {
                            @inline(__always) func tap(_ ky: Int, _ kx: Int) -> Lanes { Self.load(taps + (ky * 5 + kx) * paddedChannels + block) }
                            // (G g)[i][kx], then (G g Gᵀ)[i][j].
                            for i in 0..<8 {
                                var row = (Lanes(), Lanes(), Lanes(), Lanes(), Lanes())
                                for ky in 0..<5 {
                                    let weight = Lanes(repeating: g[i * 5 + ky])
                                    row.0 += weight * tap(ky, 0); row.1 += weight * tap(ky, 1); row.2 += weight * tap(ky, 2)
                                    row.3 += weight * tap(ky, 3); row.4 += weight * tap(ky, 4)
                                }
                                for j in 0..<8 {
                                    var value: Lanes = g[j * 5] * row.0
                                    value += g[j * 5 + 1] * row.1; value += g[j * 5 + 2] * row.2
                                    value += g[j * 5 + 3] * row.3; value += g[j * 5 + 4] * row.4
                                    UnsafeMutableRawPointer(transformed + (8 * i + j) * paddedChannels + block)
                                        .storeBytes(of: value, as: Lanes.self)
                                }
                            }
                        }
                        for p in 0..<Self.points {
                            (u.base + (p * outputs + o) * channels).update(from: transformed + p * paddedChannels, count: channels)
                        }
                    }
                }
            }
        }
    }

    /// dW[o, c] += Gᵀ dU[o, c] G, the adjoint of `transformFilters` (dU laid out as U), eight channels at a time;
    /// the output channels split over the cores.
    func addFilterGradient(_ du: UnsafePointer<Float>, to weightGradient: UnsafeMutablePointer<Float>) {
        let (outputs, channels) = (outputs, channels)
        let paddedChannels = (channels + Self.lanes - 1) / Self.lanes * Self.lanes
        let (du, weightGradient) = (SharedPointer(du), SharedPointer(weightGradient))
        Self.filterMatrix.withUnsafeBufferPointer { matrix in
            nonisolated(unsafe) let g = matrix.baseAddress!
            Kernels.parallelRanges(outputs) { _, range in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 64 * paddedChannels + 25 * paddedChannels) {
                    let points = $0.baseAddress!, taps = points + 64 * paddedChannels
                    points.initialize(repeating: 0, count: 64 * paddedChannels)
                    for o in range {
                        for p in 0..<Self.points {
                            (points + p * paddedChannels).update(from: du.base + (p * outputs + o) * channels, count: channels)
                        }
                        for block in Swift.stride(from: 0, to: paddedChannels, by: Self.lanes) {
                            @inline(__always) func point(_ i: Int, _ j: Int) -> Lanes { Self.load(points + (8 * i + j) * paddedChannels + block) }
                            // (Gᵀ dU)[ky][j], then (Gᵀ dU G)[ky][kx].
                            for ky in 0..<5 {
                                var row = (Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes(), Lanes())
                                for i in 0..<8 {
                                    let weight = Lanes(repeating: g[i * 5 + ky])
                                    row.0 += weight * point(i, 0); row.1 += weight * point(i, 1)
                                    row.2 += weight * point(i, 2); row.3 += weight * point(i, 3)
                                    row.4 += weight * point(i, 4); row.5 += weight * point(i, 5)
                                    row.6 += weight * point(i, 6); row.7 += weight * point(i, 7)
                                }
                                for kx in 0..<5 {
                                    var value: Lanes = g[kx] * row.0
                                    value += g[5 + kx] * row.1; value += g[10 + kx] * row.2; value += g[15 + kx] * row.3
                                    value += g[20 + kx] * row.4; value += g[25 + kx] * row.5; value += g[30 + kx] * row.6
                                    value += g[35 + kx] * row.7
                                    UnsafeMutableRawPointer(taps + (ky * 5 + kx) * paddedChannels + block)
                                        .storeBytes(of: value, as: Lanes.self)
                                }
                            }
                        }
                        for c in 0..<channels { for k in 0..<25 { weightGradient.base[(o * channels + c) * 25 + k] += taps[k * paddedChannels + c] } }
                    }
                }
            }
        }
    }

    // MARK: Tiles

    /// Floats from one point's matrix (rows × tiles, for V or M) to the next. Not rows·tiles: with 32 rows and
    /// 64 or 256 tiles that is a multiple of 4 KB, so the 64 points a transform touches at once would all fall
    /// in the same sets of the 8-way L1 cache and evict each other (measured: 1.6–2.5× slower). 16 floats (one
    /// cache line) more apart, they spread over the sets.
    static func pointStride(rows: Int, tiles: Int) -> Int { rows * tiles + 16 }

    /// Where padded column `column` of the padded row that starts at `rowOffset` (row · `phaseWidth`) lies in the
    /// four phases: phase column mod 4, index column div 4.
    @inline(__always)
    private func phaseIndex(_ rowOffset: Int, column: Int) -> Int {
        (column & 3) * paddedRows * phaseWidth + rowOffset + (column >> 2)
    }

    /// Copies one H×W plane into the four column phases of its zero-padded copy (`planeScratch` floats at
    /// `phases`): phases[q][r][k] = plane[r − pad][4k + q − pad]. Only those entries are written: the padding
    /// around them must be zero already (every plane of one geometry writes the same entries, so the caller
    /// clears the scratch once for all its planes).
    private func split(_ plane: UnsafePointer<Float>, rows: Int, columns: Int, pad: Int,
                       into phases: UnsafeMutablePointer<Float>) {
        // Image column x lands in padded column x + pad.
        let wide = columns / 16
        for y in 0..<rows {
            let source = plane + y * columns, row = (y + pad) * phaseWidth
            // Image columns 16w + q, +4, +8, +12 go together to phase (q + pad) mod 4, four apart there by one:
            // a 4×4 transpose of the sixteen values, with constant lane indices (shuffles, not extracts).
            @inline(__always) func target(_ q: Int) -> UnsafeMutableRawPointer {
                UnsafeMutableRawPointer(phases + phaseIndex(row, column: q + pad))
            }
            let (t0, t1, t2, t3) = (target(0), target(1), target(2), target(3))
            for w in 0..<wide {
                let v = UnsafeRawPointer(source + 16 * w).loadUnaligned(as: SIMD16<Float>.self)
                t0.storeBytes(of: SIMD4(v[0], v[4], v[8], v[12]), toByteOffset: 16 * w, as: SIMD4<Float>.self)
                t1.storeBytes(of: SIMD4(v[1], v[5], v[9], v[13]), toByteOffset: 16 * w, as: SIMD4<Float>.self)
                t2.storeBytes(of: SIMD4(v[2], v[6], v[10], v[14]), toByteOffset: 16 * w, as: SIMD4<Float>.self)
                t3.storeBytes(of: SIMD4(v[3], v[7], v[11], v[15]), toByteOffset: 16 * w, as: SIMD4<Float>.self)
            }
            for x in (16 * wide)..<columns { phases[phaseIndex(row, column: x + pad)] = source[x] }
        }
    }

    /// The inverse of `split`: plane[y][x] = phases[(x + pad) mod 4][y + pad][(x + pad) div 4] (the padding
    /// cropped away).
    private func merge(_ phases: UnsafePointer<Float>, rows: Int, columns: Int, pad: Int,
                       into plane: UnsafeMutablePointer<Float>) {
        let wide = columns / 16
        for y in 0..<rows {
            let target = plane + y * columns, row = (y + pad) * phaseWidth
            @inline(__always) func source(_ q: Int) -> UnsafeRawPointer { UnsafeRawPointer(phases + phaseIndex(row, column: q + pad)) }
            let (s0, s1, s2, s3) = (source(0), source(1), source(2), source(3))
            for w in 0..<wide {
                // Columns 16w + q, +4, +8, +12 come from one phase: the 4×4 transpose back.
                let (p0, p1, p2, p3) = (s0.loadUnaligned(fromByteOffset: 16 * w, as: SIMD4<Float>.self),
                                        s1.loadUnaligned(fromByteOffset: 16 * w, as: SIMD4<Float>.self),
                                        s2.loadUnaligned(fromByteOffset: 16 * w, as: SIMD4<Float>.self),
                                        s3.loadUnaligned(fromByteOffset: 16 * w, as: SIMD4<Float>.self))
                let values = SIMD16(p0[0], p1[0], p2[0], p3[0], p0[1], p1[1], p2[1], p3[1],
                                    p0[2], p1[2], p2[2], p3[2], p0[3], p1[3], p2[3], p3[3])
                UnsafeMutableRawPointer(target + 16 * w).storeBytes(of: values, as: SIMD16<Float>.self)
            }
            for x in (16 * wide)..<columns { target[x] = phases[phaseIndex(row, column: x + pad)] }
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    /// A group's eight values at `pointer` (where its first tile reads) in a phase: one vector, or gathered from
    /// `rowsPerGroup` tile rows.
    @inline(__always)
    private func gather(_ pointer: UnsafePointer<Float>) -> Lanes {
        let step = tileRowStep
        switch rowsPerGroup {
        case 1:
            return Self.load(pointer)
        case 2:
            return Lanes(lowHalf: UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self),
                         highHalf: UnsafeRawPointer(pointer + step).loadUnaligned(as: SIMD4<Float>.self))
        case 4:
            @inline(__always) func pair(_ row: Int) -> SIMD2<Float> {
                UnsafeRawPointer(pointer + row * step).loadUnaligned(as: SIMD2<Float>.self)
            }
            return Lanes(lowHalf: SIMD4(lowHalf: pair(0), highHalf: pair(1)),
                         highHalf: SIMD4(lowHalf: pair(2), highHalf: pair(3)))
        default:
            var value = Lanes()
            for lane in 0..<Self.lanes { value[lane] = pointer[lane * step] }
            return value
        }
    }

    /// Adds a group's eight values onto a phase, where `gather` reads them.
    @inline(__always)
    private func scatterAdd(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        let step = tileRowStep
        switch rowsPerGroup {
        case 1:
            UnsafeMutableRawPointer(pointer).storeBytes(of: Self.load(pointer) + value, as: Lanes.self)
        case 2:
            let (low, high) = (UnsafeMutableRawPointer(pointer), UnsafeMutableRawPointer(pointer + step))
            low.storeBytes(of: low.loadUnaligned(as: SIMD4<Float>.self) + value.lowHalf, as: SIMD4<Float>.self)
            high.storeBytes(of: high.loadUnaligned(as: SIMD4<Float>.self) + value.highHalf, as: SIMD4<Float>.self)
        case 4:
            for row in 0..<4 {
                let target = UnsafeMutableRawPointer(pointer + row * step)
                target.storeBytes(of: target.loadUnaligned(as: SIMD2<Float>.self)
                                      + SIMD2(value[2 * row], value[2 * row + 1]), as: SIMD2<Float>.self)
            }
        default:
            for lane in 0..<Self.lanes { pointer[lane * step] += value[lane] }
        }
    }

    /// Stores the first `count` lanes (all eight at once when they are all real).
    @inline(__always)
    private static func store(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>, count: Int) {
        if count == lanes {
            UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Lanes.self)
        } else {
            for lane in 0..<count { pointer[lane] = value[lane] }
        }
    }

    /// [a₀, b₀, a₁, b₁, …]
    @inline(__always)
    private static func interleave<Scalar: SIMDScalar>(_ a: SIMD8<Scalar>, _ b: SIMD8<Scalar>) -> SIMD16<Scalar> {
        var result = SIMD16<Scalar>()
        for lane in 0..<8 { result[2 * lane] = a[lane]; result[2 * lane + 1] = b[lane] }
        return result
    }

    /// Where a group's first tile reads in each phase: padded row 4·row, column `column`.
    @inline(__always)
    private func origin(_ group: LaneGroup) -> Int { 4 * group.row * phaseWidth + group.column }

    /// The flat index of a group's first tile.
    @inline(__always)
    private func flat(_ group: LaneGroup) -> Int { group.row * tileColumns + group.column }

    /// The tile (row, column) of a group's lane.
    @inline(__always)
    private func tile(_ group: LaneGroup, lane: Int) -> (Int, Int) {
        rowsPerGroup > 1 ? (group.row + lane >> columnShift, lane & (tileColumns - 1)) : (group.row, group.column + lane)
    }

    /// The eight Lanes at `base`, `stride` floats apart.
    @inline(__always)
    private static func eight(_ base: UnsafePointer<Float>, _ stride: Int) -> Eight {
        (load(base), load(base + stride), load(base + 2 * stride), load(base + 3 * stride),
         load(base + 4 * stride), load(base + 5 * stride), load(base + 6 * stride), load(base + 7 * stride))
    }

    /// Stores eight Lanes (their first `count` lanes) at `base`, `stride` floats apart.
    @inline(__always)
    private static func store(_ values: Eight, _ base: UnsafeMutablePointer<Float>, _ stride: Int, count: Int) {
        store(values.0, base, count: count); store(values.1, base + stride, count: count)
        store(values.2, base + 2 * stride, count: count); store(values.3, base + 3 * stride, count: count)
        store(values.4, base + 4 * stride, count: count); store(values.5, base + 5 * stride, count: count)
        store(values.6, base + 6 * stride, count: count); store(values.7, base + 7 * stride, count: count)
    }

    @inline(__always)
    private static func put(_ values: Eight, into s: UnsafeMutablePointer<Lanes>, _ stride: Int) {
        (s[0], s[stride], s[2 * stride], s[3 * stride], s[4 * stride], s[5 * stride], s[6 * stride], s[7 * stride]) = values
    }

    @inline(__always)
    private static func take(_ s: UnsafeMutablePointer<Lanes>, _ stride: Int) -> Eight {
        (s[0], s[stride], s[2 * stride], s[3 * stride], s[4 * stride], s[5 * stride], s[6 * stride], s[7 * stride])
    }

    /// V = Bᵀ d B for every tile of one image: `image` is C×H×W, V goes to `v[p·S + c·n + firstTile + t]`.
    func transformInput(_ image: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, tileStride n: Int,
                        firstTile: Int, scratch phases: UnsafeMutablePointer<Float>) {
        let rowStride = phaseWidth
        let pointStride = Self.pointStride(rows: channels, tiles: n)
        phases.initialize(repeating: 0, count: planeScratch)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 64) { buffer in
            let s = buffer.baseAddress!
            for c in 0..<channels {
                split(image + c * height * width, rows: height, columns: width, pad: padding, into: phases)
                for group in groups {
                    let start = origin(group)
                    // Down the eight columns j of the tiles: s[i][j] = (Bᵀ d)[i][j].
                    for j in 0..<8 {
                        let base = UnsafePointer(phases + phaseIndex(start, column: j))
                        let column = (gather(base), gather(base + rowStride), gather(base + 2 * rowStride),
                                      gather(base + 3 * rowStride), gather(base + 4 * rowStride),
                                      gather(base + 5 * rowStride), gather(base + 6 * rowStride),
                                      gather(base + 7 * rowStride))
                        Self.put(Self.inputTransform(column), into: s + j, 8)
                    }
                    // Along the rows: V[i][·] = Bᵀ s[i][·].
                    let target = v + c * n + firstTile + flat(group)
                    for i in 0..<8 {
                        Self.store(Self.inputTransform(Self.take(s + 8 * i, 1)), target + 8 * i * pointStride,
                                   pointStride, count: group.count)
                    }
                }
            }
        }
    }

    /// Y = Aᵀ M A + b for every tile of one image: M at `m[p·S + o·n + firstTile + t]`, Y (O×OH×OW) to `image`.
    /// M needs 8 floats of slack past its end (a partial group loads whole vectors).
    func transformOutput(_ m: UnsafePointer<Float>, tileStride n: Int, firstTile: Int, bias: UnsafePointer<Float>,
                         into image: UnsafeMutablePointer<Float>) {
        let pointStride = Self.pointStride(rows: outputs, tiles: n)
        // Whether every tile lies wholly inside the output's width (the last tile column is not cut).
        let wholeTiles = outputWidth % 4 == 0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { stagedBuffer in
        let staged = stagedBuffer.baseAddress!
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 32) { buffer in
            let t = buffer.baseAddress!
            for o in 0..<outputs {
                let plane = image + o * outputHeight * outputWidth, shift = Lanes(repeating: bias[o])
                for group in groups {
                    let source = m + o * n + firstTile + flat(group)
                    // Down the eight columns: t[a][j] = (Aᵀ M)[a][j].
                    for j in 0..<8 {
                        let (t0, t1, t2, t3) = Self.outputTransform(Self.eight(source + j * pointStride, 8 * pointStride))
                        (t[j], t[8 + j], t[16 + j], t[24 + j]) = (t0, t1, t2, t3)
                    }
                    // Along the four rows: y[a][b] is output (4ty + a, 4tx + b).
                    for a in 0..<4 {
                        var (y0, y1, y2, y3) = Self.outputTransform(Self.take(t + 8 * a, 1))
                        (y0, y1, y2, y3) = (y0 + shift, y1 + shift, y2 + shift, y3 + shift)
                        // Output row 4ty + a of each lane's tile is y0 y1 y2 y3 of that lane: interleaved in two
                        // steps of two vectors (which compile to unpack shuffles), y0 with y1 and y2 with y3 float
                        // by float, then those two by pairs of floats — 32 floats, the rows of the group's tiles
                        // side by side.
                        let (first, second) = (Self.interleave(y0, y1), Self.interleave(y2, y3))
                        let rows = Self.interleave(unsafeBitCast(first, to: SIMD8<Double>.self),
                                                   unsafeBitCast(second, to: SIMD8<Double>.self))
                        if wholeTiles && group.count == Self.lanes && rowsPerGroup == 1 && 4 * group.row + a < outputHeight {
                            UnsafeMutableRawPointer(plane + (4 * group.row + a) * outputWidth + 4 * group.column)
                                .storeBytes(of: rows, as: SIMD16<Double>.self)
                            continue
                        }
                        UnsafeMutableRawPointer(staged).storeBytes(of: rows, as: SIMD16<Double>.self)
                        if wholeTiles {
                            // Each tile row of the group: 4 floats per tile, straight from the staged rows.
                            let perRow = rowsPerGroup == 1 ? group.count : tileColumns
                            for part in 0..<(group.count + perRow - 1) / perRow {
                                let (ty, tx) = tile(group, lane: part * perRow)
                                guard 4 * ty + a < outputHeight else { break }
                                (plane + (4 * ty + a) * outputWidth + 4 * tx).update(from: staged + 4 * part * perRow,
                                                                                    count: 4 * min(perRow, group.count - part * perRow))
                            }
                            continue
                        }
                        for lane in 0..<group.count {
                            let (ty, tx) = tile(group, lane: lane)
                            let (y, x) = (4 * ty + a, 4 * tx)
                            guard y < outputHeight else { continue }
                            for b in 0..<min(4, outputWidth - x) { plane[y * outputWidth + x + b] = staged[4 * lane + b] }
                        }
                    }
                }
            }
        }
        }
    }

    /// dM = A dY Aᵀ for every tile of one image (dY is O×OH×OW; outputs past an edge count as 0), to
    /// `dm[p·S + o·n + firstTile + t]`.
    func transformOutputGradient(_ gradient: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>,
                                 tileStride n: Int, firstTile: Int, scratch phases: UnsafeMutablePointer<Float>) {
        let rowStride = phaseWidth
        let pointStride = Self.pointStride(rows: outputs, tiles: n)
        phases.initialize(repeating: 0, count: planeScratch)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 32) { buffer in
            let r = buffer.baseAddress!
            for o in 0..<outputs {
                split(gradient + o * outputHeight * outputWidth, rows: outputHeight, columns: outputWidth, pad: 0,
                      into: phases)
                for group in groups {
                    let start = origin(group)
                    // Down the four columns b of dY: r[i][b] = (A dY)[i][b], eight rows from four.
                    for b in 0..<4 {
                        let base = UnsafePointer(phases + phaseIndex(start, column: b))
                        let column = (gather(base), gather(base + rowStride), gather(base + 2 * rowStride),
                                      gather(base + 3 * rowStride))
                        Self.put(Self.outputTransformAdjoint(column), into: r + b, 4)
                    }
                    // Along each of the eight rows: dM[i][·] = A r[i][·].
                    let target = dm + o * n + firstTile + flat(group)
                    for i in 0..<8 {
                        let row = r + 4 * i
                        Self.store(Self.outputTransformAdjoint((row[0], row[1], row[2], row[3])),
                                   target + 8 * i * pointStride, pointStride, count: group.count)
                    }
                }
            }
        }
    }

    /// dX = Σ_tiles B dV Bᵀ for one image, the adjoint of `transformInput`: dV at `dv[p·S + c·n + firstTile + t]`
    /// (8 floats of slack past its end), dX (C×H×W) overwritten.
    func transformInputGradient(_ dv: UnsafePointer<Float>, tileStride n: Int, firstTile: Int,
                                into image: UnsafeMutablePointer<Float>, scratch phases: UnsafeMutablePointer<Float>) {
        let rowStride = phaseWidth
        let pointStride = Self.pointStride(rows: channels, tiles: n)
        let laneIndex = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 64) { buffer in
            let s = buffer.baseAddress!
            for c in 0..<channels {
                phases.initialize(repeating: 0, count: planeScratch)
                for group in groups {
                    // Lanes past the last tile hold other tiles' values: they add nothing.
                    let valid = laneIndex .< Lanes(repeating: Float(group.count))
                    let source = dv + c * n + firstTile + flat(group)
                    // Along the rows: s[i][·] = B dV[i][·].
                    for i in 0..<8 {
                        var row = Self.eight(source + 8 * i * pointStride, pointStride)
                        if group.count < Self.lanes {
                            row = (row.0.replacing(with: 0, where: .!valid), row.1.replacing(with: 0, where: .!valid),
                                   row.2.replacing(with: 0, where: .!valid), row.3.replacing(with: 0, where: .!valid),
                                   row.4.replacing(with: 0, where: .!valid), row.5.replacing(with: 0, where: .!valid),
                                   row.6.replacing(with: 0, where: .!valid), row.7.replacing(with: 0, where: .!valid))
                        }
                        Self.put(Self.inputTransformAdjoint(row), into: s + 8 * i, 1)
                    }
                    // Down the columns, and onto the padded input where the tiles lie.
                    let start = origin(group)
                    for j in 0..<8 {
                        let t = Self.inputTransformAdjoint(Self.take(s + j, 8))
                        let base = phases + phaseIndex(start, column: j)
                        scatterAdd(t.0, base); scatterAdd(t.1, base + rowStride)
                        scatterAdd(t.2, base + 2 * rowStride); scatterAdd(t.3, base + 3 * rowStride)
                        scatterAdd(t.4, base + 4 * rowStride); scatterAdd(t.5, base + 5 * rowStride)
                        scatterAdd(t.6, base + 6 * rowStride); scatterAdd(t.7, base + 7 * rowStride)
                    }
                }
                merge(phases, rows: height, columns: width, pad: padding, into: image + c * height * width)
            }
        }
    }
}

/// A 5×5, stride-1 convolution layer's forward and backward through `WinogradF4x5`, with its scratch. The batch
/// is split over the cores as everywhere (`Kernels.parallelRanges`); each worker transforms a group of images,
/// runs the 64 point GEMMs on the group's tiles and transforms back. Backward recomputes V from the input rather
/// than keeping it from forward, so the layer holds no state between the two passes. (Keeping it was tried: V for
/// a batch is 4× the input — 17 MB for conv2 at batch 128 — and writing it out in forward and reading it back in
/// backward, from beyond the L2 cache, cost more than transforming the input again: conv2 went from 3.3 + 7.1 to
/// 4.8 + 8.5 ms per batch of 64.)
final class WinogradConvolution {
    let tiles: WinogradF4x5
    /// Images per group in forward and in backward: about 64 and 128 tiles per point GEMM (one and two images
    /// for a 32×32 output, four and eight for 16×16, sixteen and thirty-two for 8×8). A forward group's V and M
    /// (64 points × (C + O) × n floats: 1 MB at 32 + 32 channels and 64 tiles) then stay in the 1 MB L2 cache
    /// from transform to GEMM to transform; backward's GEMM for dU has the tiles as its inner dimension and gains
    /// from longer ones. Measured on dsh-cifar (least of 20 runs, three times): forward 4–8% faster at 64 tiles
    /// than at 128, backward 2–3% faster at 128 than at 64; 32 tiles slower in both.
    let forwardGroupSize: Int, backwardGroupSize: Int
    /// U, the filters transformed, [(p·O + o)·C + c].
    private var transformedFilters: [Float] = []
    /// Per worker: V (or dV) for a group, M (or dM) for a group, the even/odd planes, and dU's partial sum.
    private var inputTiles: [Float] = [], outputTiles: [Float] = [], halves: [Float] = [], filterGradients: [Float] = []
    /// Per worker: a forward group's output images, where an epilogue reads them.
    private var staging: [Float] = []

    init(tiles: WinogradF4x5) {
        self.tiles = tiles
        forwardGroupSize = max(1, 64 / tiles.tilesPerImage)
        backwardGroupSize = max(1, 128 / tiles.tilesPerImage)
    }

    /// Whether OpenBLAS runs the point products: only where it has kernels for small matrices that skip packing
    /// (its AVX-512 cores), which there run the O×C·C×n products about 10% faster than `Kernels.multiplyInPlace`;
    /// elsewhere (AVX2: Haswell, Zen) its packing makes it 15–60% slower (`PointProducts.swift`). Fixed per
    /// machine, so training stays reproducible to the bit on one machine.
    private static let blasRunsPointProducts = Kernels.blasHasSmallMatrixKernels

    /// C (m×n, rows n apart) = A·B (or Aᵀ·B) for one point, A's rows `lda` apart, B's rows n apart.
    @inline(__always)
    private static func multiplyPoint(transposeA: Bool = false, m: Int, n: Int, k: Int, a: UnsafePointer<Float>,
                                      lda: Int, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>) {
        if blasRunsPointProducts {
            Kernels.multiply(transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: n, c: c, ldc: n)
        } else {
            Kernels.multiplyInPlace(transposeA: transposeA, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: n, c: c, ldc: n)
        }
    }

    /// dU_p (O×C) += dM_p (O×n) · V_pᵀ (n×C) for one point. With fewer than 16 input channels (conv1's 3) a row of
    /// dU is too short for vectors and OpenBLAS packs a deep panel for three columns: dot products along the tiles
    /// are 15% (AVX-512) to 2.7× (AVX2) faster there. With more, OpenBLAS is faster than those dot products.
    @inline(__always)
    private static func addFilterProduct(o: Int, c: Int, n: Int, dm: UnsafePointer<Float>, v: UnsafePointer<Float>,
                                         du: UnsafeMutablePointer<Float>) {
        if c < 16 {
            Kernels.multiplyRowDots(m: o, n: c, k: n, a: dm, lda: n, b: v, ldb: n, c: du, ldc: c)
        } else {
            Kernels.multiply(transposeB: true, m: o, n: c, k: n, a: dm, lda: n, b: v, ldb: n, beta: 1, c: du, ldc: c)
        }
    }

    private var pointFilters: Int { WinogradF4x5.points * tiles.outputs * tiles.channels }

    private func prepare(batch: Int, backward: Bool) -> (workers: Int, group: Int) {
        let workers = Kernels.slices(batch).count
        let group = min(backward ? backwardGroupSize : forwardGroupSize, max(1, (batch + workers - 1) / workers))
        let n = group * tiles.tilesPerImage
        func grow(_ buffer: inout [Float], _ count: Int) {
            if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        }
        // 8 floats of slack: a partial chunk of tiles loads whole vectors.
        grow(&inputTiles, workers * (WinogradF4x5.points * WinogradF4x5.pointStride(rows: tiles.channels, tiles: n) + 8))
        grow(&outputTiles, workers * (WinogradF4x5.points * WinogradF4x5.pointStride(rows: tiles.outputs, tiles: n) + 8))
        grow(&halves, workers * tiles.planeScratch)
        grow(&transformedFilters, pointFilters)
        if backward { grow(&filterGradients, workers * pointFilters) }
        return (workers, group)
    }

    /// What is done with each output image instead of storing it in the batch's output: called on the worker
    /// that made it, with the worker, the image's index in the batch and its O×OH×OW numbers (in scratch).
    typealias Epilogue = @Sendable (_ worker: Int, _ image: Int, _ result: UnsafeMutablePointer<Float>) -> Void

    /// y = W ⋆ x + b for the batch (x is N×C×H×W, y N×O×OH×OW); or, with an `epilogue`, each image's y handed to
    /// it while still in cache (y is then not written).
    func forward(input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>?, batch: Int,
                 weights: UnsafePointer<Float>, bias: UnsafePointer<Float>, epilogue: Epilogue? = nil) {
        let (workers, group) = prepare(batch: batch, backward: false)
        let tiles = tiles
        let (inputItem, outputItem) = (tiles.channels * tiles.height * tiles.width,
                                       tiles.outputs * tiles.outputHeight * tiles.outputWidth)
        let (c, o, perImage) = (tiles.channels, tiles.outputs, tiles.tilesPerImage)
        transformedFilters.withUnsafeMutableBufferPointer { u in tiles.transformFilters(weights, into: u.baseAddress!) }
        if epilogue != nil && staging.count < workers * group * outputItem {
            staging = [Float](repeating: 0, count: workers * group * outputItem)
        }
        transformedFilters.withUnsafeBufferPointer { uBuffer in
        inputTiles.withUnsafeMutableBufferPointer { vBuffer in
        outputTiles.withUnsafeMutableBufferPointer { mBuffer in
        halves.withUnsafeMutableBufferPointer { halfBuffer in
        staging.withUnsafeMutableBufferPointer { stagingBuffer in
            let (u, vAll, mAll, halfAll) = (SharedPointer(uBuffer.baseAddress!), SharedPointer(vBuffer.baseAddress!),
                                            SharedPointer(mBuffer.baseAddress!), SharedPointer(halfBuffer.baseAddress!))
            let (x, b) = (SharedPointer(x), SharedPointer(bias))
            let y = y.map(SharedPointer.init), stagingAll = stagingBuffer.baseAddress.map(SharedPointer.init)
            Kernels.parallelRanges(batch) { worker, range in
                let v = vAll.base + worker * (WinogradF4x5.points * WinogradF4x5.pointStride(rows: c, tiles: group * perImage) + 8)
                let m = mAll.base + worker * (WinogradF4x5.points * WinogradF4x5.pointStride(rows: o, tiles: group * perImage) + 8)
                let half = halfAll.base + worker * tiles.planeScratch
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start), n = count * perImage
                    let (vStride, mStride) = (WinogradF4x5.pointStride(rows: c, tiles: n),
                                              WinogradF4x5.pointStride(rows: o, tiles: n))
                    for g in 0..<count {
                        tiles.transformInput(x.base + (start + g) * inputItem, into: v, tileStride: n,
                                             firstTile: g * perImage, scratch: half)
                    }
                    // M_p (O×n) = U_p (O×C) · V_p (C×n), for each of the 64 points.
                    for p in 0..<WinogradF4x5.points {
                        Self.multiplyPoint(m: o, n: n, k: c, a: u.base + p * o * c, lda: c, b: v + p * vStride,
                                           c: m + p * mStride)
                    }
                    for g in 0..<count {
                        if let epilogue, let stagingAll {
                            let image = stagingAll.base + (worker * group + g) * outputItem
                            tiles.transformOutput(m, tileStride: n, firstTile: g * perImage, bias: b.base, into: image)
                            epilogue(worker, start + g, image)
                        } else {
                            tiles.transformOutput(m, tileStride: n, firstTile: g * perImage, bias: b.base,
                                                  into: y!.base + (start + g) * outputItem)
                        }
                    }
                    start += count
                }
            }
        }}}}}
    }

    /// Adds dW and db, and writes dX unless `wantsInput` is false.
    func backward(input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
                  inputGradient dx: UnsafeMutablePointer<Float>, batch: Int, wantsInput: Bool,
                  weights: UnsafePointer<Float>, weightGradient: UnsafeMutablePointer<Float>,
                  biasGradient: UnsafeMutablePointer<Float>) {
        let (workers, group) = prepare(batch: batch, backward: true)
        let tiles = tiles
        let (inputItem, outputPlane) = (tiles.channels * tiles.height * tiles.width,
                                        tiles.outputHeight * tiles.outputWidth)
        let outputItem = tiles.outputs * outputPlane
        let (c, o, perImage, filters) = (tiles.channels, tiles.outputs, tiles.tilesPerImage, pointFilters)
        if wantsInput {
            transformedFilters.withUnsafeMutableBufferPointer { u in tiles.transformFilters(weights, into: u.baseAddress!) }
        }
        var biasPartials = [Float](repeating: 0, count: workers * o)
        transformedFilters.withUnsafeBufferPointer { uBuffer in
        inputTiles.withUnsafeMutableBufferPointer { vBuffer in
        outputTiles.withUnsafeMutableBufferPointer { mBuffer in
        halves.withUnsafeMutableBufferPointer { halfBuffer in
        filterGradients.withUnsafeMutableBufferPointer { duBuffer in
        biasPartials.withUnsafeMutableBufferPointer { dbBuffer in
            let (u, vAll, mAll, halfAll) = (SharedPointer(uBuffer.baseAddress!), SharedPointer(vBuffer.baseAddress!),
                                            SharedPointer(mBuffer.baseAddress!), SharedPointer(halfBuffer.baseAddress!))
            let (duAll, dbAll) = (SharedPointer(duBuffer.baseAddress!), SharedPointer(dbBuffer.baseAddress!))
            let (x, dy, dx) = (SharedPointer(x), SharedPointer(dy), SharedPointer(dx))
            Kernels.parallelRanges(batch) { worker, range in
                let v = vAll.base + worker * (WinogradF4x5.points * WinogradF4x5.pointStride(rows: c, tiles: group * perImage) + 8)
                let dm = mAll.base + worker * (WinogradF4x5.points * WinogradF4x5.pointStride(rows: o, tiles: group * perImage) + 8)
                let half = halfAll.base + worker * tiles.planeScratch
                let du = duAll.base + worker * filters, db = dbAll.base + worker * o
                du.initialize(repeating: 0, count: filters)
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start), n = count * perImage
                    let (vStride, mStride) = (WinogradF4x5.pointStride(rows: c, tiles: n),
                                              WinogradF4x5.pointStride(rows: o, tiles: n))
                    for g in 0..<count {
                        let image = start + g
                        tiles.transformInput(x.base + image * inputItem, into: v, tileStride: n,
                                             firstTile: g * perImage, scratch: half)
                        tiles.transformOutputGradient(dy.base + image * outputItem, into: dm, tileStride: n,
                                                      firstTile: g * perImage, scratch: half)
                        // db[o] = Σ dY over the plane, sixteen partial sums at a time.
                        for channel in 0..<o {
                            let plane = dy.base + image * outputItem + channel * outputPlane
                            var partial = SIMD16<Float>(), index = 0
                            while index + 16 <= outputPlane {
                                partial += UnsafeRawPointer(plane + index).loadUnaligned(as: SIMD16<Float>.self)
                                index += 16
                            }
                            var sum = partial.sum()
                            while index < outputPlane { sum += plane[index]; index += 1 }
                            db[channel] += sum
                        }
                    }
                    // dU_p (O×C) += dM_p (O×n) · V_pᵀ (n×C).
                    for p in 0..<WinogradF4x5.points {
                        Self.addFilterProduct(o: o, c: c, n: n, dm: dm + p * mStride, v: v + p * vStride, du: du + p * o * c)
                    }
                    if wantsInput {
                        // dV_p (C×n) = U_pᵀ (C×O) · dM_p (O×n), written over V (no longer needed).
                        for p in 0..<WinogradF4x5.points {
                            Self.multiplyPoint(transposeA: true, m: c, n: n, k: o, a: u.base + p * o * c, lda: c,
                                               b: dm + p * mStride, c: v + p * vStride)
                        }
                        for g in 0..<count {
                            tiles.transformInputGradient(v, tileStride: n, firstTile: g * perImage,
                                                         into: dx.base + (start + g) * inputItem, scratch: half)
                        }
                    }
                    start += count
                }
            }
        }}}}}}
        // The other workers' dU onto the first's, then dW += Gᵀ dU G.
        filterGradients.withUnsafeMutableBufferPointer { du in
            let first = du.baseAddress!
            Kernels.addPartials(first + filters, workers: workers - 1, count: filters, to: first)
            tiles.addFilterGradient(first, to: weightGradient)
        }
        biasPartials.withUnsafeBufferPointer { partial in
            Kernels.addPartials(partial.baseAddress!, workers: workers, count: o, to: biasGradient)
        }
    }
}
