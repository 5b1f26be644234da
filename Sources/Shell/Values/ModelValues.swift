import Codes
import Learning

// A deep hashing model as a session value.
//
// `HashingModel` is a class: the session holds a reference, so a command that changes it (set, train) changes the one
// model every name for it sees, and the session's undo-on-failure cannot restore it. Both paths keep it valid on
// their own instead: `set` validates the whole set of hyperparameters before changing anything, and a stopped or
// failed `train` leaves the weights of the last finished batch, from which training continues.

/// A `HashingModel` under a name. (A wrapper rather than a conformance of the class itself, because the library's
/// `HashingModel.summary` is its several-line description, and `vars` wants one line.)
public struct ModelValue: ConfigurableValue, @unchecked Sendable {
    public static let typeName = "model"
    /// The model; shared by every copy of this value.
    public let model: HashingModel

    public init(_ model: HashingModel) { self.model = model }

    private var method: HashingMethod { model.method }
    private var bits: Int { model.bits }
    private var hyperparameters: HashingHyperparameters { model.hyperparameters }
    private var history: [EpochRecord] { model.history }
    private var position: (epoch: Int, batch: Int) { model.position }
    private var network: Network? { model.network }
    private var codeLayerIndex: Int? { model.codeLayerIndex }

    /// "dsh 12 bits, small-conv, 3 epochs, loss 0.4123"; "itq 32 bits on pixels, trained in one pass on 5000
    /// images (pixels) in 1.2 s".
    public var summary: String {
        if method.isShallow {
            return "\(method) \(bits) bits on \(hyperparameters.features), "
                + (model.onePassTraining?.summary ?? "untrained (it trains in one pass)")
        }
        var text = "\(method) \(bits) bits, \(hyperparameters.net)"
        if history.isEmpty {
            text += model.holdsImportedWeights ? ", weights from a file" : ", untrained"
        } else {
            text += ", \(history.count) epoch\(history.count == 1 ? "" : "s")"
            if let last = history.last { text += ", loss " + formatLoss(last.loss) }
        }
        let (epoch, batch) = position
        if batch > 0 { text += " (stopped in epoch \(epoch + 1))" }
        return text
    }

    /// Method, net with its layers, every hyperparameter it reads with its meaning (then, on one line, those it does
    /// not read), and the loss of every epoch.
    public func render(in context: RenderContext) -> String {
        var lines = [summary]
        let codeLayerIndex = self.codeLayerIndex
            ?? (try? hyperparameters.netSpec(inputShape: [3, 32, 32], classCount: model.classCount))?.codeLayerIndex
        if !method.isShallow, let spec = try? model.netSpec() {
            lines.append("net \(spec.name)" + (network == nil ? " (built at first use; shown for 3x32x32 input)" : "")
                         + ":")
            for (index, layer) in spec.layers.enumerated() {
                // HashNet's continuation: the β the model last trained with (it grows with the steps).
                var now = ""
                if layer == .scaledTanh, let network, let beta = network.layers[index].parameters.first {
                    now = String(format: " (now β = %.3g)", Double(beta.value.storage[0]))
                }
                lines.append("  \(index + 1). \(layer)" + now + (index == codeLayerIndex ? "   ← code layer" : ""))
            }
        }
        if let network { lines.append("trainable numbers: \(network.trainableCount)") }
        lines.append("hyperparameters (set NAME.FIELD VALUE):")
        let width = HashingHyperparameters.names.map(\.count).max() ?? 0
        let entries = hyperparameters.entries
        let read = entries.filter { hyperparameters.unusedBecause($0.name) == nil }
        // Name and value on the left, the meaning wrapped beside them under its own column.
        lines += labelledRows(read.map { name, value in
            (name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + value,
             HashingHyperparameters.explanations[name] ?? "")
        }, width: max(40, context.width), maximumLabel: .max)
        // Settings another method, net, optimiser or schedule would read: kept and settable, but not read now.
        // (A shallow model has no network: the net and training settings are not listed for it.)
        let unused = entries.compactMap { name, value -> String? in
            if method.isShallow, HashingHyperparameters.spec(named: name)?.readers.needsANetwork == true { return nil }
            return hyperparameters.unusedBecause(name).map { "\(name) \(value) (\($0))" }
        }
        if !unused.isEmpty {
            lines += wrapped("not read by this model: " + unused.joined(separator: ", "),
                             width: max(40, context.width), indent: "    ")
        }
        if method.isShallow {
            if let source = model.featureSource { lines.append("features: \(source)") }
            lines.append(model.onePassTraining.map { "history: " + $0.summary } ?? "history: not trained")
            lines += model.evaluations.map { "  measured: " + $0.summary }
        } else if history.isEmpty {
            lines.append("history: not trained")
        } else {
            lines.append("history (\(history.count) epochs):")
            for record in history {
                let measured = model.evaluations.last { $0.epochs == record.epoch + 1 }
                lines.append("  epoch \(record.epoch + 1): loss \(formatLoss(record.loss)), "
                             + String(format: "%.1f s", record.seconds) + (measured.map { ", " + $0.summary } ?? ""))
            }
        }
        let (epoch, batch) = position
        if batch > 0 { lines.append("stopped in epoch \(epoch + 1) after batch \(batch); train again to continue") }
        return lines.joined(separator: "\n")
    }

    /// Every hyperparameter (`HashingHyperparameters.specs`); those that shape the network are listed too (setting
    /// them after training fails with a one-line reason), and those the model does not read carry the reason.
    public var settableFields: [ValueField] {
        HashingHyperparameters.specs.map { spec in
            ValueField(spec.name, ModelValue.fieldKind(spec.values), spec.explanation,
                       unreadReason: hyperparameters.unreadReason(for: spec.name))
        }
    }

    /// What the shell checks before `setField`: words for choices, numbers for numbers (finite: NaN and ∞ are
    /// refused by the `.double` kind), `auto` or a number for DSH's m.
    static func fieldKind(_ values: HyperparameterValues) -> ArgumentKind {
        switch values {
        case .words(let words): return .word(words)
        case .wholeNumber: return .int
        case .number: return .double
        case .numberOrAuto: return .oneOf([.word(["auto"]), .double])
        }
    }

    /// Sets one hyperparameter; on an invalid value (a negative margin, bits 7, a net change after training) the
    /// model is unchanged and the error names the field.
    public mutating func setField(_ field: String, to value: ArgumentValue) throws {
        try model.set(field, to: value.text)
    }
}

/// A loss with 4 significant digits, or its exponent form when tiny.
func formatLoss(_ loss: Double) -> String {
    guard loss.isFinite else { return String(loss) }
    return abs(loss) >= 1e-3 || loss == 0 ? String(format: "%.4f", loss) : String(format: "%.3e", loss)
}
