/// Small numeric helpers shared by the edits.
enum EditArithmetic {
    /// A real sample value rounded to the nearest integer and clamped into 0…255 (NaN gives 0).
    @inline(__always)
    static func roundedByte(_ value: Double) -> UInt8 {
        if !(value > 0) { return 0 }
        if value >= 255 { return 255 }
        return UInt8(value.rounded())
    }
}
