/* pid 1 of the jail: a tiny init. It waits for the parent's go-ahead, forks
 * the jailed program, forwards the interrupt-like signals to it, reaps every
 * orphan, and exits with the program's status (128+signal if it was killed).
 * It dies with the kernel's spawning thread (PR_SET_PDEATHSIG), and when it
 * exits the kernel kills everything else in the pid namespace.
 *
 * pid 1 is a fork of the kernel, not a new program: it starts with the
 * kernel's memory, working directory and descriptors. Before the parent hears
 * that the program was forked (so before any cell can run), pid 1 has made
 * itself non-dumpable, moved to "/" (which the program's pivot_root then turns
 * into the jail's root), emptied its copy of the kernel's memory, closed every
 * descriptor and dropped every capability but CAP_KILL. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };

/* Every handler back to the default: the parent's handlers are meaningless
 * here. The mask stays fully blocked (as it was across clone()). */
static void reset_handlers(void) {
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigemptyset(&dfl.sa_mask);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        (void)sigaction(sig, &dfl, NULL); /* glibc's internal signals fail with EINVAL */
    }
}

static _Noreturn void fail(const struct csb_plan *plan, int step, int err) {
    csb_report_failure(plan->report_fd, step, err);
    _exit(127);
}

/* fork() without glibc's atfork handlers, which take malloc's locks: the
 * kernel's other threads do not exist here and may have held them. */
static pid_t raw_fork(void) {
    return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

/* After the scrub pid 1 calls nothing but syscall() (bound already: raw_fork
 * used it) and its own code. A library function called for the first time
 * would send the dynamic linker to its symbol tables, which live in memory
 * the scrub emptied. */
static void raw_write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        long n = syscall(SYS_write, fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        p += n;
        len -= (size_t)n;
    }
}

static _Noreturn void raw_exit(int code) {
    for (;;) syscall(SYS_exit_group, code);
}

static _Noreturn void raw_fail(int report_fd, int step, int err) {
    struct csb_report report = { .step = step, .err = err ? err : EIO };
    raw_write_all(report_fd, &report, sizeof report);
    raw_exit(127);
}

static _Noreturn void reap_until(pid_t program) {
    uint64_t set = 1ULL << (SIGCHLD - 1); /* the kernel's sigset_t: one bit per signal */
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) set |= 1ULL << (forwarded[i] - 1);
    for (;;) {
        siginfo_t info;
        long sig = syscall(SYS_rt_sigtimedwait, &set, &info, NULL, sizeof set);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            (void)syscall(SYS_kill, program, sig);
            continue;
        }
        for (;;) {
            int status;
            long done = syscall(SYS_wait4, -1, &status, WNOHANG, NULL);
            if (done <= 0) break;
            if (done != program) continue;
            if (WIFEXITED(status)) raw_exit(WEXITSTATUS(status));
            raw_exit(128 + WTERMSIG(status));
        }
    }
}

int csb_init_main(void *arg) {
    struct csb_plan *plan = arg;
    reset_handlers();
    /* A root parent cloned with SECBIT_NO_SETUID_FIXUP set (jail_owner.c);
     * nothing in the jail has a use for it. */
    (void)prctl(PR_SET_SECUREBITS, 0, 0, 0, 0);
    csb_blank_cmdline(plan);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail(plan, CSB_STEP_INIT_PDEATHSIG, errno);

    /* getppid() is 0 here (the parent is outside the pid namespace), so the
     * "parent already gone" check is the socket: end-of-file means it died
     * before PR_SET_PDEATHSIG took hold. */
    char go = 0;
    if (csb_read_full(plan->sync_fd, &go, 1) != 1) _exit(127);
    plan->setgroups_allowed = go == CSB_GO_SETGROUPS_ALLOWED;

    /* Not dumpable: /proc/1/mem, maps, environ, cwd, root and fd then need
     * CAP_SYS_PTRACE over the host's user namespace, whoever asks, on top of
     * the ptrace rules (other uid, a capability the cell lacks). Only after
     * the go-ahead: the parent writes this process's uid_map, which a
     * non-dumpable process's /proc hands to the host's root. */
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) fail(plan, CSB_STEP_INIT_DUMPABLE, errno);
    /* Off the kernel's working directory (a host folder that pivot_root would
     * leave reachable through /proc/1/cwd) and onto the root, which the
     * program's pivot_root moves into the jail. */
    if (chdir("/") != 0) fail(plan, CSB_STEP_INIT_CHDIR, errno);
    /* Opened now: once the program has pivoted, "/proc" here is the jail's. */
    int maps = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
    if (maps < 0) fail(plan, CSB_STEP_INIT_SCRUB, errno);

    /* A session and process group of the jail's own. Otherwise the jail shares
     * the kernel's: a client that interrupts with killpg() (jupyter_client
     * does) would hit GHCi directly as well as through the kernel, and a cell's
     * kill(0, sig) would reach the kernel whenever both run as one uid. */
    if (setsid() < 0) fail(plan, CSB_STEP_INIT_SETSID, errno);

    pid_t program = raw_fork();
    if (program < 0) fail(plan, CSB_STEP_INIT_FORK, errno);
    if (program == 0) {
        close(maps);
        csb_child_run(plan);
    }

    /* One capability, CAP_KILL in the jail's user namespace, to forward
     * signals to the program, which runs as another uid. pid 1 keeps its uid:
     * changing it would clear PR_SET_PDEATHSIG. */
    int report_fd = plan->report_fd;
    for (unsigned long cap = 0; cap <= 63; cap++)
        if (cap != CAP_KILL && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EINVAL) break;
    (void)csb_keep_only_cap(CAP_KILL);

    /* The plan lives on the spawning thread's stack, which the scrub keeps
     * for the TLS next to it; a copy on pid 1's own stack does not depend on
     * that. The program already has its own copy of everything. */
    struct csb_plan saved = *plan;
    int err = csb_scrub_memory(maps);
    (void)syscall(SYS_close, maps);
    if (err) raw_fail(report_fd, CSB_STEP_INIT_SCRUB, err);
    /* The scrub emptied the main thread's stack, where the command line lies
     * (memset and memcpy were bound by the first call, at the top). */
    csb_blank_cmdline(&saved);
    struct csb_report forked = { .step = CSB_STEP_COUNT, .err = 0 };
    raw_write_all(report_fd, &forked, sizeof forked);
    /* No descriptor of the kernel's: its pipe ends, sockets and files would
     * otherwise stay open here for the life of the jail. */
    if (syscall(SYS_close_range, 0U, ~0U, 0) != 0)
        for (int fd = 0; fd < 65536; fd++) (void)syscall(SYS_close, fd); /* kernels before 5.9 */
    reap_until(program);
}
