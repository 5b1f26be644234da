// The hashing section of the benchmark (owned by the Hashing work; replace this placeholder).
func hashingBenchmarks(shared: String) throws -> [Figure] { [] }
