import Kernel
import SystemLayer
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Turns signals into bytes on a pipe, the only async-signal-safe way to tell the I/O loop.
enum SignalPipe {
    nonisolated(unsafe) private static var writeEnd = FileDescriptor(rawValue: -1)

    /// Returns the read end; each signal arrives as one byte holding its number. SIGPIPE is ignored.
    static func install(_ signals: [Int32]) throws -> FileDescriptor {
        let pipe = try makeNonBlockingPipe()
        writeEnd = pipe.writeEnd
        Glibc.signal(SIGPIPE, SIG_IGN)
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                SignalPipe.writeEnd.writeByteFromSignalHandler(UInt8(truncatingIfNeeded: number))
            }
            action.sa_flags = SA_RESTART
            sigaction(sig, &action, nil)
        }
        return pipe.readEnd
    }

    /// Hands `signal` to the I/O loop as if it had arrived, from any thread, once `install` has run.
    static func deliver(_ signal: Int32) {
        writeEnd.writeByteFromSignalHandler(UInt8(truncatingIfNeeded: signal))
    }
}
