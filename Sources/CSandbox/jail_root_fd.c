/* The jail's root, handed to the kernel: once the root is final, the program
 * opens its "/" and sends the descriptor over the socket it shares with the
 * kernel. The kernel reaches the jail's files through it (to empty /scratch
 * between cells) instead of through /proc/<pid>/root, which needs ptrace
 * access to that process: pid 1 is not dumpable, so only CAP_SYS_PTRACE
 * would open it, and a kernel in a container (Docker's default set) or one
 * run by an ordinary user has none. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

union csb_fd_control {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
};

int csb_step_root_fd(const struct csb_plan *plan) {
    int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno;
    char byte = 'r';
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union csb_fd_control control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    ssize_t n;
    do { n = sendmsg(plan->sync_fd, &msg, MSG_NOSIGNAL); } while (n < 0 && errno == EINTR);
    int err = n == 1 ? 0 : (n < 0 ? errno : EIO);
    close(fd);
    return err;
}

/* Parent side, once the program has been executed: the descriptor is already
 * queued (it was sent before execve), so this never waits. */
int csb_receive_root_fd(int sock, int *fd_out) {
    *fd_out = -1;
    char byte;
    struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
    union csb_fd_control control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
                          .msg_control = control.buf, .msg_controllen = sizeof control.buf };
    ssize_t n;
    do { n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC); } while (n < 0 && errno == EINTR);
    if (n < 0) return errno == EAGAIN ? EPROTO : errno;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (n != 1 || !c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
        c->cmsg_len != CMSG_LEN(sizeof(int)) || (msg.msg_flags & MSG_CTRUNC))
        return EPROTO;
    memcpy(fd_out, CMSG_DATA(c), sizeof(int));
    return 0;
}
