import Dispatch
import Foundation
import Seeding

/// The kernel features KSH and SDH share: a vector x seen through m anchors a₁…a_m — training vectors drawn at
/// random — and the radial basis function
///
///     k(x, aⱼ) = exp(−‖x − aⱼ‖² / 2σ²),    σ² = the mean of ‖x − a‖² over the training vectors and anchors,
///
/// the width of both authors' code (`demo_SDH.m`, `KSH_demo.m`), so that a typical value is e^(−1/2) on any scale
/// of features. Each method then builds on these values (SDH appends a bias, KSH centres them).
enum RadialBasis {
    /// `count` training vectors (all of them when there are fewer), drawn with `generator`.
    static func drawAnchors(from training: FeatureSet, count: Int, using generator: inout SeededGenerator) -> Matrix {
        let chosen = (0..<training.count).shuffled(using: &generator).prefix(min(count, training.count))
        var anchors = Matrix(rows: chosen.count, columns: training.dimension)
        for (r, i) in chosen.enumerated() {
            for (j, value) in training.row(i).enumerated() { anchors[r, j] = Double(value) }
        }
        return anchors
    }

    /// σ = √(mean squared distance), from the training vectors' `squaredDistances` to the anchors; `method` and the
    /// features' `kind` name the refusal when every distance is 0 (features that do not vary).
    static func width(squaredDistances: Matrix, method: String, kind: String) throws -> Double {
        let mean = squaredDistances.elements.reduce(0, +) / Double(max(squaredDistances.elements.count, 1))
        guard mean > 0 else {
            throw ShallowHashingError.invalidArgument("\(method)'s anchors coincide with every training vector: the \(kind) features do not vary")
        }
        return mean.squareRoot()
    }

    /// exp(−d / 2σ²) of every squared distance d.
    static func values(_ squaredDistances: Matrix, sigma: Double) -> Matrix {
        let scale = -1 / (2 * sigma * sigma)
        return Matrix(rows: squaredDistances.rows, columns: squaredDistances.columns,
                      elements: squaredDistances.elements.map { exp($0 * scale) })
    }

    /// ‖xᵢ − aⱼ‖² = ‖xᵢ‖² + ‖aⱼ‖² − 2 xᵢᵀaⱼ for every vector and anchor: one matrix product per block of 1,024
    /// vectors (two blocks at a time, one per core), clamped at 0 where rounding makes the difference negative.
    static func squaredDistances(of features: FeatureSet, to anchors: Matrix) throws -> Matrix {
        try features.checkDimension(anchors.columns, of: "anchors")
        let (n, m, d) = (features.count, anchors.rows, anchors.columns)
        let anchorNorms = (0..<m).map { j in (0..<d).reduce(0.0) { $0 + anchors[j, $1] * anchors[j, $1] } }
        let zero = [Double](repeating: 0, count: d)
        let blockRows = 1024, blocks = (n + blockRows - 1) / blockRows
        // Each block's distances are independent: computed concurrently into their own slots, then laid end to end.
        let partials = PartialProducts(count: blocks)
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            let range = block * blockRows..<min(n, (block + 1) * blockRows)
            let x = features.centeredRows(range, mean: zero)
            var distances = Matrix.multiply(x, anchors, transposeB: true)
            for r in 0..<range.count {
                var norm = 0.0
                for j in 0..<d { norm += x[r, j] * x[r, j] }
                for j in 0..<m { distances[r, j] = max(0, norm + anchorNorms[j] - 2 * distances[r, j]) }
            }
            partials.store(distances, at: block)
        }
        return Matrix(rows: n, columns: m, elements: partials.values.flatMap(\.elements))
    }
}
