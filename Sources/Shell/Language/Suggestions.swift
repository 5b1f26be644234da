/// "Did you mean …?": the candidates closest to a mistyped word.
public enum Suggestions {
    /// The optimal-string-alignment distance between two words: the fewest insertions, deletions, substitutions and
    /// swaps of two neighbouring characters that turn `source` into `target` (Damerau–Levenshtein without
    /// re-editing a swapped pair). Exact, O(|source|·|target|) time.
    public static func editDistance(_ source: String, _ target: String) -> Int {
        let a = Array(source.lowercased())
        let b = Array(target.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = min(best, previousPrevious[j - 2] + 1)
                }
                current[j] = best
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// Up to `limit` candidates close to `word`, best first: those within an edit distance of about a third of the
    /// word's length (at least 1, at most 3), and those that start with `word` when it has two or more characters.
    public static func closest(to word: String, among candidates: some Sequence<String>, limit: Int = 3) -> [String] {
        let allowed = min(3, max(1, word.count / 3))
        var scored: [(distance: Int, name: String)] = []
        var seen = Set<String>()
        for candidate in candidates where seen.insert(candidate).inserted && candidate != word {
            let distance = editDistance(word, candidate)
            if distance <= allowed {
                scored.append((distance, candidate))
            } else if word.count >= 2 && candidate.lowercased().hasPrefix(word.lowercased()) {
                scored.append((allowed + 1, candidate))
            }
        }
        scored.sort { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return scored.prefix(limit).map(\.name)
    }

    /// " (did you mean `a` or `b`?)", or "" when there is nothing to suggest.
    public static func phrase(_ suggestions: [String]) -> String {
        guard !suggestions.isEmpty else { return "" }
        let quoted = suggestions.map { "`\($0)`" }
        let list = quoted.count == 1 ? quoted[0]
            : quoted.dropLast().joined(separator: ", ") + " or " + quoted.last!
        return "; did you mean \(list)?"
    }
}
