import Dispatch

/// A one-line progress bar for long commands (training, folder hashing), shown with `Output.progress`:
/// `epoch 3/20 ━━━━━━━━━━━━━━━━━━━╸────────── 71% loss 0.8312 ETA 0:41`.
public struct ProgressBar: Sendable {
    /// Cells of the bar itself.
    public var width: Int

    public init(width: Int = 30) {
        self.width = max(1, width)
    }

    /// The bar for `fraction` (clamped to 0…1): `━` for done cells, `╸` for a half-done cell, `─` for the rest, then
    /// the percentage. With `usesUnicode` false, `=`, `>` and `.` are used instead.
    public func bar(_ fraction: Double, usesUnicode: Bool = true) -> String {
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let halves = Int((clamped * Double(width * 2)).rounded(.down))
        let full = halves / 2
        let half = halves % 2
        let empty = width - full - half
        let (done, partial, rest) = usesUnicode ? ("━", "╸", "─") : ("=", ">", ".")
        let percent = Int((clamped * 100).rounded(.down))
        return String(repeating: done, count: full) + String(repeating: partial, count: half)
            + String(repeating: rest, count: empty) + " \(percent)%"
    }

    /// "0:41", "1:02:03": a duration in seconds for an ETA ("-:--" when unknown).
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite && seconds >= 0 else { return "-:--" }
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }
}
