import Imaging
import XCTest

/// The hue turn against the colour wheel worked by hand: primaries go to primaries, grays stay.
final class EditsHueTests: XCTestCase {
    func testPrimariesTurnAroundTheWheel() {
        // red, green, blue and a gray.
        let image = Image(width: 4, height: 1, channels: 3,
                          samples: [255, 0, 0, 0, 255, 0, 0, 0, 255, 90, 90, 90])
        XCTAssertEqual(image.hueRotated(by: 120).samples, [0, 255, 0, 0, 0, 255, 255, 0, 0, 90, 90, 90])
        XCTAssertEqual(image.hueRotated(by: -120).samples, [0, 0, 255, 255, 0, 0, 0, 255, 0, 90, 90, 90])
        XCTAssertEqual(image.hueRotated(by: 60).samples, [255, 255, 0, 0, 255, 255, 255, 0, 255, 90, 90, 90],
                       "60° takes red to yellow, green to cyan, blue to magenta")
        XCTAssertEqual(image.hueRotated(by: 360).samples, image.samples)
    }

    func testHexconeRoundTripAndAlphaKept() {
        for (r, g, b) in [(12, 200, 77), (255, 128, 0), (1, 2, 3), (240, 10, 250)] {
            let (h, s, v) = HexconeHSV.fromRGB(red: r, green: g, blue: b)
            let back = HexconeHSV.toRGB(hue: h, saturation: s, value: v)
            XCTAssertEqual(back.red * 255, Double(r), accuracy: 1e-9)
            XCTAssertEqual(back.green * 255, Double(g), accuracy: 1e-9)
            XCTAssertEqual(back.blue * 255, Double(b), accuracy: 1e-9)
        }
        let rgba = Image(width: 1, height: 1, channels: 4, samples: [255, 0, 0, 77])
        XCTAssertEqual(rgba.hueRotated(by: 240).samples, [0, 0, 255, 77])
        let gray = Image(width: 1, height: 1, channels: 1, samples: [200])
        XCTAssertEqual(gray.hueRotated(by: 90), gray)
    }
}
