import ClassicHashing
import Foundation
import XCTest

/// Codes made from a data set know its class names: listings, search results and evaluations speak of classes
/// ("disc"), not label numbers, a search by labelled codes says the query's class and marks each hit, and a
/// precision within a radius that retrieves nothing says so instead of printing 0.
final class ClassNameDisplayTests: XCTestCase {
    func testListingsAndSearchResultsNameTheClasses() throws {
        let shell = CommandSession()
        shell.run("data synthetic per-class 6 size 16 seed 1 as d; encode d with dhash as db")
        let bits = shell.run("bits db first 1")
        XCTAssertTrue(bits.contains("disc"), bits)
        XCTAssertTrue(bits.contains("ring"), bits)
        XCTAssertFalse(bits.contains("label 0"), bits)
        XCTAssertTrue(shell.run("code db index 1").contains("class ring (label 1)"))
        let show = shell.run("show db")
        XCTAssertTrue(show.contains("class"), show)

        // Search by codes: each query's class, how many hits share it, and a mark per hit.
        let found = shell.run("search db in db top 3")
        XCTAssertTrue(found.contains("query 0 (class disc): 3 found, "), found)
        let firstTable = found.components(separatedBy: "query 1 (class ring)")[0]
        XCTAssertTrue(firstTable.contains("same"), firstTable)
        XCTAssertTrue(firstTable.contains("disc") && firstTable.contains("✓"), "the query finds itself first: \(firstTable)")

        // Search by an image taken out of the data set: it knows its class, and marks the neighbours that share it.
        shell.run("image d index 3 as q")
        XCTAssertTrue(try shell.summary("q").hasSuffix("class frame (image 3 of d)"))
        let byImage = shell.run("search q in db top 3")
        XCTAssertTrue(byImage.contains("the query is of class frame; "), byImage)
        XCTAssertTrue(byImage.contains("frame ✓"), "the image itself is found first, of its own class: \(byImage)")
        // It is an image wherever an image is taken.
        let image = try shell.image("q")
        XCTAssertEqual(shell.run("hash ahash q"), "ahash  \(try ClassicHashing.hash(image, kind: .ahash).hexString)\n")
        shell.run("mirror q as mirrored; histogram q as hq")

        // Nothing within radius 2 of any query: P(r≤2) is no number at all, not a precision of 0.
        let folder = try TemporaryFolder()
        let queries = try folder.write("code\tlabel\n00000000\t0\n00000001\t1\n", to: "q.tsv")
        let database = try folder.write("code\tlabel\n11111111\t0\n11110000\t1\n", to: "db.tsv")
        shell.run("load codes \(queries.path) as q; load codes \(database.path) as far")
        let none = shell.run("eval q far k 1")
        XCTAssertTrue(none.contains("none  nothing lies within Hamming distance 2 of any query"), none)
        // One query of two retrieves something within radius 4: said, and the other counts as precision 0.
        let some = shell.run("eval q far k 1 radius 4")
        XCTAssertTrue(some.contains("1 of 2 queries retrieve something within radius 4"), some)
    }
}
