/* Host probes for `ghcbox doctor`: each runs a throwaway child that tries
 * one thing the jail needs and exits with 0 or the errno. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROBE_STACK (64 * 1024)

/* Runs fn in a child cloned with `flags`; returns the child's exit code (an
 * errno or 0), or the errno of clone itself. With `go` (a pipe), the parent
 * writes the child's uid/gid maps and then one byte on go[1]; the child
 * waits for it on go[0]. */
static int run_probe(int (*fn)(void *), void *arg, int flags, const int go[2]) {
    void *stack = mmap(NULL, PROBE_STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return errno;
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t pid = clone(fn, (char *)stack + PROBE_STACK, flags | SIGCHLD, arg);
    int err = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    munmap(stack, PROBE_STACK);
    if (pid < 0) return err;
    if (go) {
        int setgroups_allowed = 0, step = 0;
        (void)csb_write_id_maps(pid, 1000, 1000, (uid_t)-1, (gid_t)-1, &setgroups_allowed, &step);
        (void)csb_write_all(go[1], "g", 1);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return errno;
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return EIO;
}

static int exit_zero(void *arg) {
    (void)arg;
    _exit(0);
}

int csb_probe_namespaces(void) {
    return run_probe(exit_zero, NULL, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
                                          CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP, NULL);
}

int csb_probe_seccomp(void) {
    uint32_t action = SECCOMP_RET_ERRNO;
    if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) != 0) return errno;
    return 0;
}

/* The child is pid 1 of its own pid namespace: mount a tmpfs, then a /proc
 * on a directory inside it. Exit code: 0, 1 + errno when the tmpfs failed,
 * 128 + errno when /proc failed (errnos above 125 shown as 126). */
static int fold(int err) { return err < 126 ? err : 126; }

static int mounts_child(void *arg) {
    const int *go = arg;
    char byte;
    close(go[1]);
    if (csb_read_full(go[0], &byte, 1) != 1) _exit(1 + EPIPE);
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) _exit(1 + fold(errno));
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=1m") != 0) _exit(1 + fold(errno));
    if (mkdir("/tmp/proc", 0755) != 0) _exit(1 + fold(errno));
    if (mount("proc", "/tmp/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        _exit(128 + fold(errno));
    _exit(0);
}

int csb_probe_mounts(int *tmpfs_err, int *proc_err) {
    *tmpfs_err = 0;
    *proc_err = 0;
    int go[2];
    if (pipe2(go, O_CLOEXEC) != 0) return errno;
    int code = run_probe(mounts_child, go, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID, go);
    close(go[0]);
    close(go[1]);
    if (code == 0) return 0;
    if (code >= 128) {
        *proc_err = code - 128;
    } else if (code >= 1) {
        *tmpfs_err = code - 1;
        *proc_err = *tmpfs_err;
    } else {
        return code;
    }
    return 0;
}
