import Seeding

/// The evaluation protocols of the deep-hashing papers, on a data set with a training and a test part.
public enum SplitProtocol: String, CaseIterable, Sendable {
    /// DPSH (Li et al., IJCAI 2016) and most later papers: queries are `queriesPerClass` (100) test images of each
    /// class; training is `trainingPerClass` (500) training images of each class; the database is every image that
    /// is not a query (for CIFAR-10: 59,000 = 50,000 training + 9,000 test), so it contains the training images.
    case dpsh
    /// DSH (Liu et al., CVPR 2016): train on the whole training part; the whole test part is both the queries and
    /// the database (each query finds itself at distance 0; the papers count it).
    case dsh
    /// Train on the whole training part, which is also the database; the whole test part is the queries.
    case full

    public var summary: String {
        switch self {
        case .dpsh: return "queries: 100 test images per class; training: 500 training images per class; database: all but the queries"
        case .dsh: return "training: all training images; queries = database: all test images"
        case .full: return "training = database: all training images; queries: all test images"
        }
    }
}

/// A data set divided for a retrieval experiment: images to train on, queries, and the database the queries search.
///
/// Each part is its own `LabeledImages` (a copy: CIFAR-10 under `dpsh` copies 5,000 + 1,000 + 59,000 images of
/// 3,072 bytes, about 200 MB, once, straight from the source without an intermediate copy), with the indices it was taken from, so parts can be related to the source and
/// to one another. Source indices count training images first, then test images (`TrainTestImages.all()`).
/// Within each part images keep their source order; the trainer shuffles.
/// Every split is a pure function of its source, parameters and seed.
public struct DataSplit: Sendable, Equatable {
    public var training: LabeledImages
    public var query: LabeledImages
    public var database: LabeledImages
    public var trainingIndices: [Int]
    public var queryIndices: [Int]
    public var databaseIndices: [Int]
    /// How the split was made, e.g. "dpsh seed 1: 5000 training, 1000 queries, 59000 database".
    public var summary: String

    /// The names the shell uses for the parts (`p.train`, `p.query`, `p.database`).
    public static let partNames = ["train", "query", "database"]

    /// A part by name: `train` (or `training`), `query` (or `queries`), `database`; nil for any other name.
    public func part(named name: String) -> LabeledImages? {
        switch name {
        case "train", "training": return training
        case "query", "queries": return query
        case "database": return database
        default: return nil
        }
    }

    /// One of the papers' protocols on a data set with training and test parts.
    /// `queriesPerClass` and `trainingPerClass` apply to `dpsh` only (other protocols use whole parts; their result
    /// does not depend on the seed).
    public static func make(_ splitProtocol: SplitProtocol, from source: TrainTestImages, seed: UInt64,
                            queriesPerClass: Int = 100, trainingPerClass: Int = 500) throws -> DataSplit {
        let offset = source.training.count
        let trainingPart = Array(0..<offset)
        let testPart = Array(offset..<(offset + source.test.count))
        let trainingIndices, queryIndices, databaseIndices: [Int]
        switch splitProtocol {
        case .dpsh:
            guard queriesPerClass >= 0, trainingPerClass >= 0 else {
                throw DatasetError.invalidArgument("per-class counts must not be negative")
            }
            var generator = SeededGenerator(seed: seed)
            queryIndices = try drawPerClass(source.test, count: queriesPerClass, using: &generator,
                                            purpose: "dpsh: \(queriesPerClass) test images per class as queries")
                .map { $0 + offset }
            trainingIndices = try drawPerClass(source.training, count: trainingPerClass, using: &generator,
                                               purpose: "dpsh: \(trainingPerClass) training images per class")
            let queries = Set(queryIndices)
            databaseIndices = trainingPart + testPart.filter { !queries.contains($0) }
        case .dsh:
            trainingIndices = trainingPart
            queryIndices = testPart
            databaseIndices = testPart
        case .full:
            trainingIndices = trainingPart
            queryIndices = testPart
            databaseIndices = trainingPart
        }
        let seedText = splitProtocol == .dpsh ? " seed \(seed)" : ""
        return DataSplit(training: source.gathering(trainingIndices), query: source.gathering(queryIndices),
                         database: source.gathering(databaseIndices), trainingIndices: trainingIndices,
                         queryIndices: queryIndices, databaseIndices: databaseIndices,
                         summary: "\(splitProtocol.rawValue)\(seedText): \(trainingIndices.count) training, "
                             + "\(queryIndices.count) queries, \(databaseIndices.count) database")
    }

    /// One of the papers' protocols on a single pool of images (e.g. the synthetic set): the pool is first divided,
    /// class by class, into a test part of `testPerClass` images and a training part of the rest (seeded), then the
    /// protocol is applied as to CIFAR-10's two parts. Source indices refer to the pool.
    public static func make(_ splitProtocol: SplitProtocol, from pool: LabeledImages, seed: UInt64, testPerClass: Int,
                            queriesPerClass: Int = 100, trainingPerClass: Int = 500) throws -> DataSplit {
        let (testIndices, trainingIndices) = try dividingIndices(pool, testPerClass: testPerClass, seed: seed)
        let parts = try TrainTestImages(training: pool.subset(trainingIndices), test: pool.subset(testIndices))
        var split = try make(splitProtocol, from: parts, seed: seed &+ 1, queriesPerClass: queriesPerClass,
                             trainingPerClass: trainingPerClass)
        // Map indices of (training part ++ test part) back to the pool.
        let toPool = trainingIndices + testIndices
        split.trainingIndices = split.trainingIndices.map { toPool[$0] }
        split.queryIndices = split.queryIndices.map { toPool[$0] }
        split.databaseIndices = split.databaseIndices.map { toPool[$0] }
        split.summary += " (from one pool, \(testPerClass) test images per class, seed \(seed))"
        return split
    }

    /// A split by counts per class: for every class (in a seeded random order) the first `queriesPerClass` images
    /// are queries, the next `trainingPerClass` are training images, and the next `databasePerClass` (nil: all the
    /// rest) are the database. With `trainingInDatabase` the training images are in the database as well, as under
    /// `dpsh`. The three draws are disjoint otherwise. Throws if a class has fewer images than asked for.
    public static func byCounts(from source: LabeledImages, queriesPerClass: Int, trainingPerClass: Int,
                                databasePerClass: Int? = nil, trainingInDatabase: Bool = false,
                                seed: UInt64) throws -> DataSplit {
        guard queriesPerClass >= 0, trainingPerClass >= 0, (databasePerClass ?? 0) >= 0 else {
            throw DatasetError.invalidArgument("per-class counts must not be negative")
        }
        var generator = SeededGenerator(seed: seed)
        var queryIndices: [Int] = [], trainingIndices: [Int] = [], databaseIndices: [Int] = []
        for (label, var members) in source.indicesByClass.enumerated() {
            let needed = queriesPerClass + trainingPerClass + (databasePerClass ?? 0)
            guard members.count >= needed else {
                throw DatasetError.tooFewImages(
                    className: source.classNames[label], available: members.count, needed: needed,
                    purpose: "\(queriesPerClass) queries + \(trainingPerClass) training"
                        + (databasePerClass.map { " + \($0) database" } ?? "") + " per class")
            }
            shuffleSeeded(&members, using: &generator)
            queryIndices += members[0..<queriesPerClass]
            let trainingEnd = queriesPerClass + trainingPerClass
            trainingIndices += members[queriesPerClass..<trainingEnd]
            let databaseEnd = databasePerClass.map { trainingEnd + $0 } ?? members.count
            databaseIndices += members[trainingEnd..<databaseEnd]
            if trainingInDatabase { databaseIndices += members[queriesPerClass..<trainingEnd] }
        }
        queryIndices.sort(); trainingIndices.sort(); databaseIndices.sort()
        return DataSplit(training: source.subset(trainingIndices), query: source.subset(queryIndices),
                         database: source.subset(databaseIndices), trainingIndices: trainingIndices,
                         queryIndices: queryIndices, databaseIndices: databaseIndices,
                         summary: "by counts seed \(seed): \(trainingIndices.count) training, "
                             + "\(queryIndices.count) queries, \(databaseIndices.count) database")
    }

    /// `count` images of every class of `images`, drawn without replacement, sorted; throws if a class has fewer.
    static func drawPerClass(_ images: LabeledImages, count: Int, using generator: inout SeededGenerator,
                             purpose: String) throws -> [Int] {
        var chosen: [Int] = []
        for (label, var members) in images.indicesByClass.enumerated() {
            guard members.count >= count else {
                throw DatasetError.tooFewImages(className: images.classNames[label], available: members.count,
                                                needed: count, purpose: purpose)
            }
            shuffleSeeded(&members, using: &generator)
            chosen += members.prefix(count)
        }
        return chosen.sorted()
    }

    /// Pool indices of a per-class test part (`testPerClass` of each class) and of the rest, each sorted.
    static func dividingIndices(_ pool: LabeledImages, testPerClass: Int,
                                seed: UInt64) throws -> (test: [Int], training: [Int]) {
        guard testPerClass >= 0 else { throw DatasetError.invalidArgument("test count \(testPerClass) is negative") }
        var generator = SeededGenerator(seed: seed)
        let test = try drawPerClass(pool, count: testPerClass, using: &generator,
                                    purpose: "\(testPerClass) test images per class")
        let chosen = Set(test)
        return (test, (0..<pool.count).filter { !chosen.contains($0) })
    }
}

extension TrainTestImages {
    /// Divides one pool into a test part of `testPerClass` images of every class (seeded) and a training part of
    /// the rest, each in pool order.
    public static func dividing(_ pool: LabeledImages, testPerClass: Int, seed: UInt64) throws -> TrainTestImages {
        let (test, training) = try DataSplit.dividingIndices(pool, testPerClass: testPerClass, seed: seed)
        return try TrainTestImages(training: pool.subset(training), test: pool.subset(test))
    }
}

extension TrainTestImages {
    /// The images at `indices` of `all()` (training images first, then test images), copied straight from the two
    /// parts without building `all()`.
    func gathering(_ indices: [Int]) -> LabeledImages {
        let size = training.imageSize
        let offset = training.count
        var pixels = [UInt8](repeating: 0, count: indices.count * size)
        var labels = [Int32](repeating: 0, count: indices.count)
        training.pixels.withUnsafeBufferPointer { first in
            test.pixels.withUnsafeBufferPointer { second in
                pixels.withUnsafeMutableBufferPointer { destination in
                    for (n, i) in indices.enumerated() {
                        precondition(i >= 0 && i < count, "image index \(i) out of range 0..<\(count)")
                        let (source, j) = i < offset ? (first, i) : (second, i - offset)
                        labels[n] = i < offset ? training.labels[j] : test.labels[j]
                        guard size > 0 else { continue }
                        (destination.baseAddress! + n * size).update(from: source.baseAddress! + j * size, count: size)
                    }
                }
            }
        }
        return LabeledImages(count: indices.count, channels: training.channels, height: training.height,
                             width: training.width, pixels: pixels, labels: labels, classNames: classNames)
    }
}
