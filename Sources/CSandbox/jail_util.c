/* Allocation-free helpers for code that runs between clone() and execve(). */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pid_t csb_gettid(void) {
    return gettid();
}

int csb_write_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

ssize_t csb_read_full(int fd, void *buf, size_t len) {
    char *p = buf;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, p + got, len - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (n == 0) break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

int csb_join(char *dst, size_t cap, const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 1 > cap) return ENAMETOOLONG;
    memcpy(dst, a, la);
    memcpy(dst + la, b, lb + 1);
    return 0;
}

char *csb_utoa(char *dst, size_t cap, uint64_t v) {
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v && n < sizeof tmp);
    size_t i = 0;
    while (n > 0 && i + 1 < cap) dst[i++] = tmp[--n];
    dst[i] = '\0';
    return dst;
}

int csb_mkdirs(const char *path, int last) {
    char buf[4096];
    size_t len = strlen(path);
    if (len + 1 > sizeof buf) return ENAMETOOLONG;
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        if (buf[i] == '\0' && !last) break;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return errno;
        buf[i] = saved;
    }
    return 0;
}

int csb_write_file(const char *path, const char *data, size_t len, unsigned int mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) return errno;
    int err = csb_write_all(fd, data, len);
    if (close(fd) != 0 && !err) err = errno;
    return err;
}
