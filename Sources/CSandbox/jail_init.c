/* pid 1 of the jail: a tiny init. It waits for the parent's go-ahead, forks
 * the jailed program, forwards the interrupt-like signals to it, reaps every
 * orphan, and exits with the program's status (128+signal if it was killed).
 * It dies with the kernel's spawning thread (PR_SET_PDEATHSIG), and when it
 * exits the kernel kills everything else in the pid namespace. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
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

static _Noreturn void reap_until(pid_t program) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaddset(&set, forwarded[i]);
    for (;;) {
        siginfo_t info;
        int sig = sigwaitinfo(&set, &info);
        if (sig < 0) continue;
        if (sig != SIGCHLD) {
            (void)kill(program, sig);
            continue;
        }
        for (;;) {
            int status;
            pid_t done = waitpid(-1, &status, WNOHANG);
            if (done <= 0) break;
            if (done != program) continue;
            if (WIFEXITED(status)) _exit(WEXITSTATUS(status));
            _exit(128 + WTERMSIG(status));
        }
    }
}

int csb_init_main(void *arg) {
    struct csb_plan *plan = arg;
    reset_handlers();
    csb_blank_cmdline(plan);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail(plan, CSB_STEP_INIT_PDEATHSIG, errno);

    /* getppid() is 0 here (the parent is outside the pid namespace), so the
     * "parent already gone" check is the socket: end-of-file means it died
     * before PR_SET_PDEATHSIG took hold. */
    char go = 0;
    if (csb_read_full(plan->sync_fd, &go, 1) != 1) _exit(127);
    plan->setgroups_allowed = go == CSB_GO_SETGROUPS_ALLOWED;
    close(plan->sync_fd);

    /* A session and process group of the jail's own. Otherwise the jail shares
     * the kernel's: a client that interrupts with killpg() (jupyter_client
     * does) would hit GHCi directly as well as through the kernel, and a cell's
     * kill(0, sig) would reach the kernel whenever both run as one uid. */
    if (setsid() < 0) fail(plan, CSB_STEP_INIT_SETSID, errno);

    pid_t program = raw_fork();
    if (program < 0) fail(plan, CSB_STEP_INIT_FORK, errno);
    if (program == 0) csb_child_run(plan);
    struct csb_report forked = { .step = CSB_STEP_COUNT, .err = 0 };
    (void)csb_write_all(plan->report_fd, &forked, sizeof forked);

    /* pid 1 keeps nothing of the kernel: no descriptor (the kernel's pipe
     * ends, sockets and files would otherwise stay open here for the life of
     * the jail) and one capability, CAP_KILL in the jail's user namespace, to
     * forward signals to the program, which runs as another uid. pid 1 keeps
     * its uid: changing it would clear PR_SET_PDEATHSIG. */
    if (syscall(SYS_close_range, 0U, ~0U, 0) != 0)
        for (int fd = 0; fd < 65536; fd++) (void)close(fd); /* kernels before 5.9 */
    for (unsigned long cap = 0; cap <= 63; cap++)
        if (cap != CAP_KILL && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno == EINVAL) break;
    (void)csb_keep_only_cap(CAP_KILL);
    reap_until(program);
}
