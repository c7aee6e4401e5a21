// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SwitchyardCore", targets: ["SwitchyardCore"]),
        .library(name: "SwitchyardGuard", targets: ["SwitchyardGuard"]),
        .executable(name: "switchyard", targets: ["switchyard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "SwitchyardCore"),
        .target(name: "SwitchyardGuard", dependencies: ["SwitchyardCore"]),
        .executableTarget(
            name: "switchyard",
            dependencies: [
                "SwitchyardCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "SwitchyardCoreTests", dependencies: ["SwitchyardCore"]),
        .testTarget(name: "SwitchyardConformanceTests", dependencies: ["SwitchyardCore"]),
        .testTarget(name: "SwitchyardCLITests", dependencies: ["switchyard", "SwitchyardCore"]),
        .testTarget(name: "SwitchyardGuardTests", dependencies: ["SwitchyardGuard", "SwitchyardCore"]),
    ],
    swiftLanguageModes: [.v6]
)
