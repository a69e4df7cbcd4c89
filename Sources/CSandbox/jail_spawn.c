/* The parent's side of a jailed spawn:
 *   compile seccomp -> socketpair + report pipe -> take the jail's host ids
 *   (a root parent) -> block signals -> clone() into new namespaces ->
 *   restore signals and ids -> write uid/gid maps and cgroup
 *   membership -> send "go" -> read the report pipe: end-of-file means the
 *   program was executed, a report names the failed step and its errno ->
 *   receive the jail's root over the socketpair. */
#define _GNU_SOURCE
#include "jail_internal.h"

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define CSB_CLONE_FLAGS (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | \
                         CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP)

/* Shared by pid 1 and the program (each gets its own copy: no CLONE_VM). */
#define CSB_STACK_SIZE (256 * 1024)

static void kill_and_reap(pid_t pid) {
    (void)kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
}

static int fail_with(int *error_step_out, int step, int err) {
    if (error_step_out) *error_step_out = step;
    return err;
}

int csb_spawn_jailed(const struct csb_jail *jail, const char *path,
                     char *const argv[], char *const envp[],
                     const struct csb_stdio *stdio, pid_t *pid_out,
                     int *root_fd_out, int *error_step_out) {
    if (error_step_out) *error_step_out = -1;
    if (!jail || !path || !argv || !envp || !stdio || !pid_out || !root_fd_out)
        return fail_with(error_step_out, CSB_STEP_PREPARE, EINVAL);
    *root_fd_out = -1;

    struct csb_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.jail = jail;
    plan.path = path;
    plan.argv = argv;
    plan.envp = envp;
    plan.stdio = *stdio;

    csb_find_cmdline(&plan.cmdline_start, &plan.cmdline_len);

    int err = csb_seccomp_compile(jail->seccomp_rules, jail->seccomp_rule_count, &plan.seccomp, NULL);
    if (err) return fail_with(error_step_out, CSB_STEP_SECCOMP_COMPILE, err);

    int sync[2] = { -1, -1 }, report[2] = { -1, -1 }, failed_prepare = CSB_STEP_PREPARE;
    void *stack = MAP_FAILED;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sync) != 0 ||
        pipe2(report, O_CLOEXEC) != 0) {
        err = errno;
        goto prepare_failed;
    }
    stack = mmap(NULL, CSB_STACK_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        err = errno;
        goto prepare_failed;
    }
    plan.sync_fd = sync[1];
    plan.report_fd = report[1];

    /* Blocked across clone(): no handler of the kernel's may run in the child
     * before pid 1 resets them. pid 1 keeps them blocked and waits for them
     * with sigwaitinfo; the program unblocks them right before execve. */
    struct csb_owner owner;
    err = csb_become_owner(jail, &owner);
    if (err) {
        munmap(stack, CSB_STACK_SIZE);
        failed_prepare = CSB_STEP_OWNER;
        goto prepare_failed;
    }
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t pid = clone(csb_init_main, (char *)stack + CSB_STACK_SIZE, CSB_CLONE_FLAGS | SIGCHLD, &plan);
    int clone_err = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    csb_restore_owner(&owner);

    munmap(stack, CSB_STACK_SIZE);
    close(sync[1]);
    close(report[1]);
    free(plan.seccomp.filter);
    if (pid < 0) {
        close(sync[0]);
        close(report[0]);
        return fail_with(error_step_out, CSB_STEP_CLONE, clone_err);
    }

    int step = CSB_STEP_UID_MAP, setgroups_allowed = 0;
    err = csb_write_id_maps(pid, jail->uid, jail->gid, jail->host_uid, jail->host_gid,
                            &setgroups_allowed, &step);
    if (!err) {
        step = CSB_STEP_CGROUP;
        err = csb_join_cgroups(jail, pid);
    }
    if (!err) {
        step = CSB_STEP_SYNC;
        char go = setgroups_allowed ? CSB_GO_SETGROUPS_ALLOWED : CSB_GO_SETGROUPS_DENIED;
        err = csb_write_all(sync[0], &go, 1);
    }
    if (err) {
        close(sync[0]);
        close(report[0]);
        kill_and_reap(pid);
        return fail_with(error_step_out, step, err);
    }

    /* pid 1 writes a "forked" marker; the program writes a report only if a
     * step fails. End-of-file comes when both copies of the pipe are gone:
     * pid 1 closes its own, execve closes the program's. */
    int forked = 0, failed_step = -1, failed_err = 0;
    for (;;) {
        struct csb_report msg;
        /* A child stuck in a step must not hang the kernel: give up after 15 s. */
        struct pollfd wait_for = { .fd = report[0], .events = POLLIN, .revents = 0 };
        int ready;
        do { ready = poll(&wait_for, 1, 15000); } while (ready < 0 && errno == EINTR);
        if (ready == 0) {
            failed_step = CSB_STEP_SYNC;
            failed_err = ETIMEDOUT;
            break;
        }
        ssize_t got = csb_read_full(report[0], &msg, sizeof msg);
        if (got == 0) break;
        if (got != (ssize_t)sizeof msg) {
            failed_step = CSB_STEP_SYNC;
            failed_err = got < 0 ? errno : EPROTO;
            break;
        }
        if (msg.step == CSB_STEP_COUNT && msg.err == 0) {
            forked = 1;
        } else if (failed_step < 0) {
            failed_step = msg.step;
            failed_err = msg.err;
        }
    }
    close(report[0]);
    if (failed_step < 0 && !forked) {
        failed_step = CSB_STEP_INIT_FORK; /* pid 1 died before forking */
        failed_err = ECHILD;
    }
    if (failed_step < 0) {
        failed_err = csb_receive_root_fd(sync[0], root_fd_out);
        if (failed_err) failed_step = CSB_STEP_ROOT_FD;
    }
    close(sync[0]);
    if (failed_step >= 0) {
        kill_and_reap(pid);
        return fail_with(error_step_out, failed_step, failed_err);
    }
    *pid_out = pid;
    return 0;

prepare_failed:
    for (int i = 0; i < 2; i++) {
        if (sync[i] >= 0) close(sync[i]);
        if (report[i] >= 0) close(report[i]);
    }
    free(plan.seccomp.filter);
    return fail_with(error_step_out, failed_prepare, err);
}
