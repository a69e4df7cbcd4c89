/* The mount namespace: a fresh root on a tmpfs, made of read-only binds of
 * what the program needs, generated files, a minimal /dev, a /proc of the
 * jail's pid namespace and size-limited writable tmpfs mounts.
 *
 * How it is built (the host's mounts are never touched: every mount below
 * lives in the jail's private mount namespace and vanishes with it):
 *   1. make every mount private, so nothing propagates back to the host;
 *   2. mount a staging tmpfs on /tmp, with two directories: newroot (itself
 *      a small tmpfs, the future "/") and oldroot; pivot_root into staging,
 *      so the host's root is at /oldroot and sources are named from there;
 *   3. assemble /newroot;
 *   4. pivot_root into /newroot and detach the old root (and staging);
 *   5. remount "/" read-only. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h> /* ST_* flags, which statfs(2) reports in f_flags too */
#include <sys/syscall.h>
#include <unistd.h>

#define PATH_CAP 4096

static int pivot_root(const char *new_root, const char *put_old) {
    return (int)syscall(SYS_pivot_root, new_root, put_old);
}

int csb_step_mount_private(const struct csb_plan *plan) {
    (void)plan;
    return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 ? 0 : errno;
}

int csb_step_mount_staging(const struct csb_plan *plan) {
    (void)plan;
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m") != 0) return errno;
    if (chdir("/tmp") != 0) return errno;
    if (mkdir("newroot", 0755) != 0 || mkdir("oldroot", 0755) != 0) return errno;
    if (mount("tmpfs", "newroot", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=4m") != 0) return errno;
    if (pivot_root(".", "oldroot") != 0) return errno;
    if (chdir("/") != 0) return errno;
    return 0;
}

/* Flags a bind mount must keep when it is remounted inside a user namespace:
 * the kernel locks those of the original mount. */
static unsigned long locked_flags(const char *path) {
    struct statfs st;
    if (statfs(path, &st) != 0) return 0;
    unsigned long flags = 0;
    if (st.f_flags & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flags & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flags & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flags & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flags & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flags & ST_RELATIME) flags |= MS_RELATIME;
    if (st.f_flags & ST_RDONLY) flags |= MS_RDONLY;
    return flags;
}

/* Binds host `source` (a path under /oldroot) at `target` (under /newroot),
 * creating a directory or an empty file to mount on, then remounts it with
 * `extra` flags. Not recursive: mounts beneath the source stay out. */
static int bind_one(const char *source, const char *target, unsigned long extra) {
    struct stat st;
    if (stat(source, &st) != 0) return errno;
    int err = csb_mkdirs(target, S_ISDIR(st.st_mode));
    if (err) return err;
    if (!S_ISDIR(st.st_mode)) {
        int fd = open(target, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) return errno;
        close(fd);
    }
    if (mount(source, target, NULL, MS_BIND, NULL) != 0) return errno;
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID | extra | locked_flags(target);
    if (mount(NULL, target, NULL, flags, NULL) != 0) return errno;
    return 0;
}

int csb_step_bind(const struct csb_plan *plan) {
    const struct csb_jail *jail = plan->jail;
    char source[PATH_CAP], target[PATH_CAP];
    for (size_t i = 0; i < jail->bind_count; i++) {
        int err = csb_join(source, sizeof source, CSB_OLDROOT, jail->binds[i].source);
        if (!err) err = csb_join(target, sizeof target, CSB_NEWROOT, jail->binds[i].target);
        if (!err) err = bind_one(source, target, MS_RDONLY | MS_NODEV);
        if (err) return err;
    }
    return 0;
}

int csb_step_symlink(const struct csb_plan *plan) {
    const struct csb_jail *jail = plan->jail;
    char path[PATH_CAP];
    for (size_t i = 0; i < jail->symlink_count; i++) {
        int err = csb_join(path, sizeof path, CSB_NEWROOT, jail->symlinks[i].path);
        if (!err) err = csb_mkdirs(path, 0);
        if (err) return err;
        if (symlink(jail->symlinks[i].target, path) != 0) return errno;
    }
    return 0;
}

int csb_step_files(const struct csb_plan *plan) {
    const struct csb_jail *jail = plan->jail;
    char path[PATH_CAP];
    for (size_t i = 0; i < jail->file_count; i++) {
        const struct csb_file *file = &jail->files[i];
        int err = csb_join(path, sizeof path, CSB_NEWROOT, file->path);
        if (!err) err = csb_mkdirs(path, 0);
        size_t len = 0;
        while (file->contents[len]) len++;
        if (!err) err = csb_write_file(path, file->contents, len, file->mode ? file->mode : 0644);
        if (err) return err;
    }
    return 0;
}

/* /dev holds only the host's harmless character devices, bound one by one
 * (a user namespace cannot create device nodes), and the usual links. */
int csb_step_dev(const struct csb_plan *plan) {
    const struct csb_jail *jail = plan->jail;
    if (mkdir(CSB_NEWROOT "/dev", 0755) != 0) return errno;
    char source[PATH_CAP], target[PATH_CAP];
    for (size_t i = 0; i < jail->device_count; i++) {
        const char *name = jail->devices[i];
        for (const char *p = name; *p; p++)
            if (*p == '/') return EINVAL; /* names only, never paths */
        int err = csb_join(source, sizeof source, CSB_OLDROOT "/dev/", name);
        if (!err) err = csb_join(target, sizeof target, CSB_NEWROOT "/dev/", name);
        if (!err) err = bind_one(source, target, MS_NOEXEC);
        if (err) return err;
    }
    static const char *const links[][2] = {
        { "/proc/self/fd", CSB_NEWROOT "/dev/fd" },
        { "/proc/self/fd/0", CSB_NEWROOT "/dev/stdin" },
        { "/proc/self/fd/1", CSB_NEWROOT "/dev/stdout" },
        { "/proc/self/fd/2", CSB_NEWROOT "/dev/stderr" },
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (symlink(links[i][0], links[i][1]) != 0) return errno;
    return 0;
}

/* Parts of /proc that describe the host, not the jail's namespaces, and that
 * a cell has no use for: Docker's default masked paths (moby's
 * daemon/pkg/oci/defaults.go). Kernel memory, keyrings of every user, timers
 * and interrupts of every CPU (a side channel), hardware. */
static const char *const masked_proc[] = {
    "acpi", "asound", "interrupts", "kcore", "keys", "latency_stats",
    "sched_debug", "scsi", "timer_list", "timer_stats",
};

/* Parts whose writes reach the host (sysctls, sysrq, irq and bus settings,
 * filesystem tunables): covered by read-only binds of themselves. */
static const char *const read_only_proc[] = { "sys", "sysrq-trigger", "irq", "bus", "fs" };

/* Masks a file with the host's /dev/null (reads are empty, writes vanish)
 * and a folder with an empty read-only tmpfs, as runc does. */
static int mask(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : errno; /* not in this kernel */
    unsigned long flags = MS_NOSUID | MS_NOEXEC | MS_RDONLY;
    if (S_ISDIR(st.st_mode))
        return mount("tmpfs", path, "tmpfs", flags | MS_NODEV, "size=4k,nr_inodes=8,mode=0555") == 0 ? 0 : errno;
    /* Not nodev: that would make /dev/null refuse to open. */
    if (mount(CSB_OLDROOT "/dev/null", path, NULL, MS_BIND, NULL) != 0) return errno;
    return mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | flags | locked_flags(path), NULL) == 0 ? 0 : errno;
}

static int cover_read_only(const char *path) {
    if (access(path, F_OK) != 0) return 0; /* not in this kernel */
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) != 0) return errno;
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
    return mount(NULL, path, NULL, flags | locked_flags(path), NULL) == 0 ? 0 : errno;
}

/* A /proc of the jail's own pid namespace (GHC finds its libraries through
 * /proc/self/exe), with the host's parts masked or read-only, as Docker does.
 * The caller is a member of that namespace. Not subset=pid: it would also
 * hide meminfo, cpuinfo, stat and uptime, which ordinary tools read. */
int csb_step_proc(const struct csb_plan *plan) {
    (void)plan;
    if (mkdir(CSB_NEWROOT "/proc", 0555) != 0) return errno;
    if (mount("proc", CSB_NEWROOT "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
        return errno;
    char path[PATH_CAP];
    for (size_t i = 0; i < sizeof read_only_proc / sizeof read_only_proc[0]; i++) {
        int err = csb_join(path, sizeof path, CSB_NEWROOT "/proc/", read_only_proc[i]);
        if (!err) err = cover_read_only(path);
        if (err) return err;
    }
    for (size_t i = 0; i < sizeof masked_proc / sizeof masked_proc[0]; i++) {
        int err = csb_join(path, sizeof path, CSB_NEWROOT "/proc/", masked_proc[i]);
        if (!err) err = mask(path);
        if (err) return err;
    }
    return 0;
}

static void append(char *dst, size_t cap, size_t *len, const char *text) {
    while (*text && *len + 1 < cap) dst[(*len)++] = *text++;
    dst[*len] = '\0';
}

int csb_step_tmpfs(const struct csb_plan *plan) {
    const struct csb_jail *jail = plan->jail;
    char target[PATH_CAP], options[192], number[24];
    for (size_t i = 0; i < jail->tmpfs_count; i++) {
        const struct csb_tmpfs *t = &jail->tmpfs[i];
        if (t->size_mb == 0) return EINVAL; /* never an unbounded tmpfs */
        size_t len = 0;
        options[0] = '\0';
        append(options, sizeof options, &len, "size=");
        append(options, sizeof options, &len, csb_utoa(number, sizeof number, t->size_mb));
        append(options, sizeof options, &len, "m,mode=0");
        char octal[8];
        unsigned int mode = t->mode & 07777;
        for (int d = 3; d >= 0; d--) octal[3 - d] = (char)('0' + ((mode >> (3 * d)) & 7));
        octal[4] = '\0';
        append(options, sizeof options, &len, octal);
        append(options, sizeof options, &len, ",uid=");
        append(options, sizeof options, &len, csb_utoa(number, sizeof number, plan->jail->uid));
        append(options, sizeof options, &len, ",gid=");
        append(options, sizeof options, &len, csb_utoa(number, sizeof number, plan->jail->gid));
        if (t->max_inodes) {
            append(options, sizeof options, &len, ",nr_inodes=");
            append(options, sizeof options, &len, csb_utoa(number, sizeof number, t->max_inodes));
        }
        int err = csb_join(target, sizeof target, CSB_NEWROOT, t->path);
        if (!err) err = csb_mkdirs(target, 1);
        if (err) return err;
        if (mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0) return errno;
    }
    return 0;
}

/* The classic pivot_root(".", ".") then detach: the old root (with the
 * staging tmpfs and the host's tree under it) is stacked on top of the new
 * one and lazily unmounted; nothing of the host stays reachable. */
int csb_step_pivot_root(const struct csb_plan *plan) {
    (void)plan;
    if (chdir(CSB_NEWROOT) != 0) return errno;
    if (pivot_root(".", ".") != 0) return errno;
    if (umount2(".", MNT_DETACH) != 0) return errno;
    if (chdir("/") != 0) return errno;
    return 0;
}

/* The root tmpfs (/, /etc, mount points) becomes read-only for good: at the
 * superblock, so no other mount of it can be writable either. */
int csb_step_remount_ro(const struct csb_plan *plan) {
    (void)plan;
    if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0) return errno;
    return 0;
}

int csb_step_workdir(const struct csb_plan *plan) {
    const char *dir = plan->jail->workdir ? plan->jail->workdir : "/";
    return chdir(dir) == 0 ? 0 : errno;
}
