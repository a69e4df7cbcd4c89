import Testing
@testable import GHCiRuntime

@Test func GHCiRuntimeModuleLoads() { #expect(Bool(true)) }
