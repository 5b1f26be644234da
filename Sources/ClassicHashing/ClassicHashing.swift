// The ClassicHashing module: see README.md (Architecture).
