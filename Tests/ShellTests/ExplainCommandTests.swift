import ClassicHashing
import Foundation
import Imaging
import Shell
import XCTest

/// `explain KIND IMAGE` walks through a classic hash; its bits must be the hash's.
final class ExplainCommandTests: XCTestCase {
    func testExplainEndsWithTheHexThatHashPrintsForEveryKind() throws {
        let shell = CommandSession()
        shell.run("picture scene size 96 seed 5 as photo")
        shell.run("noise photo 12 seed 2 as grainy")
        shell.run("picture shapes size 40 seed 9 as shapes")
        for name in ["photo", "grainy", "shapes"] {
            for kind in HashKind.allCases {
                let explanation = shell.run("explain \(kind.rawValue) \(name)")
                let hashed = shell.run("hash \(kind.rawValue) \(name)")
                let lastLine = explanation.split(separator: "\n").last.map(String.init)
                XCTAssertEqual(lastLine.map { $0 + "\n" }, hashed, "\(kind) of \(name)")
                XCTAssertFalse(explanation.contains("(note:"),
                               "\(kind) of \(name): recomputed bits differ\n\(explanation)")
            }
        }
    }

    func testExplainShowsTheSteps() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as p")
        let ahash = shell.run("explain ahash p")
        for step in ["1. gray", "2. resize to 8×8 with Lanczos", "3. the thumbnail's gray values",
                     "4. threshold: their mean", "5. the bits", "6. as hexadecimal"] {
            XCTAssertTrue(ahash.contains(step), "missing \(step) in\n\(ahash)")
        }
        XCTAssertTrue(shell.run("explain dhash p").contains("2. resize to 9×8"))
        XCTAssertTrue(shell.run("explain phash p").contains("2. resize to 32×32"))
        XCTAssertTrue(shell.run("explain whash p").contains("2. resize to 64×64"))
        XCTAssertTrue(shell.run("explain colorhash p").contains("bright magenta"))
        XCTAssertTrue(shell.failure("explain phash").contains("explain phash IMAGE"))
    }

    /// A flat picture's pHash walkthrough shows the library's DCT: 63 AC coefficients exactly 0 (printed as 0,
    /// not ±0.0), median 0, and only the DC bit set, as imagehash computes it.
    func testExplainPhashOfAFlatPictureShowsExactZeros() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as p")
        shell.run("crop p 10 10 1 1 as dot")
        shell.run("resize dot 40 30 as flat")
        let walkthrough = try ClassicHashWalkthrough(kind: .phash, image: try shell.image("flat"))
        XCTAssertGreaterThan(walkthrough.values[0], 0)
        XCTAssertEqual(Array(walkthrough.values.dropFirst()), [Double](repeating: 0, count: 63))
        XCTAssertEqual(walkthrough.threshold, 0)
        let explanation = shell.run("explain phash flat")
        XCTAssertTrue(explanation.contains("their median 0;"), explanation)
        let cells = explanation.split(whereSeparator: \.isWhitespace)
        XCTAssertFalse(cells.contains("0.0") || cells.contains("-0.0"), explanation)
        XCTAssertTrue(explanation.hasSuffix("phash  8000000000000000\n"), explanation)
    }

    /// The walkthrough's own bits against the library and against imagehash's golden hashes (stable cells).
    func testWalkthroughBitsMatchTheLibraryAndImagehash() throws {
        for seed: UInt64 in 1...4 {
            for kind in [SyntheticPicture.Kind.scene, .shapes] {
                let image = SyntheticPicture.make(kind, width: 50 + Int(seed) * 13, height: 70, seed: seed)
                for hashKind in HashKind.allCases {
                    XCTAssertEqual(try ClassicHashWalkthrough(kind: hashKind, image: image).hash,
                                   try ClassicHashing.hash(image, kind: hashKind), "\(hashKind) of \(kind) \(seed)")
                }
            }
        }
        let (_, rows) = try goldenRows()
        let folder = try sharedPath("golden/perceptual/images")
        for row in rows.prefix(40) {
            let image = try Image.read(pngAt: folder + "/" + row.file)
            for kind in HashKind.allCases where !row.unstable.contains(kind.rawValue) {
                XCTAssertEqual(try ClassicHashWalkthrough(kind: kind, image: image).hash.hexString,
                               row.hashes[kind.rawValue], "\(kind) of \(row.file)")
            }
        }
    }
}
