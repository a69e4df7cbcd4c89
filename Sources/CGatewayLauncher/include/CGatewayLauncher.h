#ifndef CGATEWAYLAUNCHER_H
#define CGATEWAYLAUNCHER_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <sys/socket.h>

/// accept4(2) with SOCK_CLOEXEC, which Swift's Glibc module does not export (it needs _GNU_SOURCE):
/// a connection never leaks into a process the kernel spawns meanwhile.
int cgateway_accept_cloexec(int listener);

#endif
