/* Filesystem type checks for the host side (statfs is not visible to Swift's Glibc). */
#define _GNU_SOURCE
#include "CSandbox.h"

#include <errno.h>
#include <linux/magic.h>
#include <sys/vfs.h>

int csb_fd_is_tmpfs(int fd) {
    struct statfs st;
    if (fstatfs(fd, &st) != 0) return -errno;
    return st.f_type == TMPFS_MAGIC;
}
