// The Learning module: see README.md (Architecture).
