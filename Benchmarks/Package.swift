// swift-tools-version: 6.1
import PackageDescription

/// Benchmarks live in their own package so `swift test` on the main package never builds them.
/// Run from this folder: `swift package benchmark`.
let package = Package(
    name: "SwitchyardBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Switchyard", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CoreEvaluation",
            dependencies: [
                .product(name: "SwitchyardCore", package: "Switchyard"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/CoreEvaluation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "GuardIngestion",
            dependencies: [
                .product(name: "SwitchyardCore", package: "Switchyard"),
                .product(name: "SwitchyardGuard", package: "Switchyard"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/GuardIngestion",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
