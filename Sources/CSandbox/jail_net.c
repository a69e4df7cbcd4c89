/* UTS and network namespaces: the jail's hostname and its loopback. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int csb_step_hostname(const struct csb_plan *plan) {
    const char *name = plan->jail->hostname ? plan->jail->hostname : "ghcbox";
    return sethostname(name, strlen(name)) == 0 ? 0 : errno;
}

/* A new network namespace has only "lo", and it is down: bring it up so
 * programs that talk to themselves over 127.0.0.1 work. Nothing else exists,
 * so nothing outside the jail is reachable. */
int csb_step_loopback(const struct csb_plan *plan) {
    (void)plan;
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (sock < 0) return errno;
    struct ifreq req;
    memset(&req, 0, sizeof req);
    memcpy(req.ifr_name, "lo", 3);
    int err = 0;
    if (ioctl(sock, SIOCGIFFLAGS, &req) != 0) {
        err = errno;
    } else {
        req.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(sock, SIOCSIFFLAGS, &req) != 0) err = errno;
    }
    close(sock);
    return err;
}
