import Foundation

/// The retrieval quality of a model measured during training (`train … query Q database D every N`): after
/// `epochs` completed epochs, the query images' codes rank the database images' codes by Hamming distance, and
/// mAP, precision@k and precision within the Hamming radius are those of `eval`.
///
/// Measured on held-out queries, these make the learning curve: the training loss only falls, but mAP on images
/// the net has not seen rises, flattens and — when the net memorises its training images — falls again, which is
/// what weight decay and early stopping are for.
public struct EvaluationRecord: Sendable, Equatable, Codable {
    /// Epochs completed when it was measured.
    public var epochs: Int
    /// mAP over the whole database.
    public var meanAveragePrecision: Double
    public var precisionAtK: Double
    public var k: Int
    public var precisionWithinRadius: Double
    public var radius: Int
    /// The names of the query and database images in the session that measured it.
    public var query: String
    public var database: String

    public init(epochs: Int, meanAveragePrecision: Double, precisionAtK: Double, k: Int,
                precisionWithinRadius: Double, radius: Int, query: String, database: String) {
        self.epochs = epochs
        self.meanAveragePrecision = meanAveragePrecision
        self.precisionAtK = precisionAtK
        self.k = k
        self.precisionWithinRadius = precisionWithinRadius
        self.radius = radius
        self.query = query
        self.database = database
    }

    /// "mAP 0.4185, P@100 0.5120, P(r≤2) 0.6011 (p.query in p.database)".
    public var summary: String {
        String(format: "mAP %.4f, P@%d %.4f, P(r≤%d) %.4f", meanAveragePrecision, k, precisionAtK, radius,
               precisionWithinRadius) + " (\(query) in \(database))"
    }
}
