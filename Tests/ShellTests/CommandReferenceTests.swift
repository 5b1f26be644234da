import Foundation
import Shell
import XCTest

/// README.md's command reference is the text `hashlab --reference` generates from the declarations.
final class CommandReferenceTests: XCTestCase {
    func testReadmeHoldsTheGeneratedReferenceBetweenTheMarkers() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: CommandReference.startMarker + "\n"),
                                  "README.md has no \(CommandReference.startMarker) line")
        let end = try XCTUnwrap(readme.range(of: "\n" + CommandReference.endMarker, range: start.upperBound..<readme.endIndex),
                                "README.md has no \(CommandReference.endMarker) after the start marker")
        let block = String(readme[start.upperBound..<end.lowerBound])
        XCTAssertEqual(block, CommandReference.markdown(),
                       "README.md's command reference is stale: replace the block between the markers with the "
                       + "output of `hashlab --reference`")
    }

    func testReferenceListsEveryCommandOnceUnderItsTopic() {
        let markdown = CommandReference.markdown()
        for command in CommandRegistry.standard.commands {
            XCTAssertEqual(markdown.components(separatedBy: "- `\(command.synopsis)` — \(command.abstract)").count, 2,
                           command.name)
        }
        for (topic, _) in CommandRegistry.standard.topics {
            XCTAssertTrue(markdown.contains("\n### \(topic.name): \(topic.abstract)\n"), topic.name)
        }
    }

    func testTheReferenceFlagPrintsIt() throws {
        let result = try HashLabProgram.run(["--reference"])
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.standardOutput, CommandReference.markdown() + "\n")
        XCTAssertEqual(result.standardError, "")
    }
}
