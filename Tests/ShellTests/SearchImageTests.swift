import ClassicHashing
import Codes
import Imaging
import Learning
import Plots
import Shell
import XCTest

/// `search IMAGE in CODES`: the image is encoded as the codes were, and the neighbours are those of its code.
final class SearchImageTests: XCTestCase {
    /// A tiny trained model and the codes of a small synthetic set (8×8 images, so that it runs in a moment).
    private func makeShell() -> CommandSession {
        let shell = CommandSession()
        shell.run("data synthetic per-class 6 size 8 seed 2 as d; model dsh bits 16 net mlp as m; set m.batch 12")
        shell.run("train m on d epochs 2")
        shell.run("encode d with m as db")
        return shell
    }

    private func nearest(_ query: CodeSet, in database: CodeSet, count: Int) throws -> [Neighbor] {
        try LinearHammingIndex(database).nearest(to: query, count: count)[0]
    }

    func testSearchByImageGivesTheNeighboursOfTheImagesCode() throws {
        let shell = makeShell()
        let model = try shell.session.value(named: "m", as: ModelValue.self).model
        let database = try shell.session.value(named: "db", as: CodeSet.self)
        let images = try shell.session.value(named: "d", as: LabeledImages.self)

        // An image of the set: its code is the database's code for it.
        shell.run("image d index 7 as q")
        let output = shell.run("search q in db top 6 as r")
        let expectedCode = try model.encode(images.subset([7]))
        XCTAssertEqual(expectedCode.words, try database.subset([7]).words)
        let expected = try nearest(expectedCode, in: database, count: 6)
        XCTAssertEqual(try shell.session.value(named: "r", as: SearchResults.self).neighbors, [expected])
        XCTAssertTrue(expected.contains { $0.index == 7 && $0.distance == 0 })
        XCTAssertTrue(output.contains("code \(expectedCode.string(ofCode: 0)) by m (dsh 16 bits, 2 epochs)"), output)

        // An image of another size goes through the model's input preparation.
        shell.run("picture scene size 40 seed 5 as photo")
        shell.run("search photo in db top 4 as r2")
        let photo = try shell.image("photo")
        let photoCode = try model.encode(model.inputImages(for: photo))
        XCTAssertEqual(try shell.session.value(named: "r2", as: SearchResults.self).neighbors,
                       [try nearest(photoCode, in: database, count: 4)])

        // Training on after `encode` changes the model, not how the query is encoded for these codes.
        shell.run("train m on d epochs 4")
        shell.run("search q in db top 6 as r3")
        XCTAssertEqual(try shell.session.value(named: "r3", as: SearchResults.self).neighbors, [expected])

        // An index over the encoded codes keeps what made them; `within` works too.
        shell.run("index db method mih as ix; search q in ix top 6 as r4; search q in db within 3 as r5")
        XCTAssertEqual(try shell.session.value(named: "r4", as: SearchResults.self).neighbors, [expected])
        XCTAssertEqual(try shell.session.value(named: "r5", as: SearchResults.self).neighbors,
                       try LinearHammingIndex(database).within(radius: 3, of: expectedCode))
    }

    func testPreviewsShowTheNearestImagesWithCaptions() throws {
        let shell = makeShell()
        shell.run("image d index 7 as q")
        let output = shell.run("search q in db top 5 as r")
        let results = try shell.session.value(named: "r", as: SearchResults.self).neighbors[0]
        let images = try shell.session.value(named: "d", as: LabeledImages.self)
        for (rank, neighbor) in results.enumerated() {
            XCTAssertTrue(output.contains("\(rank + 1). #\(neighbor.index)"), output)
            XCTAssertTrue(output.contains(images.classNames[Int(images.labels[neighbor.index])]), output)
        }
        XCTAssertTrue(output.contains("distance 0"), output)
        XCTAssertTrue(output.contains("query"), output)
        // Six pictures (the query and five neighbours) of 12 characters side by side: 6 × 12 + 5 gaps of 2 ≥ 80
        // columns, so they take two rows; every picture line is shading characters, not a table.
        let pictureLines = output.split(separator: "\n").filter { line in
            line.count >= 12 && line.allSatisfy { TextPlot.shadingRamp.contains($0) }
        }
        XCTAssertGreaterThanOrEqual(pictureLines.count, 6, output)

        // In colour, the pictures are 24-bit half blocks.
        let sink = CapturingSink()
        let colourSession = Session(output: Output(sinks: [sink], usesColour: true, width: 100))
        colourSession.execute(line: "data synthetic per-class 3 size 8 as d; model dsh bits 8 net mlp as m; "
                              + "encode d with m as db; image d index 2 as q; search q in db top 3")
        XCTAssertEqual(sink.error, "")
        XCTAssertTrue(sink.standard.contains("▀"), sink.standard)
        XCTAssertTrue(sink.standard.contains("\u{1B}[38;2;"), sink.standard)
    }

    func testClassicHashCodesEncodeTheQueryWithTheSameKind() throws {
        let shell = CommandSession()
        shell.run("data synthetic per-class 4 size 32 seed 3 as d; encode d with dhash as dbd")
        shell.run("picture shapes size 48 seed 1 as photo; search photo in dbd top 3 as r")
        let database = try shell.session.value(named: "dbd", as: CodeSet.self)
        let query = try CodeSet(bits: [ImageHash(of: shell.image("photo"), kind: .dhash).bits])
        XCTAssertEqual(try shell.session.value(named: "r", as: SearchResults.self).neighbors,
                       [try nearest(query, in: database, count: 3)])
    }

    func testEncodedCodesStillWorkAsCodes() throws {
        let shell = makeShell()
        let output = shell.run("search db in db top 1 as r")
        let results = try shell.session.value(named: "r", as: SearchResults.self).neighbors
        XCTAssertEqual(results.count, 60)
        XCTAssertTrue(results.allSatisfy { $0.first?.distance == 0 })
        XCTAssertTrue(output.contains("query 0"), output)
        shell.run("code db index 2")
        shell.run("eval db db k 5")
        XCTAssertTrue(try shell.summary("db").hasSuffix("from d by m (dsh 16 bits, 2 epochs)"))
        XCTAssertTrue(shell.run("show db").contains("made by `encode d with m`"))
    }

    func testCodesWithoutProvenanceRefuseImagesClearly() throws {
        let shell = makeShell()
        let folder = try TemporaryFolder()
        let path = folder.url.appendingPathComponent("db.tsv").path
        shell.run("save db to \(path); load codes \(path) as loaded; image d index 1 as q")
        XCTAssertEqual(try shell.session.value(named: "loaded", as: CodeSet.self),
                       try shell.session.value(named: "db", as: CodeSet.self))
        let message = shell.failure("search q in loaded top 3")
        XCTAssertTrue(message.contains("`loaded` does not know what made its codes"), message)
        XCTAssertTrue(shell.failure("image d index 60 as q2").contains("outside `d`'s 0…59"))
    }
}
