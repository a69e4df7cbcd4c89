/* Capabilities: the jail's program ends with none in any set, and with
 * no_new_privs so that no setuid or file-capability binary can give any back. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Drop every capability the kernel knows from the bounding set. Needs
 * CAP_SETPCAP in the jail's user namespace, so it runs before caps_drop. */
int csb_step_caps_bounding(const struct csb_plan *plan) {
    (void)plan;
    for (unsigned long cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) break; /* past the last capability */
            return errno;
        }
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) return errno;
    }
    return 0;
}

int csb_step_caps_ambient(const struct csb_plan *plan) {
    (void)plan;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
        return errno;
    return 0;
}

/* capset(2) directly: libcap allocates, which is not safe in this child.
 * Keeps `keep` (a capability number, or -1 for none) in the effective and
 * permitted sets, nothing else. */
int csb_keep_only_cap(int keep) {
    struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    if (keep >= 0 && keep < 32 * _LINUX_CAPABILITY_U32S_3) {
        data[keep / 32].effective = data[keep / 32].permitted = 1u << (keep % 32);
    }
    return syscall(SYS_capset, &header, data) == 0 ? 0 : errno;
}

int csb_drop_all_caps(void) {
    return csb_keep_only_cap(-1);
}

int csb_step_caps(const struct csb_plan *plan) {
    (void)plan;
    return csb_drop_all_caps();
}

int csb_step_no_new_privs(const struct csb_plan *plan) {
    (void)plan;
    return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 ? 0 : errno;
}
