// swift-tools-version: 6.1
import PackageDescription

/// The DictDB HTTP server: a JSON API over one on-disk DictDB database, on Hummingbird.
///
/// A separate package so that users of the library never depend on a web framework. The routes live in
/// the `DictDBServer` library (tests start the app in-process), `dictdb-server` is a tiny executable over
/// it, and `dictdb-server-load` is the load and crash-check tool that `scripts/load-test` runs.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "DictDBServer",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "DictDBServer", targets: ["DictDBServer"]),
        .executable(name: "dictdb-server", targets: ["DictDBServerMain"]),
        .executable(name: "dictdb-server-load", targets: ["DictDBServerLoad"]),
    ],
    dependencies: [
        // `name:` keeps the product reference working whatever the checkout folder is called.
        .package(name: "DictDB", path: ".."),
        // No traits: the server needs neither swift-configuration nor the full-Foundation extras.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Already in the graph through Hummingbird; named so the server can import them directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
    ],
    targets: [
        .target(
            name: "DictDBServer",
            dependencies: [
                .product(name: "DictDB", package: "DictDB"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runs `dictdb-server` as a child process (the end-to-end tests and the load tool's crash check).
        .target(
            name: "DictDBServerProcess",
            dependencies: [.product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DictDBServerMain",
            dependencies: [
                "DictDBServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DictDBServerLoad",
            dependencies: [
                "DictDBServerProcess",
                .product(name: "DictDB", package: "DictDB"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DictDBServerTests",
            dependencies: [
                "DictDBServer",
                "DictDBServerProcess",
                .product(name: "DictDB", package: "DictDB"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // Built before the tests, which run the real binary (exit codes, SIGTERM).
                "DictDBServerMain",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
