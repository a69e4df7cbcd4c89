#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <stddef.h>
#include <stdint.h>
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

/* Sets real, effective and saved ids to uid/gid with no supplementary groups,
 * checks that uid 0 is out of reach, and keeps the process dumpable; 0 or an errno. */
int csb_switch_user(uid_t uid, gid_t gid);

/* The wait-status macros of <sys/wait.h> as functions: Swift cannot call macros. */
int csb_wifexited(int status);
int csb_wexitstatus(int status);
int csb_wifsignaled(int status);
int csb_wtermsig(int status);

/* ---- The jail ------------------------------------------------------------ */

/* A read-only bind of host `source` at `target` inside the jail (absolute paths). */
struct csb_bind {
    const char *source;
    const char *target;
};

/* A symbolic link at `path` inside the jail pointing at `target`. */
struct csb_symlink {
    const char *path;
    const char *target;
};

/* A file generated into the jail's read-only root (e.g. /etc/passwd). */
struct csb_file {
    const char *path;
    const char *contents;
    unsigned int mode;
};

/* A size-limited writable tmpfs (e.g. /scratch, /tmp). */
struct csb_tmpfs {
    const char *path;
    uint64_t size_mb;
    uint64_t max_inodes; /* 0: the kernel's default */
    unsigned int mode;
};

/* One resource limit (RLIMIT_* number). RLIMIT_AS is refused. */
struct csb_rlimit {
    int resource;
    uint64_t soft;
    uint64_t hard;
};

/* Seccomp rule kinds. The filter's default action is "allow", or errno_value
 * of a CSB_SECCOMP_DEFAULT rule (at most one; it names no syscall). The calls
 * a conditional rule does not fail are allowed. */
enum {
    CSB_SECCOMP_DENY = 0,               /* always fail with errno_value */
    CSB_SECCOMP_DENY_IF_FLAGS = 1,      /* fail when arg0 has any bit of `flags` */
    CSB_SECCOMP_DENY_UNLESS_VALUE = 2,  /* fail unless arg0 is one of `values` */
    CSB_SECCOMP_ALLOW = 3,              /* always allow */
    CSB_SECCOMP_DEFAULT = 4,            /* every call no rule names fails with errno_value */
};

struct csb_seccomp_rule {
    int kind;
    const char *syscall;
    int errno_value;
    uint64_t flags;
    const uint64_t *values;
    size_t value_count;
};

/* Everything the jail is made of. Paths inside the jail are absolute. */
struct csb_jail {
    const char *hostname;
    uid_t uid;                 /* the identity inside the jail */
    gid_t gid;
    /* The host identity `uid`/`gid` map onto; (uid_t)-1 / (gid_t)-1: the
     * caller's euid/egid. A root caller must pick an unprivileged one: a jail
     * whose files and processes are host uid 0 owns every root-owned file it
     * can see, e.g. the host's sysctls under /proc/sys. */
    uid_t host_uid;
    gid_t host_gid;
    /* Nonzero: a root caller creates the jail's user namespace as host_uid, so
     * that uid owns it (see jail_owner.c). Only for a uid no host process
     * runs as: whoever has the owner's euid on the host holds every
     * capability inside the namespace. */
    int host_id_owns_namespace;
    const struct csb_bind *binds;        size_t bind_count;
    const struct csb_symlink *symlinks;  size_t symlink_count;
    const struct csb_file *files;        size_t file_count;
    const char *const *devices;          size_t device_count;  /* names under /dev: "null", ... */
    const struct csb_tmpfs *tmpfs;       size_t tmpfs_count;
    const char *workdir;
    const struct csb_rlimit *rlimits;    size_t rlimit_count;
    const char *const *cgroup_procs;     size_t cgroup_proc_count; /* cgroup.procs files to join */
    const struct csb_seccomp_rule *seccomp_rules; size_t seccomp_rule_count;
};

/* Start `path` inside a new jail (user, mount, pid, net, ipc, uts and cgroup
 * namespaces). The returned pid is the jail's pid 1, a small reaper that
 * forwards SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to the
 * program and exits with its status (128+signal if it was killed).
 * *root_fd_out is an O_PATH descriptor (close-on-exec) of the jail's root
 * directory, the caller's to close: the way to the jail's files, since pid 1's
 * /proc/<pid>/root needs CAP_SYS_PTRACE (pid 1 is not dumpable).
 * The jail dies with the *thread* that calls this (PR_SET_PDEATHSIG): call it
 * from a thread that lives as long as the jail should.
 * Returns 0, or an errno with the failed step's index in *error_step_out
 * (see csb_step_name); -1 there when no step ran. */
int csb_spawn_jailed(const struct csb_jail *jail, const char *path,
                     char *const argv[], char *const envp[],
                     const struct csb_stdio *stdio, pid_t *pid_out,
                     int *root_fd_out, int *error_step_out);

/* The name of a jail step ("uid_map", "bind", "seccomp", ...), or "unknown". */
const char *csb_step_name(int step);

/* The calling thread's id (for a cgroup v1 `tasks` file). */
pid_t csb_gettid(void);

/* Compile the rules alone (no jail): 0, or an errno with the index of the
 * offending rule in *bad_rule_out (e.g. EINVAL for an unknown syscall). */
int csb_seccomp_check(const struct csb_seccomp_rule *rules, size_t count, size_t *bad_rule_out);

/* 1 if fd is on a tmpfs, 0 if not, -errno on error. */
int csb_fd_is_tmpfs(int fd);

/* ---- Host probes for `ghcbox doctor` (each runs a throwaway child) ------- */

/* 0 if a child can be cloned into the jail's set of new namespaces, else an errno. */
int csb_probe_namespaces(void);
/* 0 if seccomp filters with an errno action are supported, else an errno. */
int csb_probe_seccomp(void);
/* In a throwaway user+mount+pid namespace: *tmpfs_err and *proc_err are
 * 0 when mounting a tmpfs and a fresh /proc worked, else an errno. Returns
 * 0, or an errno when the probe itself could not run. */
int csb_probe_mounts(int *tmpfs_err, int *proc_err);

#endif
