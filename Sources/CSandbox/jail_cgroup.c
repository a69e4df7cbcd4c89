/* Parent side: put the jail's pid 1 into the session's cgroups before it
 * goes on, so every process of the jail is accounted from the start. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int csb_join_cgroups(const struct csb_jail *jail, pid_t pid) {
    char text[24];
    int len = snprintf(text, sizeof text, "%d\n", (int)pid);
    for (size_t i = 0; i < jail->cgroup_proc_count; i++) {
        int fd = open(jail->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0) return errno;
        int err = csb_write_all(fd, text, (size_t)len);
        close(fd);
        if (err) return err;
    }
    return 0;
}
