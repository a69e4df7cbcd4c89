/* pid 1 is a fork of the kernel process, so until it lets go of them it holds
 * copies of the kernel's heap (the connection's HMAC key among it), the
 * stacks of the kernel's threads and the kernel's environment. Once the
 * program is forked, pid 1 needs only its own stack, its thread's TLS and
 * the code it runs; this empties the rest of its memory:
 *   - private anonymous mappings ([heap], [stack], thread stacks, malloc
 *     arenas) get MADV_DONTNEED, after which they read back as zeros;
 *   - shared mappings are unmapped (MADV_DONTNEED would leave their data
 *     in the shared object).
 * Kept: file-backed private mappings (code, read-only and initialised data,
 * the bound entries of the dynamic linker's tables), the zero-filled tail of
 * each loaded object's data (its .bss: anonymous, right after the object's
 * file mapping), which holds libc's own state; the vDSO; the mapping of pid
 * 1's stack and the one of its TLS.
 *
 * Among what goes are the dynamic linker's lists of loaded objects, so from
 * the first madvise on this file calls no library function but syscall()
 * (bound before: pid 1 forks with it): one not called before would be looked
 * up in emptied memory. Its loops read through volatile pointers so that the
 * compiler does not turn them into calls to memmove and the like. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct region {
    uintptr_t start, end;
    char perms[4];
    unsigned long inode;
    const char *name; /* "" for an unnamed mapping */
};

static const char *hex(const char *p, uintptr_t *out) {
    uintptr_t v = 0;
    for (;; p++) {
        unsigned d;
        if (*p >= '0' && *p <= '9') d = (unsigned)(*p - '0');
        else if (*p >= 'a' && *p <= 'f') d = (unsigned)(*p - 'a' + 10);
        else break;
        v = v * 16 + d;
    }
    *out = v;
    return p;
}

static const char *skip_field(const char *p) {
    while (*p && *p != ' ') p++;
    while (*p == ' ') p++;
    return p;
}

/* "start-end perms offset dev inode   name" */
static int parse(const char *line, struct region *r) {
    const char *p = hex(line, &r->start);
    if (*p != '-') return 0;
    p = hex(p + 1, &r->end);
    if (*p != ' ') return 0;
    p++;
    for (int i = 0; i < 4; i++) {
        if (!p[i]) return 0;
        r->perms[i] = p[i];
    }
    p = skip_field(p); /* perms */
    p = skip_field(p); /* offset */
    p = skip_field(p); /* dev */
    r->inode = 0;
    for (; *p >= '0' && *p <= '9'; p++) r->inode = r->inode * 10 + (unsigned long)(*p - '0');
    while (*p == ' ') p++;
    r->name = p;
    return r->end > r->start;
}

/* Unnamed, [heap], [stack] (and the [stack:tid] of old kernels) or
 * [anon:...]; not [vdso], [vvar], [vsyscall] or [uprobes]. */
static int anonymous(const struct region *r) {
    const char *n = r->name;
    if (r->inode != 0) return 0;
    if (n[0] == '\0') return 1;
    return n[0] == '[' && ((n[1] == 'h' && n[2] == 'e') || (n[1] == 's' && n[2] == 't') ||
                           (n[1] == 'a' && n[2] == 'n'));
}

static int contains(const struct region *r, uintptr_t address) {
    return address >= r->start && address < r->end;
}

/* Applies the rules above to one mapping; `file_end` is where the previous
 * mapping ended if it was a file-backed private one, else 0. */
static void drop(const struct region *r, uintptr_t file_end, uintptr_t stack, uintptr_t tls) {
    if (contains(r, stack) || contains(r, tls)) return;
    size_t len = r->end - r->start;
    if (r->perms[3] == 's') {
        (void)syscall(SYS_munmap, r->start, len);
        return;
    }
    if (!anonymous(r)) return;
    if (r->name[0] == '\0' && r->start == file_end) return; /* a loaded object's .bss */
    /* Fails only for locked or special mappings, which stay as they are. */
    (void)syscall(SYS_madvise, r->start, len, MADV_DONTNEED);
}

int csb_scrub_memory(int maps_fd) {
    char buf[4096];
    volatile char *vbuf = buf;
    size_t have = 0;
    uintptr_t file_end = 0;
    int marker = 0;
    uintptr_t stack = (uintptr_t)&marker;
    uintptr_t tls = (uintptr_t)&errno;
    for (;;) {
        long n = syscall(SYS_read, maps_fd, buf + have, sizeof buf - 1 - have);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        have += (size_t)n;
        buf[have] = '\0';
        size_t line = 0;
        for (size_t i = 0; i < have; i++) {
            if (vbuf[i] != '\n') continue;
            buf[i] = '\0';
            struct region r;
            if (parse(buf + line, &r)) {
                drop(&r, file_end, stack, tls);
                file_end = r.inode != 0 && r.perms[3] == 'p' ? r.end : 0;
            }
            line = i + 1;
        }
        size_t rest = have - line;
        if (n == 0) return rest == 0 ? 0 : EPROTO;
        if (rest == sizeof buf - 1) return ENAMETOOLONG; /* a line longer than the buffer */
        for (size_t i = 0; i < rest; i++) vbuf[i] = vbuf[line + i];
        have = rest;
    }
}
