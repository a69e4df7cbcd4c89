/// Work for the thread that waits on a chunk, every `interval` seconds while it runs
/// (the cell's resource guard).
public struct ChunkWatch {
    public let interval: Double
    public let check: () -> Void

    public init(interval: Double, check: @escaping () -> Void) {
        self.interval = interval
        self.check = check
    }
}
