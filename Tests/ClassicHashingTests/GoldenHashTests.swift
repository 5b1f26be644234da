import ClassicHashing
import Imaging
import XCTest

/// Every cell of ../shared/golden/perceptual/expected.tsv, ../shared/golden/perceptual-odd/expected.tsv and
/// ../shared/golden/jpeg/expected.tsv (imagehash 4.3.2 on Pillow 13; the odd set holds crops 2 to 300 pixels a side;
/// Pillow decodes the JPEGs with libjpeg-turbo 3.2, HashLab with Debian's 2.1.5, which gives the same samples on
/// these files), bit for bit, except the cells
/// a row's `unstable` column names. Those are counted and printed too: with scipy's DCT ported, pHash's ties
/// (chessboards) come out as imagehash's as well.
final class GoldenHashTests: XCTestCase {
    struct Row {
        var file: String
        var expected: [HashKind: String]
        var unstable: Set<HashKind>
    }

    func goldenRows(_ set: String) throws -> (folder: String, kinds: [HashKind], rows: [Row]) {
        let folder = try sharedFolder("golden/" + set)
        let text = try String(contentsOfFile: folder + "/expected.tsv", encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        XCTAssertEqual(header.first, "file")
        XCTAssertEqual(header.last, "unstable")
        let kinds = header.dropFirst().dropLast().map { HashKind(rawValue: $0)! }
        var rows: [Row] = []
        for fields in lines.dropFirst() where !fields.isEmpty {
            var expected: [HashKind: String] = [:]
            for (i, kind) in kinds.enumerated() { expected[kind] = String(fields[i + 1]) }
            let unstableField = fields.count > kinds.count + 1 ? String(fields[kinds.count + 1]) : ""
            let unstable = Set(unstableField.split(separator: ",").compactMap {
                HashKind(rawValue: $0.trimmingCharacters(in: .whitespaces))
            })
            rows.append(Row(file: String(fields[0]), expected: expected, unstable: unstable))
        }
        return (folder, kinds, rows)
    }

    func testEveryStableGoldenCellMatchesImagehash() throws {
        try checkGoldenSet("perceptual")
    }

    func testEveryStableCellOfTheOddSizesMatchesImagehash() throws {
        try checkGoldenSet("perceptual-odd")
    }

    func testEveryStableCellOfTheJPEGsMatchesImagehash() throws {
        try checkGoldenSet("jpeg", atLeast: 60)
    }

    func checkGoldenSet(_ set: String, atLeast minimumRows: Int = 100) throws {
        let (folder, kinds, rows) = try goldenRows(set)
        XCTAssertGreaterThanOrEqual(rows.count, minimumRows)
        var stableMatches: [HashKind: (match: Int, of: Int)] = [:]
        var unstableMatches = 0, unstableCells = 0
        // Through the folder API, on two threads, as the shell hashes a folder.
        let computedRows = try hashFolder(folder + "/images", kinds: kinds, workers: 2)
        let byFile = Dictionary(uniqueKeysWithValues: computedRows.map { ($0.file, $0) })
        XCTAssertEqual(Set(byFile.keys), Set(rows.map(\.file)), "one computed row per golden row")
        for row in rows {
            guard let computedRow = byFile[row.file] else { continue }
            XCTAssertNil(computedRow.failure, row.file)
            for (kind, hash) in zip(kinds, computedRow.hashes) {
                let same = hash?.hexString == row.expected[kind]
                if row.unstable.contains(kind) {
                    unstableCells += 1
                    if same { unstableMatches += 1 }
                    continue
                }
                var tally = stableMatches[kind] ?? (0, 0)
                tally.of += 1
                if same { tally.match += 1 }
                stableMatches[kind] = tally
                XCTAssertEqual(hash?.hexString, row.expected[kind], "\(row.file) \(kind.rawValue)")
            }
        }
        for kind in kinds {
            let tally = stableMatches[kind] ?? (0, 0)
            print("golden \(set) \(kind.rawValue): \(tally.match)/\(tally.of) stable cells match")
        }
        print("golden \(set) unstable cells matching anyway: \(unstableMatches)/\(unstableCells)")
    }
}
