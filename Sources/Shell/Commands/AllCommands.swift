/// The shell's commands. Each topic file (ImageCommands.swift, HashCommands.swift, …) declares one
/// `let …Commands: [Command]` list, and optionally `…SessionOptions: [SessionOption]`; add the lists here, in any
/// order (`help` orders topics by `Topic.rank`).
///
/// A topic file looks like this (Parameter.swift explains the typed arguments):
///
///     extension Topic {
///         static let hashing = Topic("hashing", abstract: "classic perceptual hashes", rank: 20)
///     }
///
///     /// `hash`'s arguments.
///     enum Hash {
///         static let kind = Argument.positional("kind", HashKind.self, "the hash to compute")
///         static let image = Argument.positional("image", value: Image.self, "what to hash")
///         static let size = Argument.keyword("size", Int.self, "imagehash's hash_size", default: 8,
///                                            bounds: .between(2, 64))
///     }
///
///     let hashCommands: [Command] = [
///         Command("hash", topic: .hashing,
///                 abstract: "Hashes an image.",
///                 arguments: [Hash.kind, Hash.image], options: [Hash.size],
///                 result: .optional(ImageHash.typeName),
///                 examples: ["hash phash cat as h1"]) { invocation in
///             let hash = try ImageHash(of: try invocation[Hash.image], kind: try invocation[Hash.kind],
///                                      size: try invocation[Hash.size])
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
