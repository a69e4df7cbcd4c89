/* A root process becoming another user for good (see UserSwitch.swift). */
#define _GNU_SOURCE
#include "CSandbox.h"

#include <errno.h>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

int csb_switch_user(uid_t uid, gid_t gid) {
    /* glibc applies each id change to every thread of the process. */
    if (setgroups(0, NULL) != 0 || setresgid(gid, gid, gid) != 0 || setresuid(uid, uid, uid) != 0) return errno;
    /* Irreversible, or it did not happen. */
    if (setresuid(0, 0, 0) == 0 || getuid() != uid || geteuid() != uid || getegid() != gid) return EPERM;
    /* The change of uid made the process non-dumpable, which hands its /proc files (and so the
     * jail's uid_map) to root: a kernel started as this user is dumpable. */
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0) return errno;
    return 0;
}
