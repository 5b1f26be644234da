// The Shell module: see README.md (Architecture).
