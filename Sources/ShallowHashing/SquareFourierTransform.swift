import CFFTW
import Foundation

// The two-dimensional discrete Fourier transform of square complex arrays, by FFTW. The GIST descriptor filters
// every image in the frequency domain, a few dozen transforms per image; FFTW plans a transform once (choosing
// its algorithm for the size) and then runs the plan on any array of that size.
//
// Threads: running a plan (`fftw_execute_dft`) is safe from any number of threads at once, each on its own arrays;
// making or destroying a plan is not (FFTW's planner keeps global state). So plans are made and destroyed under
// one lock, `fftwPlanner`, and are otherwise shared freely.

/// Held while FFTW's planner runs: the only part of FFTW that is not thread-safe.
private let fftwPlanner = NSLock()

/// An n×n array of complex numbers, row-major, in memory allocated by FFTW (aligned for its SIMD code, which a plan
/// expects of every array it runs on). Element (r, c) is `values[r·n + c]`, a pair (real, imaginary).
final class ComplexGrid {
    let side: Int
    let values: UnsafeMutablePointer<fftw_complex>

    init(side: Int) {
        self.side = side
        values = fftw_alloc_complex(side * side)
        values.initialize(repeating: (0, 0), count: side * side)
    }

    deinit { fftw_free(values) }

    /// The same memory as 2n² Doubles, real and imaginary parts interleaved: what the element-wise loops read.
    var interleaved: UnsafeMutablePointer<Double> {
        UnsafeMutableRawPointer(values).assumingMemoryBound(to: Double.self)
    }
}

/// The forward and backward DFT of n×n arrays:
///
///     forward:   X[k, l] = Σ_{r,c} x[r, c] · e^{−2πi (k·r + l·c)/n}
///     backward:  x[r, c] = Σ_{k,l} X[k, l] · e^{+2πi (k·r + l·c)/n}
///
/// The backward transform is *not* normalised (FFTW's convention, and LEAR's GIST code divides by n² itself):
/// backward(forward(x)) = n² · x.
final class SquareFourierTransform: @unchecked Sendable {
    let side: Int
    private let forwardPlan: fftw_plan
    private let backwardPlan: fftw_plan

    /// Plans both directions for out-of-place transforms. FFTW_ESTIMATE picks the algorithm from the size alone, so
    /// the same size always runs the same arithmetic (FFTW_MEASURE would time candidates, and could round
    /// differently from one run to the next); it also leaves the planning arrays untouched.
    init(side: Int) {
        precondition(side >= 1, "a Fourier transform needs a side of at least 1")
        self.side = side
        let input = ComplexGrid(side: side), output = ComplexGrid(side: side)
        let n = Int32(side)
        let flags = UInt32(FFTW_ESTIMATE)
        (forwardPlan, backwardPlan) = fftwPlanner.withLock {
            (fftw_plan_dft_2d(n, n, input.values, output.values, FFTW_FORWARD, flags)!,
             fftw_plan_dft_2d(n, n, input.values, output.values, FFTW_BACKWARD, flags)!)
        }
    }

    deinit {
        let plans = (forwardPlan, backwardPlan)
        fftwPlanner.withLock {
            fftw_destroy_plan(plans.0)
            fftw_destroy_plan(plans.1)
        }
    }

    /// `output` = the forward DFT of `input` (two different grids of this side).
    func forward(_ input: ComplexGrid, into output: ComplexGrid) {
        precondition(input.side == side && output.side == side && input !== output)
        fftw_execute_dft(forwardPlan, input.values, output.values)
    }

    /// `output` = the unnormalised backward DFT of `input` (two different grids of this side).
    func backward(_ input: ComplexGrid, into output: ComplexGrid) {
        precondition(input.side == side && output.side == side && input !== output)
        fftw_execute_dft(backwardPlan, input.values, output.values)
    }
}
