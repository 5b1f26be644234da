/// numpy's `median`: the middle value, or the mean of the two middle values for an even count.
/// (An insertion sort into a scratch copy: hashes take medians of 64–256 values, where it beats a general sort.)
func median(_ values: [Double]) -> Double {
    var sorted = values
    sorted.withUnsafeMutableBufferPointer { buffer in
        for i in 1..<max(1, buffer.count) {
            let value = buffer[i]
            var j = i
            while j > 0 && buffer[j - 1] > value { buffer[j] = buffer[j - 1]; j -= 1 }
            buffer[j] = value
        }
    }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
