/* The jail's pid 1 is a copy of the kernel process, so /proc/1/cmdline would
 * show the kernel's command line (the binary's and the connection file's
 * paths) to every cell. pid 1 blanks its copy of that memory: the parent finds
 * where it lies before the clone, pid 1 overwrites it in its own address space. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* arg_start and arg_end are fields 48 and 49 of /proc/self/stat (Linux 3.5+);
 * field 2 (the command name) may hold spaces, so count from its closing ')'. */
void csb_find_cmdline(char **start_out, size_t *len_out) {
    *start_out = NULL;
    *len_out = 0;
    char text[2048];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t got = csb_read_full(fd, text, sizeof text - 1);
    close(fd);
    if (got <= 0) return;
    text[got] = '\0';
    char *p = strrchr(text, ')');
    if (!p) return;
    unsigned long long fields[2] = { 0, 0 };
    int field = 2;
    while (*p && field < 49) {
        while (*p && *p != ' ') p++;
        while (*p == ' ') p++;
        field++;
        if (field == 48 || field == 49) {
            unsigned long long value = 0;
            for (; *p >= '0' && *p <= '9'; p++) value = value * 10 + (unsigned long long)(*p - '0');
            fields[field - 48] = value;
        }
    }
    if (field == 49 && fields[0] && fields[1] > fields[0]) {
        *start_out = (char *)(uintptr_t)fields[0];
        *len_out = (size_t)(fields[1] - fields[0]);
    }
}

void csb_blank_cmdline(const struct csb_plan *plan) {
    static const char title[] = "ghcbox-jail-init";
    if (!plan->cmdline_start || plan->cmdline_len == 0) return;
    memset(plan->cmdline_start, 0, plan->cmdline_len);
    size_t n = plan->cmdline_len - 1 < sizeof title - 1 ? plan->cmdline_len - 1 : sizeof title - 1;
    memcpy(plan->cmdline_start, title, n);
}
