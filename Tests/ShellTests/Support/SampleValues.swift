import Shell

/// A value type declared the way a topic file declares one: a type name, a summary, a rendering, settable fields and
/// read-only members.
struct Sample: ConfigurableValue, Equatable {
    static let typeName = "sample"
    var size: Int
    var alpha = 0.01
    var margin = 2
    var method = "dsh"

    var summary: String { "size \(size), alpha \(alpha), margin \(margin), \(method)" }

    func render(in context: RenderContext) -> String {
        "sample of size \(size)\n  alpha  \(alpha)\n  margin \(margin)\n  method \(method)"
    }

    var memberNames: [String] { ["left", "right"] }

    func member(named name: String) -> (any ShellValue)? {
        switch name {
        case "left": return NumberValue(Double(size / 2))
        case "right": return NumberValue(Double(size - size / 2))
        default: return nil
        }
    }

    var settableFields: [ValueField] {
        [ValueField("alpha", .double, "weight of the regulariser"),
         ValueField("margin", .int, "distance between dissimilar codes"),
         ValueField("method", .word(["dsh", "dpsh"]), "the loss")]
    }

    mutating func setField(_ field: String, to value: ArgumentValue) throws {
        switch (field, value) {
        case ("alpha", .double(let number)): alpha = number
        case ("alpha", .int(let number)): alpha = Double(number)
        case ("margin", .int(let number)):
            guard number >= 0 else { throw ShellError.message("margin must not be negative") }
            margin = number
        case ("method", .word(let word)): method = word
        default: throw ShellError.message("unexpected \(field)")
        }
    }
}

/// A topic of test commands declared as a topic file declares its `[Command]`.
let sampleTopic = Topic("samples", abstract: "commands of the tests", rank: 10)

/// `make`'s arguments, typed as a command's are (a mix of factories and one untyped word list).
private enum Make {
    static let size = Argument.positional("size", Int.self, "how big", placeholder: "SIZE")
    static let alpha = Argument.keyword("alpha", Double.self, "the weight", otherwise: "0.01")
    static let method = Parameter(Argument.keyword("method", .word(["dsh", "dpsh"]), "the loss", default: "dsh")) {
        invocation in invocation.argument("method")?.text
    }
    static let like = Argument.keyword("like", value: Sample.self, "copy the other settings of this sample")
    static let to = Argument.path("to", .path, "a file to name")
    static let from = Argument.path("from", .folder, "a folder to read")
    static let force = Argument.flag("force", "allow a large size")
}

let sampleCommands: [Command] = [
    Command("make", topic: sampleTopic,
            abstract: "Makes a sample.",
            arguments: [Make.size],
            options: [Make.alpha, Make.method, Make.like, Make.to, Make.from, Make.force],
            result: .required("sample"),
            examples: ["make 8 alpha 0.1 as s"]) { invocation in
        let size = try invocation[Make.size]
        let force = try invocation[Make.force]
        if size > 100 && !force {
            throw ShellError.message("make: size \(size) is large; add force")
        }
        var sample = (try? invocation[Make.like]) ?? Sample(size: size)
        sample.size = size
        if let alpha = try invocation[Make.alpha] { sample.alpha = alpha }
        if let method = try invocation[Make.method] { sample.method = method }
        return sample
    },
    Command("add", topic: sampleTopic,
            abstract: "Adds numbers and samples' sizes.",
            arguments: [Argument.positional("terms", .oneOf([.value(["number", "sample"]), .int]), "what to add",
                                    repeating: true)],
            result: .optional("number"),
            examples: ["add 1 2 s as total"]) { invocation in
        var total = 0.0
        for term in invocation.all("terms") {
            switch term {
            case .int(let number): total += Double(number)
            case .value(_, let value as NumberValue): total += value.number
            case .value(_, let value as Sample): total += Double(value.size)
            default: break
            }
        }
        invocation.output.line(NumberValue(total).summary)
        return NumberValue(total)
    },
    Command("wreck", topic: sampleTopic,
            abstract: "Changes values, then fails.",
            examples: ["wreck"]) { invocation in
        try invocation.session.store(NumberValue(1), as: "debris")
        try invocation.session.removeValue(named: invocation.session.valueNames.first ?? "debris")
        throw ShellError.message("wreck: failed on purpose")
    },
]

/// A session with the core commands and the sample topic, and its captured output.
func makeSampleSession() -> (Session, CapturingSink) {
    Session.capturing(registry: CommandRegistry.standard.adding(sampleCommands))
}
