import ClassicHashing
import Codes
import Foundation
import Imaging
import Learning

extension Topic {
    static let images = Topic("images", abstract: "image files (PNG, JPEG), synthetic pictures and edits", rank: 10)
}

/// What `load` reads: the words of its first argument, which pick the options it takes.
enum LoadKind: String, ArgumentWord {
    case image, hashes, codes, model, sweep
}

/// `load`'s arguments. Which kind of file each option belongs to is declared (`forms`), so that `load image … labels
/// …` is refused and Tab offers only a kind's options; that a checkpoint takes none of a .safetensors file's options
/// depends on the file's name, and `loadModel` checks it.
enum Load {
    static let kind = Argument.positional("kind", LoadKind.self, "what the file holds")
    static let file = Argument.path("file", .file, "the file to read", required: true, positional: true)
    static let labels = Argument.path("labels", .file, "codes from .npy: a .npy file of labels, one integer a code",
                                      forms: ["codes"])
    static let bits = Argument.keyword("bits", Int.self,
                                       "codes from .npy: bits per code; a model from .safetensors: checked",
                                       otherwise: "8 × bytes per row", forms: ["codes", "model"])
    // method, net, mean and std are read by `loadModel` (ModelFiles.swift).
    static let method = Argument.keyword("method", HashingMethod.self,
                                         "a model from .safetensors written by PyTorch: its hashing method",
                                         placeholder: "METHOD", forms: ["model"])
    static let net = Argument.keyword("net", HashingNet.self, "a model from .safetensors written by PyTorch: its net",
                                      placeholder: "NET", forms: ["model"])
    static let mean = Argument.keyword("mean", String.self,
                                       "a model from .safetensors: the channel means for images in [0, 1]",
                                       placeholder: "R,G,B", forms: ["model"])
    static let std = Argument.keyword("std", String.self, "a model from .safetensors: the channel standard deviations",
                                      placeholder: "R,G,B", forms: ["model"])
}

/// `save`'s arguments.
enum Save {
    static let value = Argument.positional("name", valueOf: [Image.self, HashTable.self, ColorHistogram.self,
                                                             CodeSet.self, ModelValue.self, SweepTable.self,
                                                             ComparisonTable.self], "the value to write")
    static let to = Argument.path("to", .path, "the file to write (.png for images, .tsv for tables, .npy for codes, "
                                      + ".safetensors or .py for a model)", required: true)
    static let labels = Argument.path("labels", .path, "codes as .npy: a second .npy file for their labels")
}

extension SyntheticPicture.Kind: ArgumentWord {}

/// `picture`'s arguments.
enum Picture {
    static let kind = Argument.positional("kind", SyntheticPicture.Kind.self, "what to draw", placeholder: "KIND")
    static let size = Argument.keyword("size", Int.self, "width and height in pixels", default: 256,
                                       bounds: .between(1, 4096))
    static let seed = Argument.keyword("seed", Int.self, "the random seed", default: 1, placeholder: "S",
                                       bounds: .atLeast(0))
}

extension ResampleFilter: ArgumentWord {}
extension RotationSampling: ArgumentWord {}

// The edits' arguments, after the image every edit takes. A bound (≥ 0) is checked when the line is read; the
// edits in Imaging check their own numbers too.

/// The image every edit command takes first.
enum ImageEdit {
    static let image = Argument.positional("image", value: Image.self, "the image to edit")
}

enum Resize {
    static let width = Argument.positional("width", Int.self, "the new width in pixels", placeholder: "W",
                                           bounds: .between(1, 16384))
    static let height = Argument.positional("height", Int.self, "the new height in pixels", placeholder: "H",
                                            bounds: .between(1, 16384))
    static let filter = Argument.keyword("filter", ResampleFilter.self, "the resampling filter", default: .lanczos)
}

enum Crop {
    static let x = Argument.positional("x", Int.self, "left column (0 is the first)", placeholder: "X")
    static let y = Argument.positional("y", Int.self, "top row (0 is the first)", placeholder: "Y")
    static let width = Argument.positional("width", Int.self, "width in pixels", placeholder: "W")
    static let height = Argument.positional("height", Int.self, "height in pixels", placeholder: "H")
}

enum Rotate {
    static let degrees = Argument.positional("degrees", Double.self, "the angle; negative turns clockwise",
                                             placeholder: "DEGREES")
    static let filter = Argument.keyword("filter", RotationSampling.self, "how pixels between centres are read",
                                         default: .nearest)
}

enum Blur {
    static let radius = Argument.positional("radius", Double.self, "the Gaussian's standard deviation in pixels",
                                            placeholder: "R", bounds: .atLeast(0))
}

enum Brightness {
    static let factor = Argument.positional("factor", Double.self, "the factor", placeholder: "F", bounds: .atLeast(0))
}

enum Contrast {
    static let factor = Argument.positional("factor", Double.self, "the factor (0 gives flat gray)", placeholder: "F",
                                            bounds: .atLeast(0))
}

enum Noise {
    static let sigma = Argument.positional("sigma", Double.self, "the noise's standard deviation in gray levels",
                                           placeholder: "SIGMA", bounds: .atLeast(0))
    static let seed = Argument.keyword("seed", Int.self, "the random seed", default: 1, placeholder: "S",
                                       bounds: .atLeast(0))
}

enum Hue {
    static let degrees = Argument.positional("degrees", Double.self, "the turn around the colour wheel",
                                             placeholder: "DEGREES")
}

/// Image commands: load PNG and JPEG files, save PNG files, draw synthetic pictures, and edits that each make a new image.
let imageCommands: [Command] = [
    Command("load", topic: .images,
            abstract: "Reads a value from a file: a PNG or JPEG image, a TSV table of hashes, a code set, a model (a checkpoint, or PyTorch-named .safetensors), or a sweep's CSV.",
            discussion: """
                image: any PNG (gray, gray+alpha, RGB, RGBA, palette; 1 to 16 bits), kept as 8-bit samples, or any \
                8-bit JPEG (gray, colour, CMYK; baseline or progressive), decoded as Pillow decodes it (a CMYK one \
                converted to RGB as Pillow converts it, EXIF orientation not applied). The content decides which, \
                not the name.
                hashes: a tab-separated table whose header is `file` then hash kinds (ahash dhash phash whash \
                colorhash); other columns are ignored. Each hash size is read from its number of hex digits, as imagehash does; `-` marks an empty cell.
                codes: TSV (columns code as 0/1, and optionally label and name), or .npy codes packed as \
                numpy.packbits does (FAISS's binary indexes read these) with `labels FILE.npy` of integers and \
                `bits N` when the length is not a multiple of 8.
                model: a checkpoint written by `save M to FILE` (weights, normalisation, hyperparameters, history, \
                and the optimiser state and position, so that training on the same data continues), or weights in \
                a .safetensors file named as PyTorch names the net written as one nn.Sequential (see `save`). A \
                file HashLab wrote needs nothing more. One written by PyTorch needs method and net; the bits come \
                from its last linear layer, and the normalisation from mean and std (transforms.Normalize's \
                numbers, for images scaled to [0, 1]), else from each data set's own statistics, as for a new \
                model. The weights must be float32 and of the net's shapes; the optimiser starts afresh.
                sweep: a CSV written by `save S to FILE.csv` (PARAM…,final_loss,map,p_at_K,p_within_radius_R,seconds), \
                for `show` and `plot sweep`; it holds the numbers, not the runs' models, so `hist` needs the sweep run.
                """,
            arguments: [Load.kind, Load.file],
            options: [Load.labels, Load.bits, Load.method, Load.net, Load.mean, Load.std],
            result: .required("value"),
            examples: ["load image photos/cat.png as cat", "load hashes expected.tsv as golden",
                       "load codes codes.npy labels labels.npy bits 12 as db", "load model out/dsh12.ckpt as m",
                       "load model out/dsh12.safetensors as m3",
                       "load sweep out/alphas.csv as saved"]) { invocation in
        let path = try invocation[Load.file].path
        let value: any ShellValue
        switch try invocation[Load.kind] {
        case .image: value = try Image.read(imageAt: path)
        case .model:
            let model = try loadModel(from: path, invocation)
            value = ModelValue(model)
            if isSafetensorsPath(path) {
                invocation.output.line("\(invocation.resultName!): \(value.summary)")
                if !model.method.isShallow { invocation.output.line("  " + inputDescription(of: model)) }
                return value
            }
        case .sweep:
            value = try prefixingErrors("load sweep") { try SweepTable.load(from: path) }
        case .codes:
            value = try loadCodeSet(from: path, labelsPath: try invocation[Load.labels]?.path,
                                    bitCount: try invocation[Load.bits])
        case .hashes: value = try loadHashTable(atPath: path)
        }
        invocation.output.line("\(invocation.resultName!): \(value.summary)")
        return value
    },

    Command("save", topic: .images,
            abstract: "Writes a value to a file: an image as PNG, hashes or a histogram as TSV, codes as TSV or .npy, a model (checkpoint, .safetensors, or .py for PyTorch), a sweep or comparison as CSV.",
            discussion: """
                Missing parent folders are made. A histogram's TSV has the columns bin, label and fraction; the \
                fractions sum to 1 over all bins (for per-channel histograms, over the channels together), as \
                `match` compares them.
                A model: FILE.safetensors writes its weights as PyTorch names the same net written as one \
                nn.Sequential in HashLab's layer order, with nn.Flatten() before the first linear layer (0.weight, \
                0.bias, 3.weight, …), in PyTorch's layouts, and its method, bits, net, normalisation and \
                hyperparameters in the file's metadata; PyTorch reads it with \
                net.load_state_dict(safetensors.torch.load_file(FILE)). FILE.py writes that nn.Sequential as \
                Python source, with the normalisation and how to read the codes as comments. Any other name \
                writes HashLab's checkpoint, which also keeps the optimiser's state for training on.
                """,
            arguments: [Save.value], options: [Save.to, Save.labels],
            examples: ["save small to out/small.png", "save hs to out/hashes.tsv",
                       "save db to out/db.npy labels out/db-labels.npy", "save m to out/dsh12.ckpt",
                       "save m to out/dsh12.safetensors"]) { invocation in
        let path = try invocation[Save.to].path
        let given = try invocation[Save.value], value = given.value
        let labelsPath = try invocation[Save.labels]?.path
        let codes = unwrapped(value, as: CodeSet.self)
        // Whether labels apply depends on the value's type, not on the words: checked here.
        if labelsPath != nil, codes == nil {
            throw ShellError.message("save: labels applies to codes only")
        }
        if unwrapped(value, as: Image.self) != nil, !path.lowercased().hasSuffix(".png") {
            // HashLab writes PNG only: a photo.jpg holding PNG bytes would mislead every program that opens it.
            throw ShellError.message("save: \(path): images are written as PNG; end the name with .png")
        }
        try makeParentFolder(of: path)
        switch codes.map({ $0 as any ShellValue }) ?? unwrapped(value, as: Image.self) ?? value {
        case let image as Image:
            try image.writePNG(to: path)
            invocation.output.wroteFile(path)
        case let table as HashTable:
            try writeText(table.tsv, to: path)
        case let model as ModelValue:
            try saveModel(model.model, to: path)
        case let table as any TableValue:
            try writeText(table.csv, to: path)
        case let codes as CodeSet:
            try saveCodeSet(codes, to: path, labelsPath: labelsPath)
        case let histogram as ColorHistogram:
            let labels = histogram.binLabels
            let rows = histogram.values.indices.map { "\($0)\t\(labels[$0])\t\(histogram.values[$0])" }
            try writeText((["bin\tlabel\tfraction"] + rows).joined(separator: "\n") + "\n", to: path)
        default:
            throw ShellError.message("save: cannot write \(given.name)")
        }
        invocation.output.line("wrote \(path)")
        return nil
    },

    Command("picture", topic: .images,
            abstract: "Draws a synthetic RGB picture: KIND is " + SyntheticPicture.Kind.allCases.map(\.rawValue)
                .joined(separator: ", ") + " (the same seed gives the same picture everywhere).",
            discussion: SyntheticPicture.Kind.allCases.map { "\($0.rawValue): \($0.summary)" }
                .joined(separator: "\n"),
            arguments: [Picture.kind], options: [Picture.size, Picture.seed],
            result: .required(Image.typeName),
            examples: ["picture scene size 256 seed 3 as photo", "picture shapes as shapes"]) { invocation in
        let image = SyntheticPicture.make(try invocation[Picture.kind], size: try invocation[Picture.size],
                                          seed: UInt64(try invocation[Picture.seed]))
        invocation.output.line("\(invocation.resultName!): \(image.summary)")
        return image
    },

    imageEdit("resize", abstract: "Resizes an image as Pillow does (Lanczos by default, as imagehash).",
              arguments: [Resize.width, Resize.height], options: [Resize.filter],
              examples: ["resize photo 128 128 as half", "resize photo 64 48 filter bilinear as thumb"]) { image, call in
        image.resized(width: try call[Resize.width], height: try call[Resize.height], filter: try call[Resize.filter])
    },

    imageEdit("crop", abstract: "Cuts out the rectangle of W×H pixels whose top-left pixel is (X, Y).",
              arguments: [Crop.x, Crop.y, Crop.width, Crop.height],
              examples: ["crop photo 32 32 192 192 as middle"]) { image, call in
        try image.cropped(x: try call[Crop.x], y: try call[Crop.y], width: try call[Crop.width],
                          height: try call[Crop.height])
    },

    imageEdit("rotate", abstract: "Turns an image counter-clockwise about its centre, keeping its size, as Pillow's rotate.",
              discussion: """
                Corners turned out of the frame are lost; uncovered corners become black. The filter is Pillow's \
                resample: nearest (Pillow's default: no new colours, jagged edges), bilinear (smooth, what a \
                photo editor does) or bicubic (sharper, Pillow's a = −1 cubic). 180°, and 90° or 270° on a square \
                image, move pixels exactly whatever the filter.
                """,
              arguments: [Rotate.degrees], options: [Rotate.filter],
              examples: ["rotate photo 3 as turned", "rotate photo 3 filter bilinear as smooth"]) { image, call in
        try image.rotated(degrees: try call[Rotate.degrees], sampling: try call[Rotate.filter])
    },

    imageEdit("mirror", abstract: "Mirrors an image left to right.", examples: ["mirror photo as mirrored"]) { image, _ in
        image.mirrored()
    },

    imageEdit("flip", abstract: "Flips an image upside down.", examples: ["flip photo as flipped"]) { image, _ in
        image.flipped()
    },

    imageEdit("blur", abstract: "Blurs an image with Pillow's GaussianBlur of radius (standard deviation) R pixels.",
              arguments: [Blur.radius],
              examples: ["blur photo 2 as soft"]) { image, call in
        try image.pillowGaussianBlurred(radius: try call[Blur.radius])
    },

    imageEdit("brightness", abstract: "Scales the brightness by factor F (Pillow's ImageEnhance.Brightness).",
              discussion: "1 keeps the image, 0.5 halves every sample, 1.5 brightens (clipping at white).",
              arguments: [Brightness.factor],
              examples: ["brightness photo 1.3 as bright"]) { image, call in
        try image.brightened(by: try call[Brightness.factor])
    },

    imageEdit("contrast", abstract: "Scales the contrast by factor F around the mean gray (Pillow's ImageEnhance.Contrast).",
              arguments: [Contrast.factor],
              examples: ["contrast photo 0.7 as flat"]) { image, call in
        try image.contrasted(by: try call[Contrast.factor])
    },

    imageEdit("noise", abstract: "Adds seeded Gaussian noise of standard deviation SIGMA gray levels to every sample.",
              arguments: [Noise.sigma], options: [Noise.seed],
              examples: ["noise photo 8 seed 2 as grainy"]) { image, call in
        try image.withGaussianNoise(sigma: try call[Noise.sigma], seed: UInt64(try call[Noise.seed]))
    },

    imageEdit("gray", abstract: "Converts an image to gray with Pillow's luma (what every hash but colorhash sees).",
              examples: ["gray photo as plain"]) { image, _ in
        image.convertedToGray()
    },

    imageEdit("hue", abstract: "Turns every colour's hue by DEGREES, keeping saturation and brightness.",
              discussion: "Gray pixels stay as they are. 120 sends red to green, green to blue, blue to red.",
              arguments: [Hue.degrees],
              examples: ["hue photo 120 as recoloured"]) { image, call in
        image.hueRotated(by: try call[Hue.degrees])
    },
]

/// An edit command: `VERB IMAGE ARGUMENTS… [OPTIONS…] as NAME`, which keeps `transform(image)` and prints its size.
private func imageEdit(_ name: String, abstract: String, discussion: String = "",
                       arguments: [any ArgumentDeclaration] = [], options: [any ArgumentDeclaration] = [],
                       examples: [String],
                       transform: @escaping @Sendable (Image, Invocation) throws -> Image) -> Command {
    Command(name, topic: .images, abstract: abstract, discussion: discussion,
            arguments: [ImageEdit.image] + arguments, options: options, result: .required(Image.typeName),
            examples: examples) { invocation in
        let edited = try transform(try invocation[ImageEdit.image], invocation)
        invocation.output.line("\(invocation.resultName!): \(edited.summary)")
        return edited
    }
}

/// Makes the folders above `path` when they are missing.
func makeParentFolder(of path: String) throws {
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    } catch {
        throw ShellError.message("\(parent.path): cannot make the folder (\((error as NSError).localizedDescription))")
    }
}

/// Writes `text` to `path` atomically, or throws a one-line error naming the file.
func writeText(_ text: String, to path: String) throws {
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw ShellError.message("\(path): cannot write (\((error as NSError).localizedDescription))")
    }
}

/// Reads a TSV table of hashes: a header `file KIND…` (columns that are not hash kinds, such as `unstable`, are
/// ignored), then one row per image with imagehash's hex strings.
func loadHashTable(atPath path: String) throws -> HashTable {
    guard let data = FileManager.default.contents(atPath: path) else { throw ShellError.noSuchFile(path) }
    guard let text = String(data: data, encoding: .utf8) else {
        throw ShellError.message("\(path): is not UTF-8 text")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
        $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
    }
    while lines.last == "" { lines.removeLast() }
    guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init),
          header.first == "file" else {
        throw ShellError.message("\(path):1: a hash table starts with a header `file KIND…`")
    }
    let columns = header.indices.dropFirst().compactMap { index in HashKind(rawValue: header[index]).map { (index, $0) } }
    guard !columns.isEmpty else {
        throw ShellError.message("\(path):1: no hash kind among the columns (ahash dhash phash whash colorhash)")
    }
    var rows: [HashTable.Row] = []
    for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
        let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        var hashes: [ImageHash?] = []
        for (index, kind) in columns {
            guard index < cells.count else {
                throw ShellError.message("\(path):\(number + 1): missing the \(kind.rawValue) column")
            }
            if cells[index] == "-" {  // a kind that failed (or that imagehash refused) for this file
                hashes.append(nil)
                continue
            }
            do {
                hashes.append(try ImageHash(hex: cells[index], kind: kind))
            } catch {
                throw ShellError.message("\(path):\(number + 1): \(error)")
            }
        }
        rows.append(HashTable.Row(file: cells[0], hashes: hashes))
    }
    return HashTable(source: path, kinds: columns.map(\.1), rows: rows)
}
