import Foundation
import Imaging
import Shell
import XCTest

/// A session with captured output, for running commands in process.
final class CommandSession {
    let session: Session
    let sink: CapturingSink

    init(registry: CommandRegistry = .standard) {
        (session, sink) = Session.capturing(registry: registry)
    }

    /// Runs one line and returns what it printed on standard output; fails the test if it reported an error.
    @discardableResult
    func run(_ line: String, file: StaticString = #filePath, line number: UInt = #line) -> String {
        sink.clear()
        let summary = session.execute(line: line)
        XCTAssertEqual(summary.failures, 0, "`\(line)` failed: \(sink.error)", file: file, line: number)
        return sink.standard
    }

    /// Runs one line that must fail, and returns its error message (one line, without the `error:` prefix); checks
    /// that the session's values are the same before and after.
    func failure(_ line: String, file: StaticString = #filePath, line number: UInt = #line) -> String {
        let before = session.valueNames.map { "\($0)=\((try? session.value(named: $0))?.summary ?? "")" }
        sink.clear()
        let summary = session.execute(line: line)
        XCTAssertEqual(summary.failures, 1, "`\(line)` should fail; printed \(sink.standard)", file: file, line: number)
        let after = session.valueNames.map { "\($0)=\((try? session.value(named: $0))?.summary ?? "")" }
        XCTAssertEqual(before, after, "a failing command changed the values", file: file, line: number)
        let message = sink.error
        XCTAssertTrue(message.hasPrefix("error: "), message, file: file, line: number)
        XCTAssertEqual(message.filter { $0 == "\n" }.count, 1, "not one line: \(message)", file: file, line: number)
        return String(message.dropFirst("error: ".count).dropLast())
    }

    /// The image called `name`.
    func image(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> Image {
        try session.value(named: name, as: Image.self)
    }

    /// The summary of the value called `name`.
    func summary(_ name: String) throws -> String {
        try session.value(named: name).summary
    }
}

/// `../shared/RELATIVE` beside the package root (or under $HASHLAB_SHARED); skips the test when it is absent.
func sharedPath(_ relative: String) throws -> String {
    let base = ProcessInfo.processInfo.environment["HASHLAB_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared").path
    let path = URL(fileURLWithPath: base).appendingPathComponent(relative).standardized.path
    guard FileManager.default.fileExists(atPath: path) else {
        throw XCTSkip("../shared/\(relative) is absent: \(path)")
    }
    return path
}

/// The package root (the folder holding Package.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// One row of imagehash's golden expected.tsv: file, hex per kind, and the kinds named unstable.
struct GoldenRow {
    var file: String
    var hashes: [String: String]
    var unstable: Set<String>
}

/// The golden table of `../shared/golden/perceptual/expected.tsv`, and the kinds of its header.
func goldenRows() throws -> (kinds: [String], rows: [GoldenRow]) {
    let text = try String(contentsOfFile: try sharedPath("golden/perceptual/expected.tsv"), encoding: .utf8)
    let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    let header = lines[0]
    let kinds = header.dropFirst().filter { $0 != "unstable" }
    let rows = lines.dropFirst().map { cells in
        var hashes: [String: String] = [:]
        for kind in kinds { hashes[kind] = cells[header.firstIndex(of: kind)!] }
        let unstableCell = cells[header.firstIndex(of: "unstable")!]
        return GoldenRow(file: cells[0], hashes: hashes,
                         unstable: Set(unstableCell.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }))
    }
    return (Array(kinds), rows)
}

/// The bits of a hex string, most significant first, the leading pad bits (beyond `count`) dropped.
func bits(ofHex hex: String, count: Int) -> [Bool] {
    let all = hex.flatMap { digit -> [Bool] in
        let value = digit.hexDigitValue!
        return (0..<4).map { value >> (3 - $0) & 1 == 1 }
    }
    return Array(all.suffix(count))
}
