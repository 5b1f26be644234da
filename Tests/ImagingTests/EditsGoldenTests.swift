import Foundation
import XCTest
import Imaging

/// Checks the edits against the edited copies in ../shared/golden/perceptual/images, which were made with
/// Pillow from the originals: `NAME-bright.png` = ImageEnhance.Brightness(…).enhance(1.15),
/// `NAME-rot3.png` = rotate(3, resample=BILINEAR), `NAME-mirror.png` = ImageOps.mirror,
/// `NAME-blur.png` = filter(ImageFilter.GaussianBlur(1.5)), `NAME-crop.png` = a 5% margin cut from every side
/// (margins ⌊0.05·width⌋ and ⌊0.05·height⌋) (all in RGB).
/// The parameters were recovered by matching the files; equality is exact, byte for byte.
final class EditsGoldenTests: XCTestCase {
    private func imagesFolder() throws -> URL {
        let shared = ProcessInfo.processInfo.environment["HASHLAB_SHARED"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
        let folder = shared.appendingPathComponent("golden/perceptual/images")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("../shared/golden/perceptual/images is absent: \(folder.path)")
        }
        return folder
    }

    /// A golden file as 8-bit RGB, the way Pillow opened it when it made the edited copies.
    private func readRGB(_ url: URL) throws -> Image {
        try Image.read(pngAt: url.path).convertedToRGB()
    }

    private func check(_ edit: String, _ apply: (Image) throws -> Image) throws {
        let folder = try imagesFolder()
        var compared = 0
        for name in ["astronaut", "camera", "chelsea"] {
            let original = folder.appendingPathComponent("\(name).png")
            let edited = folder.appendingPathComponent("\(name)-\(edit).png")
            guard FileManager.default.fileExists(atPath: edited.path) else { continue }
            let expected = try readRGB(edited)
            let result = try apply(try readRGB(original))
            XCTAssertEqual([result.width, result.height], [expected.width, expected.height], name)
            let differing = zip(result.samples, expected.samples).filter { $0 != $1 }.count
            XCTAssertEqual(differing, 0, "\(name)-\(edit): \(differing) samples differ from Pillow's")
            compared += 1
        }
        if compared == 0 { throw XCTSkip("no \(edit) golden images found") }
    }

    func testBrightnessMatchesPillow() throws { try check("bright") { try $0.brightened(by: 1.15) } }
    func testBilinearRotationMatchesPillow() throws { try check("rot3") { try $0.rotated(degrees: 3, sampling: .bilinear) } }
    func testGaussianBlurMatchesPillow() throws { try check("blur") { try $0.pillowGaussianBlurred(radius: 1.5) } }
    func testCropMatchesGolden() throws {
        try check("crop") { image in
            let marginX = Int(Double(image.width) * 0.05), marginY = Int(Double(image.height) * 0.05)
            return try image.cropped(x: marginX, y: marginY, width: image.width - 2 * marginX,
                                     height: image.height - 2 * marginY)
        }
    }
    func testMirrorMatchesPillow() throws { try check("mirror") { $0.mirrored() } }
}
