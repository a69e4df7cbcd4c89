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
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
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
        .target(name: "InterpreterAPI", dependencies: ["JSONValue"]),
        .target(
            name: "JupyterWire",
            dependencies: ["CZeroMQ", "JSONValue", "SystemLayer", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Sandbox", dependencies: ["CSandbox", "SystemLayer", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "GHCiRuntime",
            dependencies: ["Sandbox", "SystemLayer", "InterpreterAPI", "JSONValue", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "HaskellKernel",
            dependencies: ["InterpreterAPI", "GHCiRuntime", "Sandbox", "JSONValue", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Kernel",
            dependencies: ["JupyterWire", "JSONValue", "InterpreterAPI", "SystemLayer", .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log")]
        ),
        // The kernel core over an in-memory transport, for the test targets.
        .target(
            name: "KernelTestSupport",
            dependencies: ["Kernel", "InterpreterAPI", "JupyterWire", "JSONValue", "SystemLayer", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "Telemetry",
            dependencies: [
                "JSONValue",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // libcrypto (Debian's libssl-dev) for RSA PKCS#1 v1.5 and AES-ECB, and accept4.
        .target(name: "CGatewayLauncher", linkerSettings: [.linkedLibrary("crypto")]),
        // Enterprise Gateway's kernel-launcher contract: ports, the encrypted connection report, the comm port.
        .target(
            name: "GatewayLauncher",
            dependencies: ["CGatewayLauncher", "JupyterWire", "JSONValue", "SystemLayer", .product(name: "SystemPackage", package: "swift-system"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "ghcbox",
            dependencies: [
                "Kernel", "HaskellKernel", "GHCiRuntime", "Sandbox", "CSandbox", "Telemetry", "JupyterWire", "JSONValue", "SystemLayer", "GatewayLauncher",
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SystemLayerTests", dependencies: ["SystemLayer", "CSandbox", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(name: "JSONValueTests", dependencies: ["JSONValue"]),
        .testTarget(name: "JupyterWireTests", dependencies: ["JupyterWire", "JSONValue"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "SystemLayer", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(
            name: "GHCiRuntimeTests",
            dependencies: ["GHCiRuntime", "InterpreterAPI", "JSONValue", "SystemLayer", .product(name: "SystemPackage", package: "swift-system")]
        ),
        .testTarget(name: "KernelTests", dependencies: ["Kernel", "KernelTestSupport", "InterpreterAPI", "JupyterWire", "JSONValue"]),
        .testTarget(
            name: "HaskellKernelTests",
            dependencies: ["HaskellKernel", "Kernel", "KernelTestSupport", "InterpreterAPI", "GHCiRuntime", "Sandbox", "JupyterWire", "JSONValue",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "GatewayLauncherTests", dependencies: ["GatewayLauncher", "CGatewayLauncher", "JupyterWire", "JSONValue"]),
        .testTarget(
            name: "TelemetryTests",
            dependencies: ["Telemetry", .product(name: "Prometheus", package: "swift-prometheus")]
        ),
    ]
)

// Swift 6 language mode with strict concurrency for every target.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.swiftLanguageMode(.v6)]
}
