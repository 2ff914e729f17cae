// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode everywhere, and the internal
/// consistency checks of the data structures when `DICTDB_INTERNAL_CHECKS=1` is set at build time.
let internalChecks = Context.environment["DICTDB_INTERNAL_CHECKS"] == "1"
let swiftSettings: [SwiftSetting] =
    [.swiftLanguageMode(.v6)] + (internalChecks ? [.define("DICTDB_INTERNAL_CHECKS")] : [])

let package = Package(
    name: "DictDB",
    products: [
        .library(name: "DictDB", targets: ["DictDB"]),
        .library(name: "DictDBAPI", targets: ["DictDBAPI"]),
        .library(name: "DictDBQuery", targets: ["DictDBQuery"]),
        .library(name: "DictDBCLI", targets: ["DictDBCLI"]),
        .library(name: "DictDBContracts", targets: ["DictDBContracts"]),
        .executable(name: "dictdb", targets: ["DictDBMain"]),
        .executable(name: "dictdb-fuzz", targets: ["DictDBFuzz"]),
        .executable(name: "dictdb-crash-worker", targets: ["DictDBCrashWorker"]),
        .executable(name: "dictdb-backup-sandbox", targets: ["DictDBBackupSandbox"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        // `swift package generate-documentation`: the DocC catalogs of DictDB and DictDBAPI.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin.git", from: "1.5.0"),
    ],
    targets: [
        // C libraries at the edge.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .systemLibrary(
            name: "CLZ4",
            pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"]), .brew(["lz4"])]
        ),

        // The vocabulary: values, conditions, queries, errors, plugin protocols, the registry.
        .target(name: "DictDBAPI", swiftSettings: swiftSettings),

        // Implementations, each depending on the vocabulary alone.
        .target(name: "Engine", dependencies: ["DictDBAPI"], swiftSettings: swiftSettings),
        .target(name: "Indexes", dependencies: ["DictDBAPI"], swiftSettings: swiftSettings),
        .target(name: "Codecs", dependencies: ["DictDBAPI", "CZlib", "CLZ4"], swiftSettings: swiftSettings),
        .target(name: "Backup", dependencies: ["DictDBAPI"], swiftSettings: swiftSettings),

        // The contracts every plugin must keep, as checks that plugin authors run in their own tests (the
        // built-ins' tests run the same checks).
        .target(name: "DictDBContracts", dependencies: ["DictDBAPI"], swiftSettings: swiftSettings),

        // The text query language, parsed into the vocabulary's conditions and queries.
        .target(name: "DictDBQuery", dependencies: ["DictDBAPI"], swiftSettings: swiftSettings),

        // The umbrella users import.
        .target(
            name: "DictDB",
            dependencies: ["DictDBAPI", "Engine", "Indexes", "Codecs", "Backup", "DictDBQuery"],
            swiftSettings: swiftSettings
        ),

        // The `dictdb` command-line tool: its commands in a library, and a tiny executable.
        .target(
            name: "DictDBCLI",
            dependencies: ["DictDB", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "DictDBMain", dependencies: ["DictDBCLI"], swiftSettings: swiftSettings),

        .executableTarget(name: "DictDBFuzz", dependencies: ["DictDB"], swiftSettings: swiftSettings),
        // scripts/backup-sandbox: the backup manager with short intervals, induced failures and retention.
        .executableTarget(name: "DictDBBackupSandbox", dependencies: ["DictDB"], swiftSettings: swiftSettings),

        // The seeded crash workload and the worker process the kill -9 loops and crash-point tests drive.
        .target(name: "CrashWorkload", dependencies: ["DictDB"], swiftSettings: swiftSettings),
        .executableTarget(name: "DictDBCrashWorker", dependencies: ["CrashWorkload"], swiftSettings: swiftSettings),

        // Tests mirror the sources.
        .testTarget(
            name: "DictDBAPITests",
            dependencies: ["DictDBAPI", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Engine", "Indexes", "DictDBAPI", "DictDBContracts",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IndexesTests", dependencies: ["Indexes", "DictDBAPI", "DictDBContracts"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "CodecsTests", dependencies: ["Codecs", "DictDBAPI", "DictDBContracts"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "DictDBContractsTests",
            dependencies: ["DictDBContracts", "DictDBAPI", "Indexes", "Codecs", "Engine"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "BackupTests", dependencies: ["Backup", "DictDBAPI", "DictDB"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DictDBQueryTests",
            dependencies: [
                "DictDBQuery", "DictDBAPI", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DurabilityTests",
            dependencies: [
                "DictDB", "Engine", .product(name: "PropertyBased", package: "swift-property-based"),
                "CrashWorkload", "DictDBCrashWorker",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DictDBCLITests",
            dependencies: ["DictDBCLI", "DictDB", "DictDBMain"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DictDBTests",
            dependencies: ["DictDB", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: swiftSettings
        ),
    ]
)

// Developer tools (scripts/concurrency-stress, scripts/persist-stress, scripts/gen-data, scripts/schema-audit):
// Swift executables over the real API in Sources/Tools, each run by the script of the same name (see
// docs/scripts.md). They share a small support library (argument parsing, seeded randomness, tables).
package.products += [
    .executable(name: "dictdb-concurrency-stress", targets: ["DictDBConcurrencyStress"]),
    .executable(name: "dictdb-persist-stress", targets: ["DictDBPersistStress"]),
    .executable(name: "dictdb-gen-data", targets: ["DictDBGenData"]),
    .executable(name: "dictdb-schema-audit", targets: ["DictDBSchemaAudit"]),
]
package.targets += [
    .target(
        name: "DictDBToolSupport", dependencies: ["DictDB"], path: "Sources/Tools/Support",
        swiftSettings: swiftSettings),
    .executableTarget(
        name: "DictDBConcurrencyStress", dependencies: ["DictDB", "DictDBToolSupport"],
        path: "Sources/Tools/ConcurrencyStress", swiftSettings: swiftSettings),
    .executableTarget(
        name: "DictDBPersistStress", dependencies: ["DictDB", "DictDBToolSupport"],
        path: "Sources/Tools/PersistStress", swiftSettings: swiftSettings),
    .executableTarget(
        name: "DictDBGenData", dependencies: ["DictDB", "DictDBToolSupport"], path: "Sources/Tools/GenData",
        swiftSettings: swiftSettings),
    .executableTarget(
        name: "DictDBSchemaAudit", dependencies: ["DictDB", "DictDBToolSupport"], path: "Sources/Tools/SchemaAudit",
        swiftSettings: swiftSettings),
]
