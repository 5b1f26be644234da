import Learning

/// The command reference as Markdown, written from the commands' declarations (`hashlab --reference`), so that
/// README.md's "Command reference" section never drifts from the code: a test checks that README.md holds exactly
/// this text between `<!-- COMMAND-REFERENCE -->` and `<!-- /COMMAND-REFERENCE -->`.
public enum CommandReference {
    public static let startMarker = "<!-- COMMAND-REFERENCE -->"
    public static let endMarker = "<!-- /COMMAND-REFERENCE -->"

    /// Every command by topic (in `help` order): its synopsis, abstract and first example; then every hyperparameter
    /// of a model. No trailing newline.
    public static func markdown(of registry: CommandRegistry = .standard) -> String {
        var lines = [
            "## Command reference",
            "",
            "Generated from the command declarations by `hashlab --reference`; in the shell, `help COMMAND` "
                + "explains one command with its arguments and examples. UPPER-CASE words are placeholders, "
                + "`[…]` is optional, `a|b` is a choice, `as NAME` keeps the result under a name.",
        ]
        for (topic, commands) in registry.topics {
            lines.append("")
            lines.append("### \(topic.name): \(topic.abstract)")
            lines.append("")
            for command in commands {
                var line = "- `\(command.synopsis)` — \(command.abstract)"
                if let example = command.examples.first { line += " Example: `\(example)`." }
                if !command.aliases.isEmpty {
                    line += " Also called " + command.aliases.map { "`\($0)`" }.joined(separator: ", ") + "."
                }
                lines.append(line)
            }
        }
        lines += ["", "### hyperparameters: what `set M.NAME VALUE` changes in a model", ""]
        lines += hyperparameterLines()
        return lines.joined(separator: "\n")
    }

    /// One line per hyperparameter of a model, from its declaration (`HashingHyperparameters.specs`): its meaning,
    /// values and default, which models read it, and whether it is fixed once a model has trained.
    static func hyperparameterLines() -> [String] {
        HashingHyperparameters.specs.map { spec in
            var line = "- `\(spec.name)` — \(spec.explanation)"
            if spec.readers != .every { line += "; read by \(spec.readers.only)" }
            if spec.shapesNetwork { line += "; fixed once the model has trained" }
            return line + "."
        }
    }
}
