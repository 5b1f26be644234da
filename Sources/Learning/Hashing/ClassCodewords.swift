/// The codes of the classifier baseline (Sablayrolles, Douze, Usunier & Jégou, "How should we evaluate supervised
/// hashing?", ICASSP 2017): the net is a plain softmax classifier, and the code of an image is the codeword of
/// its PREDICTED class. Two codes are then equal exactly when the two images are predicted to be of the same class,
/// and retrieval by Hamming distance ranks first the database images predicted to share the query's class.
///
/// The paper's point: when the database's labels are the training labels (the DPSH protocol puts the training
/// images in the database), "retrieval" of same-class images is classification in disguise, and this baseline —
/// which encodes no similarity beyond the class — beats the hashing methods on mAP. A protocol that measures
/// retrieval must hold out classes, or at least the database images.
///
/// THE CODEWORDS. Any distinct words give the property "distance 0 ⇔ same predicted class"; the words here also put
/// every two classes the SAME distance apart where the code length allows, so that retrieval after the predicted
/// class is a tie (the tie-aware mAP averages over it) rather than an accident of how the classes were numbered. With
/// p the largest power of two ≤ k, class c's codeword is row c of [H; −H], H the p × p Hadamard matrix
/// (`HashCenters.hadamardRows`), in the first p bits, and −1 in the remaining k − p bits (the same for every
/// class):
///
///     d(c, c′) = p/2 for every two classes c ≠ c′ (H's rows are orthogonal), except
///     d(c, c + p) = p, a row and its opposite, which exist only with more than p classes (k = 8 bits and CIFAR-10's
///     10 classes: classes 0 and 8, 1 and 9).
///
/// More than 2p classes do not fit: the model asks for more bits. Which of several classes at the larger distance a
/// wrong prediction lands on changes only the order of the images no relevant prediction reaches.
public struct ClassCodewords: Sendable, Equatable {
    public let classes: Int
    public let bits: Int
    /// One row of ±1 per class, `bits` long.
    public let words: [[Float]]

    public init(classes: Int, bits: Int) throws {
        var order = 1
        while order * 2 <= bits { order *= 2 }
        guard classes >= 2, classes <= 2 * order else {
            throw HashingError("a classifier's \(bits)-bit codes tell at most \(2 * order) classes apart (rows of a "
                               + "\(order) × \(order) Hadamard matrix and their opposites), not \(classes): use more bits")
        }
        self.classes = classes
        self.bits = bits
        words = HashCenters.hadamardRows(count: classes, order: order).map {
            $0 + [Float](repeating: -1, count: bits - order)
        }
    }

    /// For class scores (N × classes), the codeword of every row's arg-max class (N × bits).
    public func outputs(forScores scores: Tensor) -> Tensor {
        precondition(scores.itemSize == classes || scores.batchSize == 0, "one score per class")
        let predicted = SoftmaxCrossEntropy.predictions(scores)
        return Tensor(shape: [scores.batchSize, bits], values: predicted.flatMap { words[Int($0)] })
    }
}
