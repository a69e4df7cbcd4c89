/* The jailed program's process state: parent-death signal, descriptors 0-3,
 * signal mask. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Dies when pid 1 dies. pid 1 itself dies with the kernel's spawning thread,
 * and when pid 1 of a pid namespace exits, the kernel kills the rest. */
int csb_step_pdeathsig(const struct csb_plan *plan) {
    (void)plan;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return errno;
    if (getppid() != 1) return ESRCH; /* pid 1 is already gone */
    return 0;
}

/* Moves the four descriptors to 0-3. They are first copied above 9 so that
 * a source that happens to be 0-3 is not clobbered by an earlier dup2. */
int csb_step_stdio(const struct csb_plan *plan) {
    const int from[4] = { plan->stdio.stdin_fd, plan->stdio.stdout_fd,
                          plan->stdio.stderr_fd, plan->stdio.command_fd };
    int high[4];
    for (int i = 0; i < 4; i++) {
        high[i] = -1;
        if (from[i] < 0) continue;
        high[i] = fcntl(from[i], F_DUPFD_CLOEXEC, 10);
        if (high[i] < 0) return errno;
    }
    for (int i = 0; i < 4; i++) {
        if (high[i] < 0) {
            close(i);
            continue;
        }
        if (dup2(high[i], i) < 0) return errno; /* clears close-on-exec on i */
        close(high[i]);
    }
    return 0;
}

/* Signals were blocked since before clone(); handlers are already default. */
int csb_step_signals(const struct csb_plan *plan) {
    (void)plan;
    sigset_t none;
    sigemptyset(&none);
    return sigprocmask(SIG_SETMASK, &none, NULL) == 0 ? 0 : errno;
}
