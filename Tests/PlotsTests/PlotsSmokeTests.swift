import XCTest
import Plots

final class PlotsSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
