/// The kernel's sockets, by role.
public enum Channel: String, Sendable, CaseIterable {
    case shell, control, stdin, iopub
}
