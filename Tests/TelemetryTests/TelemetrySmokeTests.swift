import Testing
@testable import Telemetry

@Test func TelemetryModuleLoads() { #expect(Bool(true)) }
