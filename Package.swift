// swift-tools-version:6.0
// HashLab: an interactive shell for image hashing, classic and deep.
// Targets depend only downward: system shims (libedit, libpng, libjpeg, OpenBLAS, FFTW, Cairo) → Imaging/Codes →
// ClassicHashing/ShallowHashing (each on Codes: a hash's bits are a BitCode) → Learning/Plots → Shell → hashlab.
import PackageDescription

/// Every Swift target is optimised for this machine's CPU (AVX-512 for SIMD16<Float>, VPOPCNTDQ for popcount).
let native: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native"])]

let package = Package(
    name: "HashLab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "hashlab", targets: ["hashlab"]),
    ],
    targets: [
        // System libraries, found through pkg-config; `scripts/setup` installs them.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        // libjpeg-turbo 2.1.5 on Debian 12 (its libjpeg.pc).
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // FFTW 3 (double precision) transforms images for the GIST descriptor (ShallowHashing).
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3", providers: [.apt(["libfftw3-dev"])]),
        // Cairo draws the charts (PNG and SVG), with the DejaVu Sans font (fonts-dejavu-core) found by fontconfig.
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev", "fonts-dejavu-core"])]),

        /// The one seeded random number generator behind every reproducible choice.
        .target(name: "Seeding", swiftSettings: native),
        .target(name: "Imaging", dependencies: ["CPNG", "CJPEG", "Seeding"], swiftSettings: native),
        .target(name: "Codes", dependencies: ["Seeding"], swiftSettings: native),
        /// imagehash's hashes; a hash's bits are a `BitCode`, and hashes become the `CodeSet`s search reads.
        .target(name: "ClassicHashing", dependencies: ["Imaging", "Codes"], swiftSettings: native),
        /// The shallow learning-to-hash methods (LSH, PCAH, ITQ, SH) on feature vectors, the GIST descriptor that makes
        /// such vectors from images (FFTW), and LAPACK's decompositions.
        .target(name: "ShallowHashing", dependencies: ["Codes", "CBLAS", "CFFTW", "Seeding"], swiftSettings: native),
        /// Deep nets and every hashing model (deep, or shallow on features of the images).
        .target(name: "Learning", dependencies: ["Imaging", "Codes", "ShallowHashing", "CBLAS", "Seeding"],
                swiftSettings: native),
        .target(name: "Plots", dependencies: ["Imaging", "CCairo"], swiftSettings: native),
        .target(name: "Shell",
                dependencies: ["Imaging", "ClassicHashing", "Codes", "ShallowHashing", "Learning", "Plots", "Seeding",
                               "CEditLine"],
                swiftSettings: native),
        .executableTarget(name: "hashlab", dependencies: ["Shell"], swiftSettings: native),
        .executableTarget(name: "hashlab-bench",
                          dependencies: ["Imaging", "ClassicHashing", "Codes", "Learning", "Plots", "Seeding"],
                          swiftSettings: native),

        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], swiftSettings: native),
        .testTarget(name: "ClassicHashingTests", dependencies: ["ClassicHashing", "Imaging", "Codes"],
                    swiftSettings: native),
        .testTarget(name: "CodesTests", dependencies: ["Codes"], swiftSettings: native),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "Imaging", "Codes", "Seeding"], swiftSettings: native),
        .testTarget(name: "ShallowHashingTests", dependencies: ["ShallowHashing", "Learning", "Codes"],
                    swiftSettings: native),
        .testTarget(name: "PlotsTests", dependencies: ["Plots", "Imaging"], swiftSettings: native),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Imaging", "Codes", "ClassicHashing"], swiftSettings: native),
        .testTarget(name: "SeedingTests", dependencies: ["Seeding"], swiftSettings: native),
    ]
)
