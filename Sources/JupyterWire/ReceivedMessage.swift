import JSONValue
import CZeroMQ
#if canImport(Glibc)
import Glibc
#endif

/// A multipart message as libzmq delivered it. The frames stay in libzmq's own buffers, so a
/// message can be measured and its signature checked before any byte of it is copied.
/// Used by one thread at a time, like the socket it came from.
public final class ReceivedMessage {
    // The frames' zmq_msg_t headers, side by side. A zmq_msg_t may hold a short frame's bytes
    // inline, so growing moves each one with zmq_msg_move, never by copying its bytes.
    private var parts: UnsafeMutablePointer<zmq_msg_t>
    private var capacity: Int
    public private(set) var count = 0

    /// The sum of the frames' sizes.
    public private(set) var byteCount = 0

    /// Room for a typical message (identity, delimiter, signature, four JSON parts) without growing.
    init(capacity: Int = 8) {
        self.capacity = capacity
        parts = .allocate(capacity: capacity)
    }

    /// A message built in memory (for tests and in-process peers): the frames are copied once.
    public convenience init(frames: [[UInt8]]) {
        self.init(capacity: max(frames.count, 1))
        for frame in frames {
            let part = nextPart()
            zmq_msg_init_size(part, frame.count)
            frame.withUnsafeBytes { source in
                if let base = source.baseAddress { zmq_msg_data(part)!.copyMemory(from: base, byteCount: source.count) }
            }
            byteCount += frame.count
        }
    }

    deinit {
        for index in 0..<count { zmq_msg_close(parts + index) }
        parts.deallocate()
    }

    /// Runs `body` with a view of every frame, valid only inside `body`.
    public func withFrames<R, E: Error>(_ body: ([UnsafeRawBufferPointer]) throws(E) -> R) throws(E) -> R {
        try withExtendedLifetime(self) { () throws(E) -> R in
            try body((0..<count).map { view($0) })
        }
    }

    /// A copy of one frame.
    public func frame(_ index: Int) -> [UInt8] { Array(view(index)) }

    /// Copies of every frame.
    public var frames: [[UInt8]] { (0..<count).map { Array(view($0)) } }

    /// A fresh, initialized zmq_msg_t owned by this message, for libzmq to fill in.
    func nextPart() -> UnsafeMutablePointer<zmq_msg_t> {
        if count == capacity {
            let grown = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: capacity * 2)
            for index in 0..<count {
                zmq_msg_init(grown + index)
                zmq_msg_move(grown + index, parts + index)
                zmq_msg_close(parts + index)
            }
            parts.deallocate()
            parts = grown
            capacity *= 2
        }
        let part = parts + count
        zmq_msg_init(part)
        count += 1
        return part
    }

    /// Counts the bytes of the frame libzmq has just filled in.
    func received(_ part: UnsafeMutablePointer<zmq_msg_t>) {
        byteCount += zmq_msg_size(part)
    }

    private func view(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: zmq_msg_data(parts + index), count: zmq_msg_size(parts + index))
    }
}
