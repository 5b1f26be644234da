import Foundation

/// Code sets as tab-separated text: a header row naming the columns, then one code a row.
///
/// Columns: `code` (required: the code as a 0/1 string, first bit first), `label` (optional: an integer class
/// label) and `name` (optional: free text without tabs or newlines). Column order is free on reading; writing puts
/// `label`, `code`, `name` in that order and only the columns the set has. Empty lines are ignored.
extension CodeSet {
    /// The set as TSV text.
    public func tsvText() -> String {
        var header: [String] = []
        if labels != nil { header.append("label") }
        header.append("code")
        if names != nil { header.append("name") }
        var lines = [header.joined(separator: "\t")]
        lines.reserveCapacity(count + 1)
        for i in 0..<count {
            var fields: [String] = []
            if let labels { fields.append(String(labels[i])) }
            fields.append(string(ofCode: i))
            if let names { fields.append(names[i]) }
            lines.append(fields.joined(separator: "\t"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the set as TSV to `path` (through a temporary file and a rename).
    public func writeTSV(to path: String) throws {
        if let names, let bad = names.firstIndex(where: { $0.contains("\t") || $0.contains("\n") }) {
            throw CodesError.io(path: path, reason: "name of code \(bad) contains a tab or newline")
        }
        try writeAtomically(Data(tsvText().utf8), to: path)
    }

    /// Reads a TSV code set from `path`.
    public static func readTSV(from path: String) throws -> CodeSet {
        let data = try readFile(path)
        guard let text = String(data: data, encoding: .utf8) else {
            throw CodesError.malformedFile(path: path, reason: "not UTF-8 text")
        }
        return try parseTSV(text, path: path)
    }

    /// Parses TSV text (see the extension's documentation); errors name `path` and the line.
    public static func parseTSV(_ text: String, path: String = "<text>") throws -> CodeSet {
        // Lines end in LF or CRLF ("\r\n" is one Character in Swift, and a newline).
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
            .map { (number: $0.offset + 1, text: $0.element) }
            .filter { !$0.text.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw CodesError.malformedFile(path: path, reason: "empty file: no header") }
        let header = lines.removeFirst()
        let columns = header.text.split(separator: "\t", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let codeColumn = columns.firstIndex(of: "code") else {
            throw CodesError.malformedFile(path: path, reason: "line \(header.number): header has no `code` column")
        }
        let labelColumn = columns.firstIndex(of: "label")
        let nameColumn = columns.firstIndex(of: "name")
        guard !lines.isEmpty else {
            throw CodesError.malformedFile(path: path, reason: "no codes after the header (the bit count is unknown)")
        }
        var codes: [BitCode] = []
        var labels: [Int32] = []
        var names: [String] = []
        codes.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == columns.count else {
                throw CodesError.malformedFile(path: path, reason:
                    "line \(line.number): \(fields.count) fields, the header has \(columns.count)")
            }
            let codeText = fields[codeColumn].trimmingCharacters(in: .whitespaces)
            let code: BitCode
            do {
                code = try BitCode(string: codeText)
            } catch {
                throw CodesError.malformedFile(path: path, reason: "line \(line.number): \(error)")
            }
            if let first = codes.first, first.bitCount != code.bitCount {
                throw CodesError.malformedFile(path: path, reason:
                    "line \(line.number): \(code.bitCount)-bit code, earlier codes have \(first.bitCount) bits")
            }
            codes.append(code)
            if let labelColumn {
                guard let label = Int32(fields[labelColumn].trimmingCharacters(in: .whitespaces)) else {
                    throw CodesError.malformedFile(path: path, reason:
                        "line \(line.number): label \"\(fields[labelColumn])\" is not a 32-bit integer")
                }
                labels.append(label)
            }
            if let nameColumn { names.append(String(fields[nameColumn])) }
        }
        return try CodeSet(codes: codes, labels: labelColumn == nil ? nil : labels,
                           names: nameColumn == nil ? nil : names)
    }
}
