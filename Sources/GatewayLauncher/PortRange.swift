/// The ports the kernel may listen on, written `lower..upper` as Enterprise Gateway passes it;
/// `0..0` leaves the choice to the system.
public struct PortRange: Sendable, Equatable, CustomStringConvertible {
    public let lower: Int
    public let upper: Int

    public static let any = PortRange(uncheckedLower: 0, upper: 0)

    /// Any two ports, for tests of what a picker does with a range smaller than parsing allows.
    init(uncheckedLower lower: Int, upper: Int) {
        self.lower = lower
        self.upper = upper
    }

    /// Parses `lower..upper`: both 0, or at least six ports from 1 to 65535, the lower first.
    public init(parsing text: String) throws(LauncherError) {
        let parts = text.trimmingWhitespace.split(separator: "..", omittingEmptySubsequences: false)
        guard parts.count == 2, let lower = Int(parts[0]), let upper = Int(parts[1]) else {
            throw LauncherError(.badInput, "port range '\(text)' is not of the form lower..upper")
        }
        guard (lower == 0 && upper == 0) || (1 <= lower && lower < upper && upper <= 65535) else {
            throw LauncherError(.badInput, "port range '\(text)' must be 0..0 or two ports from 1 to 65535, the lower first")
        }
        // Five kernel ports and the comm port, all different.
        guard lower == 0 || upper - lower + 1 >= Self.portsNeeded else {
            throw LauncherError(.badInput, "port range '\(text)' holds \(upper - lower + 1) ports; the kernel needs \(Self.portsNeeded)")
        }
        self.init(uncheckedLower: lower, upper: upper)
    }

    public static let portsNeeded = 6

    /// True when the system picks the port.
    public var isAny: Bool { lower == 0 && upper == 0 }

    /// A port to try: 0 (the system's choice) for `0..0`, else a random one in the range.
    public func candidate<Source: RandomNumberGenerator>(using source: inout Source) -> Int {
        isAny ? 0 : Int.random(in: lower...upper, using: &source)
    }

    public var description: String { "\(lower)..\(upper)" }
}
