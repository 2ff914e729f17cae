// swift-tools-version: 6.1
import PackageDescription

/// The DictDB benchmark: the standard workload of `shared/BENCHMARKS.md`, run against DictDB and against
/// SQLite (through GRDB's fast path) in the same process, so that the printed ratios are claims.
///
/// A separate package so that the library never depends on GRDB. Build and run it in release mode:
/// `swift run -c release dictdb-bench --rows 100000`.
let package = Package(
    name: "DictDBBenchmarks",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dictdb-bench", targets: ["DictDBBench"])
    ],
    dependencies: [
        // `name:` keeps the product reference working whatever the checkout folder is called (a path
        // dependency's identity is otherwise its folder name).
        .package(name: "DictDB", path: ".."),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    ],
    targets: [
        .executableTarget(
            name: "DictDBBench",
            dependencies: [
                .product(name: "DictDB", package: "DictDB"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        )
    ]
)
