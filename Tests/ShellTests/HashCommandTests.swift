import ClassicHashing
import Codes
import Foundation
import Imaging
import Shell
import XCTest

/// `hash`, `bits`, `distance`, `compare`, `dupes` and `load hashes`, run in process.
final class HashCommandTests: XCTestCase {
    /// `hash all IMAGE` of golden images prints imagehash's hex strings (cells marked unstable excepted).
    func testHashOfGoldenImagesEqualsImagehash() throws {
        let (kinds, rows) = try goldenRows()
        let images = try sharedPath("golden/perceptual/images")
        let shell = CommandSession()
        let chosen = rows.filter { ["astronaut.png", "astronaut-rot3.png", "astronaut-palette.png", "camera.png"]
            .contains($0.file) || $0.file.hasPrefix("cifar-test-0000") }
        XCTAssertGreaterThanOrEqual(chosen.count, 5)
        for row in chosen {
            shell.run("load image \(images)/\(row.file) as picture")
            let printed = shell.run("hash all picture")
            let lines = printed.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
            XCTAssertEqual(lines.map { String($0[0]) }, kinds, row.file)
            for line in lines where !row.unstable.contains(String(line[0])) {
                XCTAssertEqual(String(line[1]), row.hashes[String(line[0])], "\(row.file) \(line[0])")
            }
            // One kind, kept under a name: the value's summary names kind, hex and bit count.
            shell.run("hash phash picture as h")
            if !row.unstable.contains("phash") {
                XCTAssertEqual(try shell.summary("h"), "phash \(row.hashes["phash"]!) (64 bits)")
            }
        }
    }

    /// `hash all FOLDER to FILE.tsv` writes expected.tsv's header (without `unstable`) and its rows, stable cells
    /// equal, files relative to the folder and sorted.
    func testHashAllOfTheGoldenFolderWritesExpectedTSV() throws {
        let (kinds, rows) = try goldenRows()
        let images = try sharedPath("golden/perceptual/images")
        let folder = try TemporaryFolder()
        let output = folder.url.appendingPathComponent("out/hashes.tsv").path
        let shell = CommandSession()
        let printed = shell.run("hash all \(images) to \(output) as table")
        XCTAssertTrue(printed.hasPrefix("\(rows.count) of \(rows.count) image files hashed in \(images)\n"), printed)
        XCTAssertTrue(printed.hasSuffix("wrote \(output)\n"))
        XCTAssertTrue(printed.contains("\n… \(rows.count - 30) more rows (keep the table"), "long tables are cut short")
        XCTAssertEqual(shell.run("show table").split(separator: "\n").count, 2 + rows.count, "show prints every row")
        XCTAssertEqual(try shell.summary("table"),
                       "\(rows.count) images × ahash dhash phash whash colorhash from \(images)")
        let written = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(written[0], ["file"] + kinds)
        XCTAssertEqual(written.count, rows.count + 1)
        let expected = Dictionary(uniqueKeysWithValues: rows.map { ($0.file, $0) })
        XCTAssertEqual(written.dropFirst().map { $0[0] }, rows.map(\.file).sorted())
        var compared = 0
        for cells in written.dropFirst() {
            let row = try XCTUnwrap(expected[cells[0]])
            for (index, kind) in kinds.enumerated() where !row.unstable.contains(kind) {
                XCTAssertEqual(cells[index + 1], row.hashes[kind], "\(row.file) \(kind)")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, rows.count * 4)

        // The table loads back as a value, and `save` writes the same text.
        shell.run("load hashes \(output) as again")
        let saved = folder.url.appendingPathComponent("again.tsv").path
        shell.run("save again to \(saved)")
        XCTAssertEqual(try String(contentsOfFile: saved, encoding: .utf8),
                       try String(contentsOfFile: output, encoding: .utf8))
    }

    /// Golden rows loaded from a TSV: `bits` draws the hex as an 8×8 grid; `distance` counts differing bits.
    func testBitsAndDistanceOfLoadedHashes() throws {
        let folder = try TemporaryFolder()
        let first = "c2924c5532bddfc8", second = "c2934c5532bdd7c9"
        let a = try folder.write("file\tphash\tcolorhash\na.png\t\(first)\t0b400018000\n", to: "a.tsv")
        let b = try folder.write("file\tphash\tunstable\nb.png\t\(second)\t\n", to: "b.tsv")
        let shell = CommandSession()
        XCTAssertEqual(shell.run("load hashes \(a.path) as a"), "a: 1 image × phash colorhash from \(a.path)\n")
        shell.run("load hashes \(b.path) as b")

        let grid = shell.run("bits a.phash").split(separator: "\n").map(String.init)
        XCTAssertEqual(grid[0], "phash \(first) (64 bits)")
        let expectedBits = bits(ofHex: first, count: 64)
        let expectedRows = stride(from: 0, to: 64, by: 8).map { start in
            String(expectedBits[start..<start + 8].map { $0 ? "█" : "·" })
        }
        XCTAssertEqual(Array(grid.dropFirst()), expectedRows)
        // The colour hash is 42 bits: 14 rows of binbits = 3.
        let colour = shell.run("bits a.colorhash").split(separator: "\n")
        XCTAssertEqual(colour.count, 1 + 14)
        XCTAssertTrue(colour.dropFirst().allSatisfy { $0.count == 3 })

        let differing = zip(bits(ofHex: first, count: 64), bits(ofHex: second, count: 64)).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 3)
        let printed = shell.run("distance a.phash b.phash as d").split(separator: "\n").map(String.init)
        XCTAssertEqual(printed[0], "hamming distance 3 of 64 bits (4.7% differ)")
        XCTAssertEqual(printed.count, 2 + 8, "a header line, then 8 rows of three grids")
        XCTAssertEqual(printed.dropFirst(2).map { $0.filter { $0 == "✕" }.count }.reduce(0, +), 3)
        XCTAssertEqual(try shell.summary("d"), "3")

        XCTAssertEqual(shell.failure("distance a.phash a.colorhash"),
                       "distance: `a.phash` is a 64-bit phash, `a.colorhash` a 42-bit colorhash; "
                       + "compare hashes of one kind and size")
        XCTAssertEqual(shell.failure("bits a"), "`a` is a set of hashes, expected a hash or a set of codes")
    }

    func testHashKindsOnAnImageAndTheirErrors() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo")
        XCTAssertTrue(shell.run("hash dhash photo as d").hasPrefix("dhash  "))
        XCTAssertTrue(try shell.summary("d").hasPrefix("dhash "))
        shell.run("hash ahash photo size 16 as big")
        XCTAssertTrue(try shell.summary("big").hasSuffix("(256 bits)"))
        XCTAssertEqual(shell.run("bits big").split(separator: "\n").count, 1 + 16)
        shell.run("hash colorhash photo binbits 4 as c")
        XCTAssertTrue(try shell.summary("c").hasSuffix("(56 bits)"))
        shell.run("hash all photo as every")
        shell.run("hash whash photo as w")
        XCTAssertEqual(try shell.summary("every.whash"), try shell.summary("w"))

        XCTAssertEqual(shell.failure("hash bhash photo"),
                       "hash kind: `bhash` is not one of ahash, dhash, phash, whash, colorhash, all; "
                       + "did you mean `ahash`, `dhash` or `phash`?")
        XCTAssertEqual(shell.failure("hash phash photo size 1"), "hash: size must be between 2 and 64, not 1")
        XCTAssertEqual(shell.failure("hash phash photo binbits 0"), "hash: binbits must be between 1 and 16, not 0")
        XCTAssertEqual(shell.failure("hash phash /no/such/folder"),
                       "hash IMAGE|FOLDER: expected an image (by name, or an image file) or an existing folder, "
                       + "got `/no/such/folder`")
    }

    func testCompareShowsBothImagesAndEveryKind() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo")
        shell.run("mirror photo as mirrored")
        let printed = shell.run("compare photo mirrored")
        XCTAssertTrue(printed.contains("photo 64×64 RGB"))
        XCTAssertTrue(printed.contains("mirrored 64×64 RGB"))
        let table = printed.split(separator: "\n").drop { !$0.hasPrefix("kind") }.map(String.init)
        XCTAssertEqual(table.count, 2 + 5)
        for (line, kind) in zip(table.dropFirst(2), ["ahash", "dhash", "phash", "whash", "colorhash"]) {
            let cells = line.split(separator: " ").map(String.init)
            XCTAssertEqual(cells[0], kind)
            shell.run("hash \(kind) photo as x")
            shell.run("hash \(kind) mirrored as y")
            XCTAssertEqual(try shell.summary("x").split(separator: " ")[1], Substring(cells[1]))
            XCTAssertEqual(try shell.summary("y").split(separator: " ")[1], Substring(cells[2]))
            let distance = shell.run("distance x y").split(separator: " ")[2]
            XCTAssertTrue(cells[3].hasPrefix(distance + "/"), "\(cells[3]) vs \(distance)")
        }
        XCTAssertTrue(table.last!.hasSuffix(" 0/42"), "the mirror keeps every colour")
    }

    func testDupesGroupsEditedCopiesApartFromOtherPictures() throws {
        let folder = try TemporaryFolder()
        let photo = SyntheticPicture.make(.scene, size: 96, seed: 3)
        try photo.writePNG(to: folder.url.appendingPathComponent("a-photo.png").path)
        try photo.resized(width: 64, height: 64).writePNG(to: folder.url.appendingPathComponent("b-small.png").path)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("sub"),
                                                withIntermediateDirectories: true)
        try photo.pillowGaussianBlurred(radius: 1).writePNG(to: folder.url.appendingPathComponent("sub/c-soft.png").path)
        let other = SyntheticPicture.make(.stripes, size: 96, seed: 8)
        try other.writePNG(to: folder.url.appendingPathComponent("d-other.png").path)
        try other.flipped().writePNG(to: folder.url.appendingPathComponent("e-other-flipped.png").path)
        try folder.write("not a png", to: "f-broken.png")
        let shell = CommandSession()
        let printed = shell.run("dupes \(folder.url.path) using phash within 6")
        let lines = printed.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("skipped f-broken.png: ") })
        XCTAssertTrue(lines.contains("1 group of near-duplicates (3 of 5 images) by phash within distance 6"),
                      printed)
        XCTAssertTrue(lines.contains("group 1: 3 images"))
        let files = lines.compactMap { $0.split(separator: " ").first.map(String.init) }.filter { $0.hasSuffix(".png") }
        XCTAssertEqual(files, ["a-photo.png", "b-small.png", "sub/c-soft.png"])
        let all = shell.run("dupes \(folder.url.path) using dhash within 64")
        XCTAssertTrue(all.contains("1 group of near-duplicates (5 of 5 images) by dhash within distance 64"), all)
        XCTAssertEqual(shell.failure("dupes \(folder.url.path) using phash within -1"),
                       "dupes: within must be 0 or more, not -1")
        XCTAssertEqual(shell.failure("dupes \(folder.url.path) using phash"), "dupes: missing within D (see help dupes)")
        XCTAssertEqual(shell.failure("dupes \(folder.url.path) using phash within 3 size 1"),
                       "dupes: size must be between 2 and 64, not 1")
        let colour = shell.run("dupes \(folder.url.path) using colorhash within 0 binbits 2")
        XCTAssertTrue(colour.contains("by colorhash within distance 0"), colour)
        XCTAssertEqual(shell.failure("dupes \(folder.url.path)/nothing using phash within 3"),
                       "\(folder.url.path)/nothing: no such folder")

        // Ctrl-C (the raised flag) stops folder hashing: the files left are skipped and the command fails.
        shell.session.interruptFlag.raise()
        XCTAssertEqual(shell.failure("hash all \(folder.url.path) as table"), "interrupted")
        XCTAssertEqual(shell.failure("dupes \(folder.url.path) using phash within 6"), "interrupted")
        shell.session.interruptFlag.lower()
        shell.run("hash all \(folder.url.path) as table")
        XCTAssertEqual(try shell.summary("table"), "5 images × ahash dhash phash whash colorhash from \(folder.url.path)")
    }
}

/// `dupes`, `distance` and `search` at hash sizes whose codes are shorter or longer than a model's 8…256 bits: the
/// hashes are codes like any other, so each goes through the same search.
final class HashLengthCommandTests: XCTestCase {
    func testDupesAndDistanceAtFourAndAThousandBits() throws {
        let folder = try TemporaryFolder()
        let photo = SyntheticPicture.make(.scene, size: 96, seed: 3)
        let pictures = try [photo, photo.resized(width: 64, height: 64), photo.pillowGaussianBlurred(radius: 1),
                        SyntheticPicture.make(.stripes, size: 96, seed: 8), SyntheticPicture.make(.shapes, size: 40, seed: 2),
                        Image(width: 1, height: 1, channels: 3, samples: [30, 200, 90])]
        let files = pictures.indices.map { "p\($0).png" }
        for (file, picture) in zip(files, pictures) { try picture.writePNG(to: folder.url.appendingPathComponent(file).path) }
        let shell = CommandSession()
        for (size, radius) in [(2, 0), (2, 1), (32, 150), (32, 300), (64, 900)] {
            let hashes = try pictures.map { try ClassicHashing.hash($0, kind: .dhash, size: size) }
            // The groups by hand: the connected components of the pairs within the radius.
            var group = Array(hashes.indices)
            for i in hashes.indices {
                for j in hashes.indices where j > i && hashes[i].hammingDistance(to: hashes[j]) <= radius {
                    let (from, to) = (max(group[i], group[j]), min(group[i], group[j]))
                    group = group.map { $0 == from ? to : $0 }
                }
            }
            let grouped = hashes.indices.filter { i in group.filter { $0 == group[i] }.count > 1 }
            let printed = shell.run("dupes \(folder.url.path) using dhash within \(radius) size \(size)")
            XCTAssertTrue(printed.contains("(\(grouped.count) of 6 images) by dhash within distance \(radius)"),
                          "size \(size) within \(radius): \(printed)")
            let listed = printed.split(separator: "\n").compactMap { $0.split(separator: " ").first }.filter { $0.hasSuffix(".png") }
            XCTAssertEqual(listed.map(String.init).sorted(), grouped.map { files[$0] }, "size \(size) within \(radius)")
        }
        shell.run("hash dhash \(folder.url.appendingPathComponent("p0.png").path) size 64 as big0")
        shell.run("hash dhash \(folder.url.appendingPathComponent("p3.png").path) size 64 as big3")
        let expected = try ClassicHashing.hash(pictures[0], kind: .dhash, size: 64)
            .hammingDistance(to: ClassicHashing.hash(pictures[3], kind: .dhash, size: 64))
        XCTAssertTrue(shell.run("distance big0 big3").hasPrefix("hamming distance \(expected) of 4096 bits"))
    }

    func testAHashOfFourBitsSearchesFourBitCodes() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo")
        shell.run("hash ahash photo size 2 as tiny")
        let tiny = try shell.session.value(named: "tiny", as: ImageHash.self)
        let flipped = tiny.bits.map { !$0 }
        try shell.session.store(CodeSet(bits: [flipped, tiny.bits], names: ["opposite", "same"]), as: "db")
        let printed = shell.run("search tiny in db top 2")
        let rows = printed.split(separator: "\n").suffix(2).map { $0.split(separator: " ").map(String.init) }
        XCTAssertEqual(rows, [["1", "1", "same", "0"], ["2", "0", "opposite", "4"]], printed)
    }
}

/// A hash is a query for `search` (the Codes topic): its distances are the Hamming distances of `distance`.
final class HashSearchTests: XCTestCase {
    func testAHashSearchesACodeSet() throws {
        let folder = try TemporaryFolder()
        let first = "c2924c5532bddfc8", near = "c2934c5532bdd7c9", far = "3d6db3aacd422037"
        let table = try folder.write("file\tphash\nq.png\t\(first)\n", to: "q.tsv")
        let shell = CommandSession()
        shell.run("load hashes \(table.path) as q")
        let database = try CodeSet(bits: [bits(ofHex: far, count: 64), bits(ofHex: near, count: 64)],
                                   names: ["far.png", "near.png"])
        try shell.session.store(database, as: "db")
        let printed = shell.run("search q.phash in db top 1")
        let row = try XCTUnwrap(printed.split(separator: "\n").last).split(separator: " ").map(String.init)
        XCTAssertEqual(row, ["1", "1", "near.png", "3"], printed)
        let within = shell.run("search q.phash in db within 64")
        XCTAssertTrue(within.contains("far.png") && within.contains(" 64"), within)
    }
}

/// `bits` on learned codes: one row per code, grouped by label, every bit as █ or ·.
final class CodeBitsTests: XCTestCase {
    func testCodesAreDrawnPerClassWithEveryBit() throws {
        let (session, sink) = Session.capturing()
        let strings = ["101100001", "011100000", "000000001", "111111111", "100000000"]
        try session.store(CodeSet(strings: strings, labels: [1, 0, 1, 0, 1]), as: "c")
        session.execute(line: "bits c first 2")
        XCTAssertEqual(sink.error, "")
        let rows = sink.standard.split(separator: "\n").filter { $0.hasPrefix("  #") }
        // Label 0 first (codes 1 and 3), then label 1's first two (0 and 2); code 4 is the third of label 1.
        XCTAssertEqual(rows.map { $0.split(separator: " ").first! }, ["#1", "#3", "#0", "#2"])
        for (row, index) in zip(rows, [1, 3, 0, 2]) {
            let drawn = row.split(separator: " ").suffix(2).joined().map { $0 == "█" ? "1" : "0" }.joined()
            XCTAssertEqual(drawn, strings[index], String(row))
        }
        XCTAssertTrue(sink.standard.contains("share of 1s per bit: 0.60 0.40"), sink.standard)
        sink.clear()
        session.execute(line: "bits c first 0")
        XCTAssertEqual(sink.error, "error: bits: first must be 1 or more, not 0\n")
    }
}
