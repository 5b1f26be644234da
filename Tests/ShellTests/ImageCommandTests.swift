import Foundation
import Imaging
import Shell
import XCTest

/// `load`, `save`, `picture`, the edits and `show IMAGE`, run in process through a capturing session.
final class ImageCommandTests: XCTestCase {
    func testPictureIsTheSyntheticPictureOfThatKindSizeAndSeed() throws {
        let shell = CommandSession()
        XCTAssertEqual(shell.run("picture scene size 64 seed 3 as photo"), "photo: 64×64 RGB\n")
        XCTAssertEqual(try shell.image("photo"), SyntheticPicture.make(.scene, size: 64, seed: 3))
        shell.run("picture shapes as shapes")
        XCTAssertEqual(try shell.image("shapes"), SyntheticPicture.make(.shapes, size: 256, seed: 1),
                       "defaults: size 256, seed 1")
        XCTAssertEqual(try shell.summary("shapes"), "256×256 RGB")
    }

    func testEditsMakeNewImagesEqualToTheImagingEdits() throws {
        let shell = CommandSession()
        shell.run("picture scene size 64 seed 3 as photo")
        let photo = SyntheticPicture.make(.scene, size: 64, seed: 3)
        shell.run("resize photo 32 24 as small")
        XCTAssertEqual(try shell.image("small"), photo.resized(width: 32, height: 24, filter: .lanczos))
        shell.run("resize photo 16 16 filter bilinear as tiny")
        XCTAssertEqual(try shell.image("tiny"), photo.resized(width: 16, height: 16, filter: .bilinear))
        XCTAssertEqual(shell.run("crop photo 4 8 20 10 as piece"), "piece: 20×10 RGB\n")
        XCTAssertEqual(try shell.image("piece"), try photo.cropped(x: 4, y: 8, width: 20, height: 10))
        shell.run("rotate photo 3 as turned")
        XCTAssertEqual(try shell.image("turned"), try photo.rotated(degrees: 3))  // nearest, Pillow's default
        shell.run("mirror photo as mirrored")
        XCTAssertEqual(try shell.image("mirrored"), photo.mirrored())
        shell.run("flip photo as flipped")
        XCTAssertEqual(try shell.image("flipped"), photo.flipped())
        shell.run("blur photo 1.5 as soft")
        XCTAssertEqual(try shell.image("soft"), try photo.pillowGaussianBlurred(radius: 1.5))
        shell.run("brightness photo 1.3 as bright")
        XCTAssertEqual(try shell.image("bright"), try photo.brightened(by: 1.3))
        shell.run("contrast photo 0.5 as flat")
        XCTAssertEqual(try shell.image("flat"), try photo.contrasted(by: 0.5))
        shell.run("noise photo 8 seed 4 as grainy")
        XCTAssertEqual(try shell.image("grainy"), try photo.withGaussianNoise(sigma: 8, seed: 4))
        shell.run("gray photo as plain")
        XCTAssertEqual(try shell.image("plain"), photo.convertedToGray())
        XCTAssertEqual(try shell.summary("plain"), "64×64 gray")
        XCTAssertEqual(try shell.image("photo"), photo, "edits leave the original alone")
    }

    func testHueTurnsPrimariesAndKeepsGrays() throws {
        let shell = CommandSession()
        // Red, green, blue, a gray and a dark orange (hue 30°, saturation 0.5, value 0.8 → 204, 153, 102).
        let colours = Image(width: 5, height: 1, channels: 3,
                            samples: [255, 0, 0, 0, 255, 0, 0, 0, 255, 90, 90, 90, 204, 153, 102])
        try shell.session.store(colours, as: "colours")
        shell.run("hue colours 120 as turned")
        // +120°: red → green, green → blue, blue → red; gray stays; 30° → 150° (102, 204, 153).
        XCTAssertEqual(try shell.image("turned").samples,
                       [0, 255, 0, 0, 0, 255, 255, 0, 0, 90, 90, 90, 102, 204, 153])
        shell.run("hue colours 0 as same")
        XCTAssertEqual(try shell.image("same"), colours)
        shell.run("hue colours -120 as back")
        XCTAssertEqual(try shell.image("back").samples,
                       [0, 0, 255, 255, 0, 0, 0, 255, 0, 90, 90, 90, 153, 102, 204])
    }

    func testSaveAndLoadRoundTripAPNGAndMakeParentFolders() throws {
        let folder = try TemporaryFolder()
        let shell = CommandSession()
        shell.run("picture dots size 40 seed 2 as dots")
        let path = folder.url.appendingPathComponent("new/sub/dots.png").path
        XCTAssertEqual(shell.run("save dots to \(path)"), "wrote \(path)\n")
        XCTAssertEqual(try Image.read(pngAt: path), try shell.image("dots"))
        XCTAssertEqual(shell.run("load image \(path) as back"), "back: 40×40 RGB\n")
        XCTAssertEqual(try shell.image("back"), try shell.image("dots"))
    }

    func testLoadReadsGrayAlphaPNGs() throws {
        let folder = try TemporaryFolder()
        let image = Image(width: 3, height: 2, channels: 2, samples: [0, 255, 50, 128, 100, 0, 150, 255, 200, 9, 250, 1])
        let path = folder.url.appendingPathComponent("ga.png").path
        try image.writePNG(to: path)
        let shell = CommandSession()
        XCTAssertEqual(shell.run("load image \(path) as ga"), "ga: 3×2 gray+alpha\n")
        XCTAssertEqual(try shell.image("ga"), image)
    }

    func testShowDrawsAPreviewAndTheSize() throws {
        let shell = CommandSession()
        shell.run("picture gradient size 48 seed 1 as g")
        let plain = shell.run("show g")
        let lines = plain.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.last, "48×48 RGB")
        XCTAssertEqual(lines.count, 1 + 24, "48 columns, half as many rows (cells are twice as tall as wide)")
        XCTAssertTrue(lines.dropLast().allSatisfy { $0.count == 48 })
        XCTAssertFalse(plain.contains("\u{1B}"), "no escapes without colour")
        let ramp = Set(" .:-=+*#%@")
        XCTAssertTrue(lines.dropLast().joined().allSatisfy { ramp.contains($0) })

        shell.session.output.usesColour = true
        let coloured = shell.run("show g")
        XCTAssertTrue(coloured.contains("\u{1B}[38;2;"), "24-bit foreground escapes")
        XCTAssertTrue(coloured.contains("▀"), "upper half blocks")
        XCTAssertTrue(coloured.hasSuffix("48×48 RGB\n"))
    }

    func testBadInputIsAOneLineErrorAndKeepsTheValues() throws {
        let folder = try TemporaryFolder()
        let shell = CommandSession()
        shell.run("picture scene size 32 seed 1 as photo")
        XCTAssertEqual(shell.failure("load image \(folder.url.path)/missing.png as x"),
                       "\(folder.url.path)/missing.png: no such file")
        let corrupt = try folder.write("this is not a PNG file at all", to: "corrupt.png")
        XCTAssertEqual(shell.failure("load image \(corrupt.path) as photo"), "\(corrupt.path): not a PNG or JPEG file")
        let empty = try folder.write("", to: "empty.png")
        XCTAssertTrue(shell.failure("load image \(empty.path) as photo").hasPrefix(empty.path))
        var png = try SyntheticPicture.make(.noise, size: 32, seed: 1).pngData()
        png.removeLast(png.count / 2)
        let truncated = folder.url.appendingPathComponent("truncated.png")
        try Data(png).write(to: truncated)
        XCTAssertTrue(shell.failure("load image \(truncated.path) as photo").hasPrefix(truncated.path + ": "))
        XCTAssertEqual(shell.failure("crop photo 20 20 16 16 as c"),
                       "crop 16×16 at (20, 20) does not fit inside the 32×32 image")
        XCTAssertTrue(shell.failure("crop photo -1 0 4 4 as c").contains("does not fit"))
        XCTAssertEqual(shell.failure("resize photo -4 8 as r"),
                       "resize: width must be between 1 and 16384, not -4")
        XCTAssertTrue(shell.failure("resize photo 0 8 as r").hasPrefix("resize:"))
        // Bounds declared with the arguments, checked before the edit runs.
        XCTAssertEqual(shell.failure("blur photo -2 as b"), "blur: radius must be 0 or more, not -2")
        XCTAssertEqual(shell.failure("brightness photo -1 as b"), "brightness: factor must be 0 or more, not -1")
        XCTAssertEqual(shell.failure("contrast photo -0.5 as b"), "contrast: factor must be 0 or more, not -0.5")
        XCTAssertEqual(shell.failure("noise photo -3 as n"), "noise: sigma must be 0 or more, not -3")
        XCTAssertEqual(shell.failure("noise photo 3 seed -1 as n"), "noise: seed must be 0 or more, not -1")
        XCTAssertEqual(shell.failure("picture scene seed -1 as p"), "picture: seed must be 0 or more, not -1")
        XCTAssertEqual(shell.failure("picture scene size 0 as p"), "picture: size must be between 1 and 4096, not 0")
        XCTAssertEqual(shell.failure("picture sceen as p"),
                       "picture kind: `sceen` is not one of shapes, gradient, stripes, checker, noise, dots, scene; "
                       + "did you mean `scene`?")
        XCTAssertEqual(shell.failure("load picture x.png as p"),
                       "load kind: `picture` is not one of image, hashes, codes, model, sweep")
        XCTAssertEqual(shell.failure("mirror photo"), "mirror: say `as NAME` to keep the result")
        XCTAssertEqual(shell.failure("mirror nothing as m"), "no value named `nothing` (vars lists them)")
        XCTAssertTrue(shell.failure("save photo to \(corrupt.path)/inside.png").hasPrefix(corrupt.path + ": "),
                      "a file where a folder should be")
    }
}

/// What `load` takes depends on the kind of file: each option belongs to the kinds it is declared for.
final class LoadOptionTests: XCTestCase {
    func testAnOptionOfAnotherKindOfFileIsRefusedBeforeReading() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("file\tphash\n", to: "hashes.tsv").path
        let shell = CommandSession()
        XCTAssertEqual(shell.failure("load image \(file) labels \(file) as x"),
                       "load image: labels goes with load codes")
        XCTAssertEqual(shell.failure("load hashes \(file) bits 8 as x"),
                       "load hashes: bits goes with load codes or load model")
        XCTAssertEqual(shell.failure("load sweep \(file) method dsh as x"), "load sweep: method goes with load model")
        XCTAssertEqual(shell.failure("load codes \(file) mean 0.5 as x"), "load codes: mean goes with load model")
        XCTAssertEqual(shell.run("load hashes \(file) as x"), "x: 0 images × phash from \(file)\n",
                       "without them it loads")
    }

    func testCompletionOffersOnlyTheOptionsOfTheKindTyped() {
        let completer = Completer(session: CommandSession().session)
        XCTAssertEqual(completer.complete("load image photo.png ").candidates, ["as"])
        XCTAssertEqual(completer.complete("load codes db.npy ").candidates, ["as", "bits", "labels"])
        XCTAssertEqual(completer.complete("load model m.safetensors ").candidates,
                       ["as", "bits", "mean", "method", "net", "std"])
    }

    func testHelpShowsTheBounds() {
        let shell = CommandSession()
        XCTAssertTrue(shell.run("help blur").contains("(a number, 0 or more)"))
        XCTAssertTrue(shell.run("help picture").contains("the random seed (a whole number, 0 or more; default 1)"))
    }
}
