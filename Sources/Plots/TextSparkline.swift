extension TextPlot {
    /// Values as one line of block heights ▁▂▃▄▅▆▇█, the minimum as ▁ and the maximum as █ (linear in between,
    /// rounded); a constant series is all ▄; NaN and infinities print as a space.
    public static func sparkline(_ values: [Double]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let finite = values.filter { $0.isFinite }
        guard let low = finite.min(), let high = finite.max() else { return String(repeating: " ", count: values.count) }
        return String(values.map { value -> Character in
            guard value.isFinite else { return " " }
            if high == low { return "▄" }
            return blocks[Int(((value - low) / (high - low) * 7).rounded())]
        })
    }
}
