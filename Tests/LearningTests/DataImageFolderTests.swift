import Foundation
import XCTest
import Imaging
import Learning

/// The image-folder reader with a fake decoder: each "PNG" or "JPEG" file holds the text "W H C V", decoded into a
/// W×H image of C channels with every sample V (and a gradient variant "grad W H"), so results can be computed by hand.
final class DataImageFolderTests: XCTestCase {
    struct FakeDecodeError: Error, CustomStringConvertible { var description: String }

    static let decode: @Sendable (String) throws -> Image = { path in
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let fields = text.split(separator: " ").map(String.init)
        if fields.first == "grad", fields.count == 3, let w = Int(fields[1]), let h = Int(fields[2]) {
            // Gray level x·16 at column x.
            var image = Image(width: w, height: h, channels: 1)
            for y in 0..<h { for x in 0..<w { image[x, y, 0] = UInt8(x * 16) } }
            return image
        }
        guard fields.count == 4, let w = Int(fields[0]), let h = Int(fields[1]), let c = Int(fields[2]),
              let v = UInt8(fields[3]) else { throw FakeDecodeError(description: "not a fake PNG") }
        if c == 4 {
            // RGBA: red v, green 0, blue 255, alpha 128.
            var image = Image(width: w, height: h, channels: 4)
            for i in 0..<(w * h) { image.samples[4 * i] = v; image.samples[4 * i + 2] = 255; image.samples[4 * i + 3] = 128 }
            return image
        }
        return Image(width: w, height: h, channels: c, fill: v)
    }

    func write(_ text: String, _ path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func makeRoot() throws -> String {
        let root = try temporaryFolder(self)
        try write("64 64 3 200", root + "/dog/b.png")
        try write("10 20 1 50", root + "/dog/a.PNG")
        try write("ignored", root + "/dog/notes.txt")
        try write("8 8 3 10", root + "/cat/x.png")
        try write("8 8 4 100", root + "/cat/y.png")
        try write("4 4 3 1", root + "/.hidden/z.png")
        try write("stray file", root + "/README")
        return root
    }

    func testJPEGFilesAreListedBesidePNGs() throws {
        let root = try makeRoot()
        for name in ["c.jpg", "D.JPEG", "e.jpeg", "f.gif", "g.jpg.txt"] { try write("8 8 3 10", root + "/dog/" + name) }
        let listing = try ImageFolderDataset.listing(root: root)
        XCTAssertEqual(listing[1].files, ["D.JPEG", "a.PNG", "b.png", "c.jpg", "e.jpeg"].map { root + "/dog/" + $0 })
    }

    func testClassesFilesAndLabelsInSortedOrder() throws {
        let root = try makeRoot()
        let listing = try ImageFolderDataset.listing(root: root)
        XCTAssertEqual(listing.map(\.className), ["cat", "dog"])
        XCTAssertEqual(listing[1].files, [root + "/dog/a.PNG", root + "/dog/b.png"])
        let set = try ImageFolderDataset.load(root: root, size: 4, decode: Self.decode).images
        XCTAssertEqual(set.classNames, ["cat", "dog"])
        XCTAssertEqual(set.labels, [0, 0, 1, 1])
        XCTAssertEqual(set.count, 4)
        XCTAssertEqual(set.channels, 3)
        XCTAssertEqual(set.width, 4)
        // Flat images stay flat through any resize; gray is replicated into R, G, B.
        XCTAssertEqual(set.image(at: 0).samples, [UInt8](repeating: 10, count: 48))
        XCTAssertEqual(set.image(at: 2).samples, [UInt8](repeating: 50, count: 48))
        XCTAssertEqual(set.image(at: 3).samples, [UInt8](repeating: 200, count: 48))
        // RGBA (100, 0, 255, α 128): Pillow's convert("RGB") drops alpha, as PyTorch's ImageFolder loader does.
        XCTAssertEqual(set.image(at: 1).samples, Array([[UInt8]](repeating: [100, 0, 255], count: 16).joined()))
    }

    func testGrayConversionAndBilinearResize() throws {
        let root = try temporaryFolder(self)
        try write("grad 8 2", root + "/only/g.png")
        try write("6 6 4 255", root + "/only/h.png")
        let set = try ImageFolderDataset.load(root: root, size: 4, channels: 1, decode: Self.decode).images
        XCTAssertEqual(set.channels, 1)
        // Columns 0…7 at gray 0, 16, …, 112 shrink by 2 with Pillow's bilinear filter, whose triangle widens to a
        // support of 2 source pixels: output column x is centred at 2x + 1 and weighs the source column centres
        // at distance d by 1 − d/2, clipped at the border. Column 0: (0·¾ + 16·¾ + 32·¼)/1.75 = 11.43 → 11;
        // column 1: (16·¼ + 32·¾ + 48·¾ + 64·¼)/2 = 40; column 2: 72; column 3: (80·¼ + 96·¾ + 112·¾)/1.75 = 100.57
        // → 101. The two identical rows grow to four unchanged.
        XCTAssertEqual(set.image(at: 0).samples, [UInt8]([11, 40, 72, 101, 11, 40, 72, 101, 11, 40, 72, 101,
                                                          11, 40, 72, 101]))
        // Pillow's convert("L") of (255, 0, 255), alpha dropped: (19595·255 + 7471·255 + 32768) >> 16 = 105.
        XCTAssertEqual(set.image(at: 1).samples, [UInt8](repeating: 105, count: 16))
    }

    func testErrors() throws {
        func assertError(_ expression: @autoclosure () throws -> Any, mentions fragments: [String],
                         line: UInt = #line) {
            XCTAssertThrowsError(try expression(), line: line) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains("\n"), line: line)
                for f in fragments { XCTAssertTrue(text.contains(f), "'\(text)' should mention '\(f)'", line: line) }
            }
        }
        assertError(try ImageFolderDataset.load(root: "/nonexistent/pngs", decode: Self.decode),
                    mentions: ["/nonexistent/pngs", "no such folder"])
        let empty = try temporaryFolder(self)
        assertError(try ImageFolderDataset.load(root: empty, decode: Self.decode), mentions: [empty, "no class folders"])
        try FileManager.default.createDirectory(atPath: empty + "/cls", withIntermediateDirectories: true)
        assertError(try ImageFolderDataset.load(root: empty, decode: Self.decode), mentions: [empty, "no PNG or JPEG files"])
        let root = try makeRoot()
        try write("garbage", root + "/dog/c.png")
        try write("more garbage", root + "/dog/d.png")
        // Bad files are skipped and listed with their path and the decoder's reason; the good ones are kept.
        let loaded = try ImageFolderDataset.load(root: root, size: 4, decode: Self.decode)
        XCTAssertEqual(loaded.images.count, 4)
        XCTAssertEqual(loaded.skippedFiles.count, 2)
        XCTAssertTrue(loaded.skippedFiles[0].contains(root + "/dog/c.png"), loaded.skippedFiles[0])
        XCTAssertTrue(loaded.skippedFiles[0].contains("not a fake PNG"), loaded.skippedFiles[0])
        XCTAssertTrue(loaded.skippedFiles[1].contains(root + "/dog/d.png"), loaded.skippedFiles[1])
        // A class folder without a readable image is skipped and named: it takes no label.
        try FileManager.default.createDirectory(atPath: root + "/ant", withIntermediateDirectories: true)
        try write("garbage", root + "/bee/only.png")
        let withEmpty = try ImageFolderDataset.load(root: root, size: 4, decode: Self.decode)
        XCTAssertEqual(withEmpty.images.classNames, ["cat", "dog"])
        XCTAssertEqual(withEmpty.images.labels, [0, 0, 1, 1])
        XCTAssertEqual(withEmpty.emptyClasses, ["ant", "bee"])
        // Nothing readable at all: the first failure in file order is the error.
        let bad = try temporaryFolder(self)
        try write("garbage", bad + "/x/a.png")
        try write("garbage", bad + "/x/b.png")
        assertError(try ImageFolderDataset.load(root: bad, decode: Self.decode), mentions: [bad + "/x/a.png", "not a fake PNG"])
        assertError(try ImageFolderDataset.load(root: root, size: 0, decode: Self.decode), mentions: ["size"])
        assertError(try ImageFolderDataset.load(root: root, channels: 2, decode: Self.decode), mentions: ["channels"])
    }
}
