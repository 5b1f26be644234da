/// The shell's commands: each topic file contributes one list. Add a topic's list here.
extension CommandRegistry {
    public static let standard = CommandRegistry(
        commands: coreCommands,
        options: coreSessionOptions
    )
}
