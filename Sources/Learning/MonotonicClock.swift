import Foundation

/// Seconds on the monotonic clock (since boot; only differences mean anything): for elapsed times, throughput and
/// throttling progress redraws, immune to wall-clock changes. The trainer, the shell and the bench all time with it.
public func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
