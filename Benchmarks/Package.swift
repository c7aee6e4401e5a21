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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
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
        .executableTarget(
            name: "ClientEvaluation",
            dependencies: [
                .product(name: "SwitchyardClient", package: "Switchyard"),
                .product(name: "SwitchyardCore", package: "Switchyard"),
                .product(name: "SwitchyardGuard", package: "Switchyard"),
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Atomics", package: "swift-atomics"),
            ],
            path: "Benchmarks/ClientEvaluation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // Not a benchmark target (the plugin runs executables under Benchmarks/): the bare server
        // `ofrep-wrk.sh` measures the OFREP endpoint against.
        .executableTarget(
            name: "OFREPBaseline",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Baselines/OFREPBaseline"
        ),
    ],
    swiftLanguageModes: [.v6]
)
