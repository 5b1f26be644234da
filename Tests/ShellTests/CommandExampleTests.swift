import Foundation
import Codes
import Imaging
import Shell
import XCTest

/// The examples that `help` shows for the image, hashing, histogram and plot commands run as written (not only
/// parse), in a session holding the values and files they name.
final class CommandExampleTests: XCTestCase {
    func testEveryTopicExampleRuns() throws {
        let folder = try TemporaryFolder()
        let photo = SyntheticPicture.make(.scene, size: 256, seed: 3)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("photos"),
                                                withIntermediateDirectories: true)
        try photo.writePNG(to: folder.url.appendingPathComponent("photos/cat.png").path)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("pictures"),
                                                withIntermediateDirectories: true)
        try photo.writePNG(to: folder.url.appendingPathComponent("pictures/a.png").path)
        try photo.mirrored().writePNG(to: folder.url.appendingPathComponent("pictures/b.png").path)
        try folder.write("file\tahash\tunstable\ncat.png\tffffffefe0000000\t\n", to: "expected.tsv")

        let previous = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(folder.url.path))
        defer { FileManager.default.changeCurrentDirectoryPath(previous) }

        let topics = CommandRegistry.standard.commands.filter {
            ["images", "hashing", "histograms", "plots"].contains($0.topic.name)
        }
        XCTAssertGreaterThanOrEqual(topics.count, 20)
        var examples = 0
        for command in topics {
            XCTAssertFalse(command.examples.isEmpty, "\(command.name) has no example")
            for example in command.examples {
                let shell = CommandSession()
                shell.run("""
                    picture scene size 256 seed 3 as photo; resize photo 64 64 as small; rotate photo 3 as turned; \
                    hue photo 120 as recoloured; hash phash photo as h1; hash phash turned as h2; \
                    hash all photo as hs; histogram photo as hist1; histogram turned as hist2
                    """)
                try shell.session.store(CodeSet(strings: ["000011110000", "000011110001", "111100001111",
                                                          "111100001110"], labels: [0, 0, 1, 1]), as: "db")
                shell.run("save db to codes.npy labels labels.npy; pr db db as dsh12; pr db db as dpsh12")
                // Models for the model examples of `load`, `save`, `plot loss`, `plot learning`, `plot sweep` and `plot map`
                // (tiny).
                shell.run("""
                    data synthetic per-class 4 size 8 as d; model dsh bits 8 net mlp as m; set m.batch 8; \
                    train m on d epochs 1; save m to out/dsh12.ckpt; save m to out/dsh12.safetensors; model dsh bits 8 net mlp seed 2 as m1; \
                    set m1.batch 8; train m1 on d epochs 2 query d database d; model triplet bits 8 net mlp as m2; \
                    set m2.batch 8; train m2 on d epochs 2 query d database d; sweep m.alpha 0,0.1 on d epochs 1 query d database d as s; \
                    sweep m.bits 8,16 on d epochs 1 query d database d as lengths; save s to out/alphas.csv
                    """)
                shell.sink.clear()
                let summary = shell.session.execute(line: example)
                XCTAssertEqual(summary.failures, 0, "`\(example)`: \(shell.sink.error)")
                XCTAssertFalse(shell.sink.standard.isEmpty, "`\(example)` printed nothing")
                examples += 1
            }
        }
        XCTAssertGreaterThanOrEqual(examples, 25)
    }
}
