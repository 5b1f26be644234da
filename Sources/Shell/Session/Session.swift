import Foundation

/// Where a command came from, for error messages: `tutorial.hl:12`, `-c:2`, `<stdin>:3`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

/// The state of one shell: named values, settings, output, and the Ctrl-C flag.
public final class Session {
    /// Every command and session option the shell knows.
    public let registry: CommandRegistry
    public let output: Output
    /// Raised by Ctrl-C; lowered before each command.
    public let interruptFlag: InterruptFlag

    private var storage: [String: any ShellValue] = [:]
    /// Names in the order the values were made.
    public private(set) var valueNames: [String] = []

    /// Prints each command's wall time after it (`timer on`).
    public var isTimerOn = false
    /// Does not echo script commands (`--quiet`).
    public var isQuiet = false
    /// Stops a script at its first failing command (`--bail`).
    public var bails = false
    /// True in a terminal session (prompt, line editing).
    public var isInteractive = false
    /// Free-form settings that topic options keep (`set seed 7` could live here).
    public var settings: [String: String] = [:]
    /// Set by `quit`: the shell stops reading commands.
    public internal(set) var quitRequested = false
    /// The notebooks being recorded, outermost first (`--notebook`, then each `notebook start`): each is also one
    /// of the output's sinks, so a lesson replayed into a notebook may record a part of itself into another.
    public internal(set) var notebookRecorders: [NotebookRecorder] = []
    /// The innermost notebook being recorded: the one `notebook stop` writes.
    public var notebookRecorder: NotebookRecorder? { notebookRecorders.last }
    /// How deeply `run` scripts are nested now.
    var scriptDepth = 0

    public init(registry: CommandRegistry = .standard, output: Output, interruptFlag: InterruptFlag = InterruptFlag()) {
        self.registry = registry
        self.output = output
        self.interruptFlag = interruptFlag
    }

    /// A session whose output is kept in the returned sink, for tests and embedding.
    public static func capturing(registry: CommandRegistry = .standard) -> (Session, CapturingSink) {
        let sink = CapturingSink()
        return (Session(registry: registry, output: Output(sinks: [sink])), sink)
    }

    // MARK: Values

    /// True for a name a value can be kept under: a letter or `_`, then letters, digits or `_`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    /// The value called `name`; `a.b` is the member `b` of the value `a`.
    public func value(named name: String) throws(ShellError) -> any ShellValue {
        if let value = storage[name] { return value }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1, var value = storage[parts[0]] else {
            throw .unknownValue(name, suggestions: Suggestions.closest(to: name, among: valueNames))
        }
        var reached = parts[0]
        for part in parts.dropFirst() {
            guard let member = value.member(named: part) else {
                let members = value.memberNames.map { "\(reached).\($0)" }
                throw .unknownValue(name, suggestions: Suggestions.closest(to: name, among: members))
            }
            value = member
            reached += "." + part
        }
        return value
    }

    /// The value called `name` as type `T` (a value that wraps a `T`, such as an encoded code set, gives the `T`).
    public func value<T: ShellValue>(named name: String, as type: T.Type) throws(ShellError) -> T {
        let value = try value(named: name)
        guard let typed = unwrapped(value, as: T.self) else {
            throw .wrongValueType(name: name, actual: value.typeName, expected: [T.typeName])
        }
        return typed
    }

    /// Keeps `value` under `name`, replacing any value of that name.
    public func store(_ value: any ShellValue, as name: String) throws(ShellError) {
        guard Session.isValidName(name) else { throw .invalidName(name) }
        if storage.updateValue(value, forKey: name) == nil {
            valueNames.append(name)
        }
    }

    /// Forgets the value called `name`.
    public func removeValue(named name: String) throws(ShellError) {
        guard storage.removeValue(forKey: name) != nil else {
            throw .unknownValue(name, suggestions: Suggestions.closest(to: name, among: valueNames))
        }
        valueNames.removeAll { $0 == name }
    }

    /// Gives the value called `name` the name `newName` (replacing any value called `newName`).
    public func renameValue(_ name: String, to newName: String) throws(ShellError) {
        guard Session.isValidName(newName) else { throw .invalidName(newName) }
        guard let value = storage[name] else {
            throw .unknownValue(name, suggestions: Suggestions.closest(to: name, among: valueNames))
        }
        guard name != newName else { return }
        if storage[newName] != nil { try removeValue(named: newName) }
        storage[newName] = value
        storage[name] = nil
        valueNames[valueNames.firstIndex(of: name)!] = newName
    }

    /// Names of values with one of these type names (all when empty), with the names of their members.
    public func names(ofTypes types: [String]) -> [String] {
        var names: [String] = []
        for name in valueNames {
            guard let value = storage[name] else { continue }
            if types.isEmpty || types.contains(value.typeName) { names.append(name) }
            for memberName in value.memberNames {
                if let member = value.member(named: memberName), types.isEmpty || types.contains(member.typeName) {
                    names.append("\(name).\(memberName)")
                }
            }
        }
        return names
    }

    /// All values, to put back if a command fails.
    struct Snapshot {
        var storage: [String: any ShellValue]
        var names: [String]
    }

    func snapshot() -> Snapshot { Snapshot(storage: storage, names: valueNames) }

    func restore(_ snapshot: Snapshot) {
        storage = snapshot.storage
        valueNames = snapshot.names
    }

    // MARK: Interruption

    /// True once Ctrl-C was pressed during the current command.
    public var isInterrupted: Bool { interruptFlag.isRaised }

    /// A closure for library code (trainers, folder hashing) to poll: `shouldStop: session.interruptionCheck`.
    public var interruptionCheck: @Sendable () -> Bool { interruptFlag.check }

    /// Throws `ShellError.interrupted` when Ctrl-C was pressed.
    public func checkInterruption() throws(ShellError) {
        if isInterrupted { throw .interrupted }
    }
}
