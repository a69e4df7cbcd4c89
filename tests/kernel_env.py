"""Starting a ghcbox kernel with extra `ghcbox kernel` arguments or extra environment (budgets,
metrics, logs), as a kernelspec's argv or a client's kernel env would."""
import os
import socket
import time

import jupyter_client


def start_kernel(args=(), **env):
    km = jupyter_client.KernelManager(kernel_name="ghcbox")
    km.kernel_spec.argv = km.kernel_spec.argv[:2] + list(args) + km.kernel_spec.argv[2:]
    km.start_kernel(env={**os.environ, **{k: str(v) for k, v in env.items()}})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def stop_kernel(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def session_processes(kernel_pid):
    """Host pids of the processes below the kernel (the jail's pid 1, GHCi and their children)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [kernel_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def command_of(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def state(pid):
    """The process's state letter from /proc (R, S, Z, ...), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def alive(pid):
    """Present and not a zombie."""
    s = state(pid)
    return s is not None and s != "Z"


def wait_until(predicate, timeout, interval=0.05):
    """Polls `predicate` until it returns a true value, which it returns; after `timeout`
    seconds without one it returns the last value, so `assert wait_until(...)` fails with it."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def wait_for_execute_input(kc, msg_id, timeout=30):
    """Reads iopub until the cell `msg_id` announces its `execute_input`, which the kernel
    publishes once the cell's code has gone to GHCi: from then on the cell is running, so an
    interrupt or a kill lands on it and not on the kernel's way to it."""
    deadline = time.monotonic() + timeout
    while True:
        message = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "execute_input":
            return message


def free_ports(count=5):
    """`count` ports free on the loopback now, for a kernel given its ports instead of choosing them."""
    sockets = [socket.socket() for _ in range(count)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports
