import InterpreterAPI

/// The message frame being read off GHCi's stdout: the bytes between `message{` and
/// `message}`, kept up to the session's limit (the runtime refuses bigger messages itself,
/// so only a cell writing frames by hand gets here) and read by `RuntimeMessage` at the end.
struct MessageFrame {
    let limit: Int
    private(set) var isOpen = false
    private var bytes: [UInt8] = []
    private var overflowed = false

    init(limit: Int) { self.limit = limit }

    mutating func open() {
        reset()
        isOpen = true
    }

    private mutating func reset() {
        isOpen = false
        bytes = []
        overflowed = false
    }

    mutating func append(_ text: [UInt8]) {
        guard !overflowed else { return }
        if bytes.count + text.count > limit + 1 {
            overflowed = true
            bytes = []
        } else {
            bytes += text
        }
    }

    /// The message read, or why it was dropped; nil if no frame was open.
    mutating func close() -> Result<KernelOutput, RuntimeMessage.Refusal>? {
        guard isOpen else { return nil }
        defer { reset() }
        if overflowed { return .failure(.init("a message over the session's output budget of \(limit >> 20) MB")) }
        return RuntimeMessage.output(from: bytes)
    }

    /// The chunk ended inside a frame (a cell that wrote half of one): it is dropped.
    mutating func abandon() -> Result<KernelOutput, RuntimeMessage.Refusal>? {
        guard isOpen else { return nil }
        reset()
        return .failure(.init("an unfinished message"))
    }
}
