import Foundation
import XCTest

/// Every lesson in tutorials/*.hl replays with the built program, in script mode, without a failing command.
final class TutorialReplayTests: XCTestCase {
    func testEveryTutorialReplaysWithoutErrors() throws {
        let folder = packageRoot.appendingPathComponent("tutorials")
        let tutorials = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".hl") }.sorted()
        XCTAssertTrue(tutorials.contains("01-perceptual-hashes.hl"), "found \(tutorials)")
        XCTAssertTrue(tutorials.contains("02-histogram-matching.hl"), "found \(tutorials)")
        // Tutorial 07 records its summary as a notebook (inside the replay): remove an older one first.
        let summary = "/tmp/hashlab-tutorial-07/summary.md"
        try? FileManager.default.removeItem(atPath: summary)
        for tutorial in tutorials {
            // Run from an empty working folder, so that a lesson cannot lean on files of the checkout.
            let workingFolder = try TemporaryFolder()
            let path = folder.appendingPathComponent(tutorial).path
            let result = try HashLabProgram.run([path], in: workingFolder.url)
            XCTAssertEqual(result.status, 0, "\(tutorial) failed:\n\(result.standardError)")
            XCTAssertEqual(result.standardError, "", tutorial)
            let commands = result.standardOutput.components(separatedBy: "\n").filter { $0.hasPrefix("hashlab> ") }
            XCTAssertGreaterThan(commands.count, 10, "\(tutorial) echoed too few commands")
        }
        if tutorials.contains("07-compare.hl") {
            let markdown = try String(contentsOfFile: summary, encoding: .utf8)
            XCTAssertTrue(markdown.contains("hashlab> compare dlbhc dsh dpsh triplet phash colorhash"), markdown)
            XCTAssertTrue(markdown.contains("](summary-files/compare.png)"), markdown)
        }
    }
}
