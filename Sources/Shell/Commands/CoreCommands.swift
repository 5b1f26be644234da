import Foundation
import Learning

/// The arguments of the shell's own commands, one namespace per command (nested: `Set` and `Timer` would hide
/// Swift's and Foundation's types elsewhere).
enum Core {
    enum Help {
        static let subject = Argument.positional(
            "command", .custom(placeholder: "COMMAND", description: "a command or topic",
                               completions: { session in
                                   session.registry.allNames + session.registry.topics.map(\.topic.name)
                               }),
            "the command (or topic) to explain", optional: true).readAsOptionalText
    }
    enum Show {
        static let value = Argument.positional("name", valueOf: [], "the value to display")
    }
    enum Let {
        static let name = Argument.positional("name", .newName, "the name to keep it under").readAsText
        static let value = Argument.positional("value", String.self, "a number, or a text (quote it to include blanks)",
                                               placeholder: "VALUE")
    }
    enum Set {
        static let target = Argument.positional(
            "target", .custom(placeholder: "NAME.FIELD|OPTION", description: "a value's field or a session option",
                              completions: settableTargets),
            "what to change", optional: true).readAsOptionalText
        static let value = Argument.positional("value", String.self, "the new value", optional: true,
                                               placeholder: "VALUE")
    }
    enum Delete {
        static let values = Argument.positional("names", .value([]), "the values to forget", repeating: true)
            .readAsValues
    }
    enum Rename {
        static let value = Argument.positional("name", valueOf: [], "the value to rename")
        static let newName = Argument.positional("newName", .newName, "its new name").readAsText
    }
    enum Run {
        static let file = Argument.path("file", .file, "the script (.hl) to replay", required: true, positional: true)
    }
    enum Timer {
        /// `timer on|off`.
        enum State: String, CaseIterable, Sendable, ArgumentWord { case on, off }
        static let state = Argument.positional("state", State.self, "on or off", optional: true,
                                               otherwise: "shows whether the timer is on")
    }
    enum Echo {
        static let words = Argument.positional("words", .text, "the words to print", optional: true, repeating: true)
            .readAsTexts
    }
    enum Sleep {
        static let seconds = Argument.positional("seconds", Double.self, "how long to pause", placeholder: "SECONDS",
                                                 bounds: .atLeast(0))
    }
    enum Cd {
        static let folder = Argument.path("folder", .folder, "the new working folder", positional: true, otherwise: "~")
    }
}

/// The shell's own commands: help, values, scripts and settings.
let coreCommands: [Command] = [
    Command("help", topic: .session,
            abstract: "Lists the commands, or explains one (in a terminal, through $PAGER or less when longer than the screen).",
            arguments: [Core.Help.subject],
            examples: ["help", "help show"]) { invocation in
        let registry = invocation.session.registry
        guard let name = try invocation[Core.Help.subject] else {
            invocation.output.paged(Help.overview(of: registry, width: invocation.output.width) + "\n")
            return nil
        }
        if let command = registry.command(named: name) {
            invocation.output.paged(Help.detail(of: command, width: invocation.output.width) + "\n")
        } else if let topic = registry.topics.first(where: { $0.topic.name == name })?.topic {
            invocation.output.paged(Help.topic(topic, in: registry, width: invocation.output.width) + "\n")
        } else {
            throw ShellError.unknownCommand(name, suggestions: Suggestions.closest(
                to: name, among: registry.allNames + registry.topics.map(\.topic.name)))
        }
        return nil
    },

    Command("vars", topic: .session,
            abstract: "Lists the session's values: name, type and a summary.",
            examples: ["vars"]) { invocation in
        let session = invocation.session
        guard !session.valueNames.isEmpty else {
            invocation.output.line("no values yet (keep a command's result with `as NAME`)")
            return nil
        }
        let nameWidth = min(24, session.valueNames.map(\.count).max()! + 2)
        let values = session.valueNames.map { ($0, try? session.value(named: $0)) }
        let typeWidth = (values.compactMap { $0.1?.typeName.count }.max() ?? 4) + 2
        for (name, value) in values {
            guard let value else { continue }
            invocation.output.line(name.padding(nameWidth) + value.typeName.padding(typeWidth) + value.summary)
        }
        return nil
    },

    Command("show", topic: .session,
            abstract: "Displays a value in full.",
            arguments: [Core.Show.value],
            examples: ["show h1"]) { invocation in
        try invocation[Core.Show.value].value.display(on: invocation.output)
        return nil
    },

    Command("let", topic: .session,
            abstract: "Keeps a number or a text under a name; `$NAME` then puts it into any command.",
            discussion: """
                `$NAME` (or `${NAME}`) in any word of a later command is replaced by the number or text: \
                `let n 12` then `model dsh bits $n`, `let alphas 0,0.01,0.1` then `sweep m.alpha $alphas …`, \
                `echo "$n bits"`. `$$` is a dollar sign.
                """,
            arguments: [Core.Let.name, Core.Let.value],
            examples: ["let bits 12", "let title \"DSH on CIFAR-10\""]) { invocation in
        let name = try invocation[Core.Let.name]
        let text = try invocation[Core.Let.value]
        if let number = Double(text), number.isFinite {
            try invocation.session.store(NumberValue(number), as: name)
        } else {
            try invocation.session.store(TextValue(text), as: name)
        }
        return nil
    },

    Command("set", topic: .session,
            abstract: "Changes a field of a value (set m.alpha 0.1) or a session option (set timer on).",
            discussion: "Without arguments, lists the session options and their values.",
            arguments: [Core.Set.target, Core.Set.value],
            examples: ["set m.alpha 0.1", "set timer on"]) { invocation in
        let session = invocation.session
        guard let target = try invocation[Core.Set.target] else {
            for option in session.registry.options {
                invocation.output.line(option.name.padding(10) + option.current(session).padding(8)
                                       + option.abstract)
            }
            return nil
        }
        // (A positional argument, not an option: `goesWith` does not say this.)
        guard let text = try invocation[Core.Set.value] else {
            throw ShellError.missingArgument(command: "set", argument: "VALUE")
        }
        try setTarget(target, to: text, in: session)
        return nil
    },

    Command("delete", topic: .session,
            abstract: "Forgets values.",
            arguments: [Core.Delete.values],
            examples: ["delete h1 h2"]) { invocation in
        for name in try invocation[Core.Delete.values].map(\.name) {
            guard !name.contains(".") else {
                throw ShellError.message("delete: `\(name)` is part of another value; delete the whole value")
            }
            try invocation.session.removeValue(named: name)
        }
        return nil
    },

    Command("rename", topic: .session,
            abstract: "Gives a value another name.",
            arguments: [Core.Rename.value, Core.Rename.newName],
            examples: ["rename h1 cat_hash"]) { invocation in
        let name = try invocation[Core.Rename.value].name
        guard !name.contains(".") else {
            throw ShellError.message("rename: `\(name)` is part of another value")
        }
        try invocation.session.renameValue(name, to: try invocation[Core.Rename.newName])
        return nil
    },

    {
        var command = Command(
            "run", topic: .session,
            abstract: "Replays a script of commands, echoing each one.",
            discussion: "Errors name the script's file and line; the script goes on after them unless --bail.",
            arguments: [Core.Run.file],
            examples: ["run tutorials/01-perceptual-hashes.hl"]) { invocation in
            let session = invocation.session
            let path = try invocation[Core.Run.file].path
            guard session.scriptDepth < 16 else {
                throw ShellError.message("run: scripts nested more than 16 deep (does \(path) run itself?)")
            }
            session.scriptDepth += 1
            defer { session.scriptDepth -= 1 }
            let summary = try session.runScript(atPath: path)
            if summary.failures > 0 {
                throw ShellError.scriptFailed(path: path, failures: summary.failures, commands: summary.commands)
            }
            if session.isInterrupted { throw ShellError.interrupted }
            return nil
        }
        command.restoresValuesOnFailure = false
        return command
    }(),

    Command("timer", topic: .session,
            abstract: "Prints each command's wall time after it (on), or stops (off).",
            arguments: [Core.Timer.state],
            examples: ["timer on"]) { invocation in
        if let state = try invocation[Core.Timer.state] {
            invocation.session.isTimerOn = state == .on
        } else {
            invocation.output.line("timer is \(invocation.session.isTimerOn ? "on" : "off")")
        }
        return nil
    },

    Command("echo", aliases: ["print"], topic: .session,
            abstract: "Prints its words, separated by blanks (in a notebook, as a paragraph of prose).",
            arguments: [Core.Echo.words],
            examples: ["echo \"Step 2: hash the edited copies\""]) { invocation in
        invocation.output.prose(try invocation[Core.Echo.words].joined(separator: " "))
        return nil
    },

    Command("sleep", topic: .session,
            abstract: "Pauses for a number of seconds (Ctrl-C stops it), e.g. between steps of a demonstration.",
            arguments: [Core.Sleep.seconds],
            examples: ["sleep 0.5"]) { invocation in
        let seconds = try invocation[Core.Sleep.seconds]
        let end = monotonicSeconds() + seconds
        while monotonicSeconds() < end {
            try invocation.checkInterruption()
            Thread.sleep(forTimeInterval: min(0.01, max(0, end - monotonicSeconds())))
        }
        return nil
    },

    Command("cd", topic: .session,
            abstract: "Changes the working folder (the home folder without an argument).",
            arguments: [Core.Cd.folder],
            examples: ["cd ~/data"]) { invocation in
        let folder = try invocation[Core.Cd.folder]?.path ?? NSHomeDirectory()
        guard FileManager.default.changeCurrentDirectoryPath(folder) else {
            throw ShellError.message("cd: cannot enter \(folder)")
        }
        return nil
    },

    Command("pwd", topic: .session,
            abstract: "Prints the working folder.",
            examples: ["pwd"]) { invocation in
        invocation.output.line(FileManager.default.currentDirectoryPath)
        return nil
    },

    Command("quit", aliases: ["exit"], topic: .session,
            abstract: "Leaves the shell (Ctrl-D does too); in a script, stops it.",
            examples: ["quit"]) { invocation in
        invocation.session.quitRequested = true
        return nil
    },
]

/// The session options `set OPTION VALUE` changes.
let coreSessionOptions: [SessionOption] = [
    .toggle("timer", "print each command's wall time", \Session.isTimerOn),
    .toggle("quiet", "do not echo the commands of scripts", \Session.isQuiet),
    .toggle("bail", "stop a script at its first failing command", \Session.bails),
    SessionOption("colour", .word(["on", "off"]), "use ANSI colour in output",
                  current: { $0.output.usesColour ? "on" : "off" },
                  apply: { session, value in session.output.usesColour = value.text == "on" }),
]

/// What `set` can change: session options, and `NAME.FIELD` for every field of every configurable value that
/// setting would change (not a margin the model's method does not read).
@Sendable func settableTargets(_ session: Session) -> [String] {
    var targets = session.registry.options.map(\.name)
    for name in session.valueNames {
        if let value = try? session.value(named: name) as? any ConfigurableValue {
            targets += value.settableFields.filter { $0.unreadReason == nil }.map { "\(name).\($0.name)" }
        }
    }
    return targets
}

/// `set TARGET VALUE`: a field when TARGET has a dot, else a session option.
func setTarget(_ target: String, to text: String, in session: Session) throws {
    guard let dot = target.lastIndex(of: ".") else {
        guard let option = session.registry.option(named: target) else {
            throw ShellError.unknownOption(target, suggestions: Suggestions.closest(
                to: target, among: session.registry.options.map(\.name)))
        }
        let value = try ArgumentBinder.check(text, as: option.kind, argument: "set \(target)", in: session)
        try option.apply(session, value)
        return
    }
    let name = String(target[..<dot])
    let field = String(target[target.index(after: dot)...])
    guard !name.contains(".") else {
        throw ShellError.message("set: `\(name)` is part of another value; its fields cannot be set")
    }
    let value = try session.value(named: name)
    guard var configurable = value as? any ConfigurableValue else {
        throw ShellError.unknownField(value: name, field: field, fields: [], suggestions: [])
    }
    let fields = configurable.settableFields
    guard let declaration = fields.first(where: { $0.name == field }) else {
        throw ShellError.unknownField(value: name, field: field, fields: fields.map(\.name),
                                      suggestions: Suggestions.closest(to: field, among: fields.map(\.name)))
    }
    if let reason = declaration.unreadReason { throw ShellError.message("set \(target): \(reason)") }
    let checked = try ArgumentBinder.check(text, as: declaration.kind, argument: "set \(target)", in: session)
    do {
        try configurable.setField(field, to: checked)
    } catch {
        throw ShellError.message("set \(target): \(error)")  // as the kind's errors above: "set m.alpha: …"
    }
    try session.store(configurable, as: name)
}

