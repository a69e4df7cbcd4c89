/* Limits of the jail's own user namespace (/proc/sys/user/...), set while the
 * program still holds CAP_SYS_RESOURCE there, as bubblewrap's --disable-userns
 * does for user namespaces. Each is a per-namespace counter: a cell's new
 * namespaces, inotify instances and watches count against the jail's limit
 * and, one level up, against the kernel user's, which the jail would
 * otherwise share with every other process of that user (a root kernel's
 * jail could use up root's 128 inotify instances, which systemd needs).
 * Once the capabilities are gone a cell can read these files but not write
 * them. Writes go through the /proc the jail inherits: the files show the
 * writer's own user namespace whatever the mount, and the jail's fresh /proc
 * has /proc/sys read-only. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static const struct { const char *name; const char *value; } limits[] = {
    /* No namespace of any kind: the jail has all it needs, and a new user
     * namespace would hand its creator every capability inside it. */
    { "max_user_namespaces", "0" },
    { "max_mnt_namespaces", "0" },
    { "max_pid_namespaces", "0" },
    { "max_net_namespaces", "0" },
    { "max_ipc_namespaces", "0" },
    { "max_uts_namespaces", "0" },
    { "max_cgroup_namespaces", "0" },
    { "max_time_namespaces", "0" },
    /* GHCi watches no files; a library that does needs one instance and a
     * watch per directory. */
    { "max_inotify_instances", "8" },
    { "max_inotify_watches", "1024" },
    /* fanotify_init is denied by the seccomp policy as well. */
    { "max_fanotify_groups", "0" },
    { "max_fanotify_marks", "0" },
};

int csb_step_userns_limits(const struct csb_plan *plan) {
    (void)plan;
    char path[64];
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        int err = csb_join(path, sizeof path, "/proc/sys/user/", limits[i].name);
        if (err) return err;
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0) {
            if (errno == ENOENT) continue; /* not in this kernel (time: 5.6+, fanotify: 5.13+) */
            return errno;
        }
        err = csb_write_all(fd, limits[i].value, strlen(limits[i].value));
        close(fd);
        if (err) return err;
    }
    return 0;
}
