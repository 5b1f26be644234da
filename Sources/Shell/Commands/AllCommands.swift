/// The shell's commands. Each topic file (CoreCommands.swift, and later ImageCommands.swift, HashCommands.swift, …)
/// declares one `let …Commands: [Command]` list, and optionally `…SessionOptions: [SessionOption]`; add the lists
/// here, in any order (`help` orders topics by `Topic.rank`).
///
/// A topic file looks like this:
///
///     extension Topic {
///         static let hashing = Topic("hashing", abstract: "classic perceptual hashes", rank: 20)
///     }
///
///     extension ImageHash: ShellValue {
///         public static let typeName = "hash"
///         public var summary: String { "\(kind) \(hexadecimal)" }
///     }
///
///     let hashCommands: [Command] = [
///         Command("hash", topic: .hashing,
///                 abstract: "Hashes an image, or every image file of a folder.",
///                 arguments: [.positional("kind", .word(["ahash", "dhash", "phash"]), "the hash to compute"),
///                             .positional("source", .oneOf([.value(of: Image.self), .folder]), "what to hash")],
///                 options: [.keyword("to", .path, "a TSV file to write")],
///                 result: .optional(ImageHash.typeName),
///                 examples: ["hash phash cat as h1"]) { invocation in
///             let image = try invocation.value("source", as: Image.self)
///             let hash = …
///             invocation.output.line(hash.summary)
///             return hash            // kept when the user wrote `as NAME`
///         },
///     ]
extension CommandRegistry {
    /// Every command of HashLab.
    public static let standard = CommandRegistry(
        commands: imageCommands + hashCommands + histogramCommands + dataCommands + evaluationCommands
            + modelCommands + trainCommands + encodeCommands + outputHistogramCommands
            + sweepCommands + compareCommands + searchCommands + plotCommands + explainCommands + coreCommands + notebookCommands,
        options: coreSessionOptions
    )
}
