// hashlab-bench: measures HashLab's speed and prints a table; `scripts/bench` runs it in release and the same
// figures go to bench.json. Each area contributes a section from its own file (HashingBench.swift, …).
import Foundation
import Learning

/// One measured figure: a stable key for bench.json, its value, its unit and what it measured.
struct Figure {
    var key: String
    var value: Double
    var unit: String
    var note: String
}

/// Elapsed seconds of `body`, on the monotonic clock.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = monotonicSeconds()
    try body()
    return monotonicSeconds() - start
}

/// Peak resident memory of this process so far, in MB (VmHWM from /proc/self/status).
func peakResidentMegabytes() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
        return kilobytes / 1024
    }
    return 0
}

let arguments = Array(CommandLine.arguments.dropFirst())
let sharedRoot = ProcessInfo.processInfo.environment["HASHLAB_SHARED"] ?? "../shared"
let only = Set(arguments.filter { !$0.hasPrefix("-") })
let jsonPath = "bench.json"

var sections: [(name: String, run: () throws -> [Figure])] = [
    ("hashing", { try hashingBenchmarks(shared: sharedRoot) }),
    ("search", { try searchBenchmarks() }),
    ("training", { try trainingBenchmarks() }),
]
if !only.isEmpty { sections = sections.filter { only.contains($0.name) } }

var figures: [Figure] = []
for section in sections {
    FileHandle.standardError.write("running \(section.name) benchmarks…\n".data(using: .utf8)!)
    do {
        let measured = try section.run()
        figures += measured
        for f in measured {
            print(f.key.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%14.1f", f.value) + "  " + f.unit.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + "  " + f.note)
        }
    } catch {
        print("\(section.name): skipped: \(error)")
    }
}

var json = "{\n"
json += figures.map { "  \"\($0.key)\": \($0.value)" }.joined(separator: ",\n")
json += "\n}\n"
try json.write(toFile: jsonPath, atomically: true, encoding: .utf8)
print("wrote \(jsonPath)")
