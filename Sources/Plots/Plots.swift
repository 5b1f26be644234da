// The Plots module: see README.md (Architecture).
