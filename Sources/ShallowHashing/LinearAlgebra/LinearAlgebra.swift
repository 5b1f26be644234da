import CBLAS

/// Why a decomposition failed.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The input does not have the shape the decomposition needs (e.g. a non-square matrix for an eigenproblem).
    case shape(String)
    /// The input holds NaN or ±∞: LAPACK's answer would be meaningless.
    case notFinite(String)
    /// LAPACK reported `info ≠ 0`: < 0 means argument −info was illegal (a bug here), > 0 that the iteration
    /// did not converge or an internal error occurred.
    case lapack(routine: String, info: Int32)
    /// A matrix that must be symmetric positive definite is not: its leading minor of this order is not positive
    /// (Cholesky's pivot there is ≤ 0).
    case notPositiveDefinite(order: Int)

    public var description: String {
        switch self {
        case .shape(let reason): return "linear algebra: \(reason)"
        case .notFinite(let what): return "linear algebra: \(what) holds NaN or infinite values"
        case .lapack(let routine, let info) where info < 0:
            return "linear algebra: \(routine) rejected its argument \(-info) (a bug in HashLab)"
        case .lapack(let routine, let info):
            return "linear algebra: \(routine) did not converge (info \(info))"
        case .notPositiveDefinite(let order):
            return "linear algebra: the matrix is not positive definite (its leading minor of order \(order) is not)"
        }
    }
}

/// Dense decompositions through the LAPACK that OpenBLAS ships (reference LAPACK 3.x, column-major Fortran).
///
/// HashLab writes no eigensolver: these wrappers only translate between row-major `Matrix` and Fortran's
/// column-major convention, ask LAPACK for its optimal workspace, and turn `info` into a `LinearAlgebraError`.
/// Their results are exact to LAPACK's backward error, about n·ε·‖A‖ (ε = 2.2e-16).
public enum LinearAlgebra {
    /// OpenBLAS runs single-threaded in HashLab (the Learning kernels split work over the cores themselves and
    /// set the same thing): with one thread a product sums in one fixed order, so results repeat to the bit.
    static let threadsConfigured: Bool = {
        openblas_set_num_threads(1)
        return true
    }()

    static func configureThreads() { _ = threadsConfigured }

    /// The eigenvalues and eigenvectors of a real symmetric matrix A (A v = λ v, V orthonormal), through LAPACK's
    /// `dsyevr`.
    ///
    /// - Parameter largest: when given, only the `largest` greatest eigenpairs are computed (what PCA needs: the
    ///   top k of 3,072 costs the reduction to tridiagonal form, ~(4/3)n³ flops, and k vectors, not all n).
    /// - Returns: the eigenvalues in **decreasing** order and, as the columns of `vectors` (n × m), their unit
    ///   eigenvectors in the same order. Each vector's sign is LAPACK's choice (v and −v are both eigenvectors).
    ///
    /// Only the upper triangle is read; `a` should be symmetric (checked to a relative 1e-12, since a covariance
    /// summed in a different order can differ in its last bits).
    public static func symmetricEigendecomposition(_ a: Matrix, largest: Int? = nil) throws
        -> (values: [Double], vectors: Matrix) {
        guard a.rows == a.columns else {
            throw LinearAlgebraError.shape("an eigendecomposition needs a square matrix, not \(a.rows)×\(a.columns)")
        }
        guard a.elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.notFinite("the matrix") }
        let n = a.rows
        let wanted = largest ?? n
        guard wanted >= 0 && wanted <= n else {
            throw LinearAlgebraError.shape("asked for \(wanted) eigenpairs of a \(n)×\(n) matrix")
        }
        let scale = a.elements.reduce(0) { max($0, abs($1)) }
        for i in 0..<n { for j in (i + 1)..<n where abs(a[i, j] - a[j, i]) > 1e-12 * max(scale, 1e-300) {
            throw LinearAlgebraError.shape("the matrix is not symmetric: a[\(i),\(j)] = \(a[i, j]), a[\(j),\(i)] = \(a[j, i])")
        } }
        if n == 0 || wanted == 0 { return ([], Matrix(rows: n, columns: 0)) }
        configureThreads()

        // A symmetric matrix is its own transpose, so the row-major buffer is already the column-major one.
        // RANGE 'I' asks for eigenvalues il…iu in LAPACK's ascending order (1-based): the top `wanted` are n−wanted+1…n.
        var work = a.elements
        var (nn, lda, ldz) = (Int32(n), Int32(n), Int32(n))
        var (il, iu) = (Int32(n - wanted + 1), Int32(n))
        var (vl, vu, abstol) = (0.0, 0.0, 0.0)   // abstol 0: LAPACK's default tolerance, ε·‖T‖
        var found: Int32 = 0, info: Int32 = 0
        var values = [Double](repeating: 0, count: n)
        var z = [Double](repeating: 0, count: n * wanted)   // column-major n × wanted
        var support = [Int32](repeating: 0, count: 2 * wanted)
        let range: UInt8 = wanted == n ? UInt8(ascii: "A") : UInt8(ascii: "I")
        var (jobz, rangeCode, uplo) = (CChar(bitPattern: UInt8(ascii: "V")), CChar(bitPattern: range),
                                        CChar(bitPattern: UInt8(ascii: "U")))

        func call(_ scratch: UnsafeMutablePointer<Double>, _ lwork: Int32, _ iscratch: UnsafeMutablePointer<Int32>,
                  _ liwork: Int32) {
            var (lw, liw) = (lwork, liwork)
            dsyevr_(&jobz, &rangeCode, &uplo, &nn, &work, &lda, &vl, &vu, &il, &iu, &abstol, &found, &values, &z,
                    &ldz, &support, scratch, &lw, iscratch, &liw, &info, 1, 1, 1)
        }
        // Workspace query (lwork = liwork = −1), then the real call.
        var optimal = 0.0, optimalInteger: Int32 = 0
        call(&optimal, -1, &optimalInteger, -1)
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dsyevr", info: info) }
        var scratch = [Double](repeating: 0, count: max(1, Int(optimal)))
        var integerScratch = [Int32](repeating: 0, count: max(1, Int(optimalInteger)))
        call(&scratch, Int32(scratch.count), &integerScratch, Int32(integerScratch.count))
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dsyevr", info: info) }
        guard Int(found) == wanted else { throw LinearAlgebraError.lapack(routine: "dsyevr", info: -999) }

        // LAPACK's order is ascending; reverse it. Column j of z (column-major) is z[j·n ..< (j+1)·n].
        var vectors = Matrix(rows: n, columns: wanted)
        for k in 0..<wanted {
            let source = wanted - 1 - k
            for i in 0..<n { vectors[i, k] = z[source * n + i] }
        }
        return (Array(values[0..<wanted].reversed()), vectors)
    }

    /// The thin singular value decomposition A = U Σ Vᵀ of an m × n matrix (r = min(m, n)), through LAPACK's
    /// `dgesdd` (divide and conquer).
    ///
    /// - Returns: `u` (m × r, orthonormal columns), the singular values σ₁ ≥ … ≥ σᵣ ≥ 0, and `vt` = Vᵀ
    ///   (r × n, orthonormal rows). Singular vectors of a repeated σ are one orthonormal basis of their space.
    ///
    /// The transposes cost nothing: LAPACK reads our row-major A as the column-major Aᵀ (n × m) and factors
    /// Aᵀ = U′ Σ V′ᵀ. Then A = V′ Σ U′ᵀ, and LAPACK's two outputs, read back row-major, are exactly what we want:
    /// its VT′ (r × m column-major) read row-major is the m × r matrix V′ = U, and its U′ (n × r column-major) read
    /// row-major is the r × n matrix U′ᵀ = Vᵀ.
    public static func singularValueDecomposition(_ a: Matrix) throws
        -> (u: Matrix, singularValues: [Double], vt: Matrix) {
        guard a.elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.notFinite("the matrix") }
        let (m, n) = (a.rows, a.columns)
        let r = min(m, n)
        if r == 0 { return (Matrix(rows: m, columns: 0), [], Matrix(rows: 0, columns: n)) }
        configureThreads()

        // LAPACK's problem: the column-major n × m matrix Aᵀ (leading dimension n).
        var work = a.elements
        var (rowsF, columnsF, lda) = (Int32(n), Int32(m), Int32(n))
        var singularValues = [Double](repeating: 0, count: r)
        var uPrime = [Double](repeating: 0, count: n * r)     // U′: n × r, ldu = n
        var vtPrime = [Double](repeating: 0, count: r * m)    // V′ᵀ: r × m, ldvt = r
        var (ldu, ldvt) = (Int32(n), Int32(r))
        var integerScratch = [Int32](repeating: 0, count: 8 * r)
        var info: Int32 = 0
        var jobz = CChar(bitPattern: UInt8(ascii: "S"))   // the r leading singular vectors on each side

        func call(_ scratch: UnsafeMutablePointer<Double>, _ lwork: Int32) {
            var lw = lwork
            dgesdd_(&jobz, &rowsF, &columnsF, &work, &lda, &singularValues, &uPrime, &ldu, &vtPrime, &ldvt,
                    scratch, &lw, &integerScratch, &info, 1)
        }
        var optimal = 0.0
        call(&optimal, -1)
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dgesdd", info: info) }
        var scratch = [Double](repeating: 0, count: max(1, Int(optimal)))
        call(&scratch, Int32(scratch.count))
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dgesdd", info: info) }

        return (Matrix(rows: m, columns: r, elements: vtPrime), singularValues,
                Matrix(rows: r, columns: n, elements: uPrime))
    }

    /// The generalised symmetric-definite eigenproblem A v = λ B v (A symmetric, B symmetric positive definite),
    /// through LAPACK's `dsygv`: B = UᵀU by Cholesky, then the standard problem U⁻ᵀ A U⁻¹ w = λ w, v = U⁻¹ w.
    /// KSH's spectral relaxation asks for the top vector of K̄ᵀRK̄ a = λ K̄ᵀK̄ a.
    ///
    /// - Returns: the eigenvalues in **decreasing** order and the eigenvectors as the columns of `vectors` (n × n),
    ///   B-orthonormal (VᵀBV = I); each sign is LAPACK's choice.
    public static func symmetricGeneralizedEigendecomposition(_ a: Matrix, _ b: Matrix) throws
        -> (values: [Double], vectors: Matrix) {
        guard a.rows == a.columns, b.rows == b.columns, a.rows == b.rows else {
            throw LinearAlgebraError.shape("a generalised eigenproblem needs two square matrices of one size, not "
                                           + "\(a.rows)×\(a.columns) and \(b.rows)×\(b.columns)")
        }
        guard a.elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.notFinite("the matrix") }
        guard b.elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.notFinite("the metric matrix") }
        let n = a.rows
        if n == 0 { return ([], Matrix(rows: 0, columns: 0)) }
        configureThreads()
        // Both are symmetric (only their upper triangles are read): row-major is column-major.
        var (work, metric) = (a.elements, b.elements)
        var (itype, nn, lda, ldb) = (Int32(1), Int32(n), Int32(n), Int32(n))
        var info: Int32 = 0
        var values = [Double](repeating: 0, count: n)
        var (jobz, uplo) = (CChar(bitPattern: UInt8(ascii: "V")), CChar(bitPattern: UInt8(ascii: "U")))
        func call(_ scratch: UnsafeMutablePointer<Double>, _ lwork: Int32) {
            var lw = lwork
            dsygv_(&itype, &jobz, &uplo, &nn, &work, &lda, &metric, &ldb, &values, scratch, &lw, &info, 1, 1)
        }
        var optimal = 0.0
        call(&optimal, -1)
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dsygv", info: info) }
        var scratch = [Double](repeating: 0, count: max(1, Int(optimal)))
        call(&scratch, Int32(scratch.count))
        // info > n: B's leading minor info − n is not positive definite.
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dsygv", info: info) }
        // Ascending in LAPACK; reversed here. Column j of the column-major result is work[j·n ..< (j+1)·n].
        var vectors = Matrix(rows: n, columns: n)
        for k in 0..<n {
            let source = n - 1 - k
            for i in 0..<n { vectors[i, k] = work[source * n + i] }
        }
        return (values.reversed(), vectors)
    }

    /// The solution X of A X = B for a symmetric positive definite n × n matrix A and an n × r right-hand side B,
    /// through LAPACK's `dposv` (Cholesky A = UᵀU, then two triangular solves; backward error about n·ε·‖A‖).
    /// This is how a ridge regression's normal equations (MᵀM + λI) X = MᵀY are solved: with λ > 0 the matrix is
    /// positive definite, and Cholesky takes a third of the flops of a general LU solve.
    ///
    /// Throws `.notPositiveDefinite(order: i)` when A is not positive definite (its leading minor of order i is not).
    public static func solvePositiveDefinite(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        guard a.rows == a.columns else {
            throw LinearAlgebraError.shape("a positive definite system needs a square matrix, not \(a.rows)×\(a.columns)")
        }
        guard b.rows == a.rows else {
            throw LinearAlgebraError.shape("a \(a.rows)×\(a.rows) system cannot solve for \(b.rows) rows")
        }
        guard a.elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.notFinite("the matrix") }
        guard b.elements.allSatisfy(\.isFinite) else { throw LinearAlgebraError.notFinite("the right-hand side") }
        let (n, r) = (a.rows, b.columns)
        if n == 0 || r == 0 { return Matrix(rows: n, columns: r) }
        configureThreads()
        // A is symmetric, so its row-major buffer is the column-major one. B must be column-major: transpose in,
        // and the solution back out.
        var factor = a.elements
        var columnMajor = [Double](repeating: 0, count: n * r)
        for i in 0..<n { for j in 0..<r { columnMajor[j * n + i] = b[i, j] } }
        var (nn, nrhs, lda, ldb) = (Int32(n), Int32(r), Int32(n), Int32(n))
        var info: Int32 = 0
        var uplo = CChar(bitPattern: UInt8(ascii: "U"))
        dposv_(&uplo, &nn, &nrhs, &factor, &lda, &columnMajor, &ldb, &info, 1)
        guard info <= 0 else { throw LinearAlgebraError.notPositiveDefinite(order: Int(info)) }
        guard info == 0 else { throw LinearAlgebraError.lapack(routine: "dposv", info: info) }
        var x = Matrix(rows: n, columns: r)
        for i in 0..<n { for j in 0..<r { x[i, j] = columnMajor[j * n + i] } }
        return x
    }
}
