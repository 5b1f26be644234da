import XCTest

/// `let NAME VALUE` then `$NAME` wherever a value is written: numbers, texts, and lists for sweeps.
final class VariableExpansionTests: XCTestCase {
    func testNumbersAndTextsGoWhereverAValueIsWritten() throws {
        let shell = CommandSession()
        shell.run("let n 12; let title \"DSH lesson\"; let alphas 0,0.01,0.1; let rate 0.002")
        XCTAssertEqual(shell.run("echo $n bits, ${n}x, $$5: $title"), "12 bits, 12x, $5: DSH lesson\n")
        shell.run("model dsh bits $n net mlp as m")
        let summary = try shell.summary("m")
        XCTAssertTrue(summary.contains("12 bits"), summary)
        shell.run("set m.learning-rate $rate")
        XCTAssertTrue(shell.run("show m").contains("0.002"))
        shell.run("data synthetic per-class 4 size 8 seed 1 as d; split d query 1 train 2 seed 1 as p")
        let sweep = shell.run("sweep m.alpha $alphas on p.train epochs 1 query p.query database p.database as s")
        XCTAssertTrue(sweep.contains("3 runs"), sweep)

        XCTAssertEqual(shell.failure("echo $nothing"),
                       "`$nothing`: no number or text called nothing (keep one with `let nothing VALUE`)")
        XCTAssertEqual(shell.failure("echo $m"),
                       "`$m`: m is a model; only numbers and texts kept with `let` can be put into a command "
                       + "(name other values without the $)")
        XCTAssertEqual(shell.failure("echo 5$"), "`5$`: a $ must be followed by a name (`$n`, `${n}`), or written $$")
    }
}
