import XCTest
import Codes

final class CodesSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
