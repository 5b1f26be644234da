import Foundation
import Imaging
import Learning

// Labelled image sets and the papers' retrieval splits.
//
// Supervised hashing is judged by retrieval: queries are hashed and the database is ranked by Hamming distance; an
// item is relevant when it has the query's class. A split fixes which images train the network, which are queries
// and which form the database. The papers use three protocols on CIFAR-10 (see `SplitProtocol`); `split … query Q
// train T` makes any other split by counts per class.

extension Topic {
    static let data = Topic("data", abstract: "labelled image sets and retrieval splits", rank: 50)
}

/// Where `data cifar10` looks without a FOLDER: `$HASHLAB_CIFAR10`, else ../shared/data/cifar-10-batches-bin
/// relative to the working folder.
func defaultCIFAR10Folder() -> String {
    if let path = ProcessInfo.processInfo.environment["HASHLAB_CIFAR10"], !path.isEmpty { return path }
    return "../shared/data/cifar-10-batches-bin"
}

/// Runs `body`, prefixing the description of any library error with the command's name (ShellErrors pass as they
/// are, they already say where they come from).
func prefixingErrors<T>(_ command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ShellError {
        throw error
    } catch is CancellationError {
        throw ShellError.interrupted  // Ctrl-C stopped a library loop: nothing half-done is kept
    } catch {
        throw ShellError.message("\(command): \(error)")
    }
}

/// Reads a labelled set for `data SOURCE`: `cifar10` (FOLDER, part), `synthetic` (perClass, size, seed) or
/// `folder` (ROOT of class folders of PNG and JPEG files, resized to size × size). A CIFAR-10 `part all` keeps its
/// training and test parts apart (a `TrainTestImages`), so that the split protocols can use them.
public func loadDataSet(source: String, folder: String?, part: String = "all", perClass: Int = 200, size: Int? = nil,
                        seed: UInt64 = 0, note: (String) -> Void = { _ in }) throws -> any ShellValue {
    switch source {
    case "cifar10":
        let folder = folder ?? defaultCIFAR10Folder()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ShellError.message("data cifar10: \(folder): no such folder (give FOLDER or set HASHLAB_CIFAR10)")
        }
        if let size, size != CIFAR10.side {
            throw ShellError.message("data cifar10: its images are 32×32; size \(size) is not available")
        }
        return try prefixingErrors("data cifar10") { () throws -> any ShellValue in
            switch part {
            case "train": return try CIFAR10.load(from: folder, part: .training)
            case "test": return try CIFAR10.load(from: folder, part: .test)
            default: return try CIFAR10.loadTrainingAndTest(from: folder)
            }
        }
    case "synthetic":
        guard folder == nil else { throw ShellError.message("data synthetic: takes no FOLDER") }
        let size = size ?? 32
        guard (4...256).contains(size) else {
            throw ShellError.message("data synthetic: size must be 4…256, not \(size)")
        }
        return try prefixingErrors("data synthetic") {
            try SyntheticLabeledSet.make(perClass: perClass, seed: seed, size: size)
        }
    case "folder":
        guard let folder else { throw ShellError.missingArgument(command: "data folder", argument: "FOLDER") }
        let loaded = try prefixingErrors("data folder") {
            try ImageFolderDataset.load(root: folder, size: size ?? 32, channels: 3,
                                        decode: { path in try Image.read(imageAt: path) })
        }
        for line in loaded.skippedFiles { note("skipped \(line)") }
        for name in loaded.emptyClasses {
            note("skipped the class folder \(name): no image in it could be read, so it is not a class")
        }
        return loaded.images
    default:
        throw ShellError.message("data: unknown source `\(source)`")
    }
}

/// The per-class counts a protocol split of one pool uses, by default scaled from CIFAR-10's (6,000 images a
/// class: 1,000 test, of which 100 are queries): a sixth of each class is the test part, half of that the
/// queries (more than CIFAR-10's tenth, so that small sets give steadier means), and under `dpsh` half of the
/// rest trains (CIFAR-10 trains on a tenth; small sets need more).
public struct PoolSplitCounts: Sendable, Equatable {
    public var testPerClass: Int
    public var queriesPerClass: Int
    public var trainingPerClass: Int

    /// The defaults for a pool whose smallest class has `smallestClass` images.
    public init(smallestClass: Int) {
        testPerClass = max(1, smallestClass / 6)
        queriesPerClass = max(1, testPerClass / 2)
        trainingPerClass = max(1, (smallestClass - testPerClass) / 2)
    }
}

/// Splits a `data` value for `split`: a protocol (`dpsh`, `dsh`, `full`) or counts per class.
///
/// A protocol on a set with training and test parts (CIFAR-10) uses the parts as the papers do (`dpsh`: 100
/// queries and 500 training images per class unless `queriesPerClass`/`trainingPerClass` say otherwise). On a
/// single pool it first divides each class into a test part and a training part (`PoolSplitCounts`).
public func makeSplit(of data: any ShellValue, protocolName: String?, seed: UInt64, testPerClass: Int? = nil,
                      queriesPerClass: Int? = nil, trainingPerClass: Int? = nil, databasePerClass: Int? = nil,
                      trainingInDatabase: Bool = false) throws -> DataSplit {
    guard let protocolName else {
        guard let queriesPerClass, let trainingPerClass else {
            throw ShellError.message("split: give `protocol dpsh|dsh|full`, or counts per class `query Q train T`")
        }
        guard testPerClass == nil else {
            throw ShellError.message("split: test-per-class applies to protocols; by counts, use query, train and database")
        }
        let images = try labeledImages(of: data)
        return try prefixingErrors("split") {
            try DataSplit.byCounts(from: images, queriesPerClass: queriesPerClass, trainingPerClass: trainingPerClass,
                                   databasePerClass: databasePerClass, trainingInDatabase: trainingInDatabase,
                                   seed: seed)
        }
    }
    guard let splitProtocol = SplitProtocol(rawValue: protocolName) else {
        throw ShellError.invalidChoice(argument: "split protocol", word: protocolName,
                                       choices: SplitProtocol.allCases.map(\.rawValue),
                                       suggestions: Suggestions.closest(to: protocolName,
                                                                        among: SplitProtocol.allCases.map(\.rawValue)))
    }
    guard databasePerClass == nil, !trainingInDatabase else {
        throw ShellError.message("split: database and train-in-database apply to splits by counts, not to protocols")
    }
    if splitProtocol != .dpsh, queriesPerClass != nil || trainingPerClass != nil {
        throw ShellError.message("split: protocol \(protocolName) uses whole parts; "
                                 + "queries-per-class and train-per-class apply to dpsh only")
    }
    if let parts = data as? TrainTestImages {
        guard testPerClass == nil else {
            throw ShellError.message("split: the data already has a test part; test-per-class applies to one pool")
        }
        return try prefixingErrors("split") {
            try DataSplit.make(splitProtocol, from: parts, seed: seed, queriesPerClass: queriesPerClass ?? 100,
                               trainingPerClass: trainingPerClass ?? 500)
        }
    }
    let pool = try labeledImages(of: data)
    guard let smallest = pool.classCounts.min(), smallest >= 2 else {
        throw ShellError.message("split: every class needs at least 2 images (a test and a training one); "
                                 + "the smallest has \(pool.classCounts.min() ?? 0)")
    }
    let defaults = PoolSplitCounts(smallestClass: smallest)
    let test = testPerClass ?? defaults.testPerClass
    let queries = queriesPerClass ?? min(defaults.queriesPerClass, test)
    let training = trainingPerClass ?? defaults.trainingPerClass
    guard queries <= test else {
        throw ShellError.message("split: \(queries) queries per class cannot come from \(test) test images per class")
    }
    guard test < smallest else {
        throw ShellError.message("split: \(test) test images per class leave no training images "
                                 + "(the smallest class has \(smallest))")
    }
    return try prefixingErrors("split") {
        try DataSplit.make(splitProtocol, from: pool, seed: seed, testPerClass: test, queriesPerClass: queries,
                           trainingPerClass: training)
    }
}

/// The forms of `data`: where the images come from.
enum DataSource: String, ArgumentWord { case cifar10, synthetic, folder }
/// `data cifar10 … part P`.
enum CIFAR10Part: String, ArgumentWord { case train, test, all }
extension SplitProtocol: ArgumentWord {}

extension Argument {
    /// A random seed: a whole number, 0 or more (the generators' UInt64), 0 unless given.
    static func seed(_ abstract: String = "the random seed", forms: [String]? = nil) -> Parameter<Int> {
        Argument.keyword("seed", Int.self, abstract, default: 0, bounds: .atLeast(0), forms: forms)
    }
}

/// `data`'s arguments: each option belongs to the forms that read it.
enum DataCommand {
    static let source = Argument.positional("source", DataSource.self, "where the images come from")
    static let folder = Argument.path("folder", .folder, "the CIFAR-10 folder, or the root of the class folders",
                                      positional: true, otherwise: "cifar10: $HASHLAB_CIFAR10 or ../shared/data/…")
    static let part = Argument.keyword("part", CIFAR10Part.self, "cifar10: which part", default: .all,
                                       forms: ["cifar10"])
    static let perClass = Argument.keyword("per-class", Int.self, "synthetic: images per class", default: 200,
                                           bounds: .positive, forms: ["synthetic"])
    static let size = Argument.keyword("size", Int.self, "synthetic, folder: image side in pixels", otherwise: "32",
                                       bounds: .positive)
    static let seed = Argument.seed("synthetic: the random seed", forms: ["synthetic"])
}

/// `split`'s arguments: a paper's protocol (with its per-class sizes), or counts per class.
enum Split {
    /// A data set, or CIFAR-10 with its training and test parts apart (what the protocols need).
    static let data = Parameter(Argument.positional("data", .value([LabeledImages.typeName]), "the images to split")) {
        invocation -> any ShellValue in
        guard let value = invocation.value("data") else {
            throw ShellError.missingArgument(command: "split", argument: "DATA")
        }
        return value
    }
    static let protocolName = Argument.keyword("protocol", SplitProtocol.self, "a paper's protocol")
    static let seed = Argument.seed()
    static let testPerClass = Argument.keyword("test-per-class", Int.self, "protocol on one pool: test images per class",
                                               otherwise: "a sixth of the smallest class", bounds: .positive)
    static let queriesPerClass = Argument.keyword("queries-per-class", Int.self, "dpsh: queries per class",
                                                  otherwise: "100 (one pool: half the test part)", bounds: .positive)
    static let trainPerClass = Argument.keyword("train-per-class", Int.self, "dpsh: training images per class",
                                                otherwise: "500 (one pool: half the training part)", bounds: .positive)
    static let query = Argument.keyword("query", Int.self, "by counts: queries per class", bounds: .atLeast(0))
    static let train = Argument.keyword("train", Int.self, "by counts: training images per class", bounds: .atLeast(0))
    static let database = Argument.keyword("database", Int.self, "by counts: database images per class",
                                           otherwise: "all the rest", bounds: .atLeast(0))
    static let trainInDatabase = Argument.flag("train-in-database",
                                               "by counts: put the training images in the database too")
}

let dataCommands: [Command] = [
    Command("data", topic: .data,
            abstract: "Loads a labelled image set: CIFAR-10, the synthetic set or a folder of class folders of PNG or JPEG files.",
            discussion: """
                cifar10 reads the binary layout (data_batch_1…5.bin, test_batch.bin, batches.meta.txt) from FOLDER, \
                by default $HASHLAB_CIFAR10 or ../shared/data/cifar-10-batches-bin; part all keeps the training and \
                test parts apart for the split protocols.
                synthetic draws ten classes of shapes and textures (disc, ring, square, …), reproducible from seed.
                folder reads ROOT/CLASS/*.png, *.jpg and *.jpeg, classes in name order, every image decoded as Pillow \
                decodes it, converted to RGB (alpha dropped) and resized to size × size with Pillow's bilinear \
                filter: the pixels of PyTorch's ImageFolder + Resize.
                """,
            arguments: [DataCommand.source, DataCommand.folder], options: [DataCommand.part, DataCommand.perClass, DataCommand.size, DataCommand.seed],
            result: .required(LabeledImages.typeName),
            examples: ["data synthetic per-class 100 seed 1 as d", "data cifar10 as cifar",
                       "data cifar10 ~/data/cifar-10-batches-bin part test as test",
                       "data folder ~/pictures/classes size 64 as photos"]) { invocation in
        let data = try loadDataSet(source: try invocation[DataCommand.source].rawValue,
                                   folder: try invocation[DataCommand.folder]?.path, part: try invocation[DataCommand.part].rawValue,
                                   perClass: try invocation[DataCommand.perClass], size: try invocation[DataCommand.size],
                                   seed: UInt64(try invocation[DataCommand.seed]), note: { invocation.output.line($0) })
        invocation.output.wrappedLine(data.summary)
        return data
    },

    Command("split", topic: .data,
            abstract: "Divides a data set into training images, queries and a database: a paper's protocol or counts.",
            discussion: """
                dpsh: queries from the test part (100 per class), training images from the training part (500 per \
                class), the database is everything but the queries. dsh: train on the training part; the test part \
                is queries and database. full: train on the training part, which is the database; test queries.
                A single pool (synthetic, folder) is first divided per class into test-per-class test images and a \
                training part; defaults scale CIFAR-10's proportions (a sixth of each class is test, half of that \
                queries; dpsh trains on half of the rest).
                By counts: query Q and train T images of each class, database N (default: all the rest); with \
                train-in-database the training images are in the database too.
                The parts are NAME.train, NAME.query and NAME.database.
                """,
            arguments: [Split.data],
            options: [Split.protocolName, Split.seed, Split.testPerClass, Split.queriesPerClass, Split.trainPerClass,
                       Split.query, Split.train, Split.database, Split.trainInDatabase],
            result: .required(DataSplit.typeName),
            examples: ["split cifar protocol dpsh seed 1 as p", "split d protocol dsh test-per-class 20 as p",
                       "split d query 10 train 50 database 100 seed 2 as p"]) { invocation in
        // Two ways to split, told apart by the options given: a paper's protocol, or counts per class.
        let protocolName = try invocation[Split.protocolName]
        let byCounts = [Split.query, Split.train, Split.database].contains(where: invocation.has)
            || invocation.has(Split.trainInDatabase)
        if protocolName != nil && byCounts {
            throw ShellError.message("split: give either a protocol or counts (query, train, database), not both")
        }
        if protocolName == nil, invocation.has(Split.queriesPerClass) || invocation.has(Split.trainPerClass) {
            throw ShellError.message("split: queries-per-class and train-per-class go with a protocol; "
                                     + "by counts use query and train")
        }
        let split = try makeSplit(
            of: try invocation[Split.data], protocolName: protocolName?.rawValue, seed: UInt64(try invocation[Split.seed]),
            testPerClass: try invocation[Split.testPerClass],
            queriesPerClass: try invocation[protocolName == nil ? Split.query : Split.queriesPerClass],
            trainingPerClass: try invocation[protocolName == nil ? Split.train : Split.trainPerClass],
            databasePerClass: try invocation[Split.database], trainingInDatabase: try invocation[Split.trainInDatabase])
        invocation.output.wrappedLine(split.summary)
        return split
    },
]
