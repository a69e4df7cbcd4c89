#if canImport(Glibc)
import Glibc
#endif

/// One thread that lives as long as the process and runs every jailed spawn.
///
/// A jail's pid 1 has `PR_SET_PDEATHSIG(SIGKILL)`, and the kernel delivers that signal
/// when the *thread* that created it exits, not the process. Swift's task pool and
/// dispatch retire idle threads, which would kill jails at random; this thread never
/// exits, so jails die only with the kernel process (even on SIGKILL).
final class SpawnerThread: @unchecked Sendable {
    static let shared = SpawnerThread()

    // Guarded by `mutex`; pointers so the pthread objects never move.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var job: (() -> Void)?
    private var finished = 0
    private var submitted = 0

    private init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
        var thread = pthread_t()
        let box = Unmanaged.passRetained(self).toOpaque()
        let rc = pthread_create(&thread, nil, { raw in
            Unmanaged<SpawnerThread>.fromOpaque(raw!).takeRetainedValue().loop()
        }, box)
        precondition(rc == 0, "cannot start the jail spawner thread: \(rc)")
        pthread_detach(thread)
    }

    private func loop() -> Never {
        pthread_mutex_lock(mutex)
        while true {
            while job == nil { pthread_cond_wait(wake, mutex) }
            let work = job!
            job = nil
            pthread_mutex_unlock(mutex)
            work()
            pthread_mutex_lock(mutex)
            finished += 1
            pthread_cond_broadcast(done)
        }
    }

    /// Runs `body` on the spawner thread and waits for it (one job at a time).
    func run<T>(_ body: () -> T) -> T {
        withoutActuallyEscaping(body) { body in
            var result: T?
            let work = { result = body() }
            pthread_mutex_lock(mutex)
            while job != nil { pthread_cond_wait(done, mutex) }
            submitted += 1
            let ticket = submitted
            job = work
            pthread_cond_signal(wake)
            while finished < ticket { pthread_cond_wait(done, mutex) }
            pthread_mutex_unlock(mutex)
            return result!
        }
    }
}
