import Shell
import XCTest

final class TokenizerTests: XCTestCase {
    private func words(_ line: String) throws -> [[String]] {
        try Tokenizer.statements(in: line).map { $0.tokens.map(\.text) }
    }

    func testBlanksSeparateWords() throws {
        XCTAssertEqual(try words("hash  phash\tcat as h1\r\n"), [["hash", "phash", "cat", "as", "h1"]])
    }

    func testQuotedWordsKeepBlanksAndAreMarked() throws {
        let statement = try XCTUnwrap(Tokenizer.statements(in: #"echo "two words" 'single "q"' plain"#).first)
        XCTAssertEqual(statement.tokens.map(\.text), ["echo", "two words", #"single "q""#, "plain"])
        XCTAssertEqual(statement.tokens.map(\.isQuoted), [false, true, true, false])
    }

    func testEscapesInsideDoubleQuotesOnly() throws {
        XCTAssertEqual(try words(#"echo "a \"b\" \\ c" 'x\n'"#), [["echo", #"a "b" \ c"#, #"x\n"#]])
    }

    func testQuotesJoinNeighbouringCharacters() throws {
        XCTAssertEqual(try words(#"echo pre"fix mid"post"#), [["echo", "prefix midpost"]])
    }

    func testCommentsEndTheLine() throws {
        XCTAssertEqual(try words("show m   # the model; not a command"), [["show", "m"]])
        XCTAssertEqual(try words("# only a comment"), [])
        XCTAssertEqual(try words("echo a#b"), [["echo", "a#b"]], "a # inside a word is not a comment")
        XCTAssertEqual(try words("echo \"# not a comment\""), [["echo", "# not a comment"]])
    }

    func testSemicolonsSeparateCommands() throws {
        let statements = try Tokenizer.statements(in: #"let x 1; show x;echo "a;b" ; ;"#)
        XCTAssertEqual(statements.map { $0.tokens.map(\.text) }, [["let", "x", "1"], ["show", "x"], ["echo", "a;b"]])
        XCTAssertEqual(statements.map(\.source), ["let x 1", "show x", #"echo "a;b""#])
    }

    func testBlankLineHasNoStatement() throws {
        XCTAssertEqual(try words("   \t "), [])
    }

    func testUnterminatedQuoteIsAnError() {
        XCTAssertThrowsError(try Tokenizer.statements(in: #"echo "open"#)) { error in
            XCTAssertEqual(error as? ShellError, .unterminatedQuote("\""))
            XCTAssertEqual("\(error)", #"unterminated quote: a " has no closing ""#)
        }
    }

    func testPartialLineForCompletion() {
        let partial = Tokenizer.partialLine("train m on p.tr")
        XCTAssertEqual(partial.completeTokens.map(\.text), ["train", "m", "on"])
        XCTAssertEqual(partial.partialWord, "p.tr")
        let afterBlank = Tokenizer.partialLine("echo a; show ")
        XCTAssertEqual(afterBlank.completeTokens.map(\.text), ["show"])
        XCTAssertEqual(afterBlank.partialWord, "")
        let quoted = Tokenizer.partialLine(#"run "my fo"#)
        XCTAssertEqual(quoted.partialWord, "my fo")
        XCTAssertEqual(quoted.partialWordSource, #""my fo"#)
        XCTAssertEqual(quoted.openQuote, "\"")
        let joined = Tokenizer.partialLine(#"echo «é»; run a"b c"\d"#)
        XCTAssertEqual(joined.partialWord, #"ab c\d"#)
        XCTAssertEqual(joined.partialWordSource, #"a"b c"\d"#, "the word as typed, from its first character")
        XCTAssertEqual(afterBlank.partialWordSource, "")
    }
}
