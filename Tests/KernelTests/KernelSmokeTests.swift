import Testing
@testable import Kernel

@Test func KernelModuleLoads() { #expect(Bool(true)) }
