// The Codes module: see README.md (Architecture).
