// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ghcbox",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ghcbox", targets: ["ghcbox"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .target(
            name: "CSandbox",
            linkerSettings: [.linkedLibrary("seccomp"), .linkedLibrary("cap")]
        ),
        .target(name: "SystemLayer", dependencies: ["CSandbox", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "JSONValue"),
        .target(
            name: "JupyterWire",
            dependencies: ["CZeroMQ", "JSONValue", "SystemLayer", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Sandbox", dependencies: ["CSandbox", "SystemLayer", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log")]),
        .target(name: "GHCiRuntime", dependencies: ["Sandbox", "SystemLayer", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log")]),
        .target(name: "Kernel", dependencies: ["JupyterWire", "JSONValue", "SystemLayer", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Telemetry",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "ghcbox",
            dependencies: [
                "Kernel", "GHCiRuntime", "Sandbox", "Telemetry", "JupyterWire", "JSONValue", "SystemLayer",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SystemLayerTests", dependencies: ["SystemLayer", "CSandbox", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "JupyterWireTests", dependencies: ["JupyterWire", "JSONValue"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "SystemLayer", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "GHCiRuntimeTests", dependencies: ["GHCiRuntime", "SystemLayer", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "JupyterWire", "JSONValue"]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"]),
    ]
)

// Swift 6 language mode with strict concurrency for every target.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.swiftLanguageMode(.v6)]
}
