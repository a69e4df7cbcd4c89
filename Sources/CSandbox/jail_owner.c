/* Parent side: who owns the jail's user namespace. A namespace's owner is the
 * effective uid of the process that creates it, and what the kernel counts
 * per user inside the namespace (processes, queued signals, inotify instances
 * and watches, new namespaces: see jail_userns_limits.c) is also charged to
 * the owner one level up, against the owner's own limits on the host. So a
 * root parent creates the namespace as the jail's host uid when that uid is
 * the jail's alone (host_id_owns_namespace), and no cell uses up root's
 * share. Not for a shared uid such as nobody: every host process with the
 * owner's euid holds all capabilities inside the namespace, and could join
 * it. Only the spawning thread changes its effective ids, with
 * raw system calls (glibc's wrappers would change every thread of the
 * kernel), and only for the clone; it keeps its capabilities meanwhile
 * (SECBIT_NO_SETUID_FIXUP) for hosts that let only CAP_SYS_ADMIN create user
 * namespaces. pid 1 clears the securebit it inherits. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <linux/securebits.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int csb_become_owner(const struct csb_jail *jail, struct csb_owner *saved) {
    memset(saved, 0, sizeof *saved);
    uid_t uid = jail->host_uid;
    gid_t gid = jail->host_gid;
    if (!jail->host_id_owns_namespace || geteuid() != 0 || uid == (uid_t)-1 || uid == 0 ||
        gid == (gid_t)-1 || gid == 0)
        return 0;
    int bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
    if (bits < 0) return errno;
    saved->securebits = bits;
    saved->dumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
    saved->egid = getegid();
    if (prctl(PR_SET_SECUREBITS, (unsigned long)bits | SECBIT_NO_SETUID_FIXUP, 0, 0, 0) != 0) return errno;
    saved->switched = 1;
    if (syscall(SYS_setresgid, -1, gid, -1) != 0 || syscall(SYS_setresuid, -1, uid, -1) != 0) {
        int err = errno;
        csb_restore_owner(saved);
        return err;
    }
    return 0;
}

void csb_restore_owner(const struct csb_owner *saved) {
    if (!saved->switched) return;
    (void)syscall(SYS_setresuid, -1, 0, -1);
    (void)syscall(SYS_setresgid, -1, saved->egid, -1);
    (void)prctl(PR_SET_SECUREBITS, (unsigned long)saved->securebits, 0, 0, 0);
    /* Any change of effective uid made the whole process non-dumpable. */
    if (saved->dumpable > 0) (void)prctl(PR_SET_DUMPABLE, saved->dumpable, 0, 0, 0);
}
