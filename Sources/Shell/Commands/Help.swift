/// `help` and `help CMD`, written from the commands' declarations.
public enum Help {
    /// Every command, grouped by topic: name and abstract, the abstracts wrapped to `width` under their column.
    public static func overview(of registry: CommandRegistry, width: Int) -> String {
        var lines = ["Commands (help COMMAND explains one; Tab completes):"]
        for (topic, commands) in registry.topics {
            lines.append("")
            lines += wrapped("\(topic.name): \(topic.abstract)", width: width)
            lines += labelledRows(commands.map { ($0.name, $0.abstract) }, width: width, maximumLabel: 14)
        }
        return lines.joined(separator: "\n")
    }

    /// The commands of one topic: each synopsis, kept whole, and its abstract below it, wrapped to `width`.
    public static func topic(_ topic: Topic, in registry: CommandRegistry, width: Int) -> String {
        let commands = registry.commands.filter { $0.topic == topic }
        var lines = wrapped("\(topic.name): \(topic.abstract)", width: width)
        for command in commands {
            lines.append("  " + command.synopsis)
            lines += wrapped(command.abstract, width: width, indent: "      ", firstIndent: "      ")
        }
        return lines.joined(separator: "\n")
    }

    /// One command: synopsis, abstract, discussion, arguments, options, result and examples. The abstract, every line
    /// of the discussion and every argument's text are wrapped to `width` (the arguments' under their column, see
    /// `labelledRows`); the synopsis and the examples are kept whole, to be copied.
    public static func detail(of command: Command, width: Int) -> String {
        var lines = ["usage: " + command.synopsis, ""] + wrapped(command.abstract, width: width)
        if !command.discussion.isEmpty {
            for paragraph in command.discussion.split(separator: "\n", omittingEmptySubsequences: false) {
                lines += wrapped(String(paragraph), width: width)
            }
        }
        var rows: [(String, String)] = []
        for argument in command.arguments {
            var text = "\(argument.abstract) (\(argument.kind.description)"
                + (argument.bounds.map { ", \($0.phrase)" } ?? "")
            if argument.isOptional { text += argument.defaultDescription.map { "; default \($0)" } ?? "; optional" }
            text += ")"
            rows.append((argument.placeholder + (argument.isRepeating ? "…" : ""), text))
        }
        for option in command.options {
            let label = option.kind.isFlag ? option.name : "\(option.name) \(option.placeholder)"
            var text = option.abstract
            if !option.kind.isFlag {
                text += " (\(option.kind.description)" + (option.bounds.map { ", \($0.phrase)" } ?? "")
                if let defaultDescription = option.defaultDescription { text += "; default \(defaultDescription)" }
                if !option.isOptional { text += "; required" }
                text += ")"
            }
            rows.append((label, text))
        }
        if let type = command.result.typeName {
            let required = command.result == .required(type) ? "" : " (optional)"
            rows.append(("as NAME", "keep the resulting \(type) as NAME\(required)"))
        }
        if !rows.isEmpty {
            lines.append("")
            lines.append("Arguments:")
            lines += labelledRows(rows, width: width, maximumLabel: 20)
        }
        if !command.examples.isEmpty {
            lines.append("")
            lines.append(command.examples.count == 1 ? "Example:" : "Examples:")
            lines.append(contentsOf: command.examples.map { "  " + Session.prompt + $0 })
        }
        if !command.aliases.isEmpty {
            lines.append("")
            lines.append("Also called: " + command.aliases.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The string padded with blanks to `width` characters (or followed by two blanks when longer).
    func padding(_ width: Int) -> String {
        count >= width ? self + "  " : self + String(repeating: " ", count: width - count)
    }
}
