import Foundation
import XCTest

/// `../shared` beside the package root (or $HASHLAB_SHARED); skips the test when it is absent.
func sharedFolder(_ relative: String) throws -> String {
    let root: String
    if let override = ProcessInfo.processInfo.environment["HASHLAB_SHARED"] {
        root = override
    } else {
        root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared").standardized.path
    }
    let path = root + "/" + relative
    guard FileManager.default.fileExists(atPath: path) else {
        throw XCTSkip("../shared/\(relative) is absent: \(path)")
    }
    return path
}
