// A trained shallow hasher as named matrices, so that a model can be saved and read back encoding exactly as
// before (every number is kept as the Double it was; nothing is retrained on loading).

/// What a trained shallow hasher remembers: its method, code length, the kind of features it learnt on, and named
/// Double matrices (a vector is a 1 × n matrix). `ShallowMethod.restore(_:)` rebuilds the hasher from them.
public struct ShallowHasherParameters: Sendable, Equatable {
    public var method: ShallowMethod
    public var bitCount: Int
    public var featureKind: String
    public var matrices: [String: Matrix]

    public init(method: ShallowMethod, bitCount: Int, featureKind: String, matrices: [String: Matrix]) {
        self.method = method
        self.bitCount = bitCount
        self.featureKind = featureKind
        self.matrices = matrices
    }

    /// The matrix `name`, `rows` × `columns` (nil: any), or a one-line error naming what is missing.
    func matrix(_ name: String, rows: Int? = nil, columns: Int? = nil) throws -> Matrix {
        guard let matrix = matrices[name] else {
            throw ShallowHashingError.incompatible("the saved \(method) hasher has no \(name)")
        }
        guard rows.map({ $0 == matrix.rows }) ?? true, columns.map({ $0 == matrix.columns }) ?? true else {
            throw ShallowHashingError.incompatible(
                "the saved \(method) hasher's \(name) is \(matrix.rows)×\(matrix.columns), not "
                + "\(rows.map(String.init) ?? "any")×\(columns.map(String.init) ?? "any")")
        }
        return matrix
    }

    func vector(_ name: String, count: Int? = nil) throws -> [Double] {
        try matrix(name, rows: 1, columns: count).elements
    }

    /// A seed as saved: its two 32-bit halves, high first (a Double holds every integer only up to 2⁵³).
    static func seedRow(_ seed: UInt64) -> Matrix {
        Matrix(row: [Double(seed >> 32), Double(seed & 0xFFFF_FFFF)])
    }

    /// `value`, a count or index this hasher saved as a Double, as a whole number in 0 ..< `limit`, or a one-line
    /// error naming `what` (a damaged file's NaN, −1 or 0.5 must not trap in a conversion).
    func wholeNumber(_ value: Double, below limit: UInt64, _ what: String) throws -> UInt64 {
        guard value >= 0, value < Double(limit), let whole = UInt64(exactly: value) else {
            throw ShallowHashingError.incompatible(
                "the saved \(method) hasher's \(what) \(value) is not a whole number from 0 to \(limit - 1)")
        }
        return whole
    }

    /// The seed a hasher saved (`seedRow`; files written before the halves hold the seed itself, below 2⁵³).
    func seed() throws -> UInt64 {
        let saved = try vector("seed")
        switch saved.count {
        case 1: return try wholeNumber(saved[0], below: 1 << 53, "seed")
        case 2: return try wholeNumber(saved[0], below: 1 << 32, "seed's high half") << 32
            | wholeNumber(saved[1], below: 1 << 32, "seed's low half")
        default:
            throw ShallowHashingError.incompatible("the saved \(method) hasher's seed has \(saved.count) numbers, not 1 or 2")
        }
    }

    /// The anchors and kernel width σ a radial-basis hasher (KSH, SDH: `RadialBasis`) saved, σ checked.
    func radialBasis() throws -> (anchors: Matrix, sigma: Double) {
        let anchors = try matrix("anchors"), sigma = try vector("sigma", count: 1)[0]
        guard sigma > 0 && sigma.isFinite else {
            throw ShallowHashingError.incompatible("the saved \(method) hasher's kernel width σ = \(sigma) is not positive")
        }
        return (anchors, sigma)
    }
}

extension Matrix {
    /// `values` as one row.
    init(row values: [Double]) { self.init(rows: 1, columns: values.count, elements: values) }
}

extension ShallowMethod {
    /// The hasher `parameters` describe, as it was when they were taken.
    public func restore(_ parameters: ShallowHasherParameters) throws -> any ShallowHasher {
        guard parameters.method == self else {
            throw ShallowHashingError.incompatible("saved \(parameters.method) parameters are not \(self)'s")
        }
        try checkBitCount(parameters.bitCount)
        switch self {
        case .lsh: return try LocalitySensitiveHashing(parameters: parameters)
        case .pcah: return try PrincipalComponentHashing(parameters: parameters)
        case .itq: return try IterativeQuantization(parameters: parameters)
        case .sh: return try SpectralHashing(parameters: parameters)
        case .ksh: return try KernelSupervisedHashing(parameters: parameters)
        case .sdh: return try SupervisedDiscreteHashing(parameters: parameters)
        }
    }
}

extension PrincipalComponents {
    func store(in matrices: inout [String: Matrix]) {
        matrices["mean"] = Matrix(row: mean)
        matrices["directions"] = directions
        matrices["variances"] = Matrix(row: variances)
    }

    init(parameters: ShallowHasherParameters, count: Int) throws {
        let mean = try parameters.vector("mean")
        self.mean = mean
        self.directions = try parameters.matrix("directions", rows: mean.count, columns: count)
        self.variances = try parameters.vector("variances", count: count)
    }
}

extension LocalitySensitiveHashing {
    public var parameters: ShallowHasherParameters {
        ShallowHasherParameters(method: .lsh, bitCount: bitCount, featureKind: featureKind,
                                matrices: ["mean": Matrix(row: mean), "projection": projection,
                                           "seed": ShallowHasherParameters.seedRow(seed)])
    }

    init(parameters: ShallowHasherParameters) throws {
        bitCount = parameters.bitCount
        featureKind = parameters.featureKind
        mean = try parameters.vector("mean")
        projection = try parameters.matrix("projection", rows: mean.count, columns: bitCount)
        seed = try parameters.seed()
    }
}

extension PrincipalComponentHashing {
    public var parameters: ShallowHasherParameters {
        var matrices: [String: Matrix] = [:]
        principalComponents.store(in: &matrices)
        return ShallowHasherParameters(method: .pcah, bitCount: bitCount, featureKind: featureKind, matrices: matrices)
    }

    init(parameters: ShallowHasherParameters) throws {
        bitCount = parameters.bitCount
        featureKind = parameters.featureKind
        principalComponents = try PrincipalComponents(parameters: parameters, count: bitCount)
    }
}

extension IterativeQuantization {
    public var parameters: ShallowHasherParameters {
        var matrices: [String: Matrix] = ["rotation": rotation, "quantization-losses": Matrix(row: quantizationLosses),
                                          "seed": ShallowHasherParameters.seedRow(seed)]
        principalComponents.store(in: &matrices)
        return ShallowHasherParameters(method: .itq, bitCount: bitCount, featureKind: featureKind, matrices: matrices)
    }

    init(parameters: ShallowHasherParameters) throws {
        bitCount = parameters.bitCount
        featureKind = parameters.featureKind
        principalComponents = try PrincipalComponents(parameters: parameters, count: bitCount)
        rotation = try parameters.matrix("rotation", rows: bitCount, columns: bitCount)
        quantizationLosses = try parameters.vector("quantization-losses")
        seed = try parameters.seed()
        // W = P R, recomputed by the same product as training computed it: the same bits.
        projection = principalComponents.directions * rotation
    }
}

extension SpectralHashing {
    public var parameters: ShallowHasherParameters {
        var matrices: [String: Matrix] = [
            "lower": Matrix(row: lower), "upper": Matrix(row: upper),
            // One row per eigenfunction: direction, mode, frequency.
            "eigenfunctions": Matrix(rows: eigenfunctions.count, columns: 3,
                                     elements: eigenfunctions.flatMap { [Double($0.direction), Double($0.mode), $0.frequency] }),
        ]
        principalComponents.store(in: &matrices)
        return ShallowHasherParameters(method: .sh, bitCount: bitCount, featureKind: featureKind, matrices: matrices)
    }

    init(parameters: ShallowHasherParameters) throws {
        bitCount = parameters.bitCount
        featureKind = parameters.featureKind
        let directions = try parameters.matrix("directions")
        principalComponents = try PrincipalComponents(parameters: parameters, count: directions.columns)
        lower = try parameters.vector("lower", count: directions.columns)
        upper = try parameters.vector("upper", count: directions.columns)
        let table = try parameters.matrix("eigenfunctions", rows: bitCount, columns: 3)
        eigenfunctions = try (0..<bitCount).map { row in
            let direction = try parameters.wholeNumber(table[row, 0], below: UInt64(directions.columns),
                                                       "eigenfunction \(row)'s direction")
            let mode = try parameters.wholeNumber(table[row, 1], below: 1 << 31, "eigenfunction \(row)'s mode")
            return Eigenfunction(direction: Int(direction), mode: Int(mode), frequency: table[row, 2])
        }
    }
}

extension SupervisedDiscreteHashing {
    public var parameters: ShallowHasherParameters {
        ShallowHasherParameters(method: .sdh, bitCount: bitCount, featureKind: featureKind,
                                matrices: ["anchors": anchors, "sigma": Matrix(row: [sigma]), "projection": projection,
                                           "classifier": classifier, "objectives": Matrix(row: objectives),
                                           "seed": ShallowHasherParameters.seedRow(seed)])
    }

    init(parameters: ShallowHasherParameters) throws {
        bitCount = parameters.bitCount
        featureKind = parameters.featureKind
        (anchors, sigma) = try parameters.radialBasis()
        projection = try parameters.matrix("projection", rows: anchors.rows + 1, columns: bitCount)
        classifier = try parameters.matrix("classifier", rows: bitCount)
        objectives = try parameters.vector("objectives")
        seed = try parameters.seed()
    }
}

extension KernelSupervisedHashing {
    public var parameters: ShallowHasherParameters {
        ShallowHasherParameters(method: .ksh, bitCount: bitCount, featureKind: featureKind,
                                matrices: ["anchors": anchors, "sigma": Matrix(row: [sigma]),
                                           "kernel-mean": Matrix(row: kernelMean), "projection": projection,
                                           "objectives": Matrix(row: objectives),
                                           "spectral-objectives": Matrix(row: spectralObjectives),
                                           "refined": Matrix(row: refined.map { $0 ? 1 : 0 }),
                                           "labelled": Matrix(row: [Double(labelledCount)]),
                                           "seed": ShallowHasherParameters.seedRow(seed)])
    }

    init(parameters: ShallowHasherParameters) throws {
        bitCount = parameters.bitCount
        featureKind = parameters.featureKind
        (anchors, sigma) = try parameters.radialBasis()
        kernelMean = try parameters.vector("kernel-mean", count: anchors.rows)
        projection = try parameters.matrix("projection", rows: anchors.rows, columns: bitCount)
        objectives = try parameters.vector("objectives", count: bitCount + 1)
        spectralObjectives = try parameters.vector("spectral-objectives", count: bitCount + 1)
        refined = try parameters.vector("refined", count: bitCount).map { $0 != 0 }
        labelledCount = Int(try parameters.wholeNumber(parameters.vector("labelled", count: 1)[0], below: 1 << 53,
                                                       "count of labelled points"))
        seed = try parameters.seed()
    }
}
