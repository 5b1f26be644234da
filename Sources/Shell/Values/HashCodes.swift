import ClassicHashing
import Codes

/// A classic hash is one binary code: `search h1 in db` looks for the codes nearest to it. The bits keep imagehash's
/// row-major order, so the Hamming distances equal `distance`'s.
extension ImageHash: CodeConvertible {
    func codeSet() throws -> CodeSet {
        try CodeSet(bits: [bits], names: [kind.rawValue])
    }
}
