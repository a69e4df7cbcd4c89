/* The user namespace: the parent maps one host uid/gid (its own, or, for a
 * root parent, an unprivileged one) onto the jail's uid/gid, a single line
 * each, so no other host identity exists inside; the child then takes that
 * identity for good. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int write_proc_file(pid_t pid, const char *name, const char *text) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    /* One write: the kernel parses a map in a single write only. */
    ssize_t n = write(fd, text, strlen(text));
    int err = n < 0 ? errno : ((size_t)n == strlen(text) ? 0 : EIO);
    close(fd);
    return err;
}

/* A privileged parent (CAP_SETGID over its namespace) may write gid_map while
 * setgroups stays allowed; the child then drops every supplementary group
 * with setgroups(0, NULL). An unprivileged parent must deny setgroups first,
 * and the child keeps the (unmapped) supplementary groups of the user who
 * runs the kernel, which give nothing beyond what that user has. */
int csb_write_id_maps(pid_t pid, uid_t inside_uid, gid_t inside_gid,
                      uid_t host_uid, gid_t host_gid,
                      int *setgroups_allowed, int *failed_step) {
    if (host_uid == (uid_t)-1) host_uid = geteuid();
    if (host_gid == (gid_t)-1) host_gid = getegid();
    char map[64];
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)inside_uid, (unsigned)host_uid);
    int err = write_proc_file(pid, "uid_map", map);
    if (err) { *failed_step = CSB_STEP_UID_MAP; return err; }

    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)inside_gid, (unsigned)host_gid);
    *setgroups_allowed = 1;
    err = write_proc_file(pid, "gid_map", map);
    if (err == EPERM) {
        *setgroups_allowed = 0;
        err = write_proc_file(pid, "setgroups", "deny");
        if (err) { *failed_step = CSB_STEP_SETGROUPS_DENY; return err; }
        err = write_proc_file(pid, "gid_map", map);
    }
    if (err) { *failed_step = CSB_STEP_GID_MAP; return err; }
    return 0;
}

/* Raw syscalls, not glibc's wrappers: this child was cloned from a
 * multithreaded kernel, and glibc's set*id wrappers broadcast the change to
 * every thread they believe exists, waiting forever on threads that exist only
 * in the parent (seen: a hang in __nptl_setxid). The kernel applies these to
 * the calling thread, which is the child's only thread. */
int csb_step_setgroups(const struct csb_plan *plan) {
    if (!plan->setgroups_allowed) return 0;
    return syscall(SYS_setgroups, 0, NULL) == 0 ? 0 : errno;
}

int csb_step_setresgid(const struct csb_plan *plan) {
    gid_t g = plan->jail->gid;
    return syscall(SYS_setresgid, g, g, g) == 0 ? 0 : errno;
}

int csb_step_setresuid(const struct csb_plan *plan) {
    uid_t u = plan->jail->uid;
    return syscall(SYS_setresuid, u, u, u) == 0 ? 0 : errno;
}
