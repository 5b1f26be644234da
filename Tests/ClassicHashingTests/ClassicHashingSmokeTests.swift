import XCTest
import ClassicHashing

final class ClassicHashingSmokeTests: XCTestCase {
    func testModuleLinks() { XCTAssertTrue(true) }
}
