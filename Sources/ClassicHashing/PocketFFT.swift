// scipy.fftpack's DCT-II, operation by operation: a port of the code scipy 1.17 runs for `dct(x, type=2)`,
// pocketfft's C++ header (`pocketfft_hdronly.h`, scipy/pocketfft at 9367142, the same text as mreineck/pocketfft's
// cpp branch): `T_dcst23` (type 2, cosine, not orthonormal, factor 1) over `rfftp`'s backward real FFT
// (`radb2`, `radb3`, `radb4`, `radb5`, `radbg`), with twiddles from `sincos_2pibyn`.
//
// Why a port and not a formula: imagehash's pHash thresholds coefficients at their median, and on mirror-symmetric
// or flat thumbnails the median falls among coefficients that are 0 in exact arithmetic, where scipy's rounding
// noise (±1e-13) decides the bits. Only the same operations on the same doubles give the same noise. So every
// sum below is added in pocketfft's order, every constant is pocketfft's, and no product is fused with an
// addition (pocketfft in scipy's x86-64 wheels runs on SSE2 without FMA; Swift does not contract `a * b + c`).
// pocketfft transforms two lines at once in SSE2 registers; each lane does the same scalar arithmetic as here.
// Its twiddles come from the C library's cos and sin, as here (glibc on Linux, where scipy's wheels run).
//
// Not ported: pocketfft's Bluestein path, which its plan picks instead of `rfftp` for lengths with a large prime
// factor (the first are 191, 199, 211, … and 478 = 2·239). pHash transforms lines of 4 × the hash size, at most
// 256 for the sizes HashLab accepts, and none of those takes it; for such a length this runs `rfftp` anyway:
// the same DCT, but not scipy's rounding. (pocketfft_r takes Bluestein when the largest prime factor p of a length
// n ≥ 50 has p² > n and 3·cost(good size ≥ 2n−1) < cost(n)/2, cost being n·Σ factors, 1.1× for factors above 5.)

import Foundation

/// pocketfft's `sincos_2pibyn(n)`: `(cos 2πk/n, sin 2πk/n)` for any k, from two tables of exactly computed values
/// (every k is `a + b·2^shift`, and the entry is the complex product of entry a of the first table and entry b of
/// the second, rounded as the product is), so that a length's twiddles cost O(√n) calls to cos and sin.
struct UnitRoots {
    let n: Int
    private let mask: Int, shift: Int
    private var first: [(r: Double, i: Double)], second: [(r: Double, i: Double)]

    init(_ n: Int) {
        self.n = n
        let angle = UnitRoots.eighthOfTurn(over: n)
        let count = (n + 2) / 2
        var shift = 1
        while (1 << shift) * (1 << shift) < count { shift += 1 }
        self.shift = shift
        mask = (1 << shift) - 1
        first = [(1, 0)]
        for index in stride(from: 1, to: mask + 1, by: 1) { first.append(UnitRoots.exact(index, n, angle)) }
        second = [(1, 0)]
        for index in stride(from: 1, to: (count + mask) / (mask + 1), by: 1) {
            second.append(UnitRoots.exact(index * (mask + 1), n, angle))
        }
    }

    /// `(cos 2πk/n, sin 2πk/n)`, for 0 ≤ k ≤ n.
    subscript(k: Int) -> (r: Double, i: Double) {
        if 2 * k <= n {
            let a = first[k & mask], b = second[k >> shift]
            return (a.r * b.r - a.i * b.i, a.r * b.i + a.i * b.r)
        }
        let a = first[(n - k) & mask], b = second[(n - k) >> shift]
        return (a.r * b.r - a.i * b.i, -(a.r * b.i + a.i * b.r))
    }

    /// pocketfft's `calc`: the root for k from cos and sin of an angle of at most π/4 (by octant symmetry).
    private static func exact(_ k: Int, _ n: Int, _ angle: Double) -> (r: Double, i: Double) {
        var x = k << 3
        if x < 4 * n {  // first half
            if x < 2 * n {  // first quadrant
                if x < n { return (cos(Double(x) * angle), sin(Double(x) * angle)) }
                return (sin(Double(2 * n - x) * angle), cos(Double(2 * n - x) * angle))
            }
            x -= 2 * n  // second quadrant
            if x < n { return (-sin(Double(x) * angle), cos(Double(x) * angle)) }
            return (-cos(Double(2 * n - x) * angle), sin(Double(2 * n - x) * angle))
        }
        x = 8 * n - x
        if x < 2 * n {  // third quadrant (pocketfft's comments)
            if x < n { return (cos(Double(x) * angle), -sin(Double(x) * angle)) }
            return (sin(Double(2 * n - x) * angle), -cos(Double(2 * n - x) * angle))
        }
        x -= 2 * n  // fourth quadrant
        if x < n { return (-sin(Double(x) * angle), -cos(Double(x) * angle)) }
        return (-cos(Double(2 * n - x) * angle), -sin(Double(2 * n - x) * angle))
    }

    /// `double(0.25L * pi / n)` as pocketfft computes it on x86-64: π as an x87 long double (64-bit significand,
    /// rounded to nearest), divided by 4n in long double, then rounded to double. Done here in integers, so that
    /// it gives the same double where there is no 80-bit type.
    static func eighthOfTurn(over n: Int) -> Double {
        precondition(n > 0)
        let pi: UInt64 = 0xC90F_DAA2_2168_C235  // π = pi · 2⁻⁶², the long double nearest π
        // π / 4n = (pi · 2⁶⁴ / n) · 2⁻¹²⁸: a quotient of at least 64 bits and a remainder.
        let (quotient, remainder) = (UInt128(pi) << 64).quotientAndRemainder(dividingBy: UInt128(n))
        var exponent = -128
        // Round the quotient to 64 bits (long double), to nearest, ties to even.
        let extra = (128 - quotient.leadingZeroBitCount) - 64
        var long = quotient >> extra
        exponent += extra
        if extra > 0 {
            let dropped = quotient & ((1 << extra) - 1), half = UInt128(1) << (extra - 1)
            if dropped > half || (dropped == half && (remainder != 0 || long & 1 == 1)) { long += 1 }
        } else if remainder != 0 {
            // No bits dropped but an inexact quotient: the remainder is below 1 ulp; half an ulp is n/2.
            if remainder * 2 > UInt128(n) || (remainder * 2 == UInt128(n) && long & 1 == 1) { long += 1 }
        }
        if long >> 64 != 0 { long >>= 1; exponent += 1 }
        // Round the 64-bit significand to 53 bits (double), to nearest, ties to even: the long double is exact.
        var short = long >> 11
        let dropped = long & 0x7FF
        if dropped > 0x400 || (dropped == 0x400 && short & 1 == 1) { short += 1 }
        exponent += 11
        return Double(sign: .plus, exponent: exponent, significand: Double(UInt64(short)))
    }
}

/// What the transforms compute on: one double (one line), or a SIMD vector of doubles (that many lines at once,
/// as pocketfft runs two lines per SSE2 register): lane by lane the same additions and multiplications by
/// double constants, so the same results.
protocol FFTLane {
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Double, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Double) -> Self
}

extension Double: FFTLane {}
extension SIMD8: FFTLane where Scalar == Double {}

/// pocketfft's `rfftp`, backward only (halfcomplex to real, unnormalised): the plan for one length, its factors
/// in pocketfft's order (4s, a 2 moved to the front, then odd primes) and their twiddles.
struct RealFFTPlan: Sendable {
    let length: Int
    private var factors: [(radix: Int, twiddles: Int, generic: Int)] = []  // offsets into `table`
    private var table: [Double] = []

    init(length: Int) {
        precondition(length > 0, "zero-length FFT requested")
        self.length = length
        if length == 1 { return }
        var radices: [Int] = []
        var rest = length
        while rest % 4 == 0 { radices.append(4); rest >>= 2 }
        if rest % 2 == 0 {
            rest >>= 1
            radices.append(2)
            radices.swapAt(0, radices.count - 1)  // "factor 2 should be at the front of the factor list"
        }
        var divisor = 3
        while divisor * divisor <= rest {
            while rest % divisor == 0 { radices.append(divisor); rest /= divisor }
            divisor += 2
        }
        if rest > 1 { radices.append(rest) }

        let roots = UnitRoots(length)
        var l1 = 1
        for (k, ip) in radices.enumerated() {
            let ido = length / (l1 * ip)
            let twiddles = table.count
            if k < radices.count - 1 {  // the last factor needs no twiddles
                table += [Double](repeating: 0, count: (ip - 1) * (ido - 1))
                for j in 1..<ip {
                    for i in stride(from: 1, through: (ido - 1) / 2, by: 1) {
                        let root = roots[j * l1 * i]
                        table[twiddles + (j - 1) * (ido - 1) + 2 * i - 2] = root.r
                        table[twiddles + (j - 1) * (ido - 1) + 2 * i - 1] = root.i
                    }
                }
            }
            let generic = table.count
            if ip > 5 {  // the roots of unity of order ip, for radbg
                table += [Double](repeating: 0, count: 2 * ip)
                table[generic] = 1
                table[generic + 1] = 0
                var i = 2, ic = 2 * ip - 2
                while i <= ic {
                    let root = roots[i / 2 * (length / ip)]
                    table[generic + i] = root.r
                    table[generic + i + 1] = root.i
                    table[generic + ic] = root.r
                    table[generic + ic + 1] = -root.i
                    i += 2; ic -= 2
                }
            }
            factors.append((ip, twiddles, generic))
            l1 *= ip
        }
    }

    /// The backward transform of `c` (FFTPACK's halfcomplex order: r0, r1, i1, r2, i2, …) in place, unscaled:
    /// `c[j] = r0 + 2 Σₖ (rₖ cos 2πjk/n − iₖ sin 2πjk/n) (+ r_{n/2} (−1)^j)`. `scratch` holds `length` doubles.
    func backward<V: FFTLane>(_ c: UnsafeMutablePointer<V>, scratch: UnsafeMutablePointer<V>) {
        if length == 1 { return }  // c[0] *= 1
        table.withUnsafeBufferPointer { buffer in
            let table = buffer.baseAddress!
            var p1 = c, p2 = scratch
            var l1 = 1
            for factor in factors {
                let ip = factor.radix, ido = length / (ip * l1)
                let wa = table + factor.twiddles
                switch ip {
                case 4: radb4(ido, l1, p1, p2, wa)
                case 2: radb2(ido, l1, p1, p2, wa)
                case 3: radb3(ido, l1, p1, p2, wa)
                case 5: radb5(ido, l1, p1, p2, wa)
                default: radbg(ido, ip, l1, p1, p2, wa, table + factor.generic)
                }
                swap(&p1, &p2)
                l1 *= ip
            }
            if p1 != c { c.update(from: p1, count: length) }  // copy_and_norm with fct 1
        }
    }
}

// The radix passes. `cc` is read as CC(a, b, c) = cc[a + ido·(b + ip·c)] and `ch` written as
// CH(a, b, c) = ch[a + ido·(b + l1·c)], pocketfft's macros; `wa` holds the factor's twiddles, WA(x, i) = wa[i + x·(ido−1)].

private func radb2<V: FFTLane>(_ ido: Int, _ l1: Int, _ cc: UnsafeMutablePointer<V>, _ ch: UnsafeMutablePointer<V>,
                              _ wa: UnsafePointer<Double>) {
    @inline(__always) func CC(_ a: Int, _ b: Int, _ c: Int) -> V { cc[a + ido * (b + 2 * c)] }
    @inline(__always) func CH(_ a: Int, _ b: Int, _ c: Int) -> Int { a + ido * (b + l1 * c) }
    @inline(__always) func WA(_ x: Int, _ i: Int) -> Double { wa[i + x * (ido - 1)] }
    for k in 0..<l1 {
        let a = CC(0, 0, k), b = CC(ido - 1, 1, k)
        ch[CH(0, k, 0)] = a + b
        ch[CH(0, k, 1)] = a - b
    }
    if ido & 1 == 0 {
        for k in 0..<l1 {
            ch[CH(ido - 1, k, 0)] = 2 * CC(ido - 1, 0, k)
            ch[CH(ido - 1, k, 1)] = -2 * CC(0, 1, k)
        }
    }
    if ido <= 2 { return }
    for k in 0..<l1 {
        for i in stride(from: 2, to: ido, by: 2) {
            let ic = ido - i
            ch[CH(i - 1, k, 0)] = CC(i - 1, 0, k) + CC(ic - 1, 1, k)
            let tr2 = CC(i - 1, 0, k) - CC(ic - 1, 1, k)
            let ti2 = CC(i, 0, k) + CC(ic, 1, k)
            ch[CH(i, k, 0)] = CC(i, 0, k) - CC(ic, 1, k)
            // MULPM(a, b, c, d, e, f): a = c·e + d·f, b = c·f − d·e
            ch[CH(i, k, 1)] = WA(0, i - 2) * ti2 + WA(0, i - 1) * tr2
            ch[CH(i - 1, k, 1)] = WA(0, i - 2) * tr2 - WA(0, i - 1) * ti2
        }
    }
}

private func radb3<V: FFTLane>(_ ido: Int, _ l1: Int, _ cc: UnsafeMutablePointer<V>, _ ch: UnsafeMutablePointer<V>,
                              _ wa: UnsafePointer<Double>) {
    let taur = -0.5, taui = 0x1.bb67ae8584caap-1  // 0.8660254037844386467637231707529362L, √3/2
    @inline(__always) func CC(_ a: Int, _ b: Int, _ c: Int) -> V { cc[a + ido * (b + 3 * c)] }
    @inline(__always) func CH(_ a: Int, _ b: Int, _ c: Int) -> Int { a + ido * (b + l1 * c) }
    @inline(__always) func WA(_ x: Int, _ i: Int) -> Double { wa[i + x * (ido - 1)] }
    for k in 0..<l1 {
        let tr2 = 2 * CC(ido - 1, 1, k)
        let cr2 = CC(0, 0, k) + taur * tr2
        ch[CH(0, k, 0)] = CC(0, 0, k) + tr2
        let ci3 = 2 * taui * CC(0, 2, k)
        ch[CH(0, k, 2)] = cr2 + ci3
        ch[CH(0, k, 1)] = cr2 - ci3
    }
    if ido == 1 { return }
    for k in 0..<l1 {
        var i = 2, ic = ido - 2
        while i < ido {
            let tr2 = CC(i - 1, 2, k) + CC(ic - 1, 1, k)
            let ti2 = CC(i, 2, k) - CC(ic, 1, k)
            let cr2 = CC(i - 1, 0, k) + taur * tr2
            let ci2 = CC(i, 0, k) + taur * ti2
            ch[CH(i - 1, k, 0)] = CC(i - 1, 0, k) + tr2
            ch[CH(i, k, 0)] = CC(i, 0, k) + ti2
            let cr3 = taui * (CC(i - 1, 2, k) - CC(ic - 1, 1, k))
            let ci3 = taui * (CC(i, 2, k) + CC(ic, 1, k))
            let dr3 = cr2 + ci3, dr2 = cr2 - ci3
            let di2 = ci2 + cr3, di3 = ci2 - cr3
            ch[CH(i, k, 1)] = WA(0, i - 2) * di2 + WA(0, i - 1) * dr2
            ch[CH(i - 1, k, 1)] = WA(0, i - 2) * dr2 - WA(0, i - 1) * di2
            ch[CH(i, k, 2)] = WA(1, i - 2) * di3 + WA(1, i - 1) * dr3
            ch[CH(i - 1, k, 2)] = WA(1, i - 2) * dr3 - WA(1, i - 1) * di3
            i += 2; ic -= 2
        }
    }
}

private func radb4<V: FFTLane>(_ ido: Int, _ l1: Int, _ cc: UnsafeMutablePointer<V>, _ ch: UnsafeMutablePointer<V>,
                              _ wa: UnsafePointer<Double>) {
    let sqrt2 = 0x1.6a09e667f3bcdp+0  // 1.414213562373095048801688724209698L
    @inline(__always) func CC(_ a: Int, _ b: Int, _ c: Int) -> V { cc[a + ido * (b + 4 * c)] }
    @inline(__always) func CH(_ a: Int, _ b: Int, _ c: Int) -> Int { a + ido * (b + l1 * c) }
    @inline(__always) func WA(_ x: Int, _ i: Int) -> Double { wa[i + x * (ido - 1)] }
    for k in 0..<l1 {
        let tr2 = CC(0, 0, k) + CC(ido - 1, 3, k), tr1 = CC(0, 0, k) - CC(ido - 1, 3, k)
        let tr3 = 2 * CC(ido - 1, 1, k)
        let tr4 = 2 * CC(0, 2, k)
        ch[CH(0, k, 0)] = tr2 + tr3
        ch[CH(0, k, 2)] = tr2 - tr3
        ch[CH(0, k, 3)] = tr1 + tr4
        ch[CH(0, k, 1)] = tr1 - tr4
    }
    if ido & 1 == 0 {
        for k in 0..<l1 {
            let ti1 = CC(0, 3, k) + CC(0, 1, k), ti2 = CC(0, 3, k) - CC(0, 1, k)
            let tr2 = CC(ido - 1, 0, k) + CC(ido - 1, 2, k), tr1 = CC(ido - 1, 0, k) - CC(ido - 1, 2, k)
            ch[CH(ido - 1, k, 0)] = tr2 + tr2
            ch[CH(ido - 1, k, 1)] = sqrt2 * (tr1 - ti1)
            ch[CH(ido - 1, k, 2)] = ti2 + ti2
            ch[CH(ido - 1, k, 3)] = -sqrt2 * (tr1 + ti1)
        }
    }
    if ido <= 2 { return }
    for k in 0..<l1 {
        for i in stride(from: 2, to: ido, by: 2) {
            let ic = ido - i
            let tr2 = CC(i - 1, 0, k) + CC(ic - 1, 3, k), tr1 = CC(i - 1, 0, k) - CC(ic - 1, 3, k)
            let ti1 = CC(i, 0, k) + CC(ic, 3, k), ti2 = CC(i, 0, k) - CC(ic, 3, k)
            let tr4 = CC(i, 2, k) + CC(ic, 1, k), ti3 = CC(i, 2, k) - CC(ic, 1, k)
            let tr3 = CC(i - 1, 2, k) + CC(ic - 1, 1, k), ti4 = CC(i - 1, 2, k) - CC(ic - 1, 1, k)
            ch[CH(i - 1, k, 0)] = tr2 + tr3
            let cr3 = tr2 - tr3
            ch[CH(i, k, 0)] = ti2 + ti3
            let ci3 = ti2 - ti3
            let cr4 = tr1 + tr4, cr2 = tr1 - tr4
            let ci2 = ti1 + ti4, ci4 = ti1 - ti4
            ch[CH(i, k, 1)] = WA(0, i - 2) * ci2 + WA(0, i - 1) * cr2
            ch[CH(i - 1, k, 1)] = WA(0, i - 2) * cr2 - WA(0, i - 1) * ci2
            ch[CH(i, k, 2)] = WA(1, i - 2) * ci3 + WA(1, i - 1) * cr3
            ch[CH(i - 1, k, 2)] = WA(1, i - 2) * cr3 - WA(1, i - 1) * ci3
            ch[CH(i, k, 3)] = WA(2, i - 2) * ci4 + WA(2, i - 1) * cr4
            ch[CH(i - 1, k, 3)] = WA(2, i - 2) * cr4 - WA(2, i - 1) * ci4
        }
    }
}

private func radb5<V: FFTLane>(_ ido: Int, _ l1: Int, _ cc: UnsafeMutablePointer<V>, _ ch: UnsafeMutablePointer<V>,
                              _ wa: UnsafePointer<Double>) {
    // cos and sin of 2π/5 and 4π/5: pocketfft's long double literals (0.3090169943749474241022934171828191L,
    // 0.9510565162951535721164393333793821L, −0.8090169943749474241022934171828191L,
    // 0.5877852522924731291687059546390728L) rounded to double, written exactly.
    let tr11 = 0x1.3c6ef372fe95p-2, ti11 = 0x1.e6f0e134454ffp-1
    let tr12 = -0x1.9e3779b97f4a8p-1, ti12 = 0x1.2cf2304755a5ep-1
    @inline(__always) func CC(_ a: Int, _ b: Int, _ c: Int) -> V { cc[a + ido * (b + 5 * c)] }
    @inline(__always) func CH(_ a: Int, _ b: Int, _ c: Int) -> Int { a + ido * (b + l1 * c) }
    @inline(__always) func WA(_ x: Int, _ i: Int) -> Double { wa[i + x * (ido - 1)] }
    for k in 0..<l1 {
        let ti5 = CC(0, 2, k) + CC(0, 2, k)
        let ti4 = CC(0, 4, k) + CC(0, 4, k)
        let tr2 = CC(ido - 1, 1, k) + CC(ido - 1, 1, k)
        let tr3 = CC(ido - 1, 3, k) + CC(ido - 1, 3, k)
        ch[CH(0, k, 0)] = CC(0, 0, k) + tr2 + tr3
        let cr2 = CC(0, 0, k) + tr11 * tr2 + tr12 * tr3
        let cr3 = CC(0, 0, k) + tr12 * tr2 + tr11 * tr3
        // MULPM(ci5, ci4, ti5, ti4, ti11, ti12)
        let ci5 = ti5 * ti11 + ti4 * ti12, ci4 = ti5 * ti12 - ti4 * ti11
        ch[CH(0, k, 4)] = cr2 + ci5
        ch[CH(0, k, 1)] = cr2 - ci5
        ch[CH(0, k, 3)] = cr3 + ci4
        ch[CH(0, k, 2)] = cr3 - ci4
    }
    if ido == 1 { return }
    for k in 0..<l1 {
        var i = 2, ic = ido - 2
        while i < ido {
            let tr2 = CC(i - 1, 2, k) + CC(ic - 1, 1, k), tr5 = CC(i - 1, 2, k) - CC(ic - 1, 1, k)
            let ti5 = CC(i, 2, k) + CC(ic, 1, k), ti2 = CC(i, 2, k) - CC(ic, 1, k)
            let tr3 = CC(i - 1, 4, k) + CC(ic - 1, 3, k), tr4 = CC(i - 1, 4, k) - CC(ic - 1, 3, k)
            let ti4 = CC(i, 4, k) + CC(ic, 3, k), ti3 = CC(i, 4, k) - CC(ic, 3, k)
            ch[CH(i - 1, k, 0)] = CC(i - 1, 0, k) + tr2 + tr3
            ch[CH(i, k, 0)] = CC(i, 0, k) + ti2 + ti3
            let cr2 = CC(i - 1, 0, k) + tr11 * tr2 + tr12 * tr3
            let ci2 = CC(i, 0, k) + tr11 * ti2 + tr12 * ti3
            let cr3 = CC(i - 1, 0, k) + tr12 * tr2 + tr11 * tr3
            let ci3 = CC(i, 0, k) + tr12 * ti2 + tr11 * ti3
            let cr5 = tr5 * ti11 + tr4 * ti12, cr4 = tr5 * ti12 - tr4 * ti11
            let ci5 = ti5 * ti11 + ti4 * ti12, ci4 = ti5 * ti12 - ti4 * ti11
            let dr4 = cr3 + ci4, dr3 = cr3 - ci4
            let di3 = ci3 + cr4, di4 = ci3 - cr4
            let dr5 = cr2 + ci5, dr2 = cr2 - ci5
            let di2 = ci2 + cr5, di5 = ci2 - cr5
            ch[CH(i, k, 1)] = WA(0, i - 2) * di2 + WA(0, i - 1) * dr2
            ch[CH(i - 1, k, 1)] = WA(0, i - 2) * dr2 - WA(0, i - 1) * di2
            ch[CH(i, k, 2)] = WA(1, i - 2) * di3 + WA(1, i - 1) * dr3
            ch[CH(i - 1, k, 2)] = WA(1, i - 2) * dr3 - WA(1, i - 1) * di3
            ch[CH(i, k, 3)] = WA(2, i - 2) * di4 + WA(2, i - 1) * dr4
            ch[CH(i - 1, k, 3)] = WA(2, i - 2) * dr4 - WA(2, i - 1) * di4
            ch[CH(i, k, 4)] = WA(3, i - 2) * di5 + WA(3, i - 1) * dr5
            ch[CH(i - 1, k, 4)] = WA(3, i - 2) * dr5 - WA(3, i - 1) * di5
            i += 2; ic -= 2
        }
    }
}

/// The generic odd radix (7, 11, 13, …). It uses `cc` as scratch too; the result is in `ch`.
/// `csarr` holds the ip-th roots of unity, (cos, sin) pairs, the last half conjugated.
private func radbg<V: FFTLane>(_ ido: Int, _ ip: Int, _ l1: Int, _ cc: UnsafeMutablePointer<V>,
                               _ ch: UnsafeMutablePointer<V>, _ wa: UnsafePointer<Double>, _ csarr: UnsafePointer<Double>) {
    let ipph = (ip + 1) / 2
    let idl1 = ido * l1
    @inline(__always) func CC(_ a: Int, _ b: Int, _ c: Int) -> V { cc[a + ido * (b + ip * c)] }
    @inline(__always) func CH(_ a: Int, _ b: Int, _ c: Int) -> Int { a + ido * (b + l1 * c) }
    @inline(__always) func C1(_ a: Int, _ b: Int, _ c: Int) -> Int { a + ido * (b + l1 * c) }
    @inline(__always) func C2(_ a: Int, _ b: Int) -> Int { a + idl1 * b }
    @inline(__always) func CH2(_ a: Int, _ b: Int) -> Int { a + idl1 * b }

    for k in 0..<l1 { for i in 0..<ido { ch[CH(i, k, 0)] = CC(i, 0, k) } }
    var j = 1, jc = ip - 1
    while j < ipph {
        let j2 = 2 * j - 1
        for k in 0..<l1 {
            ch[CH(0, k, j)] = 2 * CC(ido - 1, j2, k)
            ch[CH(0, k, jc)] = 2 * CC(0, j2 + 1, k)
        }
        j += 1; jc -= 1
    }
    if ido != 1 {
        j = 1; jc = ip - 1
        while j < ipph {
            let j2 = 2 * j - 1
            for k in 0..<l1 {
                var i = 1, ic = ido - i - 2
                while i <= ido - 2 {
                    ch[CH(i, k, j)] = CC(i, j2 + 1, k) + CC(ic, j2, k)
                    ch[CH(i, k, jc)] = CC(i, j2 + 1, k) - CC(ic, j2, k)
                    ch[CH(i + 1, k, j)] = CC(i + 1, j2 + 1, k) - CC(ic + 1, j2, k)
                    ch[CH(i + 1, k, jc)] = CC(i + 1, j2 + 1, k) + CC(ic + 1, j2, k)
                    i += 2; ic -= 2
                }
            }
            j += 1; jc -= 1
        }
    }
    var l = 1, lc = ip - 1
    while l < ipph {
        for ik in 0..<idl1 {
            cc[C2(ik, l)] = ch[CH2(ik, 0)] + csarr[2 * l] * ch[CH2(ik, 1)] + csarr[4 * l] * ch[CH2(ik, 2)]
            cc[C2(ik, lc)] = csarr[2 * l + 1] * ch[CH2(ik, ip - 1)] + csarr[4 * l + 1] * ch[CH2(ik, ip - 2)]
        }
        var iang = 2 * l
        j = 3; jc = ip - 3
        @inline(__always) func nextAngle() -> (Double, Double) {
            iang += l
            if iang > ip { iang -= ip }  // radbg has `>`, radfg `>=`: iang never equals ip for a prime ip
            return (csarr[2 * iang], csarr[2 * iang + 1])
        }
        while j < ipph - 3 {
            let (ar1, ai1) = nextAngle(), (ar2, ai2) = nextAngle(), (ar3, ai3) = nextAngle(), (ar4, ai4) = nextAngle()
            for ik in 0..<idl1 {
                cc[C2(ik, l)] = cc[C2(ik, l)] + (ar1 * ch[CH2(ik, j)] + ar2 * ch[CH2(ik, j + 1)]
                    + ar3 * ch[CH2(ik, j + 2)] + ar4 * ch[CH2(ik, j + 3)])
                cc[C2(ik, lc)] = cc[C2(ik, lc)] + (ai1 * ch[CH2(ik, jc)] + ai2 * ch[CH2(ik, jc - 1)]
                    + ai3 * ch[CH2(ik, jc - 2)] + ai4 * ch[CH2(ik, jc - 3)])
            }
            j += 4; jc -= 4
        }
        while j < ipph - 1 {
            let (ar1, ai1) = nextAngle(), (ar2, ai2) = nextAngle()
            for ik in 0..<idl1 {
                cc[C2(ik, l)] = cc[C2(ik, l)] + (ar1 * ch[CH2(ik, j)] + ar2 * ch[CH2(ik, j + 1)])
                cc[C2(ik, lc)] = cc[C2(ik, lc)] + (ai1 * ch[CH2(ik, jc)] + ai2 * ch[CH2(ik, jc - 1)])
            }
            j += 2; jc -= 2
        }
        while j < ipph {
            let (war, wai) = nextAngle()
            for ik in 0..<idl1 {
                cc[C2(ik, l)] = cc[C2(ik, l)] + war * ch[CH2(ik, j)]
                cc[C2(ik, lc)] = cc[C2(ik, lc)] + wai * ch[CH2(ik, jc)]
            }
            j += 1; jc -= 1
        }
        l += 1; lc -= 1
    }
    for j in 1..<ipph { for ik in 0..<idl1 { ch[CH2(ik, 0)] = ch[CH2(ik, 0)] + ch[CH2(ik, j)] } }
    j = 1; jc = ip - 1
    while j < ipph {
        for k in 0..<l1 {
            let a = cc[C1(0, k, j)], b = cc[C1(0, k, jc)]
            ch[CH(0, k, jc)] = a + b
            ch[CH(0, k, j)] = a - b
        }
        j += 1; jc -= 1
    }
    if ido == 1 { return }
    j = 1; jc = ip - 1
    while j < ipph {
        for k in 0..<l1 {
            for i in stride(from: 1, through: ido - 2, by: 2) {
                ch[CH(i, k, j)] = cc[C1(i, k, j)] - cc[C1(i + 1, k, jc)]
                ch[CH(i, k, jc)] = cc[C1(i, k, j)] + cc[C1(i + 1, k, jc)]
                ch[CH(i + 1, k, j)] = cc[C1(i + 1, k, j)] + cc[C1(i, k, jc)]
                ch[CH(i + 1, k, jc)] = cc[C1(i + 1, k, j)] - cc[C1(i, k, jc)]
            }
        }
        j += 1; jc -= 1
    }
    for j in 1..<ip {
        let start = (j - 1) * (ido - 1)
        for k in 0..<l1 {
            var idij = start
            for i in stride(from: 1, through: ido - 2, by: 2) {
                let t1 = ch[CH(i, k, j)], t2 = ch[CH(i + 1, k, j)]
                ch[CH(i, k, j)] = wa[idij] * t1 - wa[idij + 1] * t2
                ch[CH(i + 1, k, j)] = wa[idij] * t2 + wa[idij + 1] * t1
                idij += 2
            }
        }
    }
}

/// pocketfft's `T_dcst23` for scipy.fftpack's `dct(x, type=2)` (no normalisation, not orthogonal):
/// `y[k] = 2 Σₙ x[n] cos(π k (2n+1) / 2N)`, computed as pocketfft computes it.
struct DCT2Plan: Sendable {
    /// pHash's default length (hash size 8, high-frequency factor 4), planned once.
    static let standard = DCT2Plan(length: 32)

    let length: Int
    private let fft: RealFFTPlan
    /// `cos(π (i+1) / 2N)`, from `sincos_2pibyn(4N)`.
    private let twiddle: [Double]

    init(length: Int) {
        self.length = length
        fft = RealFFTPlan(length: length)
        let roots = UnitRoots(4 * length)
        twiddle = (0..<length).map { roots[$0 + 1].r }
    }

    /// Transforms the line `c` in place. `scratch` holds `length` doubles.
    func transform<V: FFTLane>(_ c: UnsafeMutablePointer<V>, scratch: UnsafeMutablePointer<V>) {
        let n = length, half = (n + 1) / 2
        c[0] = 2 * c[0]
        if n & 1 == 0 { c[n - 1] = 2 * c[n - 1] }
        for k in stride(from: 1, to: n - 1, by: 2) {  // MPINPLACE(c[k+1], c[k])
            let t = c[k + 1]
            c[k + 1] = c[k + 1] - c[k]
            c[k] = t + c[k]
        }
        fft.backward(c, scratch: scratch)
        twiddle.withUnsafeBufferPointer { twiddle in
            var k = 1, kc = n - 1
            while k < half {
                let t1 = twiddle[k - 1] * c[kc] + twiddle[kc - 1] * c[k]
                let t2 = twiddle[k - 1] * c[k] - twiddle[kc - 1] * c[kc]
                c[k] = 0.5 * (t1 + t2)
                c[kc] = 0.5 * (t1 - t2)
                k += 1; kc -= 1
            }
            if n & 1 == 0 { c[half] = twiddle[half - 1] * c[half] }
        }
    }
}

/// scipy.fftpack's `dct(values)` (type II, unnormalised): `y[k] = 2 Σₙ x[n] cos(π k (2n+1) / 2N)`, as the very
/// doubles scipy 1.17 computes on x86-64 (pocketfft's algorithm, ported; see `DCT2Plan`), for every length
/// whose pocketfft plan is `rfftp` (all below 191, and all 4 × hash size that pHash uses).
public func discreteCosineTransform(_ values: [Double]) -> [Double] {
    guard !values.isEmpty else { return [] }
    let plan = values.count == DCT2Plan.standard.length ? DCT2Plan.standard : DCT2Plan(length: values.count)
    var result = values
    withUnsafeTemporaryAllocation(of: Double.self, capacity: values.count) { scratch in
        result.withUnsafeMutableBufferPointer { plan.transform($0.baseAddress!, scratch: scratch.baseAddress!) }
    }
    return result
}
