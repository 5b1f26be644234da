import Foundation

/// A small well-formedness check for the HTML the notebook writes (HTML5 is not XML, so Foundation's XML parser
/// does not apply): a doctype first, then elements that nest properly (every non-void start tag closed by its own
/// end tag, in order), attributes quoted, text free of a bare `<` or `>`, and every `&` starting a known entity.
/// Returns the problems found (empty when well formed) and the `src` attributes of the `img` elements.
enum HTMLChecker {
    static let voidElements: Set<String> = ["meta", "img", "br", "hr", "link", "input"]
    static let entities: Set<String> = ["amp", "lt", "gt", "quot", "#39"]

    static func check(_ html: String) -> (problems: [String], imageSources: [String], elements: [String: Int]) {
        var problems: [String] = []
        var sources: [String] = []
        var counts: [String: Int] = [:]
        var stack: [String] = []
        let characters = Array(html)
        var index = 0
        func checkText(_ text: String) {
            if text.contains(">") { problems.append("a bare > in text: \(text.prefix(60))") }
            var rest = Substring(text)
            while let ampersand = rest.firstIndex(of: "&") {
                let after = rest[rest.index(after: ampersand)...]
                guard let semicolon = after.firstIndex(of: ";"), entities.contains(String(after[..<semicolon])) else {
                    problems.append("an & that starts no entity: \(after.prefix(20))")
                    return
                }
                rest = after[after.index(after: semicolon)...]
            }
        }
        let doctype = "<!DOCTYPE html>"
        if html.hasPrefix(doctype) { index = doctype.count } else { problems.append("no <!DOCTYPE html> first") }
        var text = ""
        while index < characters.count {
            let character = characters[index]
            guard character == "<" else {
                text.append(character)
                index += 1
                continue
            }
            checkText(text)
            text = ""
            guard let end = characters[index...].firstIndex(of: ">") else {
                problems.append("a tag is not closed")
                break
            }
            let tag = String(characters[(index + 1)..<end])
            index = end + 1
            if tag.hasPrefix("/") {
                let name = String(tag.dropFirst())
                if stack.last == name { stack.removeLast() } else {
                    problems.append("</\(name)> closes <\(stack.last ?? "nothing")>")
                }
                continue
            }
            let name = String(tag.prefix { $0.isLetter || $0.isNumber }).lowercased()
            guard !name.isEmpty, tag.first!.isLetter else {
                problems.append("a bare < or a malformed tag: <\(tag.prefix(40))")
                continue
            }
            counts[name, default: 0] += 1
            // Attributes: name="value" pairs, separated by blanks.
            var rest = Substring(tag.dropFirst(name.count))
            while true {
                rest = rest.drop { $0 == " " }
                if rest.isEmpty { break }
                let attribute = rest.prefix { $0 != "=" && $0 != " " }
                rest = rest.dropFirst(attribute.count)
                guard rest.hasPrefix("=\""), let close = rest.dropFirst(2).firstIndex(of: "\"") else {
                    problems.append("attribute \(attribute) of <\(name)> is not name=\"value\"")
                    break
                }
                let value = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
                if value.contains("<") { problems.append("a < inside an attribute of <\(name)>") }
                if name == "img" && attribute == "src" { sources.append(value) }
                rest = rest[rest.index(after: close)...]
            }
            if !voidElements.contains(name) { stack.append(name) }
        }
        checkText(text)
        if !stack.isEmpty { problems.append("elements left open: \(stack)") }
        return (problems, sources, counts)
    }
}
