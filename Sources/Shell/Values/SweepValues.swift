import Foundation
import Learning
import Plots

// A sweep's results as a session value: one row per finished run (Learning's `SweepRun`), with the run's trained
// model when the sweep ran in this session, and the CSV form that `save S to FILE.csv` writes and `load sweep FILE.csv` reads back.

/// The results of `sweep … as S`: one row per finished run.
public struct SweepTable: TableValue, Sendable {
    public static let typeName = "sweep"
    /// The swept hyperparameter names.
    public var parameters: [String]
    public var runs: [SweepRun]
    /// The cut-off of P@k and the radius of P(r≤R).
    public var k: Int
    public var radius: Int
    /// The CSV file the table was read from (its runs have no models), or nil for a sweep run in this session.
    public var source: String?

    public init(parameters: [String], runs: [SweepRun], k: Int, radius: Int, source: String? = nil) {
        self.parameters = parameters
        self.runs = runs
        self.k = k
        self.radius = radius
        self.source = source
    }

    public var summary: String {
        "\(runs.count) run\(runs.count == 1 ? "" : "s") over " + parameters.joined(separator: " × ")
            + (source.map { " (loaded from \($0))" } ?? "")
    }

    /// `alpha=0.1` or `m=24 alpha=0.01`: the setting of `run`, as panel titles and row labels show it.
    public func label(of run: SweepRun) -> String {
        zip(parameters, run.values).map { "\($0)=\($1)" }.joined(separator: " ")
    }

    /// The column headers of the table.
    public var header: [String] {
        parameters + ["final loss", "mAP", "P@\(k)", "P(r≤\(radius))", "seconds"]
    }

    /// Rows as text: values to 4 decimals, seconds to 1; a diverged run says so instead of its loss and shows –.
    public var rows: [[String]] {
        runs.map { run in
            if run.diverged { return run.values + ["diverged", "–", "–", "–", String(format: "%.1f", run.seconds)] }
            return run.values + [run.finalLoss.isFinite ? formatLoss(run.finalLoss) : "–", String(format: "%.4f", run.meanAveragePrecision),
                          String(format: "%.4f", run.precisionAtK), String(format: "%.4f", run.precisionWithinRadius),
                          String(format: "%.1f", run.seconds)]
        }
    }

    /// The table's alignments: parameters left, numbers right.
    public var alignments: [TextPlot.Alignment] {
        parameters.map { _ in .left } + Array(repeating: .right, count: 5)
    }

    /// The columns `plot sweep S column C` can draw.
    public static let plotColumns = ["map", "loss", "precision", "radius", "seconds"]

    /// The number of `column` (one of `plotColumns`) in `run`.
    public static func number(_ column: String, of run: SweepRun) -> Double {
        switch column {
        case "loss": return run.finalLoss
        case "precision": return run.precisionAtK
        case "radius": return run.precisionWithinRadius
        case "seconds": return run.seconds
        default: return run.meanAveragePrecision
        }
    }
}

// MARK: CSV

extension SweepTable {
    /// The CSV header's fixed columns after the parameters, with `k` and `radius` in two of the names.
    static func numberColumns(k: Int, radius: Int) -> [String] {
        ["final_loss", "map", "p_at_\(k)", "p_within_radius_\(radius)", "seconds"]
    }

    /// CSV with full-precision numbers (`TableValue.csv`): header `PARAM…,final_loss,map,p_at_K,p_within_radius_R,
    /// seconds`, one line per run. `%.17g` prints a decimal that always parses back to the same Double (17
    /// significant digits suffice for every binary64), so `SweepTable(csv:)` recovers every number bit for bit and
    /// writing the loaded table gives the same bytes. NaN and infinities print as `nan`, `inf`, `-inf`.
    public var csvHeader: [String] { parameters + SweepTable.numberColumns(k: k, radius: radius) }

    public var csvRows: [[String]] {
        runs.map { run in
            run.values + [run.finalLoss, run.meanAveragePrecision, run.precisionAtK, run.precisionWithinRadius,
                          run.seconds].map(csvNumber)
        }
    }

    /// Reads what `csv` writes. `path` names the file in errors (`FILE:LINE: …`) and becomes `source`. Lines may
    /// end in CRLF; blank lines are skipped. The parameters are the columns before `final_loss`, each a model
    /// hyperparameter; `k` and `radius` come from the names `p_at_K` and `p_within_radius_R`.
    public init(csv text: String, path: String) throws {
        // (A CRLF pair is one Character in Swift, and a line break like "\n".)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        guard let headerIndex = lines.firstIndex(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw SweepFileError.empty(path: path)
        }
        let header = lines[headerIndex].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        let headerLine = headerIndex + 1
        // The five number columns end the header, in order; a parameter column or more come first.
        let tail = Array(header.suffix(5))
        let names = ["final_loss", "map", "p_at_K", "p_within_radius_R", "seconds"]
        func suffixNumber(_ column: String, after prefix: String) -> Int? {
            column.hasPrefix(prefix) ? Int(column.dropFirst(prefix.count)) : nil
        }
        for name in names {
            let present: Bool
            switch name {
            case "p_at_K": present = header.contains { suffixNumber($0, after: "p_at_") != nil }
            case "p_within_radius_R": present = header.contains { suffixNumber($0, after: "p_within_radius_") != nil }
            default: present = header.contains(name)
            }
            guard present else { throw SweepFileError.missingColumn(path: path, line: headerLine, column: name) }
        }
        guard header.count > 5, tail[0] == "final_loss", tail[1] == "map", suffixNumber(tail[2], after: "p_at_") != nil,
              suffixNumber(tail[3], after: "p_within_radius_") != nil, tail[4] == "seconds" else {
            throw SweepFileError.columnOrder(path: path, line: headerLine)
        }
        let k = suffixNumber(tail[2], after: "p_at_")!, radius = suffixNumber(tail[3], after: "p_within_radius_")!
        guard k >= 1, radius >= 0 else { throw SweepFileError.columnOrder(path: path, line: headerLine) }
        let parameters = Array(header.dropLast(5))
        for parameter in parameters where !HashingHyperparameters.names.contains(parameter) {
            throw SweepFileError.unknownParameter(path: path, line: headerLine, column: parameter)
        }
        if let repeated = parameters.first(where: { name in parameters.filter { $0 == name }.count > 1 }) {
            throw SweepFileError.repeatedParameter(path: path, line: headerLine, column: repeated)
        }
        var runs: [SweepRun] = []
        for lineIndex in lines.indices.dropFirst(headerIndex + 1)
        where !lines[lineIndex].trimmingCharacters(in: .whitespaces).isEmpty {
            let fields = lines[lineIndex].split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count == header.count else {
                throw SweepFileError.fieldCount(path: path, line: lineIndex + 1, found: fields.count,
                                                expected: header.count)
            }
            if let emptyIndex = fields.firstIndex(where: \.isEmpty) {
                throw SweepFileError.emptyValue(path: path, line: lineIndex + 1, column: header[emptyIndex])
            }
            var numbers: [Double] = []
            for (column, field) in zip(header.suffix(5), fields.suffix(5)) {
                guard let number = Double(field) else {
                    throw SweepFileError.notANumber(path: path, line: lineIndex + 1, column: column, field: field)
                }
                numbers.append(number)
            }
            runs.append(SweepRun(values: Array(fields.prefix(parameters.count)), finalLoss: numbers[0],
                                 meanAveragePrecision: numbers[1], precisionAtK: numbers[2],
                                 precisionWithinRadius: numbers[3], seconds: numbers[4]))
        }
        self.init(parameters: parameters, runs: runs, k: k, radius: radius, source: path)
    }

    /// Reads a sweep CSV file (see `init(csv:path:)`).
    public static func load(from path: String) throws -> SweepTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw SweepFileError.unreadable(path: path) }
        guard let text = String(data: data, encoding: .utf8) else { throw SweepFileError.notText(path: path) }
        return try SweepTable(csv: text, path: path)
    }
}

/// Why a sweep CSV file could not be read; one line, beginning with the file (and line) at fault.
public enum SweepFileError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String)
    case notText(path: String)
    case empty(path: String)
    case missingColumn(path: String, line: Int, column: String)
    case columnOrder(path: String, line: Int)
    case unknownParameter(path: String, line: Int, column: String)
    case repeatedParameter(path: String, line: Int, column: String)
    case fieldCount(path: String, line: Int, found: Int, expected: Int)
    case emptyValue(path: String, line: Int, column: String)
    case notANumber(path: String, line: Int, column: String, field: String)

    static let layout = "PARAM…,final_loss,map,p_at_K,p_within_radius_R,seconds"

    public var description: String {
        switch self {
        case .unreadable(let path): return "\(path): cannot read the file"
        case .notText(let path): return "\(path): is not UTF-8 text"
        case .empty(let path): return "\(path): the file is empty; a sweep CSV starts with the header \(Self.layout)"
        case .missingColumn(let path, let line, let column):
            return "\(path):\(line): no column \(column); a sweep CSV's header is \(Self.layout)"
        case .columnOrder(let path, let line):
            return "\(path):\(line): the header should be \(Self.layout), with one parameter column or more"
        case .unknownParameter(let path, let line, let column):
            return "\(path):\(line): column `\(column)` is not a model hyperparameter"
        case .repeatedParameter(let path, let line, let column):
            return "\(path):\(line): column `\(column)` appears twice"
        case .fieldCount(let path, let line, let found, let expected):
            return "\(path):\(line): \(found) field\(found == 1 ? "" : "s"), but the header has \(expected) columns"
        case .emptyValue(let path, let line, let column):
            return "\(path):\(line): the \(column) field is empty"
        case .notANumber(let path, let line, let column, let field):
            return "\(path):\(line): `\(field)` in column \(column) is not a number"
        }
    }
}
