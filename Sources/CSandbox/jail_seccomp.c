/* Seccomp: the rules (parsed by Swift from sandbox/seccomp.policy) are
 * compiled with libseccomp in the parent, where allocating is safe; the child
 * only installs the finished BPF program, as the last step before execve. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

/* libseccomp allows one comparison per argument in a rule, so "arg0 in
 * [lo, hi]" becomes a set of aligned power-of-two blocks, each one masked
 * comparison: (arg0 & ~(size-1)) == start. At most 128 blocks. */
static int deny_range(scmp_filter_ctx ctx, int nr, uint32_t action, uint64_t lo, uint64_t hi) {
    while (lo <= hi) {
        uint64_t size = lo == 0 ? (uint64_t)1 << 63 : lo & (~lo + 1); /* largest alignment of lo */
        while (size > 1 && (size - 1 > hi - lo)) size >>= 1;
        uint64_t mask = ~(size - 1);
        if (lo == 0 && size == (uint64_t)1 << 63 && hi == UINT64_MAX) {
            return seccomp_rule_add(ctx, action, nr, 0); /* the whole range */
        }
        int rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, mask, lo));
        if (rc < 0) return rc;
        uint64_t next = lo + size;
        if (next == 0) break; /* wrapped past UINT64_MAX */
        lo = next;
    }
    return 0;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int deny_unless_value(scmp_filter_ctx ctx, int nr, uint32_t action,
                             const uint64_t *values, size_t count) {
    if (count == 0) return seccomp_rule_add(ctx, action, nr, 0);
    if (count > 64) return -EINVAL;
    uint64_t sorted[64];
    for (size_t i = 0; i < count; i++) sorted[i] = values[i];
    qsort(sorted, count, sizeof sorted[0], compare_u64);
    uint64_t lo = 0;
    for (size_t i = 0; i < count; i++) {
        if (sorted[i] > lo) {
            int rc = deny_range(ctx, nr, action, lo, sorted[i] - 1);
            if (rc < 0) return rc;
        }
        if (sorted[i] == UINT64_MAX) return 0;
        lo = sorted[i] + 1;
    }
    return deny_range(ctx, nr, action, lo, UINT64_MAX);
}

static int add_rule(scmp_filter_ctx ctx, const struct csb_seccomp_rule *rule) {
    int nr = seccomp_syscall_resolve_name(rule->syscall);
    if (nr == __NR_SCMP_ERROR) return -EINVAL;
    if (rule->errno_value <= 0 || rule->errno_value > 4095) return -EINVAL;
    uint32_t action = SCMP_ACT_ERRNO((uint32_t)rule->errno_value);
    switch (rule->kind) {
    case CSB_SECCOMP_DENY:
        return seccomp_rule_add(ctx, action, nr, 0);
    case CSB_SECCOMP_DENY_IF_FLAGS:
        /* One rule per bit: the rules of a syscall are alternatives. */
        for (int bit = 0; bit < 64; bit++) {
            uint64_t flag = (uint64_t)1 << bit;
            if (!(rule->flags & flag)) continue;
            int rc = seccomp_rule_add(ctx, action, nr, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
            if (rc < 0) return rc;
        }
        return 0;
    case CSB_SECCOMP_DENY_UNLESS_VALUE:
        return deny_unless_value(ctx, nr, action, rule->values, rule->value_count);
    default:
        return -EINVAL;
    }
}

int csb_seccomp_compile(const struct csb_seccomp_rule *rules, size_t count,
                        struct sock_fprog *out, size_t *bad_rule_out) {
    out->len = 0;
    out->filter = NULL;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) return ENOMEM;
    /* Another ABI (i386 int 0x80, x32) would bypass rules written for the
     * native one: kill the whole process instead. */
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    for (size_t i = 0; rc >= 0 && i < count; i++) {
        rc = add_rule(ctx, &rules[i]);
        if (rc < 0 && bad_rule_out) *bad_rule_out = i;
    }
    int fd = -1;
    if (rc >= 0) {
        fd = memfd_create("csb-seccomp", MFD_CLOEXEC);
        if (fd < 0) rc = -errno;
    }
    if (rc >= 0) rc = seccomp_export_bpf(ctx, fd);
    seccomp_release(ctx);
    if (rc < 0) {
        if (fd >= 0) close(fd);
        return -rc;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
        size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS) {
        close(fd);
        return size < 0 ? errno : E2BIG;
    }
    struct sock_filter *filter = malloc((size_t)size);
    if (!filter) { close(fd); return ENOMEM; }
    if (pread(fd, filter, (size_t)size, 0) != size) {
        int err = errno ? errno : EIO;
        free(filter);
        close(fd);
        return err;
    }
    close(fd);
    out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
    out->filter = filter;
    return 0;
}

int csb_seccomp_check(const struct csb_seccomp_rule *rules, size_t count, size_t *bad_rule_out) {
    struct sock_fprog prog;
    int err = csb_seccomp_compile(rules, count, &prog, bad_rule_out);
    free(prog.filter);
    return err;
}

/* Installed last, after no_new_privs, right before execve. */
int csb_step_seccomp(const struct csb_plan *plan) {
    if (plan->seccomp.len == 0) return 0;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &plan->seccomp, 0, 0) == 0 ? 0 : errno;
}
