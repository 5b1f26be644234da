import Foundation
import Learning

// How `load model` and `save M to FILE` choose a model's file format: by the file's extension. `.safetensors` is
// the weights under PyTorch's names (Learning's `HashingModel.saveSafetensors`), `.py` the PyTorch module that
// takes them, anything else HashLab's own checkpoint (weights, optimiser state and position). The formats live in
// Learning; this file only binds the command's arguments to them.

/// `load`'s options for a model from a .safetensors file (declared in `Load`, ImageCommands.swift), read typed: a file
/// PyTorch wrote needs method and net, and may give the normalisation as numbers (mean, std); `bits` is checked
/// against the file.
private enum SafetensorsOptions {
    static let mean = Load.mean.map { try $0.map { try numberList($0, "mean") } }
    static let std = Load.std.map { try $0.map { try numberList($0, "std") } }
    /// Their keywords, and bits: what a checkpoint does not take.
    static let names = [Load.method.name, Load.net.name, mean.name, std.name, Load.bits.name]
}

/// Whether `path` names a safetensors file.
func isSafetensorsPath(_ path: String) -> Bool { path.lowercased().hasSuffix(".safetensors") }

/// `load model FILE [method M] [net N] [bits K] [mean …] [std …]`: a checkpoint, or a safetensors file with the
/// options that a file written by PyTorch needs.
func loadModel(from path: String, _ invocation: Invocation) throws -> HashingModel {
    guard isSafetensorsPath(path) else {
        // (Which options a model takes depends on the file's name, not on a form the binder sees.)
        if let given = SafetensorsOptions.names.first(where: invocation.has) {
            throw ShellError.message("load: \(given) applies to a model from a .safetensors file (a checkpoint "
                                     + "records its own)")
        }
        return try prefixingErrors("load model") { try HashingModel.load(from: path) }
    }
    let options = SafetensorsModelOptions(method: try invocation[Load.method],
                                          net: try invocation[Load.net],
                                          bits: try invocation[Load.bits],
                                          mean: try invocation[SafetensorsOptions.mean],
                                          std: try invocation[SafetensorsOptions.std])
    return try prefixingErrors("load model") { try HashingModel.loadSafetensors(from: path, options: options) }
}

/// `save M to FILE`: safetensors, the PyTorch module, or a checkpoint, by the extension.
func saveModel(_ model: HashingModel, to path: String) throws {
    try prefixingErrors("save") {
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "safetensors": try model.saveSafetensors(to: path)
        case "py":
            // The loading example in the module names the weights file beside it, as `save M to X.safetensors` would.
            let weights = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".safetensors"
            try model.saveTorchModuleSource(to: path, weightsFile: weights)
        default: try model.save(to: path)
        }
    }
}

/// What a model loaded from safetensors takes: "takes 3x32x32 images normalised with mean … std …" (PyTorch's
/// numbers), or by each data set's own statistics. For a file PyTorch wrote the size is inferred from the first
/// linear layer, so it is worth seeing.
func inputDescription(of model: HashingModel) -> String {
    let shape = (model.inputShape ?? []).map(String.init).joined(separator: "x")
    guard let normalization = model.normalization else {
        return "takes \(shape) images, normalised by each data set's own statistics (mean and std fix them)"
    }
    func list(_ values: [Double]) -> String { values.map { String(format: "%.4g", $0) }.joined(separator: ",") }
    return "takes \(shape) images, normalised with mean \(list(normalization.torchMean)) std \(list(normalization.torchStd))"
}

/// Numbers separated by commas, as `mean 0.4914,0.4822,0.4465` gives them.
private func numberList(_ text: String, _ name: String) throws -> [Double] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    let numbers = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard numbers.count == parts.count, !numbers.isEmpty, numbers.allSatisfy(\.isFinite) else {
        throw ShellError.message("load: \(name) must be numbers separated by commas (one, or one per channel), not '\(text)'")
    }
    return numbers
}
