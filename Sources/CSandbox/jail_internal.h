/* Internal to CSandbox: the jail's steps and the helpers they share.
 * Everything a jailed child calls between clone() and execve() is a plain
 * system call or a helper below that allocates nothing (the parent may be
 * multithreaded, so malloc's locks may be held by threads that do not exist
 * in the child). */
#ifndef CSB_JAIL_INTERNAL_H
#define CSB_JAIL_INTERNAL_H

#ifndef _GNU_SOURCE
#error "_GNU_SOURCE must be defined before any include"
#endif

#include "CSandbox.h"

#include <linux/filter.h>
#include <stdint.h>

/* The steps, in the order they run. Parent steps first, then pid 1's, then
 * the jailed program's. csb_step_name() turns an index into its name. */
enum csb_step {
    CSB_STEP_PREPARE = 0,
    CSB_STEP_SECCOMP_COMPILE,
    CSB_STEP_OWNER,
    CSB_STEP_CLONE,
    CSB_STEP_UID_MAP,
    CSB_STEP_SETGROUPS_DENY,
    CSB_STEP_GID_MAP,
    CSB_STEP_CGROUP,
    CSB_STEP_SYNC,
    /* pid 1 */
    CSB_STEP_INIT_PDEATHSIG,
    CSB_STEP_INIT_DUMPABLE,
    CSB_STEP_INIT_CHDIR,
    CSB_STEP_INIT_SETSID,
    CSB_STEP_INIT_FORK,
    CSB_STEP_INIT_SCRUB,
    /* the jailed program */
    CSB_STEP_PDEATHSIG,
    CSB_STEP_STDIO,
    CSB_STEP_SETGROUPS,
    CSB_STEP_SETRESGID,
    CSB_STEP_SETRESUID,
    CSB_STEP_PDEATHSIG_AGAIN,
    CSB_STEP_HOSTNAME,
    CSB_STEP_LOOPBACK,
    CSB_STEP_USERNS_LIMITS,
    CSB_STEP_MOUNT_PRIVATE,
    CSB_STEP_MOUNT_STAGING,
    CSB_STEP_BIND,
    CSB_STEP_SYMLINK,
    CSB_STEP_FILES,
    CSB_STEP_DEV,
    CSB_STEP_PROC,
    CSB_STEP_TMPFS,
    CSB_STEP_PIVOT_ROOT,
    CSB_STEP_REMOUNT_RO,
    CSB_STEP_ROOT_FD, /* also the parent's, receiving it */
    CSB_STEP_WORKDIR,
    CSB_STEP_CAPS_BOUNDING,
    CSB_STEP_CAPS_AMBIENT,
    CSB_STEP_CAPS,
    CSB_STEP_NO_NEW_PRIVS,
    CSB_STEP_RLIMITS,
    CSB_STEP_CLOSE_FDS,
    CSB_STEP_SIGNALS,
    CSB_STEP_SECCOMP,
    CSB_STEP_EXECVE,
    CSB_STEP_COUNT
};

/* What travels over the report pipe when a step fails. */
struct csb_report {
    int32_t step;
    int32_t err;
};

/* The byte pid 1 receives from the parent once maps and cgroups are written. */
enum { CSB_GO_SETGROUPS_DENIED = 'd', CSB_GO_SETGROUPS_ALLOWED = 'a' };

/* Everything the child needs, prepared by the parent before clone(). */
struct csb_plan {
    const struct csb_jail *jail;
    const char *path;
    char *const *argv;
    char *const *envp;
    struct csb_stdio stdio;
    int sync_fd;          /* child's end of the socketpair (the program sends the jail's root over it) */
    int report_fd;        /* write end of the close-on-exec report pipe */
    int setgroups_allowed;
    struct sock_fprog seccomp;
    char *cmdline_start;  /* the kernel's argv strings, which pid 1 blanks in its copy */
    size_t cmdline_len;
};

/* Where the new root is assembled (inside the staging tmpfs) and where the
 * host's root is reachable until the final pivot_root. */
#define CSB_NEWROOT "/newroot"
#define CSB_OLDROOT "/oldroot"

/* jail_steps.c: runs the jailed program's steps, then execve; never returns. */
_Noreturn void csb_child_run(struct csb_plan *plan);
/* Reports a failed step over the pipe (best effort). */
void csb_report_failure(int report_fd, int step, int err);

/* jail_init.c: pid 1 of the jail; never returns. */
int csb_init_main(void *plan);

/* jail_scrub.c: pid 1 empties its copy of the kernel's memory, read from
 * its /proc/self/maps (opened while pid 1 still saw the host's /proc). */
int csb_scrub_memory(int maps_fd);

/* jail_title.c: where the command line lies (parent), and pid 1 blanking its copy */
void csb_find_cmdline(char **start_out, size_t *len_out);
void csb_blank_cmdline(const struct csb_plan *plan);

/* jail_userns.c (parent side) */
int csb_write_id_maps(pid_t pid, uid_t inside_uid, gid_t inside_gid,
                      uid_t host_uid, gid_t host_gid,
                      int *setgroups_allowed, int *failed_step);
/* jail_userns.c (child side) */
int csb_step_setgroups(const struct csb_plan *plan);
int csb_step_setresgid(const struct csb_plan *plan);
int csb_step_setresuid(const struct csb_plan *plan);

/* jail_cgroup.c (parent side) */
int csb_join_cgroups(const struct csb_jail *jail, pid_t pid);

/* jail_net.c */
int csb_step_hostname(const struct csb_plan *plan);
int csb_step_loopback(const struct csb_plan *plan);

/* jail_owner.c (parent side): the spawning thread's ids while it clones. */
struct csb_owner {
    int switched;
    gid_t egid;
    int securebits;
    int dumpable;
};
int csb_become_owner(const struct csb_jail *jail, struct csb_owner *saved);
void csb_restore_owner(const struct csb_owner *saved);

/* jail_userns_limits.c */
int csb_step_userns_limits(const struct csb_plan *plan);

/* jail_root_fd.c: the program sends its root; the parent receives it. */
int csb_step_root_fd(const struct csb_plan *plan);
int csb_receive_root_fd(int sock, int *fd_out);

/* jail_mounts.c */
int csb_step_mount_private(const struct csb_plan *plan);
int csb_step_mount_staging(const struct csb_plan *plan);
int csb_step_bind(const struct csb_plan *plan);
int csb_step_symlink(const struct csb_plan *plan);
int csb_step_files(const struct csb_plan *plan);
int csb_step_dev(const struct csb_plan *plan);
int csb_step_proc(const struct csb_plan *plan);
int csb_step_tmpfs(const struct csb_plan *plan);
int csb_step_pivot_root(const struct csb_plan *plan);
int csb_step_remount_ro(const struct csb_plan *plan);
int csb_step_workdir(const struct csb_plan *plan);

/* jail_caps.c */
int csb_step_caps_bounding(const struct csb_plan *plan);
int csb_step_caps_ambient(const struct csb_plan *plan);
int csb_step_caps(const struct csb_plan *plan);
int csb_step_no_new_privs(const struct csb_plan *plan);
int csb_drop_all_caps(void);
int csb_keep_only_cap(int cap);

/* jail_limits.c */
int csb_step_rlimits(const struct csb_plan *plan);
int csb_step_close_fds(const struct csb_plan *plan);

/* jail_stdio.c */
int csb_step_stdio(const struct csb_plan *plan);
int csb_step_signals(const struct csb_plan *plan);
int csb_step_pdeathsig(const struct csb_plan *plan);

/* jail_seccomp.c */
int csb_seccomp_compile(const struct csb_seccomp_rule *rules, size_t count,
                        struct sock_fprog *out, size_t *bad_rule_out);
int csb_step_seccomp(const struct csb_plan *plan);

/* jail_util.c: allocation-free helpers */
int csb_write_all(int fd, const void *buf, size_t len);
ssize_t csb_read_full(int fd, void *buf, size_t len);
/* dst = a + b, or ENAMETOOLONG. */
int csb_join(char *dst, size_t cap, const char *a, const char *b);
/* Decimal text of v into dst; returns dst. */
char *csb_utoa(char *dst, size_t cap, uint64_t v);
/* mkdir -p (mode 0755) of every parent of path, and path itself if `last`. */
int csb_mkdirs(const char *path, int last);
/* Writes a whole small file (O_CREAT|O_TRUNC|O_NOFOLLOW). */
int csb_write_file(const char *path, const char *data, size_t len, unsigned int mode);

#endif
