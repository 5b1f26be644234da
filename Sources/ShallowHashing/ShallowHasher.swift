import Codes

/// Why a shallow hashing method cannot train or encode.
public enum ShallowHashingError: Error, Equatable, CustomStringConvertible {
    case invalidArgument(String)
    /// Features that do not fit the trained method (another dimension or kind).
    case incompatible(String)

    public var description: String {
        switch self {
        case .invalidArgument(let reason): return reason
        case .incompatible(let reason): return reason
        }
    }
}

/// A learning-to-hash method of the "shallow" kind the deep hashing papers compare against: trained in one pass
/// over a training `FeatureSet` (no epochs, no gradient descent), it maps any feature vector x to k real values
/// f(x) = (f₁(x), …, f_k(x)) and the code to their signs, bit j = [f_j(x) > 0].
///
/// The real values are kept (`projections(of:)`), not only the bits, so that their distribution can be shown
/// beside a deep model's outputs before binarising.
public protocol ShallowHasher: Sendable {
    /// Code length k.
    var bitCount: Int { get }
    /// The short name the papers' tables use ("LSH", "PCAH", "ITQ", "SH").
    var methodName: String { get }
    /// The kind and dimension of the features the method learnt from (it encodes only such features).
    var featureKind: String { get }
    var featureDimension: Int { get }
    /// f(x) for every vector: an n × k matrix whose signs are the codes.
    func projections(of features: FeatureSet) throws -> Matrix
    /// Everything the hasher learnt, to save it (`ShallowMethod.restore(_:)` reads it back).
    var parameters: ShallowHasherParameters { get }
}

extension ShallowHasher {
    /// The codes of `features` (with their labels and class names): bit j of code i is 1 exactly when
    /// f_j(xᵢ) > 0, as `CodeSet(realOutputs:threshold: 0)` binarises a deep model's tanh outputs.
    public func encode(_ features: FeatureSet) throws -> CodeSet {
        let real = try projections(of: features)
        var codes = try CodeSet(realOutputs: real.elements.map { Float($0) }, bitCount: bitCount, threshold: 0,
                                labels: features.labels)
        codes.classNames = features.classNames
        return codes
    }

    func checkCompatible(_ features: FeatureSet) throws {
        guard features.dimension == featureDimension, features.kind == featureKind else {
            throw ShallowHashingError.incompatible(
                "\(methodName) was trained on \(featureDimension)-d \(featureKind) features, not \(features.dimension)-d \(features.kind)")
        }
    }
}

/// The shallow methods by name, and one way to train any of them.
public enum ShallowMethod: String, Sendable, CaseIterable {
    case lsh, pcah, itq, sh, ksh, sdh

    /// Whether the method learns from the labels (KSH, SDH) or from the features alone (the others).
    public var isSupervised: Bool { self == .ksh || self == .sdh }

    /// How many iterations the method runs unless told otherwise (ITQ's 50, KSH's 500 gradient steps per bit at
    /// most, SDH's 5; 0 for the others).
    public var defaultIterations: Int {
        switch self {
        case .itq: return IterativeQuantization.defaultIterations
        case .ksh: return KernelSupervisedHashing.defaultIterations
        case .sdh: return SupervisedDiscreteHashing.defaultIterations
        case .lsh, .pcah, .sh: return 0
        }
    }

    /// How many anchors the method's kernel features measure distances to unless told otherwise (KSH's 300, SDH's
    /// 1,000; 0 for the methods without a kernel).
    public var defaultAnchorCount: Int {
        switch self {
        case .ksh: return KernelSupervisedHashing.defaultAnchorCount
        case .sdh: return SupervisedDiscreteHashing.defaultAnchorCount
        case .lsh, .pcah, .itq, .sh: return 0
        }
    }

    /// Trains the method on `training` for `bitCount`-bit codes. `seed` draws LSH's projections, ITQ's initial
    /// rotation, KSH's anchors and labelled points, and SDH's anchors and initial codes; PCAH and SH are
    /// deterministic. `iterations` is ITQ's, KSH's and SDH's, `anchors` KSH's and SDH's (nil: the defaults).
    public func train(on training: FeatureSet, bitCount: Int, seed: UInt64, iterations: Int? = nil,
                      anchors: Int? = nil) throws -> any ShallowHasher {
        let iterations = iterations ?? defaultIterations
        let anchors = anchors ?? defaultAnchorCount
        switch self {
        case .lsh: return try LocalitySensitiveHashing(training: training, bitCount: bitCount, seed: seed)
        case .pcah: return try PrincipalComponentHashing(training: training, bitCount: bitCount)
        case .itq:
            return try IterativeQuantization(training: training, bitCount: bitCount, iterations: iterations, seed: seed)
        case .sh: return try SpectralHashing(training: training, bitCount: bitCount)
        case .ksh:
            return try KernelSupervisedHashing(training: training, bitCount: bitCount, anchorCount: anchors,
                                               iterations: iterations, seed: seed)
        case .sdh:
            return try SupervisedDiscreteHashing(training: training, bitCount: bitCount, anchorCount: anchors,
                                                 iterations: iterations, seed: seed)
        }
    }
}

/// Code lengths the shallow methods accept: the lengths every hashing model learns (`BitCode.learnedBitCounts`).
func checkBitCount(_ bitCount: Int) throws {
    guard BitCode.learnedBitCounts.contains(bitCount) else {
        throw ShallowHashingError.invalidArgument(
            "codes have \(BitCode.learnedBitCounts.lowerBound)…\(BitCode.learnedBitCounts.upperBound) bits, not \(bitCount)")
    }
}
