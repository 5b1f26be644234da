import Foundation
import CBLAS

/// A dense real matrix in Double precision, stored row-major: element (i, j) is `elements[i · columns + j]`.
///
/// The shallow hashing methods keep their learnt parameters (projections, rotations, principal directions) and
/// their intermediate results in this type. Products go through OpenBLAS's `dgemm`; decompositions through LAPACK
/// (`LinearAlgebra.swift`). Everything is Double: a covariance of 3,072 pixels summed over 50,000 images, or an
/// ITQ rotation that must stay orthogonal to 1e-10 over 50 iterations, is not a place for Float32.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// `rows · columns` values, row after row.
    public var elements: [Double]

    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(rows >= 0 && columns >= 0, "a matrix needs non-negative dimensions")
        precondition(elements.count == rows * columns, "\(elements.count) elements do not fill \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, elements: [Double](repeating: value, count: rows * columns))
    }

    /// A matrix from its rows (all of one length).
    public init(_ rowValues: [[Double]]) {
        let columns = rowValues.first?.count ?? 0
        precondition(rowValues.allSatisfy { $0.count == columns }, "rows of different lengths")
        self.init(rows: rowValues.count, columns: columns, elements: rowValues.flatMap { $0 })
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] { Array(elements[i * columns..<(i + 1) * columns]) }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] { (0..<rows).map { self[$0, j] } }

    /// Aᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { t.elements[j * rows + i] = elements[i * columns + j] } }
        return t
    }

    /// The columns `range` (e.g. the first k principal directions).
    public func columns(_ range: Range<Int>) -> Matrix {
        precondition(range.lowerBound >= 0 && range.upperBound <= columns, "columns \(range) out of 0..<\(columns)")
        var m = Matrix(rows: rows, columns: range.count)
        for i in 0..<rows { for (k, j) in range.enumerated() { m.elements[i * range.count + k] = self[i, j] } }
        return m
    }

    /// ‖A‖²_F, the sum of the squared elements.
    public var squaredFrobeniusNorm: Double { elements.reduce(0) { $0 + $1 * $1 } }

    /// The largest |aᵢⱼ − bᵢⱼ| (for tests and checks: how far two matrices of one shape are apart).
    public func maximumDifference(from other: Matrix) -> Double {
        precondition(rows == other.rows && columns == other.columns, "shapes differ")
        return zip(elements, other.elements).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// op(A)·op(B) through `cblas_dgemm`, where op transposes when asked: `multiply(a, b, transposeA: true)` is AᵀB
    /// without forming Aᵀ.
    public static func multiply(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false)
        -> Matrix {
        let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
        let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
        precondition(k == kb, "inner dimensions differ: \(m)×\(k) times \(kb)×\(n)")
        var c = Matrix(rows: m, columns: n)
        if m == 0 || n == 0 || k == 0 { return c }
        LinearAlgebra.configureThreads()
        a.elements.withUnsafeBufferPointer { pa in
        b.elements.withUnsafeBufferPointer { pb in
        c.elements.withUnsafeMutableBufferPointer { pc in
            cblas_dgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), 1, pa.baseAddress, Int32(a.columns), pb.baseAddress,
                        Int32(b.columns), 0, pc.baseAddress, Int32(n))
        } } }
        return c
    }

    /// A·B.
    public static func * (a: Matrix, b: Matrix) -> Matrix { multiply(a, b) }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.columns == b.columns, "shapes differ")
        return Matrix(rows: a.rows, columns: a.columns, elements: zip(a.elements, b.elements).map { $0 - $1 })
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        (0..<rows).map { i in row(i).map { String(format: "%10.6f", $0) }.joined(separator: " ") }
            .joined(separator: "\n")
    }
}
