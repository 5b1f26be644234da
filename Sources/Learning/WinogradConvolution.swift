import Foundation
/// Winograd's minimal filtering F(2×2, 5×5) for 5×5 convolutions with stride 1 (Winograd 1980; Lavin & Gray,
/// "Fast Algorithms for Convolutional Neural Networks", CVPR 2016): the same outputs as the direct sum with 2.8
/// times fewer multiplications.
///
/// One dimension first. Two outputs of a 5-tap correlation, y_i = Σ_k g_k·d_{i+k} (i = 0, 1), read six inputs
/// d_0…d_5; directly that is 10 multiplications. Seen as polynomials, y is a product g(x)·d(x) read off modulo
/// polynomials that vanish at chosen points, and a product of polynomials is determined by its values at enough
/// points: evaluate both at the six points 0, 1, −1, 2, −2, ∞, multiply the six values pairwise, interpolate
/// back. In matrices,
///
///     y = Aᵀ [(G g) ⊙ (Bᵀ d)]
///
///          ⎡ 1  1  1  1  1  0 ⎤         ⎡  1/4    0     0     0    0  ⎤         ⎡ 4   0  −5   0  1  0 ⎤
///     Aᵀ = ⎣ 0  1 −1  2 −2  1 ⎦     G = ⎢ −1/6  −1/6  −1/6  −1/6 −1/6 ⎥    Bᵀ = ⎢ 0  −4  −4   1  1  0 ⎥
///                                       ⎢ −1/6   1/6  −1/6   1/6 −1/6 ⎥         ⎢ 0   4  −4  −1  1  0 ⎥
///      (columns: the points' powers         ⎢ 1/24  1/12   1/6   1/3  2/3 ⎥         ⎢ 0  −2  −1   2  1  0 ⎥
///       a⁰, a¹; ∞ only in the top          ⎢ 1/24 −1/12   1/6  −1/3  2/3 ⎥         ⎢ 0   2  −1  −2  1  0 ⎥
///       coefficient)                       ⎣  0     0     0     0    1  ⎦         ⎣ 0   4   0  −5  0  1 ⎦
///
/// (G's rows are the points' powers over Π_{l≠j}(a_j − a_l); Bᵀ's rows the coefficients of Π_{l≠j}(x − a_l), its
/// last row those of Π_l(x − a_l).) Six multiplications instead of ten, the rest additions and small constant
/// multiples. Nested, a 2×2 output tile comes from a 6×6 input tile with 36 multiplications instead of 100:
///
///     Y = Aᵀ [(G g Gᵀ) ⊙ (Bᵀ d B)] A
///
/// In a layer the sum over input channels moves inside the brackets. With U = G g Gᵀ per filter (o, c) and
/// V = Bᵀ d B per input tile (c, t), each of the 36 points (i, j) of the 6×6 transformed tiles is one GEMM,
///
///     M[o, t] = Σ_c U[o, c] · V[c, t]        (O×C times C×tiles)
///
/// and Y = Aᵀ M A per output tile. The multiplications fall 100/36 = 2.8-fold; the transforms cost in proportion
/// to C + O, not C·O. With points as small as these the Float32 error stays near the direct sum's (the tests
/// compare with Float64 loops).
///
/// Backward is the adjoint of each step — the exact gradient of what forward computes:
///
///     dM = A dY Aᵀ                                      per output tile
///     dU[o, c] = Σ_t dM[o, t] · V[c, t]   (GEMM)        dW = Gᵀ dU G
///     dV[c, t] = Σ_o U[o, c] · dM[o, t]   (GEMM)        dX += B dV Bᵀ, the 6×6 input tiles overlapping by 4
///
/// Layout. Tile (ty, tx) makes outputs (2ty…2ty+1, 2tx…2tx+1) and reads the zero-padded input rows 2ty…2ty+5 and
/// columns 2tx…2tx+5. Tiles past an odd output edge read zeros and their extra outputs are dropped. Transformed
/// tiles lie point by point: `V[p·S + c·n + t]` (S = `pointStride`) for point p = 6i + j and tile t of n in a group of images, so
/// each point's GEMM reads one contiguous C×n matrix. The transforms work on eight neighbouring tiles of one tile
/// row at once, one per SIMD lane: element (i, j) of tiles tx…tx+7 is padded[2ty + i][2tx + j], which is
/// contiguous once each padded row is split into its even and odd columns — padded[r][2k + j] is
/// (j even ? even : odd)[r][k + j/2]. So every load and store of a transform is one 8-lane vector.
struct WinogradF2x5 {
    typealias Lanes = SIMD8<Float>
    static let lanes = 8

    let channels, outputs, height, width, padding: Int
    let outputHeight, outputWidth: Int
    /// Tile rows and columns per image.
    let tileRows, tileColumns: Int
    /// The 8-tile lane groups that cover an image's tiles, in flat tile order (t = ty·tileColumns + tx).
    let groups: [LaneGroup]
    /// Whether a group spans two tile rows of four (tileColumns == 4, as dsh-cifar's conv3 on 8×8 maps):
    /// lanes 0–3 are tiles (ty, 0…3), lanes 4–7 tiles (ty + 1, 0…3). Otherwise a group is up to eight
    /// neighbouring tiles of one tile row.
    let pairsRows: Bool
    /// Rows of the padded input (2·tileRows + 4, plus 2 zero rows where groups pair rows) and columns of each
    /// of its even/odd halves (room for a group's loads at offsets up to +2).
    let paddedRows, halfWidth: Int
    var tilesPerImage: Int { tileRows * tileColumns }
    /// Floats of scratch one image's even/odd planes take (input, or output gradient).
    var planeScratch: Int { 2 * paddedRows * halfWidth }

    /// Eight tiles (`count` of them real) of one image: the first at tile row `row`, column `column`.
    struct LaneGroup {
        let row, column, count: Int
    }

    /// nil unless the shape suits: kernel 5, stride 1, padding at most 4 (each tile must touch the image).
    /// Measured on dsh-cifar (per-layer CPU time, batch 64): faster than im2col + GEMM on all three layers,
    /// even conv1 with its 3 input channels (4.2 against 6.0 ms forward).
    init?(channels: Int, outputs: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        guard kernel == 5, stride == 1, padding <= 4, height + 2 * padding >= 5, width + 2 * padding >= 5 else {
            return nil
        }
        (self.channels, self.outputs, self.height, self.width, self.padding) = (channels, outputs, height, width, padding)
        outputHeight = height + 2 * padding - 4
        outputWidth = width + 2 * padding - 4
        tileRows = (outputHeight + 1) / 2
        tileColumns = (outputWidth + 1) / 2
        pairsRows = tileColumns == 4
        var groups: [LaneGroup] = []
        if pairsRows {
            for row in Swift.stride(from: 0, to: tileRows, by: 2) {
                groups.append(LaneGroup(row: row, column: 0, count: min(8, 4 * (tileRows - row))))
            }
        } else {
            for row in 0..<tileRows {
                for column in Swift.stride(from: 0, to: tileColumns, by: Self.lanes) {
                    groups.append(LaneGroup(row: row, column: column, count: min(Self.lanes, tileColumns - column)))
                }
            }
        }
        self.groups = groups
        paddedRows = 2 * tileRows + (pairsRows ? 6 : 4)
        halfWidth = Self.lanes * ((tileColumns + Self.lanes - 1) / Self.lanes) + 2
    }

    // MARK: The 1-D transforms (each applied along columns, then along rows)

    /// Bᵀ d.
    @inline(__always)
    static func inputTransform(_ d0: Lanes, _ d1: Lanes, _ d2: Lanes, _ d3: Lanes, _ d4: Lanes, _ d5: Lanes)
        -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
        let sum = d4 - d2, difference = d3 - d1
        return (4 * d0 - 5 * d2 + d4,
                sum - 4 * d1 - 3 * d2 + d3,          // −4d1 − 4d2 + d3 + d4
                sum + 4 * d1 - 3 * d2 - d3,          //  4d1 − 4d2 − d3 + d4
                sum + 2 * difference,                // −2d1 − d2 + 2d3 + d4
                sum - 2 * difference,                //  2d1 − d2 − 2d3 + d4
                4 * d1 - 5 * d3 + d5)
    }

    /// B dv, the adjoint of `inputTransform` (Bᵀ's columns).
    @inline(__always)
    static func inputTransformAdjoint(_ v0: Lanes, _ v1: Lanes, _ v2: Lanes, _ v3: Lanes, _ v4: Lanes, _ v5: Lanes)
        -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
        let plus = v1 + v2, minus = v1 - v2, three = v3 + v4, threeMinus = v3 - v4
        return (4 * v0,
                -4 * minus - 2 * threeMinus + 4 * v5,   // −4v1 + 4v2 − 2v3 + 2v4 + 4v5
                -5 * v0 - 4 * plus - three,             // −5v0 − 4v1 − 4v2 − v3 − v4
                minus + 2 * threeMinus - 5 * v5,        //  v1 − v2 + 2v3 − 2v4 − 5v5
                v0 + plus + three,
                v5)
    }

    /// Aᵀ m: the two outputs from six products.
    @inline(__always)
    static func outputTransform(_ m0: Lanes, _ m1: Lanes, _ m2: Lanes, _ m3: Lanes, _ m4: Lanes, _ m5: Lanes)
        -> (Lanes, Lanes) {
        (m0 + m1 + m2 + m3 + m4, m1 - m2 + 2 * (m3 - m4) + m5)
    }

    /// A dy, the adjoint of `outputTransform`.
    @inline(__always)
    static func outputTransformAdjoint(_ y0: Lanes, _ y1: Lanes) -> (Lanes, Lanes, Lanes, Lanes, Lanes, Lanes) {
        (y0, y0 + y1, y0 - y1, y0 + 2 * y1, y0 - 2 * y1, y1)
    }

    /// G, 6×5, row by row, for the filters (done once per pass, in Double).
    static let filterMatrix: [Double] = [
        1.0 / 4, 0, 0, 0, 0,
        -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6, -1.0 / 6,
        -1.0 / 6, 1.0 / 6, -1.0 / 6, 1.0 / 6, -1.0 / 6,
        1.0 / 24, 1.0 / 12, 1.0 / 6, 1.0 / 3, 2.0 / 3,
        1.0 / 24, -1.0 / 12, 1.0 / 6, -1.0 / 3, 2.0 / 3,
        0, 0, 0, 0, 1,
    ]

    // MARK: Filters

    /// U[(p·O + o)·C + c] = (G g Gᵀ)[i][j] for p = 6i + j, g the 5×5 filter W[o, c] (W is O × C·25); the
    /// filters split over the cores.
    func transformFilters(_ weights: UnsafePointer<Float>, into u: UnsafeMutablePointer<Float>) {
        let (outputs, channels) = (outputs, channels)
        let (weights, u) = (SharedPointer(weights), SharedPointer(u))
        Self.filterMatrix.withUnsafeBufferPointer { matrix in
            nonisolated(unsafe) let gShared = matrix.baseAddress!
            Kernels.parallelRanges(outputs) { _, range in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 30) { scratch in
                    let left = scratch.baseAddress!
                    for o in range {
                        for c in 0..<channels {
                            let filter = weights.base + (o * channels + c) * 25
                            // G g (6×5), then (G g) Gᵀ (6×6).
                            for i in 0..<6 { for kx in 0..<5 {
                                var sum = 0.0
                                for ky in 0..<5 { sum += gShared[i * 5 + ky] * Double(filter[ky * 5 + kx]) }
                                left[i * 5 + kx] = sum
                            }}
                            for i in 0..<6 { for j in 0..<6 {
                                var sum = 0.0
                                for kx in 0..<5 { sum += left[i * 5 + kx] * gShared[j * 5 + kx] }
                                u.base[((6 * i + j) * outputs + o) * channels + c] = Float(sum)
                            }}
                        }
                    }
                }
            }
        }
    }

    /// dW[o, c] += Gᵀ dU[o, c] G, the adjoint of `transformFilters` (dU laid out as U); the filters split over
    /// the cores.
    func addFilterGradient(_ du: UnsafePointer<Float>, to weightGradient: UnsafeMutablePointer<Float>) {
        let (outputs, channels) = (outputs, channels)
        let (du, weightGradient) = (SharedPointer(du), SharedPointer(weightGradient))
        Self.filterMatrix.withUnsafeBufferPointer { matrix in
            nonisolated(unsafe) let g = matrix.baseAddress!
            Kernels.parallelRanges(outputs) { _, range in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 30) { scratch in
                    let left = scratch.baseAddress!
                    for o in range {
                        for c in 0..<channels {
                            // Gᵀ dU (5×6), then (Gᵀ dU) G (5×5).
                            for ky in 0..<5 { for j in 0..<6 {
                                var sum = 0.0
                                for i in 0..<6 {
                                    sum += g[i * 5 + ky] * Double(du.base[((6 * i + j) * outputs + o) * channels + c])
                                }
                                left[ky * 6 + j] = sum
                            }}
                            let filter = weightGradient.base + (o * channels + c) * 25
                            for ky in 0..<5 { for kx in 0..<5 {
                                var sum = 0.0
                                for j in 0..<6 { sum += left[ky * 6 + j] * g[j * 5 + kx] }
                                filter[ky * 5 + kx] += Float(sum)
                            }}
                        }
                    }
                }
            }
        }
    }

    // MARK: Tiles

    /// Copies one H×W plane into its zero-padded even/odd halves (`planeScratch` floats at `halves`):
    /// halves[parity][r][k] = plane[r − pad][2k + parity − pad], sixteen columns at a time.
    private func split(_ plane: UnsafePointer<Float>, rows: Int, columns: Int, pad: Int,
                       into halves: UnsafeMutablePointer<Float>) {
        halves.initialize(repeating: 0, count: planeScratch)
        let odd = halves + paddedRows * halfWidth
        // Image column x lands in column x + pad: the even image columns go to the halves of pad's parity.
        let (evenColumnsTo, oddColumnsTo) = pad & 1 == 0 ? (halves, odd) : (odd, halves)
        let (evenShift, oddShift) = (pad >> 1, (pad + 1) >> 1)
        let wide = columns / 16
        for y in 0..<rows {
            let source = plane + y * columns, row = (y + pad) * halfWidth
            let (toEven, toOdd) = (evenColumnsTo + row + evenShift, oddColumnsTo + row + oddShift)
            for q in 0..<wide {
                let values = UnsafeRawPointer(source + 16 * q).loadUnaligned(as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(toEven + 8 * q).storeBytes(of: values.evenHalf, as: Lanes.self)
                UnsafeMutableRawPointer(toOdd + 8 * q).storeBytes(of: values.oddHalf, as: Lanes.self)
            }
            for x in (16 * wide)..<columns {
                if x & 1 == 0 { toEven[x >> 1] = source[x] } else { toOdd[x >> 1] = source[x] }
            }
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    /// A group's eight values at `pointer` (a group's first tile) in halves laid out by `split`: one vector, or
    /// with paired rows four values here and four two padded rows (one tile row) down.
    @inline(__always)
    private func gather(_ pointer: UnsafePointer<Float>) -> Lanes {
        if !pairsRows { return Self.load(pointer) }
        return Lanes(lowHalf: UnsafeRawPointer(pointer).loadUnaligned(as: SIMD4<Float>.self),
                     highHalf: UnsafeRawPointer(pointer + 2 * halfWidth).loadUnaligned(as: SIMD4<Float>.self))
    }

    /// Adds a group's eight values onto halves, where `gather` reads them.
    @inline(__always)
    private func scatterAdd(_ value: Lanes, _ pointer: UnsafeMutablePointer<Float>) {
        if !pairsRows {
            UnsafeMutableRawPointer(pointer).storeBytes(of: Self.load(pointer) + value, as: Lanes.self)
            return
        }
        let (low, high) = (UnsafeMutableRawPointer(pointer), UnsafeMutableRawPointer(pointer + 2 * halfWidth))
        low.storeBytes(of: low.loadUnaligned(as: SIMD4<Float>.self) + value.lowHalf, as: SIMD4<Float>.self)
        high.storeBytes(of: high.loadUnaligned(as: SIMD4<Float>.self) + value.highHalf, as: SIMD4<Float>.self)
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

    /// Floats from one point's matrix (rows × tiles, for V or M) to the next. Not rows·tiles: with 32 rows and
    /// 64 or 256 tiles that is a multiple of 4 KB, so the 36 points a transform touches at once would all fall
    /// in the same sets of the 8-way L1 cache and evict each other. 16 floats (one cache line) more apart, they
    /// spread over the sets.
    static func pointStride(rows: Int, tiles: Int) -> Int { rows * tiles + 16 }

    /// Where a group's first tile reads in each half: padded row 2·row, column `column`.
    @inline(__always)
    private func origin(_ group: LaneGroup) -> Int { 2 * group.row * halfWidth + group.column }

    /// The flat index of a group's first tile.
    @inline(__always)
    private func flat(_ group: LaneGroup) -> Int { group.row * tileColumns + group.column }

    /// V = Bᵀ d B for every tile of one image: `image` is C×H×W, V goes to `v[(p·C + c)·n + firstTile + t]`.
    func transformInput(_ image: UnsafePointer<Float>, into v: UnsafeMutablePointer<Float>, tileStride n: Int,
                        firstTile: Int, scratch halves: UnsafeMutablePointer<Float>) {
        let (rowStride, oddOffset) = (halfWidth, paddedRows * halfWidth)
        let pointStride = Self.pointStride(rows: channels, tiles: n)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { columnBuffer in
            let s = columnBuffer.baseAddress!
            for c in 0..<channels {
                split(image + c * height * width, rows: height, columns: width, pad: padding, into: halves)
                let even = UnsafePointer(halves), odd = UnsafePointer(halves + oddOffset)
                for group in groups {
                    let start = origin(group)
                    // Down the six columns j of the tiles: s[i][j] = (Bᵀ d)[i][j].
                    for j in 0..<6 {
                        let base = (j & 1 == 0 ? even : odd) + start + (j >> 1)
                        let t = Self.inputTransform(gather(base), gather(base + rowStride), gather(base + 2 * rowStride),
                                                    gather(base + 3 * rowStride), gather(base + 4 * rowStride),
                                                    gather(base + 5 * rowStride))
                        (s[j], s[6 + j], s[12 + j], s[18 + j], s[24 + j], s[30 + j]) = t
                    }
                    // Along the rows: V[i][·] = Bᵀ s[i][·].
                    let target = v + c * n + firstTile + flat(group)
                    for i in 0..<6 {
                        let row = s + 6 * i
                        let t = Self.inputTransform(row[0], row[1], row[2], row[3], row[4], row[5])
                        let point = target + 6 * i * pointStride
                        Self.store(t.0, point, count: group.count)
                        Self.store(t.1, point + pointStride, count: group.count)
                        Self.store(t.2, point + 2 * pointStride, count: group.count)
                        Self.store(t.3, point + 3 * pointStride, count: group.count)
                        Self.store(t.4, point + 4 * pointStride, count: group.count)
                        Self.store(t.5, point + 5 * pointStride, count: group.count)
                    }
                }
            }
        }
    }

    /// Y = Aᵀ M A + b for every tile of one image: M at `m[(p·O + o)·n + firstTile + t]`, Y (O×OH×OW) to `image`.
    /// M needs 8 floats of slack past its end (a partial group loads whole vectors).
    func transformOutput(_ m: UnsafePointer<Float>, tileStride n: Int, firstTile: Int, bias: UnsafePointer<Float>,
                         into image: UnsafeMutablePointer<Float>) {
        let pointStride = Self.pointStride(rows: outputs, tiles: n)
        let fullRows = !pairsRows && outputWidth % 16 == 0
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 12) { rowBuffer in
            let t = rowBuffer.baseAddress!
            for o in 0..<outputs {
                let plane = image + o * outputHeight * outputWidth, shift = Lanes(repeating: bias[o])
                for group in groups {
                    let source = m + o * n + firstTile + flat(group)
                    // Down the six columns: t[a][j] = (Aᵀ M)[a][j].
                    for j in 0..<6 {
                        let column = source + j * pointStride
                        (t[j], t[6 + j]) = Self.outputTransform(
                            Self.load(column), Self.load(column + 6 * pointStride),
                            Self.load(column + 12 * pointStride), Self.load(column + 18 * pointStride),
                            Self.load(column + 24 * pointStride), Self.load(column + 30 * pointStride))
                    }
                    // Along the two rows: y[a][0] and y[a][1], the even and odd columns of output row 2ty + a.
                    for a in 0..<2 {
                        let r = t + 6 * a
                        let (left, right) = Self.outputTransform(r[0], r[1], r[2], r[3], r[4], r[5])
                        let (even, odd) = (left + shift, right + shift)
                        if fullRows && group.count == Self.lanes {
                            let row = plane + (2 * group.row + a) * outputWidth + 2 * group.column
                            for lane in 0..<Self.lanes { row[2 * lane] = even[lane]; row[2 * lane + 1] = odd[lane] }
                            continue
                        }
                        for lane in 0..<group.count {
                            let (ty, tx) = pairsRows ? (group.row + lane >> 2, lane & 3) : (group.row, group.column + lane)
                            let (y, x) = (2 * ty + a, 2 * tx)
                            guard y < outputHeight else { continue }
                            let row = plane + y * outputWidth
                            row[x] = even[lane]
                            if x + 1 < outputWidth { row[x + 1] = odd[lane] }
                        }
                    }
                }
            }
        }
    }

    /// dM = A dY Aᵀ for every tile of one image (dY is O×OH×OW; outputs past an odd edge count as 0), to
    /// `dm[(p·O + o)·n + firstTile + t]`.
    func transformOutputGradient(_ gradient: UnsafePointer<Float>, into dm: UnsafeMutablePointer<Float>,
                                 tileStride n: Int, firstTile: Int, scratch halves: UnsafeMutablePointer<Float>) {
        let (rowStride, oddOffset) = (halfWidth, paddedRows * halfWidth)
        let pointStride = Self.pointStride(rows: outputs, tiles: n)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 12) { rowBuffer in
            let r = rowBuffer.baseAddress!
            for o in 0..<outputs {
                split(gradient + o * outputHeight * outputWidth, rows: outputHeight, columns: outputWidth, pad: 0,
                      into: halves)
                let even = UnsafePointer(halves), odd = UnsafePointer(halves + oddOffset)
                for group in groups {
                    let top = origin(group), bottom = top + rowStride
                    // Down the columns: the two rows of dY become six (even and odd columns apart); then along
                    // each of the six rows.
                    (r[0], r[1], r[2], r[3], r[4], r[5]) = Self.outputTransformAdjoint(gather(even + top),
                                                                                       gather(even + bottom))
                    (r[6], r[7], r[8], r[9], r[10], r[11]) = Self.outputTransformAdjoint(gather(odd + top),
                                                                                         gather(odd + bottom))
                    let target = dm + o * n + firstTile + flat(group)
                    for i in 0..<6 {
                        let t = Self.outputTransformAdjoint(r[i], r[6 + i])
                        let point = target + 6 * i * pointStride
                        Self.store(t.0, point, count: group.count)
                        Self.store(t.1, point + pointStride, count: group.count)
                        Self.store(t.2, point + 2 * pointStride, count: group.count)
                        Self.store(t.3, point + 3 * pointStride, count: group.count)
                        Self.store(t.4, point + 4 * pointStride, count: group.count)
                        Self.store(t.5, point + 5 * pointStride, count: group.count)
                    }
                }
            }
        }
    }

    /// dX = Σ_tiles B dV Bᵀ for one image, the adjoint of `transformInput`: dV at `dv[(p·C + c)·n + firstTile + t]`
    /// (8 floats of slack past its end), dX (C×H×W) overwritten.
    func transformInputGradient(_ dv: UnsafePointer<Float>, tileStride n: Int, firstTile: Int,
                                into image: UnsafeMutablePointer<Float>, scratch halves: UnsafeMutablePointer<Float>) {
        let (rowStride, oddOffset) = (halfWidth, paddedRows * halfWidth)
        let pointStride = Self.pointStride(rows: channels, tiles: n)
        let laneIndex = Lanes(0, 1, 2, 3, 4, 5, 6, 7)
        withUnsafeTemporaryAllocation(of: Lanes.self, capacity: 36) { rowBuffer in
            let s = rowBuffer.baseAddress!
            for c in 0..<channels {
                halves.initialize(repeating: 0, count: planeScratch)
                let even = halves, odd = halves + oddOffset
                for group in groups {
                    // Lanes past the last tile hold other tiles' values: they add nothing.
                    let valid = laneIndex .< Lanes(repeating: Float(group.count))
                    let source = dv + c * n + firstTile + flat(group)
                    // Along the rows: s[i][·] = B dV[i][·].
                    for i in 0..<6 {
                        let point = source + 6 * i * pointStride
                        @inline(__always) func at(_ j: Int) -> Lanes {
                            let value = Self.load(point + j * pointStride)
                            return group.count == Self.lanes ? value : value.replacing(with: 0, where: .!valid)
                        }
                        (s[6 * i], s[6 * i + 1], s[6 * i + 2], s[6 * i + 3], s[6 * i + 4], s[6 * i + 5]) =
                            Self.inputTransformAdjoint(at(0), at(1), at(2), at(3), at(4), at(5))
                    }
                    // Down the columns, and onto the padded input where the tiles lie.
                    let start = origin(group)
                    for j in 0..<6 {
                        let t = Self.inputTransformAdjoint(s[j], s[6 + j], s[12 + j], s[18 + j], s[24 + j], s[30 + j])
                        let base = (j & 1 == 0 ? even : odd) + start + (j >> 1)
                        scatterAdd(t.0, base); scatterAdd(t.1, base + rowStride)
                        scatterAdd(t.2, base + 2 * rowStride); scatterAdd(t.3, base + 3 * rowStride)
                        scatterAdd(t.4, base + 4 * rowStride); scatterAdd(t.5, base + 5 * rowStride)
                    }
                }
                // Crop the padding: dX[c][y][x] = halves[(x + pad) & 1][y + pad][(x + pad) >> 1].
                let plane = image + c * height * width
                let (evenColumnsFrom, oddColumnsFrom) = padding & 1 == 0 ? (even, odd) : (odd, even)
                let (evenShift, oddShift) = (padding >> 1, (padding + 1) >> 1)
                let wide = width / 16
                for y in 0..<height {
                    let row = (y + padding) * rowStride, target = plane + y * width
                    let (fromEven, fromOdd) = (evenColumnsFrom + row + evenShift, oddColumnsFrom + row + oddShift)
                    for q in 0..<wide {
                        let (evens, odds) = (Self.load(fromEven + 8 * q), Self.load(fromOdd + 8 * q))
                        var values = SIMD16<Float>()
                        for lane in 0..<Self.lanes { values[2 * lane] = evens[lane]; values[2 * lane + 1] = odds[lane] }
                        UnsafeMutableRawPointer(target + 16 * q).storeBytes(of: values, as: SIMD16<Float>.self)
                    }
                    for x in (16 * wide)..<width { target[x] = x & 1 == 0 ? fromEven[x >> 1] : fromOdd[x >> 1] }
                }
            }
        }
    }
}

/// A 5×5, stride-1 convolution layer's forward and backward through `WinogradF2x5`, with its scratch. The batch
/// is split over the cores as everywhere (`Kernels.parallelRanges`); each worker transforms a group of images,
/// runs the 36 point GEMMs on the group's tiles and transforms back. Backward recomputes V from the input rather
/// than keeping it from forward, so the layer holds no state between the two passes.
final class WinogradConvolution {
    let tiles: WinogradF2x5
    /// Images per group: about 256 tiles per point GEMM (one image for a 32×32 output, four for 16×16,
    /// sixteen for 8×8), so each GEMM is large enough to run near the kernel's speed and a group's transformed
    /// tiles stay near the cache.
    let groupSize: Int
    /// U, the filters transformed, [(p·O + o)·C + c].
    private var transformedFilters: [Float] = []
    /// Per worker: V (or dV) for a group, M (or dM) for a group, the even/odd planes, and dU's partial sum.
    private var inputTiles: [Float] = [], outputTiles: [Float] = [], halves: [Float] = [], filterGradients: [Float] = []

    init(tiles: WinogradF2x5) {
        self.tiles = tiles
        groupSize = max(1, (Int(ProcessInfo.processInfo.environment["WG"] ?? "256") ?? 256) / tiles.tilesPerImage)
    }

    private var pointFilters: Int { 36 * tiles.outputs * tiles.channels }

    private func prepare(batch: Int, backward: Bool) -> (workers: Int, group: Int) {
        let workers = Kernels.slices(batch).count
        let group = min(groupSize, max(1, (batch + workers - 1) / workers))
        let n = group * tiles.tilesPerImage
        func grow(_ buffer: inout [Float], _ count: Int) {
            if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        }
        // 8 floats of slack: a partial chunk of tiles loads whole vectors.
        grow(&inputTiles, workers * (36 * WinogradF2x5.pointStride(rows: tiles.channels, tiles: n) + 8))
        grow(&outputTiles, workers * (36 * WinogradF2x5.pointStride(rows: tiles.outputs, tiles: n) + 8))
        grow(&halves, workers * tiles.planeScratch)
        grow(&transformedFilters, pointFilters)
        if backward { grow(&filterGradients, workers * pointFilters) }
        return (workers, group)
    }

    /// y = W ⋆ x + b for the batch (x is N×C×H×W, y N×O×OH×OW).
    func forward(input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
                 weights: UnsafePointer<Float>, bias: UnsafePointer<Float>) {
        let (_, group) = prepare(batch: batch, backward: false)
        let tiles = tiles
        let (inputItem, outputItem) = (tiles.channels * tiles.height * tiles.width,
                                       tiles.outputs * tiles.outputHeight * tiles.outputWidth)
        let (c, o, perImage) = (tiles.channels, tiles.outputs, tiles.tilesPerImage)
        transformedFilters.withUnsafeMutableBufferPointer { u in tiles.transformFilters(weights, into: u.baseAddress!) }
        transformedFilters.withUnsafeBufferPointer { uBuffer in
        inputTiles.withUnsafeMutableBufferPointer { vBuffer in
        outputTiles.withUnsafeMutableBufferPointer { mBuffer in
        halves.withUnsafeMutableBufferPointer { halfBuffer in
            let (u, vAll, mAll, halfAll) = (SharedPointer(uBuffer.baseAddress!), SharedPointer(vBuffer.baseAddress!),
                                            SharedPointer(mBuffer.baseAddress!), SharedPointer(halfBuffer.baseAddress!))
            let (x, y, b) = (SharedPointer(x), SharedPointer(y), SharedPointer(bias))
            Kernels.parallelRanges(batch) { worker, range in
                let v = vAll.base + worker * (36 * WinogradF2x5.pointStride(rows: c, tiles: group * perImage) + 8)
                let m = mAll.base + worker * (36 * WinogradF2x5.pointStride(rows: o, tiles: group * perImage) + 8)
                let half = halfAll.base + worker * tiles.planeScratch
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start), n = count * perImage
                    let (vStride, mStride) = (WinogradF2x5.pointStride(rows: c, tiles: n),
                                              WinogradF2x5.pointStride(rows: o, tiles: n))
                    for g in 0..<count {
                        tiles.transformInput(x.base + (start + g) * inputItem, into: v, tileStride: n,
                                             firstTile: g * perImage, scratch: half)
                    }
                    // M_p (O×n) = U_p (O×C) · V_p (C×n), for each of the 36 points.
                    for p in 0..<36 {
                        Kernels.multiply(m: o, n: n, k: c, a: u.base + p * o * c, lda: c, b: v + p * vStride, ldb: n,
                                         c: m + p * mStride, ldc: n)
                    }
                    for g in 0..<count {
                        tiles.transformOutput(m, tileStride: n, firstTile: g * perImage, bias: b.base,
                                              into: y.base + (start + g) * outputItem)
                    }
                    start += count
                }
            }
        }}}}
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
                let v = vAll.base + worker * (36 * WinogradF2x5.pointStride(rows: c, tiles: group * perImage) + 8)
                let dm = mAll.base + worker * (36 * WinogradF2x5.pointStride(rows: o, tiles: group * perImage) + 8)
                let half = halfAll.base + worker * tiles.planeScratch
                let du = duAll.base + worker * filters, db = dbAll.base + worker * o
                du.initialize(repeating: 0, count: filters)
                var start = range.lowerBound
                while start < range.upperBound {
                    let count = min(group, range.upperBound - start), n = count * perImage
                    let (vStride, mStride) = (WinogradF2x5.pointStride(rows: c, tiles: n),
                                              WinogradF2x5.pointStride(rows: o, tiles: n))
                    for g in 0..<count {
                        let image = start + g
                        tiles.transformInput(x.base + image * inputItem, into: v, tileStride: n,
                                             firstTile: g * perImage, scratch: half)
                        tiles.transformOutputGradient(dy.base + image * outputItem, into: dm, tileStride: n,
                                                      firstTile: g * perImage, scratch: half)
                        // db[o] = Σ dY over the plane.
                        for channel in 0..<o {
                            let plane = dy.base + image * outputItem + channel * outputPlane
                            var sum: Float = 0
                            for index in 0..<outputPlane { sum += plane[index] }
                            db[channel] += sum
                        }
                    }
                    // dU_p (O×C) += dM_p (O×n) · V_pᵀ (n×C).
                    for p in 0..<36 {
                        Kernels.multiply(transposeB: true, m: o, n: c, k: n, a: dm + p * mStride, lda: n,
                                         b: v + p * vStride, ldb: n, beta: 1, c: du + p * o * c, ldc: c)
                    }
                    if wantsInput {
                        // dV_p (C×n) = U_pᵀ (C×O) · dM_p (O×n), written over V (no longer needed).
                        for p in 0..<36 {
                            Kernels.multiply(transposeA: true, m: c, n: n, k: o, a: u.base + p * o * c, lda: c,
                                             b: dm + p * mStride, ldb: n, c: v + p * vStride, ldc: n)
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
        // The workers' partial sums in worker order (deterministic), then dW += Gᵀ dU G.
        filterGradients.withUnsafeMutableBufferPointer { du in
            for worker in 1..<max(1, workers) {
                for index in 0..<filters { du[index] += du[worker * filters + index] }
            }
            tiles.addFilterGradient(du.baseAddress!, to: weightGradient)
        }
        for worker in 0..<workers {
            for channel in 0..<o { biasGradient[channel] += biasPartials[worker * o + channel] }
        }
    }
}
