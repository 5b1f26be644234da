// The training section of the benchmark (owned by the Training work; replace this placeholder).
func trainingBenchmarks() throws -> [Figure] { [] }
