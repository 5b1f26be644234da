import Seeding
import ShallowHashing
import XCTest

/// LAPACK's decompositions against their definitions, on small matrices: A v = λ v with orthonormal V, and
/// A = U Σ Vᵀ with orthonormal U and V. Tolerances are a few hundred ε·‖A‖ (ε = 2.2e-16), far above LAPACK's
/// backward error at these sizes and far below any transposition or ordering mistake.
final class LinearAlgebraTests: XCTestCase {
    func gaussianMatrix(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var generator = SeededGenerator(seed: seed)
        return Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in generator.nextGaussian() })
    }

    /// G + Gᵀ for a Gaussian G: symmetric with distinct eigenvalues of both signs.
    func symmetricMatrix(_ n: Int, seed: UInt64) -> Matrix {
        let g = gaussianMatrix(rows: n, columns: n, seed: seed)
        var a = g
        for i in 0..<n { for j in 0..<n { a[i, j] = g[i, j] + g[j, i] } }
        return a
    }

    func assertOrthonormalColumns(_ m: Matrix, tolerance: Double, file: StaticString = #filePath, line: UInt = #line) {
        let gram = Matrix.multiply(m, m, transposeA: true)
        let error = gram.maximumDifference(from: .identity(m.columns))
        XCTAssertLessThan(error, tolerance, "max |MᵀM − I| = \(error)", file: file, line: line)
    }

    func testEigendecompositionOfATwoByTwoIsTheTextbookOne() throws {
        // [[2, 1], [1, 2]] has λ = 3 with (1, 1)/√2 and λ = 1 with (1, −1)/√2.
        let (values, vectors) = try LinearAlgebra.symmetricEigendecomposition(Matrix([[2, 1], [1, 2]]))
        XCTAssertEqual(values[0], 3, accuracy: 1e-14)
        XCTAssertEqual(values[1], 1, accuracy: 1e-14)
        XCTAssertEqual(abs(vectors[0, 0]), 1 / 2.0.squareRoot(), accuracy: 1e-14)
        XCTAssertEqual(vectors[0, 0], vectors[1, 0], accuracy: 1e-14)
        XCTAssertEqual(vectors[0, 1], -vectors[1, 1], accuracy: 1e-14)
    }

    func testEigenpairsSatisfyTheirDefinition() throws {
        for (n, seed) in [(1, 1), (5, 2), (12, 3)] as [(Int, UInt64)] {
            let a = symmetricMatrix(n, seed: seed)
            let (values, vectors) = try LinearAlgebra.symmetricEigendecomposition(a)
            XCTAssertEqual(values.count, n)
            XCTAssertEqual(vectors.rows, n)
            XCTAssertEqual(vectors.columns, n)
            let scale = a.elements.map(abs).max()!
            // A v = λ v for every pair.
            let av = a * vectors
            var residual = 0.0
            for j in 0..<n { for i in 0..<n { residual = max(residual, abs(av[i, j] - values[j] * vectors[i, j])) } }
            XCTAssertLessThan(residual, 1e-13 * Double(n) * scale, "n = \(n): max |Av − λv| = \(residual)")
            assertOrthonormalColumns(vectors, tolerance: 1e-13 * Double(n))
            // Decreasing order, and the eigenvalues add up to the trace.
            XCTAssertEqual(values, values.sorted(by: >))
            let trace = (0..<n).reduce(0) { $0 + a[$1, $1] }
            XCTAssertEqual(values.reduce(0, +), trace, accuracy: 1e-12 * Double(n) * scale)
        }
    }

    func testLargestEigenpairsAreTheTopOfTheFullDecomposition() throws {
        let a = symmetricMatrix(10, seed: 4)
        let full = try LinearAlgebra.symmetricEigendecomposition(a)
        let top = try LinearAlgebra.symmetricEigendecomposition(a, largest: 3)
        XCTAssertEqual(top.values.count, 3)
        XCTAssertEqual(top.vectors.columns, 3)
        for j in 0..<3 {
            XCTAssertEqual(top.values[j], full.values[j], accuracy: 1e-12)
            // The same vector up to its sign: |⟨v_top, v_full⟩| = 1.
            let dot = (0..<10).reduce(0) { $0 + top.vectors[$1, j] * full.vectors[$1, j] }
            XCTAssertEqual(abs(dot), 1, accuracy: 1e-12)
        }
    }

    func testSingularValueDecompositionReconstructsTheMatrix() throws {
        for (m, n, seed) in [(7, 4, 5), (3, 5, 6), (6, 6, 7), (1, 3, 8)] as [(Int, Int, UInt64)] {
            let a = gaussianMatrix(rows: m, columns: n, seed: seed)
            let (u, sigma, vt) = try LinearAlgebra.singularValueDecomposition(a)
            let r = min(m, n)
            XCTAssertEqual([u.rows, u.columns, sigma.count, vt.rows, vt.columns], [m, r, r, r, n])
            // U Σ Vᵀ = A.
            var us = u
            for i in 0..<m { for j in 0..<r { us[i, j] *= sigma[j] } }
            let error = (us * vt).maximumDifference(from: a)
            XCTAssertLessThan(error, 1e-13, "\(m)×\(n): max |UΣVᵀ − A| = \(error)")
            assertOrthonormalColumns(u, tolerance: 1e-13)
            assertOrthonormalColumns(vt.transposed, tolerance: 1e-13)
            XCTAssertEqual(sigma, sigma.sorted(by: >))
            XCTAssertTrue(sigma.allSatisfy { $0 >= 0 })
        }
    }

    func testSingularValuesOfAKnownMatrix() throws {
        // A = [[3, 0], [0, −2], [0, 0]]: σ = 3, 2; the −2 moves into a sign of U or V.
        let (u, sigma, vt) = try LinearAlgebra.singularValueDecomposition(Matrix([[3, 0], [0, -2], [0, 0]]))
        XCTAssertEqual(sigma[0], 3, accuracy: 1e-15)
        XCTAssertEqual(sigma[1], 2, accuracy: 1e-15)
        XCTAssertEqual(u[0, 0] * vt[0, 0], 1, accuracy: 1e-15)
        XCTAssertEqual(u[1, 1] * vt[1, 1], -1, accuracy: 1e-15)
    }

    func testDecompositionsRefuseWhatTheyCannotFactor() {
        XCTAssertThrowsError(try LinearAlgebra.symmetricEigendecomposition(Matrix(rows: 2, columns: 3))) {
            guard case LinearAlgebraError.shape = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try LinearAlgebra.symmetricEigendecomposition(Matrix([[1, 2], [0, 1]]))) {
            guard case LinearAlgebraError.shape = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try LinearAlgebra.singularValueDecomposition(Matrix([[1, .nan]]))) {
            XCTAssertEqual($0 as? LinearAlgebraError, .notFinite("the matrix"))
        }
        XCTAssertThrowsError(try LinearAlgebra.symmetricEigendecomposition(Matrix([[1]]), largest: 2))
    }

    /// A X = B for the positive definite A = GᵀG + I, to a few hundred ε·‖A‖·‖X‖; a matrix with a negative
    /// eigenvalue is refused with LAPACK's report, not answered.
    func testPositiveDefiniteSolveSatisfiesItsEquation() throws {
        let g = gaussianMatrix(rows: 12, columns: 9, seed: 5)
        var a = Matrix.multiply(g, g, transposeA: true)
        for i in 0..<9 { a[i, i] += 1 }
        let b = gaussianMatrix(rows: 9, columns: 4, seed: 6)
        let x = try LinearAlgebra.solvePositiveDefinite(a, b)
        XCTAssertEqual(x.rows, 9)
        XCTAssertEqual(x.columns, 4)
        let residual = (a * x).maximumDifference(from: b)
        XCTAssertLessThan(residual, 1e-12, "max |AX − B| = \(residual)")
        XCTAssertThrowsError(try LinearAlgebra.solvePositiveDefinite(Matrix([[1, 0], [0, -1]]), Matrix([[1], [1]]))) {
            XCTAssertEqual($0 as? LinearAlgebraError, .notPositiveDefinite(order: 2))
        }
        XCTAssertThrowsError(try LinearAlgebra.solvePositiveDefinite(a, Matrix(rows: 3, columns: 1)))
    }
}
