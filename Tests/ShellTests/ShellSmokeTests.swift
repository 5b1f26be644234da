import XCTest
import Shell

final class ShellSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
