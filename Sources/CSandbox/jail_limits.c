/* Resource limits and the descriptors the jailed program inherits. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int csb_step_rlimits(const struct csb_plan *plan) {
    const struct csb_jail *jail = plan->jail;
    for (size_t i = 0; i < jail->rlimit_count; i++) {
        /* GHC reserves about 1 TiB of address space: never bound it. */
        if (jail->rlimits[i].resource == RLIMIT_AS) return EINVAL;
        struct rlimit lim = {
            .rlim_cur = jail->rlimits[i].soft == UINT64_MAX ? RLIM_INFINITY : jail->rlimits[i].soft,
            .rlim_max = jail->rlimits[i].hard == UINT64_MAX ? RLIM_INFINITY : jail->rlimits[i].hard,
        };
        if (setrlimit(jail->rlimits[i].resource, &lim) != 0) return errno;
    }
    return 0;
}

/* Only 0-3 may survive execve: everything above becomes close-on-exec (the
 * report pipe must stay open until execve succeeds, and is close-on-exec). */
int csb_step_close_fds(const struct csb_plan *plan) {
    (void)plan;
    if (syscall(SYS_close_range, 4U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
    if (errno != EINVAL && errno != ENOSYS) return errno;
    /* Kernels before 5.11: mark them one by one. */
    struct rlimit lim;
    if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return errno;
    rlim_t top = lim.rlim_cur == RLIM_INFINITY ? 1048576 : lim.rlim_cur;
    for (rlim_t fd = 4; fd < top; fd++) {
        int flags = fcntl((int)fd, F_GETFD);
        if (flags >= 0 && !(flags & FD_CLOEXEC)) fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC);
    }
    return 0;
}
