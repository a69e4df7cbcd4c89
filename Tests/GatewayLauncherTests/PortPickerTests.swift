import Testing
@testable import GatewayLauncher

@Suite struct PortPickerTests {
    @Test func picksDistinctPortsInTheRange() throws {
        let range = try PortRange(parsing: "41000..42000")
        var picker = PortPicker(range: range)
        let ports = try picker.ports(5)
        #expect(Set(ports).count == 5)
        #expect(ports.allSatisfy { (41000...42000).contains($0) })
        // Released: each can be bound again.
        for port in ports { _ = try TCPSocket.bound(port: port) }
    }

    @Test func anyRangeLetsTheSystemPick() throws {
        var picker = PortPicker(range: .any)
        let ports = try picker.ports(6)
        #expect(Set(ports).count == 6)
        #expect(ports.allSatisfy { $0 > 0 })
    }

    @Test func aListeningPickStaysBound() throws {
        var picker = PortPicker(range: .any)
        let socket = try picker.bind(backlog: 4)
        #expect(throws: LauncherError.self) { try TCPSocket.bound(port: try socket.localPort()) }
    }

    @Test func aFullRangeFailsWithNoPort() throws {
        let held = try TCPSocket.bound(port: 0)
        let port = try held.localPort()
        let neighbour = port == 65535 ? port - 1 : port + 1
        // Taken by this test or by someone else: either way the range is full.
        let other = try? TCPSocket.bound(port: neighbour)
        var picker = PortPicker(range: PortRange(uncheckedLower: min(port, neighbour), upper: max(port, neighbour)))
        #expect { try picker.bind() } throws: { ($0 as? LauncherError)?.code == .noPort }
        withExtendedLifetime((held, other)) {}
    }
}
