// The search section of the benchmark (owned by the Search work; replace this placeholder).
func searchBenchmarks() throws -> [Figure] { [] }
