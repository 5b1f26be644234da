import Learning

/// The text `explain METHOD` and `explain MODEL` print: a `HashingExplanation` (the Learning module's plain data)
/// laid out in a few labelled blocks, wrapped to the terminal's width.
///
/// `heading` comes first (a model's net, bits and training so far; or which defaults are shown); `target` is what
/// `set TARGET.NAME VALUE` should say (the model's name, or `M`).
func methodExplanationLines(_ explanation: HashingExplanation, heading: [String], target: String,
                            width: Int) -> [String] {
    let width = max(40, width)
    var lines = wrapped(explanation.title, width: width)
    for line in heading { lines += wrapped(line, width: width, indent: "  ", firstIndent: "  ") }
    // A shallow method minimises an objective once; a deep one descends a loss.
    lines += wrapped((explanation.method.isShallow ? "Objective, " : "Loss, ") + explanation.setting + ":", width: width)
    lines += formulaLines(explanation.loss, width: width)
    if !explanation.values.isEmpty {
        lines += wrapped("with " + explanation.values.joined(separator: ", "), width: width, indent: "      ",
                         firstIndent: "    ")
    }
    lines.append("What each term does:")
    lines += labelledRows(explanation.terms.map { ($0.formula, $0.meaning) }, width: width, margin: 4, maximumLabel: 34)
    lines += wrapped("Codes: " + explanation.codeRule, width: width, indent: "  ")
    for (number, source) in explanation.sources.enumerated() {
        let label = number == 0 ? "Paper: " : "Also:  "
        lines += wrapped(label + source.citation + (source.section.map { ", \($0)" } ?? "") + " — "
                         + source.contribution, width: width, indent: "       ")
    }
    if !explanation.methodKnobs.isEmpty {
        lines.append("Knobs (set \(target).NAME VALUE):")
        let nameWidth = (explanation.methodKnobs.map(\.name.count).max() ?? 0) + 2
        lines += labelledRows(explanation.methodKnobs.map { ($0.name.padding(nameWidth) + $0.value, $0.meaning) },
                              width: width, margin: 4, maximumLabel: 24)
    }
    lines += wrapped("Training: " + explanation.trainingKnobs.map { "\($0.name) \($0.value)" }.joined(separator: ", "),
                     width: width, indent: "  ")
    for note in explanation.notes {
        lines += wrapped("Note: " + note, width: width, indent: "  ")
    }
    return lines
}

/// A formula on one line if it fits, else broken before its top-level ` + ` signs (outside every bracket, so
/// never inside a term).
private func formulaLines(_ formula: String, width: Int) -> [String] {
    var parts: [String] = []
    var part = ""
    var depth = 0
    let characters = Array(formula)
    var index = 0
    while index < characters.count {
        let character = characters[index]
        if "([{".contains(character) { depth += 1 }
        if ")]}".contains(character) { depth -= 1 }
        if depth == 0, character == " ", index + 2 < characters.count, characters[index + 1] == "+",
           characters[index + 2] == " " {
            parts.append(part)
            part = ""
            index += 3
            continue
        }
        part.append(character)
        index += 1
    }
    parts.append(part)
    var lines: [String] = []
    var current = "    " + parts[0]
    for next in parts.dropFirst() {
        if current.count + 3 + next.count > width {
            lines.append(current)
            current = "        + " + next
        } else {
            current += " + " + next
        }
    }
    lines.append(current)
    return lines
}
