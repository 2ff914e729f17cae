// swift-tools-version: 6.1
import PackageDescription

/// Plugins written outside DictDB, against its public protocols only: a snapshot codec (`ndjson`), a
/// compressor (`zstd`, over libzstd), an index kind (`trigram`, for substring searches), a primary-key
/// generator (`ulid`) and a sync policy (`every-N`). Nothing in DictDB's sources knows about them; a
/// `Registry` assembles them with the built-ins.
let package = Package(
    name: "CustomPlugins",
    products: [
        .library(name: "CustomPlugins", targets: ["CustomPlugins"])
    ],
    dependencies: [
        // `name:` keeps the product references working whatever the checkout folder is called.
        .package(name: "DictDB", path: "../..")
    ],
    targets: [
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]
        ),
        // The plugins import the vocabulary (DictDBAPI) alone, as every plugin should.
        .target(
            name: "CustomPlugins",
            dependencies: ["CZstd", .product(name: "DictDBAPI", package: "DictDB")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .testTarget(
            name: "CustomPluginsTests",
            dependencies: [
                "CustomPlugins",
                .product(name: "DictDB", package: "DictDB"),
                .product(name: "DictDBContracts", package: "DictDB"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
    ]
)
