#define _GNU_SOURCE
#include "CSandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

/* Map `from` onto `to` in the child; posix_spawn's dup2 clears close-on-exec. */
static int map_fd(posix_spawn_file_actions_t *actions, int from, int to) {
    if (from < 0) return posix_spawn_file_actions_addclose(actions, to);
    return posix_spawn_file_actions_adddup2(actions, from, to);
}

int csb_spawn_plain(const char *path, char *const argv[], char *const envp[],
                    const struct csb_stdio *stdio, pid_t *pid_out) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int err = posix_spawn_file_actions_init(&actions);
    if (err) return err;
    err = posix_spawnattr_init(&attr);
    if (err) { posix_spawn_file_actions_destroy(&actions); return err; }

    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    err = posix_spawnattr_setsigmask(&attr, &none);
    if (!err) err = posix_spawnattr_setsigdefault(&attr, &all);
    /* A session of its own, as the jail's: signals to the kernel's process
     * group (jupyter_client interrupts with killpg) reach GHCi only through the kernel. */
    if (!err) err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSID);
    if (!err) err = map_fd(&actions, stdio->stdin_fd, 0);
    if (!err) err = map_fd(&actions, stdio->stdout_fd, 1);
    if (!err) err = map_fd(&actions, stdio->stderr_fd, 2);
    if (!err) err = map_fd(&actions, stdio->command_fd, 3);
    /* Everything else the kernel holds is close-on-exec (pipes are made with O_CLOEXEC). */
    if (!err) err = posix_spawn(pid_out, path, &actions, &attr, argv, envp);

    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    return err;
}
