import XCTest
import Learning

final class KernelTests: XCTestCase {
    /// Both GEMM backends against a Float64 triple loop, on shapes that hit every edge of the Swift kernel
    /// (rows not a multiple of its 6-row panels, columns not a multiple of 16, inner blocks of 256 plus a rest).
    func testMatrixBackendsMatchFloat64Products() {
        for (m, k, n) in [(13, 300, 37), (32, 75, 64), (1, 1, 1), (6, 257, 16), (7, 3, 50)] {
            let a = randomTensor([m, k], seed: UInt64(m * 1000 + k)), b = randomTensor([k, n], seed: UInt64(n))
            var reference = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(b[p * n + j]) }
                reference[i * n + j] = sum
            }}
            for backend in MatrixBackend.allCases {
                let c = Kernels.product(a, b, backend: backend)
                XCTAssertEqual(c.shape, [m, n])
                // Float32 accumulation of k products of magnitude ≤ 1: error well under 1e-6·k.
                XCTAssertLessThan(maxDifference(c, reference), 1e-6 * Double(k) + 1e-6, "\(backend) \(m)x\(k)x\(n)")
            }
        }
    }

    /// Winograd's point-product kernels against a Float64 loop: A·B and Aᵀ·B (forward's M = U·V and backward's
    /// dV = Uᵀ·dM) with and without adding to C, and C + A·Bᵀ (dU += dM·Vᵀ), on shapes that reach every edge — rows
    /// not a multiple of the 6-row (or 4-row) tiles, columns not a multiple of 16 (or of 3), inner lengths not a
    /// multiple of 8, a 1×1×1 product and an empty inner dimension — and the shapes dsh-cifar gives them.
    func testPointProductsMatchFloat64Products() {
        for (m, k, n) in [(32, 3, 64), (32, 32, 64), (64, 32, 128), (13, 7, 37), (1, 1, 1), (6, 32, 16), (7, 5, 17),
                          (5, 0, 3), (2, 130, 4), (32, 128, 3), (4, 8, 3)] {
            let b = randomTensor([k, n], seed: UInt64(n)), onto = randomTensor([m, n], seed: 7)
            let bRows = randomTensor([n, k], seed: UInt64(n + 1))
            for transposeA in [false, true] {
                let a = randomTensor(transposeA ? [k, m] : [m, k], seed: UInt64(m * 1000 + k))
                func element(_ i: Int, _ p: Int) -> Double { Double(transposeA ? a[p * m + i] : a[i * k + p]) }
                for adding in [false, true] {
                    var reference = [Double](repeating: 0, count: m * n)
                    for i in 0..<m { for j in 0..<n {
                        var sum = adding ? Double(onto[i * n + j]) : 0
                        for p in 0..<k { sum += element(i, p) * Double(b[p * n + j]) }
                        reference[i * n + j] = sum
                    }}
                    let c = Kernels.pointProduct(a, b, transposeA: transposeA, onto: adding ? onto : nil)
                    XCTAssertEqual(c.shape, [m, n])
                    XCTAssertLessThan(maxDifference(c, reference), 1e-6 * Double(k) + 1e-6,
                                      "\(transposeA ? "Aᵀ·B" : "A·B")\(adding ? " + C" : "") \(m)x\(k)x\(n)")
                }
            }
            let a = randomTensor([m, k], seed: UInt64(m * 1000 + k))
            var reference = [Double](repeating: 0, count: m * n)
            for i in 0..<m { for j in 0..<n {
                var sum = Double(onto[i * n + j])
                for p in 0..<k { sum += Double(a[i * k + p]) * Double(bRows[j * k + p]) }
                reference[i * n + j] = sum
            }}
            let c = Kernels.pointProduct(a, bRows, transposeB: true, onto: onto)
            XCTAssertLessThan(maxDifference(c, reference), 1e-6 * Double(k) + 1e-6, "C + A·Bᵀ \(m)x\(k)x\(n)")
        }
    }

    func testCaffePooledExtent() {
        XCTAssertEqual(Kernels.pooledExtent(32, kernel: 3, stride: 2, padding: 0), 16)
        XCTAssertEqual(Kernels.pooledExtent(16, kernel: 3, stride: 2, padding: 0), 8)
        XCTAssertEqual(Kernels.pooledExtent(8, kernel: 3, stride: 2, padding: 0), 4)
        XCTAssertEqual(Kernels.pooledExtent(7, kernel: 3, stride: 2, padding: 0), 3)
        // Padding 1 on 4: ceil((4 + 2 − 3)/2) + 1 = 3, and the third window starts at 3 < 4 + 1, kept.
        XCTAssertEqual(Kernels.pooledExtent(4, kernel: 3, stride: 2, padding: 1), 3)
        // Padding 1 on 5 with kernel 2 stride 2: ceil(5/2) + 1 = 4, but the fourth window would start at
        // 6 ≥ 5 + 1 (only padding): Caffe drops it.
        XCTAssertEqual(Kernels.pooledExtent(5, kernel: 2, stride: 2, padding: 1), 3)
        for size in 3...12 { for kernel in 2...3 { for stride in 1...3 { for padding in 0..<kernel {
            XCTAssertEqual(Kernels.pooledExtent(size, kernel: kernel, stride: stride, padding: padding),
                           Reference.pooledSize(size, kernel: kernel, stride: stride, padding: padding),
                           "size \(size) kernel \(kernel) stride \(stride) pad \(padding)")
        }}}}
    }
}
