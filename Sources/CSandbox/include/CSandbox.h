#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <sys/types.h>

/* What the child's descriptors 0, 1, 2 and 3 become; -1 leaves one closed. */
struct csb_stdio {
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    int command_fd; /* becomes descriptor 3: GHCi's private command channel */
};

/* Start `path` as a plain child process (no jail) with posix_spawn: signals
 * unblocked and reset to default, only the four descriptors above inherited.
 * Returns 0 and the pid, or an errno. */
int csb_spawn_plain(const char *path, char *const argv[], char *const envp[],
                    const struct csb_stdio *stdio, pid_t *pid_out);

/* pipe2(O_CLOEXEC), exposed as a function because Swift cannot see _GNU_SOURCE declarations. */
int csb_pipe_cloexec(int fds[2]);

#endif
