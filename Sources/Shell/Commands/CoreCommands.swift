import Foundation
import Learning

/// The shell's own commands: help, values, scripts and settings.
let coreCommands: [Command] = [
    Command("help", topic: .session,
            abstract: "Lists the commands, or explains one (in a terminal, through $PAGER or less when longer than the screen).",
            arguments: [.positional("command", .custom(placeholder: "COMMAND", description: "a command or topic",
                                                       completions: { session in
                                                           session.registry.allNames
                                                               + session.registry.topics.map(\.topic.name)
                                                       }),
                                    "the command (or topic) to explain", optional: true)],
            examples: ["help", "help show"]) { invocation in
        let registry = invocation.session.registry
        guard let name = invocation.string("command") else {
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
            arguments: [.positional("name", .value([]), "the value to display")],
            examples: ["show h1"]) { invocation in
        let value = invocation.value("name")!
        value.display(on: invocation.output)
        return nil
    },

    Command("let", topic: .session,
            abstract: "Keeps a number or a text under a name; `$NAME` then puts it into any command.",
            discussion: """
                `$NAME` (or `${NAME}`) in any word of a later command is replaced by the number or text: \
                `let n 12` then `model dsh bits $n`, `let alphas 0,0.01,0.1` then `sweep m.alpha $alphas …`, \
                `echo "$n bits"`. `$$` is a dollar sign.
                """,
            arguments: [.positional("name", .newName, "the name to keep it under"),
                        .positional("value", .text, "a number, or a text (quote it to include blanks)",
                                    placeholder: "VALUE")],
            examples: ["let bits 12", "let title \"DSH on CIFAR-10\""]) { invocation in
        let name = invocation.string("name")!
        let text = invocation.string("value")!
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
            arguments: [.positional("target", .custom(placeholder: "NAME.FIELD|OPTION",
                                                      description: "a value's field or a session option",
                                                      completions: settableTargets),
                                    "what to change", optional: true),
                        .positional("value", .text, "the new value", optional: true, placeholder: "VALUE")],
            examples: ["set m.alpha 0.1", "set timer on"]) { invocation in
        let session = invocation.session
        guard let target = invocation.string("target") else {
            for option in session.registry.options {
                invocation.output.line(option.name.padding(10) + option.current(session).padding(8)
                                       + option.abstract)
            }
            return nil
        }
        guard let text = invocation.string("value") else {
            throw ShellError.missingArgument(command: "set", argument: "VALUE")
        }
        try setTarget(target, to: text, in: session)
        return nil
    },

    Command("delete", topic: .session,
            abstract: "Forgets values.",
            arguments: [.positional("names", .value([]), "the values to forget", repeating: true)],
            examples: ["delete h1 h2"]) { invocation in
        for name in invocation.strings("names") {
            guard !name.contains(".") else {
                throw ShellError.message("delete: `\(name)` is part of another value; delete the whole value")
            }
            try invocation.session.removeValue(named: name)
        }
        return nil
    },

    Command("rename", topic: .session,
            abstract: "Gives a value another name.",
            arguments: [.positional("name", .value([]), "the value to rename"),
                        .positional("newName", .newName, "its new name")],
            examples: ["rename h1 cat_hash"]) { invocation in
        let name = invocation.string("name")!
        guard !name.contains(".") else {
            throw ShellError.message("rename: `\(name)` is part of another value")
        }
        try invocation.session.renameValue(name, to: invocation.string("newName")!)
        return nil
    },

    {
        var command = Command(
            "run", topic: .session,
            abstract: "Replays a script of commands, echoing each one.",
            discussion: "Errors name the script's file and line; the script goes on after them unless --bail.",
            arguments: [.positional("file", .file, "the script (.hl) to replay")],
            examples: ["run tutorials/01-perceptual-hashes.hl"]) { invocation in
            let session = invocation.session
            let path = invocation.string("file")!
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
            arguments: [.positional("state", .word(["on", "off"]), "on or off", optional: true,
                                    default: "shows whether the timer is on")],
            examples: ["timer on"]) { invocation in
        if let state = invocation.string("state") {
            invocation.session.isTimerOn = state == "on"
        } else {
            invocation.output.line("timer is \(invocation.session.isTimerOn ? "on" : "off")")
        }
        return nil
    },

    Command("echo", aliases: ["print"], topic: .session,
            abstract: "Prints its words, separated by blanks (in a notebook, as a paragraph of prose).",
            arguments: [.positional("words", .text, "the words to print", optional: true, repeating: true)],
            examples: ["echo \"Step 2: hash the edited copies\""]) { invocation in
        invocation.output.prose(invocation.strings("words").joined(separator: " "))
        return nil
    },

    Command("sleep", topic: .session,
            abstract: "Pauses for a number of seconds (Ctrl-C stops it), e.g. between steps of a demonstration.",
            arguments: [.positional("seconds", .double, "how long to pause", placeholder: "SECONDS")],
            examples: ["sleep 0.5"]) { invocation in
        let seconds = invocation.double("seconds")!
        guard seconds >= 0 else { throw ShellError.message("sleep: SECONDS must not be negative") }
        let end = monotonicSeconds() + seconds
        while monotonicSeconds() < end {
            try invocation.checkInterruption()
            Thread.sleep(forTimeInterval: min(0.01, max(0, end - monotonicSeconds())))
        }
        return nil
    },

    Command("cd", topic: .session,
            abstract: "Changes the working folder (the home folder without an argument).",
            arguments: [.positional("folder", .folder, "the new working folder", optional: true, default: "~")],
            examples: ["cd ~/data"]) { invocation in
        let folder = invocation.string("folder") ?? NSHomeDirectory()
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
