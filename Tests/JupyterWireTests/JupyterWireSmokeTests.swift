import Testing
@testable import JupyterWire

@Test func JupyterWireModuleLoads() { #expect(Bool(true)) }
