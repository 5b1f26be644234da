import Shell
import XCTest

/// The forms of `bake`, the test command below.
private enum Dish: String, ArgumentWord { case bread, cake }

/// A command declared with typed parameters only: every check below comes from these declarations, none from its
/// body, which records what it read.
private enum Bake {
    static let dish = Argument.positional("dish", Dish.self, "what to bake")
    static let minutes = Argument.keyword("minutes", Int.self, "how long", default: 30, bounds: .atLeast(1))
    static let heat = Argument.keyword("heat", Double.self, "how hot", bounds: .positive)
    static let yeast = Argument.flag("yeast", "add yeast", forms: ["bread"])
    static let icing = Argument.keyword("icing", String.self, "on top", forms: ["cake"])
    static let timer = Argument.keyword("timer", Int.self, "ring after N minutes", goesWith: ["minutes"])
    static let tray = Argument.keyword("tray", Int.self, "which tray", goesWith: ["shelf"])
    static let shelf = Argument.keyword("shelf", Int.self, "which shelf", goesWith: ["tray"])
}

private let bakeCommand = Command("bake", topic: .session, abstract: "Bakes (a test command).",
                                  arguments: [Bake.dish],
                                  options: [Bake.minutes, Bake.heat, Bake.yeast, Bake.icing, Bake.timer, Bake.tray,
                                             Bake.shelf]) { invocation in
    let dish = try invocation[Bake.dish], minutes = try invocation[Bake.minutes], heat = try invocation[Bake.heat]
    invocation.output.line("\(dish.rawValue) \(minutes) \(heat.map { String($0) } ?? "-") "
                           + "\(try invocation[Bake.yeast]) \(try invocation[Bake.icing] ?? "-")")
    return nil
}

/// Typed command declarations: values read back with their types and defaults, and bounds, forms and "goes with"
/// checked by the binder, completion offering only what the form takes.
final class TypedDeclarationTests: XCTestCase {
    private func makeSession() -> CommandSession {
        CommandSession(registry: CommandRegistry.standard.adding([bakeCommand]))
    }

    func testValuesAreReadWithTheirTypesAndDefaults() {
        let shell = makeSession()
        XCTAssertEqual(shell.run("bake bread"), "bread 30 - false -\n")
        XCTAssertEqual(shell.run("bake bread minutes 45 heat 180 yeast"), "bread 45 180.0 true -\n")
        XCTAssertEqual(shell.run("bake cake icing lemon"), "cake 30 - false lemon\n")
    }

    func testTheDeclarationsRefuseInOneLine() {
        let shell = makeSession()
        for (line, message) in [
            ("bake bread minutes 0", "bake: minutes must be 1 or more, not 0"),
            ("bake bread heat 0", "bake: heat must be positive, not 0"),
            ("bake cake yeast", "bake cake: yeast goes with bake bread"),
            ("bake bread icing lemon", "bake bread: icing goes with bake cake"),
            ("bake bread timer 5", "bake: timer goes with minutes N"),
            ("bake bread tray 1", "bake: give both tray N and shelf N"),
            ("bake bred", "did you mean `bread`"),
        ] {
            let error = shell.failure(line)
            XCTAssertTrue(error.contains(message), "\(line): \(error)")
        }
        XCTAssertEqual(shell.run("bake bread minutes 10 timer 5 tray 1 shelf 2"), "bread 10 - false -\n")
    }

    func testCompletionOffersWhatTheFormTakes() {
        let shell = makeSession()
        let completer = Completer(session: shell.session)
        XCTAssertEqual(completer.complete("bake ").candidates, ["bread", "cake", "heat", "icing", "minutes", "shelf",
                                                                 "timer", "tray", "yeast"])
        XCTAssertEqual(completer.complete("bake bread ").candidates, ["heat", "minutes", "shelf", "timer", "tray",
                                                                       "yeast"])
        XCTAssertEqual(completer.complete("bake cake minutes 5 ").candidates, ["heat", "icing", "shelf", "timer",
                                                                                "tray"])
        // The real commands declare theirs the same way: `data synthetic` takes no `part`.
        XCTAssertFalse(completer.complete("data synthetic ").candidates.contains("part"))
        XCTAssertEqual(completer.complete("data cifar10 /tmp ").candidates, ["as", "part", "size"])
    }

    func testHelpShowsTheBounds() {
        let shell = makeSession()
        let help = shell.run("help bake")
        XCTAssertTrue(help.contains("a whole number, 1 or more; default 30"), help)
        XCTAssertTrue(help.contains("a number, positive"), help)
    }
}
