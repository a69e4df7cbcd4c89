/// Work for the thread that waits on a chunk, every `interval` while it runs
/// (the cell's resource guard).
public struct ChunkWatch {
    public let interval: Duration
    public let check: () -> Void

    public init(interval: Duration, check: @escaping () -> Void) {
        self.interval = interval
        self.check = check
    }
}
