import ClassicHashing
import Foundation
import Imaging
import Shell
import XCTest

/// What an imagehash user types first: images by path wherever an IMAGE is taken, a folder whose images fail one
/// kind without losing the others, and Pillow's rotate filters — through the built program, as scripts run.
final class ImageFileArgumentTests: XCTestCase {
    /// Two pictures written as PNG files, one in a folder whose name has a blank.
    private func pictures() throws -> (folder: TemporaryFolder, photo: Image, turned: Image) {
        let folder = try TemporaryFolder()
        let photo = SyntheticPicture.make(.scene, size: 64, seed: 3)
        let turned = try photo.rotated(degrees: 3, sampling: .bilinear)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("my photos"),
                                                withIntermediateDirectories: true)
        try photo.writePNG(to: folder.url.appendingPathComponent("my photos/photo.png").path)
        try turned.writePNG(to: folder.url.appendingPathComponent("turned.png").path)
        return (folder, photo, turned)
    }

    func testHashBitsExplainAndEditsTakeAPath() throws {
        let (folder, photo, turned) = try pictures()
        let phash = try hash(photo, kind: .phash).hexString
        let script = try folder.write("""
            hash phash "my photos/photo.png" as h
            show h
            hash all turned.png
            explain ahash turned.png
            mirror "my photos/photo.png" as m
            compare "my photos/photo.png" turned.png
            hash phash missing.png
            hash phash "my photos"
            """, to: "paths.hl")
        try folder.write("not an image", to: "notes.png")
        let result = try HashLabProgram.run(["--quiet", script.path], in: folder.url)
        XCTAssertTrue(result.standardOutput.hasPrefix("phash  \(phash)\nphash \(phash) (64 bits)\n"), result.standardOutput)
        for kind in HashKind.allCases {
            XCTAssertTrue(result.standardOutput.contains("\(kind.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0))"
                                                         + (try hash(turned, kind: kind).hexString)), kind.rawValue)
        }
        // compare names files by their last part and measures every kind.
        let distance = try hash(photo, kind: .dhash).hammingDistance(to: try hash(turned, kind: .dhash))
        XCTAssertTrue(result.standardOutput.contains("photo.png"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains(" \(distance)/64\n"), result.standardOutput)
        // A missing file, and a folder where an image is expected (a folder *is* a folder for `hash`: hashed).
        XCTAssertTrue(result.standardError.contains("paths.hl:7: error: hash IMAGE|FOLDER: expected an image "
                                                    + "(by name, or an image file) or an existing folder, got `missing.png`"),
                      result.standardError)
        XCTAssertTrue(result.standardOutput.contains("1 of 1 image files hashed in my photos"), result.standardOutput)
        XCTAssertEqual(result.status, 1)

        // An existing file that is no image: its reader's one-line reason; the session keeps its values.
        let shell = CommandSession()
        shell.run("picture dots size 8 as dots")
        XCTAssertEqual(shell.failure("hash phash \(folder.url.path)/notes.png"),
                       "hash: \(folder.url.path)/notes.png: not a PNG or JPEG file")
        XCTAssertEqual(shell.failure("mirror \(folder.url.path) as m"),
                       "mirror IMAGE: \(folder.url.path) is a folder, not an image file")
        XCTAssertEqual(shell.failure("load image \(folder.url.path) as m"),
                       "load FILE: \(folder.url.path) is a folder, not a file")
        // An image is written as PNG only, under a .png name.
        XCTAssertEqual(shell.failure("save dots to \(folder.url.path)/dots.jpg"),
                       "save: \(folder.url.path)/dots.jpg: images are written as PNG; end the name with .png")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.url.path + "/dots.jpg"))
        // A value's name wins over a file of the same name.
        let named = try folder.write("", to: "dots")
        XCTAssertTrue(FileManager.default.fileExists(atPath: named.path))
        XCTAssertEqual(shell.run("cd \(folder.url.path)"), "")
        XCTAssertTrue(shell.run("hash ahash dots").hasPrefix("ahash  "))
    }

    /// Tab offers paths for an IMAGE once no value's name fits what was typed (names first, as always).
    func testTabCompletesImagePaths() throws {
        let (folder, _, _) = try pictures()
        let shell = CommandSession()
        shell.run("picture dots size 8 as dots")
        let completer = Completer(session: shell.session)
        let base = folder.url.path
        XCTAssertEqual(completer.complete("mirror do").candidates, ["dots"])
        let paths = completer.complete("hash phash \(base)/tu")
        XCTAssertTrue(paths.arePaths)
        XCTAssertEqual(paths.candidates, ["\(base)/turned.png"])
        XCTAssertEqual(completer.complete("explain ahash \(base)/my").candidates, ["\(base)/my photos/"])
    }

    func testFolderWithAFailingKindKeepsTheOtherCells() throws {
        let (folder, photo, turned) = try pictures()
        let output = folder.url.appendingPathComponent("hashes.tsv").path
        // whash refuses a hash size that is not a power of two, as imagehash does; the other kinds take it.
        let result = try HashLabProgram.run(["--quiet", "-c", "hash all . size 6 to \(output) as t; load hashes \(output) as back; vars"],
                                            in: folder.url)
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains(
            "- whash (2 images: my photos/photo.png, turned.png): whash needs a power-of-two hash size, got 6\n"),
                      result.standardOutput)
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines[0], "file\tahash\tdhash\tphash\twhash\tcolorhash")
        let expected = try [photo, turned].map { image in
            try [HashKind.ahash, .dhash, .phash].map { try hash(image, kind: $0, size: 6).hexString }
                + ["-", try hash(image, kind: .colorhash).hexString]
        }
        XCTAssertEqual(lines[1], "my photos/photo.png\t" + expected[0].joined(separator: "\t"))
        XCTAssertEqual(lines[2], "turned.png\t" + expected[1].joined(separator: "\t"))
        XCTAssertTrue(result.standardOutput.contains("2 images × ahash dhash phash whash colorhash from . (2 empty cells)"),
                      result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("(2 empty cells)\nback"), "the table loads back with its empty cells")
    }

    func testRotateTakesEachOfPillowsFilters() throws {
        let shell = CommandSession()
        shell.run("picture scene size 48 seed 5 as photo")
        let photo = SyntheticPicture.make(.scene, size: 48, seed: 5)
        shell.run("rotate photo 7.5 as plain")
        XCTAssertEqual(try shell.image("plain"), try photo.rotated(degrees: 7.5, sampling: .nearest))
        for sampling in RotationSampling.allCases {
            shell.run("rotate photo 7.5 filter \(sampling.rawValue) as r")
            XCTAssertEqual(try shell.image("r"), try photo.rotated(degrees: 7.5, sampling: sampling), sampling.rawValue)
        }
        XCTAssertNotEqual(try photo.rotated(degrees: 7.5, sampling: .nearest),
                          try photo.rotated(degrees: 7.5, sampling: .bilinear))
        XCTAssertEqual(shell.failure("rotate photo 7.5 filter lanczos as r"),
                       "rotate filter: `lanczos` is not one of nearest, bilinear, bicubic")
    }
}
