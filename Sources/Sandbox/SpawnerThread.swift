import SystemLayer
#if canImport(Glibc)
import Glibc
#endif

/// A thread that runs jailed spawns and outlives the jails it spawned.
///
/// A jail's pid 1 has `PR_SET_PDEATHSIG(SIGKILL)`, and the kernel delivers that signal
/// when the *thread* that created it exits, not the process. Swift's task pool and
/// dispatch retire idle threads, which would kill jails at random. `shared` never
/// exits, so its jails die only with the kernel process (even on SIGKILL); a session's
/// own thread (`CgroupSpawner`) exits only once its jail is gone.
final class SpawnerThread: @unchecked Sendable {
    // @unchecked: every stored var below is read and written only with `condition` locked.
    static let shared = SpawnerThread()

    /// One condition for both directions (jobs queued, jobs finished): every waiter re-checks
    /// its own predicate, and there are only ever a few of them.
    private let condition = Condition()
    private var jobs: [() -> Void] = []
    private var finished = 0
    private var submitted = 0
    private var stopping = false
    private var exited = false

    init() {
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<SpawnerThread>.fromOpaque(raw!).takeRetainedValue().loop()
            return nil
        }, box)
        precondition(rc == 0, "cannot start a jail spawner thread: \(rc)")
        pthread_detach(thread)
    }

    private func loop() {
        condition.lock()
        while true {
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty { break }
            let work = jobs.removeFirst()
            condition.unlock()
            work()
            condition.lock()
            finished += 1
            condition.broadcast()
        }
        exited = true
        condition.broadcast()
        condition.unlock()
    }

    /// Queues `body` on the thread and returns at once; jobs run in the order they came.
    func submit(_ body: @escaping () -> Void) {
        condition.withLock {
            precondition(!stopping, "job for a stopped spawner thread")
            submitted += 1
            jobs.append(body)
            condition.broadcast()
        }
    }

    /// Runs `body` on the thread, after the jobs queued before it, waits for it, and
    /// returns its result or throws its error here.
    func run<T>(_ body: () throws(SandboxError) -> T) throws(SandboxError) -> T {
        let outcome: Result<T, SandboxError> = withoutActuallyEscaping(body) { body in
            var result: Result<T, SandboxError>?
            condition.withLock {
                precondition(!stopping, "job for a stopped spawner thread")
                submitted += 1
                let ticket = submitted
                jobs.append { result = Result(catching: body) }
                condition.broadcast()
                while finished < ticket { condition.wait() }
            }
            return result!
        }
        return try outcome.get()
    }

    /// Lets the thread finish its queued jobs and exit; returns once it has (never for `shared`).
    func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while !exited { condition.wait() }
        }
    }
}
