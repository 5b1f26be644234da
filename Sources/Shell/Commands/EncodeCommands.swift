import ClassicHashing
import Codes
import Foundation
import Learning

// `encode`: labelled images into binary codes, with a model or a classic hash — the codes `eval`, `search`,
// `pr` and `compare` rank.

/// The classic hashes `encode … with KIND` offers: all five, at their default sizes (64 bits; colorhash 42).
let classicCodeKinds = HashKind.allCases.map(\.rawValue)

/// The codes of every image of `images` under the classic hash `kind` (default size), labelled with the images'
/// labels: the codes `encode DATA with KIND` makes.
public func classicHashCodes(of images: LabeledImages, kind: HashKind,
                             shouldStop: () -> Bool = { false }) throws -> CodeSet {
    let hashes = try (0..<images.count).map { index in
        if index % 256 == 0, shouldStop() { throw CancellationError() }
        return try ImageHash(of: images.image(at: index), kind: kind)
    }
    var codes = try CodeSet(hashes: hashes, labels: images.labels)
    codes.classNames = images.classNames
    return codes
}


/// `encode`'s arguments.
enum Encode {
    /// What makes the codes: a model (and the name it was given by), or a classic hash at its default size.
    enum Maker { case model(ModelValue, name: String), hash(HashKind) }

    static let data = Argument.images("data", "the images (data, or a split's part)", required: true, positional: true)
    static let with = Parameter(Argument.keyword("with", .oneOf([.value([ModelValue.typeName]), .word(classicCodeKinds)]),
                                                 "the model, or a classic hash kind", required: true,
                                                 placeholder: "MODEL|" + classicCodeKinds.joined(separator: "|"))) {
        invocation -> Maker in
        if let model = invocation.value("with") as? ModelValue {
            return .model(model, name: invocation.valueName("with") ?? "")
        }
        guard let kind = invocation.argument("with").flatMap({ HashKind(rawValue: $0.text) }) else {
            throw ShellError.missingArgument(command: "encode", argument: "with MODEL|KIND")
        }
        return .hash(kind)
    }
}

let encodeCommands: [Command] = [
    Command("encode", topic: .models,
            abstract: "Encodes labelled images into binary codes with a model, or a classic hash for comparison.",
            discussion: """
                With a model, the images go through the network in inference mode (batch norm uses its running \
                statistics) and each output above the threshold becomes a 1-bit: u > 0, or σ > 0.5 for dlbhc's \
                sigmoid layer; a classifier's code is the codeword of its predicted class. With a classic hash \
                kind, each image gets that hash at its default size (64 bits; \
                colorhash 42; tutorial 01), a baseline that knows nothing of the labels. The codes carry the images' labels, and remember \
                what made them and from which images: `search IMAGE in CODES` encodes an image the same way (with \
                the model as it was at this `encode`) and shows the nearest images.
                """,
            arguments: [Encode.data], options: [Encode.with],
            result: .required(CodeSet.typeName),
            examples: ["encode p.database with m as dbc", "encode p.database with phash as dbp"]) { invocation in
        let images = try invocation[Encode.data]
        let imagesName = invocation.name(of: Encode.data) ?? ""
        guard images.count > 0 else { throw ShellError.message("encode: `\(imagesName)` is empty") }
        let stop = invocation.session.interruptionCheck
        let codes: CodeSet
        let encoder: CodeEncoder
        switch try invocation[Encode.with] {
        case .model(let model, let name):
            codes = try prefixingErrors("encode") { try model.model.encode(images, shouldStop: stop) }
            // Frozen as it encoded: an untrained model normalised `images` by their own statistics, so keep those.
            let frozen = try prefixingErrors("encode") {
                try model.model.inferenceCopy(normalizationIfUntrained: Normalization(measuring: images))
            }
            encoder = .model(frozen, name: name)
        case .hash(let kind):
            codes = try prefixingErrors("encode") { try classicHashCodes(of: images, kind: kind, shouldStop: stop) }
            encoder = .classicHash(kind)
        }
        invocation.output.line("\(invocation.resultName!): \(codes.summary)")
        return EncodedCodeSet(codes: codes, provenance: CodeProvenance(encoder: encoder, images: images,
                                                                       imagesName: imagesName))
    },
]
