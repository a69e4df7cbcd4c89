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
    static let shared = SpawnerThread()

    // Guarded by `mutex`; pointers so the pthread objects never move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [() -> Void] = []
    private var finished = 0
    private var submitted = 0
    private var stopping = false
    private var exited = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
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
        pthread_mutex_lock(mutex)
        while true {
            while jobs.isEmpty && !stopping { pthread_cond_wait(wake, mutex) }
            if jobs.isEmpty { break }
            let work = jobs.removeFirst()
            pthread_mutex_unlock(mutex)
            work()
            pthread_mutex_lock(mutex)
            finished += 1
            pthread_cond_broadcast(done)
        }
        exited = true
        pthread_cond_broadcast(done)
        pthread_mutex_unlock(mutex)
    }

    /// Queues `body` on the thread and returns at once; jobs run in the order they came.
    func submit(_ body: @escaping () -> Void) {
        pthread_mutex_lock(mutex)
        precondition(!stopping, "job for a stopped spawner thread")
        submitted += 1
        jobs.append(body)
        pthread_cond_signal(wake)
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body` on the thread, after the jobs queued before it, waits for it, and
    /// returns its result or throws its error here.
    func run<T>(_ body: () throws(SandboxError) -> T) throws(SandboxError) -> T {
        let outcome: Result<T, SandboxError> = withoutActuallyEscaping(body) { body in
            var result: Result<T, SandboxError>?
            pthread_mutex_lock(mutex)
            precondition(!stopping, "job for a stopped spawner thread")
            submitted += 1
            let ticket = submitted
            jobs.append { result = Result(catching: body) }
            pthread_cond_signal(wake)
            while finished < ticket { pthread_cond_wait(done, mutex) }
            pthread_mutex_unlock(mutex)
            return result!
        }
        return try outcome.get()
    }

    /// Lets the thread finish its queued jobs and exit; returns once it has (never for `shared`).
    func stop() {
        pthread_mutex_lock(mutex)
        stopping = true
        pthread_cond_signal(wake)
        while !exited { pthread_cond_wait(done, mutex) }
        pthread_mutex_unlock(mutex)
    }
}
