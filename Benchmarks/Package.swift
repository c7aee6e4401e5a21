// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SwitchyardBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "GuardBenchmarks",
            dependencies: [
                .product(name: "SwitchyardGuard", package: "guard"),
                .product(name: "SwitchyardCore", package: "guard"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
