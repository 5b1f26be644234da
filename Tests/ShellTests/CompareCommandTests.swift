import ClassicHashing
import Codes
import Foundation
import Imaging
import Learning
import Shell
import XCTest

/// Once armed, raises the session's Ctrl-C flag at the first transient progress line (while compare encodes its
/// first entry).
/// Presses Ctrl-C (raises the flag) when the second entry starts encoding.
private final class SecondEntryInterrupter: OutputSink {
    let flag: InterruptFlag
    var isArmed = false
    init(flag: InterruptFlag) { self.flag = flag }
    func write(_ text: String, to channel: OutputChannel) {}
    func progress(_ line: String, isFinal: Bool) { if isArmed && !isFinal && line.hasPrefix("2/") { flag.raise() } }
}

/// `compare`: its rows are `eval`'s numbers and its curves `pr`'s, its table shows and saves as CSV, its chart is a
/// PNG, and bad input fails with one line before anything is encoded.
final class CompareCommandTests: XCTestCase {
    /// Two tiny models (one epoch on 16×16 synthetic images) and an untrained one.
    private let setup = ["data synthetic per-class 12 size 16 seed 3 as d", "split d query 2 train 6 seed 1 as p",
                         "model dsh bits 12 net mlp seed 2 as dsh", "set dsh.batch 16",
                         "train dsh on p.train epochs 1",
                         "model dlbhc bits 16 net mlp seed 2 as dlbhc", "set dlbhc.batch 16",
                         "train dlbhc on p.train epochs 1",
                         "model dpsh bits 12 net mlp as fresh"]
    private let sets = "query p.query database p.database"

    private func makeSession(output: Output? = nil, flag: InterruptFlag = InterruptFlag()) -> (Session, CapturingSink) {
        let sink = CapturingSink()
        let session = Session(output: output ?? Output(sinks: [sink]), interruptFlag: flag)
        for line in setup { session.execute(line: line) }
        XCTAssertEqual(sink.error, "")
        return (session, sink)
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("hashlab-compare-\(UUID().uuidString)-\(name)").path
    }

    /// The cells of `results`' row for `name` (metrics only), as printed.
    private func resultsRow(_ name: String, in text: String) throws -> [String] {
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix(name + " ") }, text)
        return Array(line.split(separator: " ").map(String.init).dropFirst().prefix(5))
    }

    /// Each row holds exactly what eval (and pr) give for that entry by hand: a model via `eval M query … database …`,
    /// a classic hash via `encode … with phash` and `eval CODES CODES`; the printed cells equal `results`'.
    func testRowsAreExactlyWhatEvalGivesByHand() throws {
        let (session, sink) = makeSession()
        session.execute(line: "compare dsh phash dlbhc \(sets) k 5 as c")
        XCTAssertEqual(sink.error, "")
        let table = try session.value(named: "c", as: ComparisonTable.self)
        XCTAssertEqual(table.entries.map(\.name), ["dsh", "phash", "dlbhc"])
        XCTAssertEqual(table.entries.map(\.method), ["dsh", "classic", "dlbhc"])
        XCTAssertEqual(table.entries.map(\.bits), [12, 64, 16])
        XCTAssertEqual(table.queryCount, 20)

        session.execute(line: "eval dsh \(sets) k 5 as e_dsh")
        session.execute(line: "eval dlbhc \(sets) k 5 as e_dlbhc")
        session.execute(line: "encode p.query with phash as q_phash; encode p.database with phash as db_phash")
        session.execute(line: "eval q_phash db_phash k 5 as e_phash")
        session.execute(line: "encode p.query with dsh as q_dsh; encode p.database with dsh as db_dsh")
        session.execute(line: "pr q_dsh db_dsh as pr_dsh; pr q_phash db_phash as pr_phash")
        XCTAssertEqual(sink.error, "")
        let byHand = try ["e_dsh", "e_phash", "e_dlbhc"].map { try session.value(named: $0, as: RetrievalMetrics.self) }
        XCTAssertEqual(table.entries.map(\.metrics), byHand)
        XCTAssertEqual(table.entries[0].curve, try session.value(named: "pr_dsh", as: PrecisionRecallValue.self).curve)
        XCTAssertEqual(table.entries[1].curve, try session.value(named: "pr_phash", as: PrecisionRecallValue.self).curve)
        XCTAssertTrue(byHand.contains { $0.mapAll != byHand[0].mapAll }, "the entries should differ: \(byHand)")

        sink.clear()
        session.execute(line: "results e_dsh e_phash e_dlbhc")
        let printed = sink.standard
        for (entry, evaluation) in zip(table.rows, ["e_dsh", "e_phash", "e_dlbhc"]) {
            XCTAssertEqual(Array(entry[3..<8]), try resultsRow(evaluation, in: printed), printed)
        }
    }

    /// colorhash (42 bits, which `encode` does not offer) hashes each image with the library and evaluates as eval does.
    func testColorHashRowIsTheLibrarysEvaluation() throws {
        let (session, sink) = makeSession()
        session.execute(line: "compare colorhash ahash \(sets) k 7 radius 3 as c")
        XCTAssertEqual(sink.error, "")
        let table = try session.value(named: "c", as: ComparisonTable.self)
        let queries = try session.value(named: "p.query", as: LabeledImages.self)
        let database = try session.value(named: "p.database", as: LabeledImages.self)
        func codes(_ images: LabeledImages, _ kind: HashKind) throws -> CodeSet {
            try CodeSet(bits: (0..<images.count).map { try ImageHash(of: images.image(at: $0), kind: kind).bits },
                        labels: images.labels)
        }
        for (entry, kind) in zip(table.entries, [HashKind.colorhash, .ahash]) {
            let expected = try evaluateRetrieval(queries: codes(queries, kind), database: codes(database, kind),
                                                 k: 7, radius: 3)
            XCTAssertEqual(entry.metrics, expected, kind.rawValue)
            XCTAssertEqual(entry.bits, kind == .colorhash ? 42 : 64)
        }
        XCTAssertEqual(table.header[4...6], ["mAP@7", "P@7", "P(r≤3)"])
    }

    func testTheCSVHoldsEveryRowAtFullPrecisionAndShowPrintsTheTable() throws {
        let (session, sink) = makeSession()
        session.execute(line: "compare dsh whash \(sets) k 5 as c")
        let table = try session.value(named: "c", as: ComparisonTable.self)
        let path = temporaryPath("c.csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "save c to \(path)")
        XCTAssertEqual(sink.error, "")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first,
                       "name,method,bits,map,map_at_5,p_at_5,p_within_radius_2,map_tie_aware,encode_seconds")
        XCTAssertEqual(lines.count, 3)
        for (line, entry) in zip(lines.dropFirst(), table.entries) {
            let cells = line.split(separator: ",").map(String.init)
            XCTAssertEqual(cells.count, 9)
            XCTAssertEqual(Array(cells[0..<3]), [entry.name, entry.method, String(entry.bits)])
            XCTAssertEqual(cells[3...8].map { Double($0) }, [entry.metrics.mapAll, entry.metrics.mapAtK,
                                                             entry.metrics.precisionAtK,
                                                             entry.metrics.precisionWithinRadius,
                                                             entry.metrics.mapTieAware, entry.encodingSeconds])
        }
        sink.clear()
        session.execute(line: "show c")
        XCTAssertTrue(sink.standard.hasPrefix("dsh, whash on 20 queries against"), sink.standard)
        XCTAssertTrue(sink.standard.contains("tie-aware mAP"), sink.standard)
        XCTAssertTrue(sink.standard.contains(String(format: "%.4f", table.entries[1].metrics.mapAll)), sink.standard)
    }

    func testThePRChartIsDrawnAndWrittenAsADecodablePNG() throws {
        let (session, sink) = makeSession()
        let path = temporaryPath("pr.png")
        defer { try? FileManager.default.removeItem(atPath: path) }
        session.execute(line: "compare dsh dhash \(sets) to \(path) title \"two methods\"")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("precision (up) against recall (across)"), sink.standard)
        XCTAssertTrue(sink.standard.contains("wrote \(path)"), sink.standard)
        let image = try Image.read(pngAt: path)
        XCTAssertGreaterThanOrEqual(image.width, 200)
        XCTAssertGreaterThanOrEqual(image.height, 150)
        XCTAssertGreaterThan(Set(image.samples).count, 2, "the chart is not blank")
    }

    /// Every bad input fails with one line, before anything is encoded, and leaves the values as they were.
    func testBadInputIsRefusedBeforeEncoding() throws {
        let shell = CommandSession()
        for line in setup { shell.run(line) }
        shell.run("encode p.query with phash as codes1")
        try shell.session.store(LabeledImages(count: 0, channels: 3, height: 16, width: 16, pixels: [], labels: [],
                                              classNames: []), as: "nothing")
        shell.run("data synthetic per-class 2 size 8 seed 1 as small; picture shapes size 32 as photo")
        let cases: [(String, String)] = [
            ("compare dhs phash \(sets)", "compare: `dhs` is neither a model nor a classic hash"),
            ("compare dhs phash \(sets)", "did you mean `dsh`"),
            ("compare dsh fresh \(sets)", "compare: the model `fresh` has not trained yet"),
            ("compare dsh codes1 \(sets)", "compare: `codes1` is a set of codes, not a model"),
            ("compare dsh p.train \(sets)", "`p.train` is a data set, not a model"),
            ("compare dsh phash dsh \(sets)", "compare: `dsh` is given twice"),
            ("compare phash phash \(sets)", "compare: `phash` is given twice"),
            ("compare dsh query nothing database p.database", "compare: the query images `nothing` are empty"),
            ("compare dsh query p.query database nothing", "compare: the database images `nothing` are empty"),
            ("compare \(sets)", "compare: missing MODEL|HASH|IMAGE"),
            ("compare dsh phash", "compare: give query DATA and database DATA to compare models and hashes"),
            ("compare dsh photo \(sets)", "compare: `photo` is an image, not a model"),
            ("compare dsh phash \(sets) k 0", "compare: k must be 1 or more, not 0"),
            ("compare dsh phash \(sets) k -3", "compare: k must be 1 or more, not -3"),
            ("compare dsh phash \(sets) radius -1", "compare: radius must be 0 or more"),
            ("compare dsh phash \(sets) to out/pr.jpg", "end the name with .png"),
            ("compare dsh query small database p.database", "compare: `dsh` takes 3x16x16 images but `small` holds 3x8x8"),
            ("compare dsh phash database p.database", "compare: give both database DATA and query DATA"),
            ("compare dsh phash query p.query", "compare: give both query DATA and database DATA"),
            ("compare dsh phash query p.query database nowhere", "no value named `nowhere`"),
        ]
        for (line, expected) in cases {
            let message = shell.failure(line)
            XCTAssertTrue(message.contains(expected), "\(line): \(message)")
            XCTAssertFalse(shell.sink.all.contains("comparing"), "\(line) encoded: \(shell.sink.all)")
        }
    }

    /// Ctrl-C while the second entry encodes: that entry stops (at its next batch), the others are skipped, and
    /// the comparison of the finished entry is kept (as a sweep keeps its finished runs); the other values are
    /// untouched.
    func testAnInterruptedCompareKeepsTheFinishedEntries() throws {
        let flag = InterruptFlag()
        let capture = CapturingSink()
        let interrupter = SecondEntryInterrupter(flag: flag)
        let (session, _) = makeSession(output: Output(sinks: [capture, interrupter]), flag: flag)
        XCTAssertEqual(capture.error, "")
        session.execute(line: "let n 5")
        interrupter.isArmed = true
        capture.clear()
        let summary = session.execute(line: "compare dsh phash dlbhc \(sets) as c")
        XCTAssertEqual(summary.failures, 0, capture.all)
        XCTAssertTrue(capture.all.contains("1/3 dsh: 12 bits"), "the first entry was encoded: \(capture.all)")
        XCTAssertFalse(capture.all.contains("2/3 phash:"), capture.all)
        XCTAssertFalse(capture.all.contains("3/3 dlbhc"), capture.all)
        XCTAssertTrue(capture.standard.contains("stopped after 1 of 3 entries"), capture.standard)
        XCTAssertEqual(try session.value(named: "c", as: ComparisonTable.self).entries.map(\.name), ["dsh"])
        XCTAssertEqual(try session.value(named: "n", as: NumberValue.self).number, 5)
    }

    /// Without query and database, compare is tutorial 01's side-by-side look at two images and their hashes.
    func testTwoImagesCompareSideBySide() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo; mirror photo as mirrored; picture shapes as other")
        let printed = shell.run("compare photo mirrored")
        let photo = try shell.image("photo"), mirrored = try shell.image("mirrored")
        for kind in HashKind.allCases {
            let a = try ImageHash(of: photo, kind: kind), b = try ImageHash(of: mirrored, kind: kind)
            let row = printed.split(separator: "\n").first { $0.hasPrefix(kind.rawValue + " ") }
                .map { $0.split(separator: " ").map(String.init) }
            XCTAssertEqual(row, [kind.rawValue, a.hexString, b.hexString, "\(a.hammingDistance(to: b))/\(a.bits.count)"],
                           printed)
        }
        XCTAssertTrue(shell.failure("compare photo").contains("two at a time"))
        XCTAssertTrue(shell.failure("compare photo mirrored other").contains("not 3"))
        XCTAssertTrue(shell.failure("compare photo mirrored k 5").contains("k goes with query DATA and database DATA"))
        XCTAssertTrue(shell.failure("compare photo mirrored title T").contains("title goes with query DATA and database DATA"))
        XCTAssertTrue(shell.failure("compare photo mirrored as c").contains("as NAME goes with query DATA and database DATA"))
        XCTAssertTrue(shell.failure("compare photo mirored").contains("did you mean `mirrored`"))
    }

    func testEntriesCompleteToModelsAndHashKinds() {
        let (session, _) = makeSession()
        let completer = Completer(session: session)
        XCTAssertEqual(completer.complete("compare d").candidates, ["database", "dhash", "dlbhc", "dsh"])
        XCTAssertEqual(completer.complete("compare dsh c").candidates, ["colorhash"])
        XCTAssertTrue(completer.complete("compare dsh ").candidates.contains("fresh"))
        XCTAssertFalse(completer.complete("compare dsh ").candidates.contains("p"), "a split is not an entry")
    }
}
