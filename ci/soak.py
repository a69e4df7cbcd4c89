"""Soak: the resource-guard trials in a row in ONE session, for many rounds.

Every breach must come back as `resource-limit` (or `aborted` for interrupts),
the kernel must stay up, and the session must run a cell after each trial.
Prints the round count and the worst interrupt and breach latencies.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from kernel_env import start_kernel, stop_kernel  # noqa: E402

ROUNDS = int(os.environ.get("SOAK_ROUNDS", "20"))

BREACHES = {
    "memory": "let xs = [1 .. 40000000] :: [Int] in print (sum xs + length xs)",
    "cpu": "let spin :: Int -> Int; spin n = if n < 0 then n else spin (n + 1) in spin 0",
    "wall": "Control.Concurrent.threadDelay 30000000",
    "pids": 'mapM_ (\\_ -> System.Process.spawnProcess "/usr/bin/sleep" ["60"]) [1 .. 500 :: Int]',
}
INTERRUPTS = {
    "sleep": "Control.Concurrent.threadDelay 30000000",
    "allocating": "length [1 ..]",
    "non-allocating": "let spin :: Int -> Int; spin n = if n < 0 then n else spin (n + 1) in spin 0",
    "getLine": "getLine",
}


def wait_reply(kc, msg_id, timeout=60):
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            while kc.stdin_channel.msg_ready():
                kc.stdin_channel.get_msg(timeout=1)
            return reply["content"]


def check_usable(kc, round_no, trial):
    msg_id = kc.execute("1 + 1")
    reply = wait_reply(kc, msg_id)
    if reply["status"] != "ok":
        raise SystemExit(f"round {round_no}: session unusable after {trial}: {reply}")


def main():
    # The kernel's log stays with the build's other logs, where ci/test says they are.
    log = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".build", "logs", "soak-kernel.log"))
    os.makedirs(os.path.dirname(log), exist_ok=True)
    km, kc = start_kernel(GHCBOX_MEMORY_MB=256, GHCBOX_CPU_SECONDS=1, GHCBOX_WALL_SECONDS=2, GHCBOX_PIDS=64,
                          GHCBOX_LOG_FILE=log)
    print(f"kernel log: {os.path.relpath(log)}")
    worst_breach = {name: 0.0 for name in BREACHES}
    worst_interrupt = {name: 0.0 for name in INTERRUPTS}
    try:
        for round_no in range(1, ROUNDS + 1):
            for name, code in BREACHES.items():
                started = time.monotonic()
                reply = wait_reply(kc, kc.execute(code))
                elapsed = time.monotonic() - started
                if reply.get("ename") != "resource-limit":
                    raise SystemExit(f"round {round_no}: {name} breach answered {reply.get('status')} {reply.get('ename')}: {reply.get('evalue')}")
                worst_breach[name] = max(worst_breach[name], elapsed)
                check_usable(kc, round_no, name)
            for name, code in INTERRUPTS.items():
                msg_id = kc.execute(code, allow_stdin=(name == "getLine"))
                time.sleep(0.3)
                sent = time.monotonic()
                km.interrupt_kernel()
                reply = wait_reply(kc, msg_id)
                elapsed = time.monotonic() - sent
                if reply["status"] != "aborted":
                    raise SystemExit(f"round {round_no}: interrupt of {name} answered {reply}")
                worst_interrupt[name] = max(worst_interrupt[name], elapsed)
                check_usable(kc, round_no, f"interrupt of {name}")
            if not km.is_alive():
                raise SystemExit(f"round {round_no}: the kernel died")
            print(f"round {round_no}/{ROUNDS} clean", flush=True)
    finally:
        stop_kernel(km, kc)
    print("worst breach time (cell start to reply): " + ", ".join(f"{k} {v:.2f} s" for k, v in worst_breach.items()))
    print("worst interrupt to reply: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in worst_interrupt.items()))
    print(f"soak: {ROUNDS} passed, 0 failed")


if __name__ == "__main__":
    main()
