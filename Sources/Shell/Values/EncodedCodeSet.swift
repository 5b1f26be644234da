import ClassicHashing
import Codes
import Imaging
import Learning

// A code set that remembers what made it.
//
// `encode DATA with M` (or `with phash`) keeps, beside the codes, the encoder and the images, so that
// `search IMAGE in CODES` can encode a new image exactly as the database was encoded and show the database's
// images. The codes themselves stay a plain `CodeSet` (the Codes module knows nothing of models or images): the
// session holds an `EncodedCodeSet`, which every command that asks for a code set receives unwrapped
// (`Session.value(named:as:)`, `Invocation.value(_:as:)` look through `WrappingValue`). A code set loaded from a
// file has no provenance.

/// A session value that stands for another one, which commands asking for the other type receive instead.
protocol WrappingValue {
    var wrappedValue: any ShellValue { get }
}

/// `value` as type `T`: itself, or the value it wraps.
func unwrapped<T: ShellValue>(_ value: any ShellValue, as type: T.Type) -> T? {
    if let typed = value as? T { return typed }
    return (value as? any WrappingValue)?.wrappedValue as? T
}

/// What turns an image into a code of an encoded set.
enum CodeEncoder {
    /// A deep hashing model, frozen as it was when it encoded the set (training it further does not change these
    /// codes, nor how a query is encoded for them). `name` is the name the model had at `encode`.
    case model(HashingModel, name: String)
    /// A classic hash of the whole image at its default size (any image size; it resizes by itself).
    case classicHash(HashKind)

    /// The model's name, or the hash kind: what `encode … with` was given.
    var name: String {
        switch self {
        case .model(_, let name): return name
        case .classicHash(let kind): return kind.rawValue
        }
    }

    /// "dsh 12 bits, 12 epochs" for a model (as it was when it encoded), nil for a hash.
    var details: String? {
        guard case .model(let model, _) = self else { return nil }
        let epochs = model.completedEpochs
        return "\(model.method) \(model.bits) bits, "
            + (epochs == 0 ? "untrained" : "\(epochs) epoch\(epochs == 1 ? "" : "s")")
    }

    /// "m (dsh 12 bits, 12 epochs)", "phash".
    var description: String { name + (details.map { " (\($0))" } ?? "") }

    /// The code of `image`, as one code set named `name`: through the model (resized and converted as the folder
    /// reader does, see `HashingModel.inputImages(for:)`), or hashed.
    func encode(_ image: Image, name: String) throws -> CodeSet {
        switch self {
        case .model(let model, _):
            let input = try model.inputImages(for: image, name: name)
            let codes = try model.encode(input)
            return try CodeSet(bitCount: codes.bitCount, words: codes.words, names: [name])
        case .classicHash(let kind):
            return try CodeSet(hashes: [ImageHash(of: image, kind: kind)], names: [name])
        }
    }
}

/// What made the codes of `value`, for a chart's legend: "dsh 12 bits" for a model's codes, "phash 64 bits" for a
/// hash's; nil for codes without provenance (loaded from a file).
func legendName(of value: (any ShellValue)?) -> String? {
    guard let encoded = value as? EncodedCodeSet else { return nil }
    switch encoded.provenance.encoder {
    case .model(let model, _): return "\(model.method) \(model.bits) bits"
    case .classicHash(let kind): return "\(kind.rawValue) \(encoded.codes.bitCount) bits"
    }
}

/// Where the codes of an encoded set came from: code i is image i of `images`.
struct CodeProvenance {
    var encoder: CodeEncoder
    var images: LabeledImages
    /// The name the images had (`p.database`).
    var imagesName: String
}

/// A code set made by `encode`, with its provenance. Shown and used as a code set.
struct EncodedCodeSet: ShellValue, WrappingValue {
    static let typeName = CodeSet.typeName
    let codes: CodeSet
    let provenance: CodeProvenance

    var wrappedValue: any ShellValue { codes }

    /// "700 codes × 12 bits, labelled, from p.database by m (dsh 12 bits, 12 epochs)".
    var summary: String {
        codes.summary + ", from \(provenance.imagesName) by \(provenance.encoder.description)"
    }

    func render(in context: RenderContext) -> String {
        codes.render(in: context) + "\nmade by `encode \(provenance.imagesName) with \(provenance.encoder.name)`"
            + (provenance.encoder.details.map { " (\($0))" } ?? "")
            + "; `search IMAGE in` these codes encodes an image the same way"
    }
}
