#define _GNU_SOURCE
#include "CGatewayLauncher.h"

int cgateway_accept_cloexec(int listener) {
    return accept4(listener, NULL, NULL, SOCK_CLOEXEC);
}
