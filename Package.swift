// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "SwitchyardCore", targets: ["SwitchyardCore"]),
        .executable(name: "switchyard", targets: ["switchyard"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "SwitchyardCore"),
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
    ],
    swiftLanguageModes: [.v6]
)
