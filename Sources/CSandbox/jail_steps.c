/* The jailed program's setup: an ordered list of small steps, each returning
 * 0 or an errno. The first failure is reported to the parent over the
 * close-on-exec report pipe (step index and errno) and the child exits;
 * on success execve closes the pipe and the parent reads end-of-file. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

static const char *const step_names[CSB_STEP_COUNT] = {
    [CSB_STEP_PREPARE] = "prepare",
    [CSB_STEP_SECCOMP_COMPILE] = "seccomp_compile",
    [CSB_STEP_OWNER] = "owner",
    [CSB_STEP_CLONE] = "clone",
    [CSB_STEP_UID_MAP] = "uid_map",
    [CSB_STEP_SETGROUPS_DENY] = "setgroups_deny",
    [CSB_STEP_GID_MAP] = "gid_map",
    [CSB_STEP_CGROUP] = "cgroup",
    [CSB_STEP_SYNC] = "sync",
    [CSB_STEP_INIT_PDEATHSIG] = "init_pdeathsig",
    [CSB_STEP_INIT_DUMPABLE] = "init_dumpable",
    [CSB_STEP_INIT_CHDIR] = "init_chdir",
    [CSB_STEP_INIT_SETSID] = "init_setsid",
    [CSB_STEP_INIT_FORK] = "init_fork",
    [CSB_STEP_INIT_SCRUB] = "init_scrub",
    [CSB_STEP_PDEATHSIG] = "pdeathsig",
    [CSB_STEP_STDIO] = "stdio",
    [CSB_STEP_HOSTNAME] = "hostname",
    [CSB_STEP_LOOPBACK] = "loopback",
    [CSB_STEP_USERNS_LIMITS] = "userns_limits",
    [CSB_STEP_MOUNT_PRIVATE] = "mount_private",
    [CSB_STEP_MOUNT_STAGING] = "mount_staging",
    [CSB_STEP_BIND] = "bind",
    [CSB_STEP_SYMLINK] = "symlink",
    [CSB_STEP_FILES] = "files",
    [CSB_STEP_DEV] = "dev",
    [CSB_STEP_PROC] = "proc",
    [CSB_STEP_TMPFS] = "tmpfs",
    [CSB_STEP_PIVOT_ROOT] = "pivot_root",
    [CSB_STEP_REMOUNT_RO] = "remount_ro",
    [CSB_STEP_ROOT_FD] = "root_fd",
    [CSB_STEP_WORKDIR] = "workdir",
    [CSB_STEP_SETGROUPS] = "setgroups",
    [CSB_STEP_SETRESGID] = "setresgid",
    [CSB_STEP_SETRESUID] = "setresuid",
    [CSB_STEP_PDEATHSIG_AGAIN] = "pdeathsig_again",
    [CSB_STEP_CAPS_BOUNDING] = "caps_bounding",
    [CSB_STEP_CAPS_AMBIENT] = "caps_ambient",
    [CSB_STEP_CAPS] = "caps",
    [CSB_STEP_NO_NEW_PRIVS] = "no_new_privs",
    [CSB_STEP_RLIMITS] = "rlimits",
    [CSB_STEP_CLOSE_FDS] = "close_fds",
    [CSB_STEP_SIGNALS] = "signals",
    [CSB_STEP_SECCOMP] = "seccomp",
    [CSB_STEP_EXECVE] = "execve",
};

const char *csb_step_name(int step) {
    if (step < 0 || step >= CSB_STEP_COUNT || !step_names[step]) return "unknown";
    return step_names[step];
}

void csb_report_failure(int report_fd, int step, int err) {
    struct csb_report report = { .step = step, .err = err ? err : EIO };
    (void)csb_write_all(report_fd, &report, sizeof report);
}

typedef int (*csb_step_fn)(const struct csb_plan *);

/* The order matters: capabilities are dropped after the mounts (which need
 * CAP_SYS_ADMIN in the jail's user namespace), the bounding set before the
 * other capability sets (it needs CAP_SETPCAP), seccomp last. */
static const struct { int step; csb_step_fn run; } child_steps[] = {
    { CSB_STEP_PDEATHSIG, csb_step_pdeathsig },
    { CSB_STEP_STDIO, csb_step_stdio },
    /* The jail's identity first: files the later steps create must belong to
     * a uid mapped in the namespace (an unmapped one fails with EOVERFLOW).
     * Capabilities survive: the namespace has no uid 0 whose loss drops them. */
    { CSB_STEP_SETGROUPS, csb_step_setgroups },
    { CSB_STEP_SETRESGID, csb_step_setresgid },
    { CSB_STEP_SETRESUID, csb_step_setresuid },
    /* A change of euid clears the parent-death signal: arm it again. */
    { CSB_STEP_PDEATHSIG_AGAIN, csb_step_pdeathsig },
    { CSB_STEP_HOSTNAME, csb_step_hostname },
    { CSB_STEP_LOOPBACK, csb_step_loopback },
    /* Needs CAP_SYS_RESOURCE in the jail's namespace and the inherited /proc. */
    { CSB_STEP_USERNS_LIMITS, csb_step_userns_limits },
    { CSB_STEP_MOUNT_PRIVATE, csb_step_mount_private },
    { CSB_STEP_MOUNT_STAGING, csb_step_mount_staging },
    { CSB_STEP_FILES, csb_step_files },
    { CSB_STEP_BIND, csb_step_bind },
    { CSB_STEP_SYMLINK, csb_step_symlink },
    { CSB_STEP_DEV, csb_step_dev },
    { CSB_STEP_PROC, csb_step_proc },
    { CSB_STEP_TMPFS, csb_step_tmpfs },
    { CSB_STEP_PIVOT_ROOT, csb_step_pivot_root },
    { CSB_STEP_REMOUNT_RO, csb_step_remount_ro },
    { CSB_STEP_ROOT_FD, csb_step_root_fd },
    { CSB_STEP_WORKDIR, csb_step_workdir },
    { CSB_STEP_CAPS_BOUNDING, csb_step_caps_bounding },
    { CSB_STEP_CAPS_AMBIENT, csb_step_caps_ambient },
    { CSB_STEP_CAPS, csb_step_caps },
    { CSB_STEP_NO_NEW_PRIVS, csb_step_no_new_privs },
    { CSB_STEP_RLIMITS, csb_step_rlimits },
    { CSB_STEP_CLOSE_FDS, csb_step_close_fds },
    { CSB_STEP_SIGNALS, csb_step_signals },
    { CSB_STEP_SECCOMP, csb_step_seccomp },
};

_Noreturn void csb_child_run(struct csb_plan *plan) {
    /* Keep the report pipe and the socket clear of 0-3, which the stdio step overwrites. */
    int *keep[] = { &plan->report_fd, &plan->sync_fd };
    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        int high = fcntl(*keep[i], F_DUPFD_CLOEXEC, 10);
        if (high >= 0) {
            close(*keep[i]);
            *keep[i] = high;
        }
    }
    for (size_t i = 0; i < sizeof child_steps / sizeof child_steps[0]; i++) {
        int err = child_steps[i].run(plan);
        if (err) {
            csb_report_failure(plan->report_fd, child_steps[i].step, err);
            _exit(127);
        }
    }
    execve(plan->path, plan->argv, plan->envp);
    csb_report_failure(plan->report_fd, CSB_STEP_EXECVE, errno);
    _exit(127);
}
