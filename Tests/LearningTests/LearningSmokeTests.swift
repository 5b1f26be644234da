import XCTest
import Learning

final class LearningSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
