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

/* The filter being built and its default action. libseccomp refuses a rule
 * whose action is the default one; such a rule changes nothing, so add()
 * leaves it out. */
struct filter {
    scmp_filter_ctx ctx;
    uint32_t default_action;
};

static int add(const struct filter *f, uint32_t action, int nr, unsigned int count,
               const struct scmp_arg_cmp *cmp) {
    if (action == f->default_action) return 0;
    return seccomp_rule_add_array(f->ctx, action, nr, count, cmp);
}

/* "arg0 in [lo, hi]". libseccomp allows one comparison per argument in a
 * rule, so a range with both ends inside becomes a set of aligned
 * power-of-two blocks, each one masked comparison: (arg0 & ~(size-1)) == start
 * (at most 128 blocks). */
static int range(const struct filter *f, int nr, uint32_t action, uint64_t lo, uint64_t hi) {
    struct scmp_arg_cmp cmp;
    if (lo == 0 && hi == UINT64_MAX) return add(f, action, nr, 0, NULL);
    if (hi == UINT64_MAX) {
        cmp = SCMP_A0(SCMP_CMP_GE, lo);
        return add(f, action, nr, 1, &cmp);
    }
    if (lo == 0) {
        cmp = SCMP_A0(SCMP_CMP_LE, hi);
        return add(f, action, nr, 1, &cmp);
    }
    while (lo <= hi) {
        uint64_t size = lo & (~lo + 1); /* the largest alignment of lo */
        while (size > 1 && size - 1 > hi - lo) size >>= 1;
        cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
        int rc = add(f, action, nr, 1, &cmp);
        if (rc < 0) return rc;
        lo += size; /* hi < UINT64_MAX, so this cannot wrap */
    }
    return 0;
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The values are allowed; every gap between them fails with `action`. */
static int deny_unless_value(const struct filter *f, int nr, uint32_t action,
                             const uint64_t *values, size_t count) {
    if (count == 0 || count > 64) return -EINVAL;
    uint64_t sorted[64];
    for (size_t i = 0; i < count; i++) sorted[i] = values[i];
    qsort(sorted, count, sizeof sorted[0], compare_u64);
    uint64_t lo = 0;
    for (size_t i = 0; i < count; i++) {
        int rc = 0;
        if (sorted[i] > lo) rc = range(f, nr, action, lo, sorted[i] - 1);
        if (rc < 0) return rc;
        if (i > 0 && sorted[i] == sorted[i - 1]) continue;
        struct scmp_arg_cmp eq = SCMP_A0(SCMP_CMP_EQ, sorted[i]);
        rc = add(f, SCMP_ACT_ALLOW, nr, 1, &eq);
        if (rc < 0) return rc;
        if (sorted[i] == UINT64_MAX) return 0;
        lo = sorted[i] + 1;
    }
    return range(f, nr, action, lo, UINT64_MAX);
}

/* One rule per flag (the rules of a syscall are alternatives), and one that
 * allows the calls with none of them. */
static int deny_if_flags(const struct filter *f, int nr, uint32_t action, uint64_t flags) {
    for (int bit = 0; bit < 64; bit++) {
        uint64_t flag = (uint64_t)1 << bit;
        if (!(flags & flag)) continue;
        struct scmp_arg_cmp has = SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag);
        int rc = add(f, action, nr, 1, &has);
        if (rc < 0) return rc;
    }
    struct scmp_arg_cmp none = SCMP_A0(SCMP_CMP_MASKED_EQ, flags, 0);
    return add(f, SCMP_ACT_ALLOW, nr, 1, &none);
}

static int valid_errno(int value) { return value > 0 && value <= 4095; }

static int add_rule(const struct filter *f, const struct csb_seccomp_rule *rule) {
    if (rule->kind == CSB_SECCOMP_DEFAULT) return 0; /* read before any rule */
    int nr = seccomp_syscall_resolve_name(rule->syscall);
    if (nr == __NR_SCMP_ERROR) return -EINVAL;
    if (rule->kind == CSB_SECCOMP_ALLOW) return add(f, SCMP_ACT_ALLOW, nr, 0, NULL);
    if (!valid_errno(rule->errno_value)) return -EINVAL;
    uint32_t action = SCMP_ACT_ERRNO((uint32_t)rule->errno_value);
    switch (rule->kind) {
    case CSB_SECCOMP_DENY:
        return add(f, action, nr, 0, NULL);
    case CSB_SECCOMP_DENY_IF_FLAGS:
        return deny_if_flags(f, nr, action, rule->flags);
    case CSB_SECCOMP_DENY_UNLESS_VALUE:
        return deny_unless_value(f, nr, action, rule->values, rule->value_count);
    default:
        return -EINVAL;
    }
}

/* The default action: "allow", or the errno of the one CSB_SECCOMP_DEFAULT
 * rule. A second one, or a bad errno, is reported at its index. */
static int default_action(const struct csb_seccomp_rule *rules, size_t count, uint32_t *out,
                          size_t *bad_rule_out) {
    *out = SCMP_ACT_ALLOW;
    int seen = 0;
    for (size_t i = 0; i < count; i++) {
        if (rules[i].kind != CSB_SECCOMP_DEFAULT) continue;
        if (seen++ || !valid_errno(rules[i].errno_value)) {
            if (bad_rule_out) *bad_rule_out = i;
            return EINVAL;
        }
        *out = SCMP_ACT_ERRNO((uint32_t)rules[i].errno_value);
    }
    return 0;
}

int csb_seccomp_compile(const struct csb_seccomp_rule *rules, size_t count,
                        struct sock_fprog *out, size_t *bad_rule_out) {
    out->len = 0;
    out->filter = NULL;
    struct filter f;
    int err = default_action(rules, count, &f.default_action, bad_rule_out);
    if (err) return err;
    f.ctx = seccomp_init(f.default_action);
    if (!f.ctx) return ENOMEM;
    /* Another ABI (i386 int 0x80, x32) would bypass rules written for the
     * native one: kill the whole process instead. */
    int rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 5)
    /* An allowlist names hundreds of calls: a binary search finds a call's
     * rule in about ten comparisons instead of walking a list. Without it
     * the filter is only slower, so a failure here is not an error. */
    if (rc >= 0) (void)seccomp_attr_set(f.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
#endif
    for (size_t i = 0; rc >= 0 && i < count; i++) {
        rc = add_rule(&f, &rules[i]);
        if (rc < 0 && bad_rule_out) *bad_rule_out = i;
    }
    int fd = -1;
    if (rc >= 0) {
        fd = memfd_create("csb-seccomp", MFD_CLOEXEC);
        if (fd < 0) rc = -errno;
    }
    if (rc >= 0) rc = seccomp_export_bpf(f.ctx, fd);
    seccomp_release(f.ctx);
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
