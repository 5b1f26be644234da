import Foundation

// Typed reading for kinds no single Swift type stands for, shared by the command files (Parameter.swift covers the
// readable types and values of one type): a custom word (`help`'s COMMAND, `explain`'s subject) or a new name read
// as the word typed; a value of one of several types, with the name it was given by; a word naming one case of an
// enumeration or `all`; a word out of a list read as itself; and `map`, which turns what a parameter reads into
// something else (a word into the table entry it names).

/// A session value as the line gave it: the name it was given by (`h1`, `p.train`, or the path of a file read for
/// it), for messages, and the value — of one of the types its argument accepts, as it is (an encoded code set keeps
/// its provenance; `as` unwraps it).
struct GivenValue {
    let name: String
    let value: any ShellValue

    /// The value as a `T` (a value wrapping one, such as encoded codes, gives it).
    func `as`<T: ShellValue>(_ type: T.Type) throws -> T {
        guard let typed = unwrapped(value, as: T.self) else {
            throw ShellError.wrongValueType(name: name, actual: value.typeName, expected: [T.typeName])
        }
        return typed
    }
}

extension Argument {
    /// A required positional argument naming a value of one of `types` (or a file of a type a file can stand for),
    /// read with the name it was given by.
    static func positional(_ name: String, valueOf types: [any ShellValue.Type], _ abstract: String,
                           placeholder: String? = nil) -> Parameter<GivenValue> {
        let argument = Argument.positional(name, .value(types.map { $0.typeName }), abstract, placeholder: placeholder)
        return Parameter(argument) { try $0.givenValue(argument) }
    }

    /// A required keyword option naming a value of one of `types`, read with the name it was given by.
    static func keyword(_ keyword: String, valueOf types: [any ShellValue.Type], _ abstract: String,
                        required: Bool, placeholder: String? = nil) -> Parameter<GivenValue> {
        precondition(required, "a required keyword option says required: true")
        let argument = Argument.keyword(keyword, .value(types.map { $0.typeName }), abstract, required: true,
                                        placeholder: placeholder)
        return Parameter(argument) { try $0.givenValue(argument) }
    }
}

extension Invocation {
    /// A required value argument with its name (the binder has made sure it is there and of its types).
    fileprivate func givenValue(_ argument: Argument) throws -> GivenValue {
        guard case .value(let name, let value)? = self.argument(argument.name) else {
            throw ShellError.missingArgument(command: command.name, argument: argument.placeholder)
        }
        return GivenValue(name: name, value: value)
    }
}

extension Argument {
    /// This argument read as the word typed (a value's name, a path, a custom word). Required.
    var readAsText: Parameter<String> {
        Parameter(self) { [self] invocation in
            guard let value = invocation.argument(name) else {
                throw ShellError.missingArgument(command: invocation.command.name, argument: placeholder)
            }
            return value.text
        }
    }

    /// This argument read as the word typed: nil when left out.
    var readAsOptionalText: Parameter<String?> {
        Parameter(self) { [name] invocation in invocation.argument(name)?.text }
    }

    /// Every word of this repeating argument, as typed.
    var readAsTexts: Parameter<[String]> {
        Parameter(self) { [name] invocation in invocation.all(name).map(\.text) }
    }

    /// The values this repeating `.value` argument names (of any of its types), each with the name it was given by.
    var readAsValues: Parameter<[GivenValue]> {
        Parameter(self) { [name] invocation in
            invocation.all(name).compactMap { argument -> GivenValue? in
                if case .value(let valueName, let value) = argument { return GivenValue(name: valueName, value: value) }
                return nil
            }
        }
    }
}

extension Parameter {
    /// The same argument, its value turned into another (a word into the table entry it names, say).
    func map<T>(_ transform: @escaping @Sendable (Value) throws -> T) -> Parameter<T> {
        Parameter<T>(argument) { invocation in try transform(try read(from: invocation)) }
    }
}

extension Argument {
    /// A word naming one case of `T`, or `all` for every case (`hash all`): read as the cases chosen, in `T`'s order.
    static func positional<T: ArgumentWord>(_ name: String, oneOrAll type: T.Type, _ abstract: String,
                                           placeholder: String? = nil) -> Parameter<[T]> {
        let argument = Argument.positional(name, .word(T.allCases.map(\.rawValue) + ["all"]), abstract,
                                           placeholder: placeholder)
        return Parameter(argument) { invocation in
            guard let word = invocation.argument(name)?.text else {
                throw ShellError.missingArgument(command: invocation.command.name, argument: argument.placeholder)
            }
            return chosenCases(T.self, word)
        }
    }

    /// A keyword option naming one case of `T`, or `all` (the default) for every case (`match … method all`).
    static func keyword<T: ArgumentWord>(_ keyword: String, oneOrAll type: T.Type,
                                         _ abstract: String) -> Parameter<[T]> {
        let argument = Argument.keyword(keyword, .word(T.allCases.map(\.rawValue) + ["all"]), abstract, default: "all")
        return Parameter(argument) { chosenCases(T.self, $0.argument(keyword)?.text ?? "all") }
    }

    /// Every case for `all`, else the one the word names (the binder has checked it is one).
    private static func chosenCases<T: ArgumentWord>(_ type: T.Type, _ word: String) -> [T] {
        word == "all" ? Array(T.allCases) : T(rawValue: word).map { [$0] } ?? []
    }
}

extension Argument {
    /// A keyword option whose value is one of `words`, read as that word: `value` when left out.
    static func keyword(_ keyword: String, oneOf words: [String], _ abstract: String, default value: String,
                        forms: [String]? = nil) -> Parameter<String> {
        precondition(words.contains(value), "the default is one of the words")
        let argument = Argument.keyword(keyword, .word(words), abstract, default: value, forms: forms)
        return Parameter(argument) { invocation in invocation.argument(keyword)?.text ?? value }
    }
}
