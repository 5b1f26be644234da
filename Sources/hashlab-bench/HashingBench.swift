// The hashing section of the benchmark: PNG decoding and the classic hashes over the golden images.
import ClassicHashing
import Foundation
import Imaging

/// Throughput of PNG decoding and of ahash + dhash + phash (decode included), on both cores, for the ~512 px
/// photos and the 32×32 CIFAR images of `shared/golden/perceptual/images`. Files are read into memory first,
/// so the figures measure decoding and hashing, not the disk.
func hashingBenchmarks(shared: String) throws -> [Figure] {
    let folder = shared + "/golden/perceptual/images"
    let names = try imageFiles(in: folder)
    var photos: [[UInt8]] = [], small: [[UInt8]] = []
    for name in names {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        let image = try Image(pngData: [UInt8](bytes))
        let longSide = max(image.width, image.height)
        if image.width == 32 && image.height == 32 { small.append([UInt8](bytes)) }
        if (400...700).contains(longSide) { photos.append([UInt8](bytes)) }
    }
    guard !photos.isEmpty, !small.isEmpty else { throw HashError("\(folder): no photos or no 32×32 images") }
    let workers = ProcessInfo.processInfo.activeProcessorCount
    // Diagnostics, off by default: HASHLAB_PROFILE=whash or =small loops one workload for `perf record` and
    // returns no figures; any other value prints a per-stage CPU-time profile before measuring.
    if ProcessInfo.processInfo.environment["HASHLAB_PROFILE"] == "whash" {
        let image = try Image(pngData: photos[0]).convertedToGray()
        for _ in 0..<300 { _ = try hashes(image, kinds: [.whash]) }
        return []
    }
    if ProcessInfo.processInfo.environment["HASHLAB_PROFILE"] == "small" {
        let images = small.map { try! Image(pngData: $0) }
        for _ in 0..<300 { for image in images { _ = try hashes(image, kinds: [.ahash, .dhash, .phash]) } }
        return []
    }
    if ProcessInfo.processInfo.environment["HASHLAB_PROFILE"] != nil {
        hashingStageProfile(photos[0], repeats: 30); hashingStageProfile(small[0], repeats: 3000)
    }

    /// Images per second of decoding alone and of decoding + hashing over `inputs` on `workers` threads. The two
    /// alternate round by round for at least `minimum` seconds each, so a busy machine slows both alike and
    /// their ratio stays meaningful.
    func rates(_ inputs: [[UInt8]], minimum: Double = 2) -> (decode: Double, hash: Double) {
        let decode: @Sendable ([UInt8]) -> Int = { bytes in (try! Image(pngData: bytes)).width }
        let hash: @Sendable ([UInt8]) -> Int = { bytes in
            (try! hashes(try! Image(pngData: bytes), kinds: [.ahash, .dhash, .phash])).count
        }
        _ = parallelMap(inputs, workers: workers, decode)  // warm-up (caches, page faults)
        _ = parallelMap(inputs, workers: workers, hash)
        var decodeTime = 0.0, hashTime = 0.0, rounds = 0
        while decodeTime < minimum || hashTime < minimum {
            decodeTime += seconds { _ = parallelMap(inputs, workers: workers, decode) }
            hashTime += seconds { _ = parallelMap(inputs, workers: workers, hash) }
            rounds += 1
        }
        let images = Double(rounds * inputs.count)
        return (images / decodeTime, images / hashTime)
    }
    // Small batches are repeated so each parallel round has enough work to share between the cores.
    let smallBatch = Array(repeating: small, count: 10).flatMap { $0 }
    let (photoDecode, photoHash) = rates(photos)
    let (smallDecode, smallHash) = rates(smallBatch)
    let cores = "\(workers) threads"
    return [
        Figure(key: "hash_photo_images_per_s", value: photoHash, unit: "images/s",
               note: "ahash+dhash+phash incl. PNG decode, \(photos.count) photos ~512 px, \(cores)"),
        Figure(key: "png_decode_photo_images_per_s", value: photoDecode, unit: "images/s",
               note: "PNG decode only (the ceiling), same photos, \(cores)"),
        Figure(key: "hash_small_images_per_s", value: smallHash, unit: "images/s",
               note: "ahash+dhash+phash incl. PNG decode, \(small.count) 32×32 images, \(cores)"),
        Figure(key: "png_decode_small_images_per_s", value: smallDecode, unit: "images/s",
               note: "PNG decode only (the ceiling), same 32×32 images, \(cores)"),
    ]
}

/// Single-thread milliseconds per stage on one photo, to see where hashing time goes (printed to stderr).
func hashingStageProfile(_ bytes: [UInt8], repeats: Int) {
    // Thread CPU time, not wall time: other processes on the machine do not inflate it.
    func seconds(_ body: () -> Void) -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
        return Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
    }
    var image = try! Image(pngData: bytes)
    let decode = seconds { for _ in 0..<repeats { image = try! Image(pngData: bytes) } }
    var gray = image
    let grayTime = seconds { for _ in 0..<repeats { gray = image.convertedToGray() } }
    let a = seconds { for _ in 0..<repeats { _ = gray.resized(width: 8, height: 8) } }
    let d = seconds { for _ in 0..<repeats { _ = gray.resized(width: 9, height: 8) } }
    let p = seconds { for _ in 0..<repeats { _ = gray.resized(width: 32, height: 32) } }
    let all = seconds { for _ in 0..<repeats { _ = try! hashes(image, kinds: [.ahash, .dhash, .phash]) } }
    let w = seconds { for _ in 0..<repeats { _ = try! hashes(image, kinds: [.whash]) } }
    let c = seconds { for _ in 0..<repeats { _ = try! hashes(image, kinds: [.colorhash]) } }
    let ph = seconds { for _ in 0..<repeats { _ = try! hashes(gray, kinds: [.phash]) } }
    func ms(_ t: Double) -> String { String(format: "%.4f", t / Double(repeats) * 1000) }
    FileHandle.standardError.write(("profile \(image.width)×\(image.height)×\(image.channels): decode \(ms(decode)) "
        + "gray \(ms(grayTime)) resize8 \(ms(a)) resize9x8 \(ms(d)) resize32 \(ms(p)) phash-of-gray \(ms(ph)) "
        + "a+d+p \(ms(all)) whash \(ms(w)) colorhash \(ms(c)) ms\n").data(using: .utf8)!)
}
