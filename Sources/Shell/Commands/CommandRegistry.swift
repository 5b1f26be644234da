/// Every command and session option of a shell, looked up by name or alias.
public struct CommandRegistry: Sendable {
    public let commands: [Command]
    public let options: [SessionOption]
    private let byName: [String: Int]

    /// Fails (a programming error) if two commands share a name or alias.
    public init(commands: [Command], options: [SessionOption] = []) {
        self.commands = commands
        self.options = options
        var byName: [String: Int] = [:]
        for (index, command) in commands.enumerated() {
            for name in [command.name] + command.aliases {
                precondition(byName.updateValue(index, forKey: name) == nil, "two commands are called \(name)")
            }
        }
        self.byName = byName
    }

    /// This registry with more commands and options (topic lists, or a test's own commands).
    public func adding(_ moreCommands: [Command], options moreOptions: [SessionOption] = []) -> CommandRegistry {
        CommandRegistry(commands: commands + moreCommands, options: options + moreOptions)
    }

    /// The command called `name` (or with that alias).
    public func command(named name: String) -> Command? {
        byName[name].map { commands[$0] }
    }

    /// Every name and alias, sorted.
    public var allNames: [String] { byName.keys.sorted() }

    /// The command called `name`, or an error suggesting close names.
    public func lookUp(_ name: String) throws(ShellError) -> Command {
        guard let command = command(named: name) else {
            throw .unknownCommand(name, suggestions: Suggestions.closest(to: name, among: allNames))
        }
        return command
    }

    /// The session option called `name`.
    public func option(named name: String) -> SessionOption? {
        options.first { $0.name == name }
    }

    /// Topics in `help` order, each with its commands in declaration order.
    public var topics: [(topic: Topic, commands: [Command])] {
        var order: [Topic] = []
        var grouped: [Topic: [Command]] = [:]
        for command in commands {
            if grouped[command.topic] == nil { order.append(command.topic) }
            grouped[command.topic, default: []].append(command)
        }
        return order.sorted { ($0.rank, $0.name) < ($1.rank, $1.name) }.map { ($0, grouped[$0]!) }
    }
}
