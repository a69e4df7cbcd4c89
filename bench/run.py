"""ghcbox against raw `ghci -v0` over a pipe, in one run on one machine.

Measures start to first result, trivial-cell round trip (median, p99), the time
to deliver 100,000 printed lines, and the kernel host process's resident memory.
Run: bench/run (it builds and installs the kernelspec first).
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import jupyter_client
import zmq

GHCI = os.environ.get("GHCI", "ghci")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
LINES = 100_000


def p99(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))]


class RawGHCi:
    """GHCi over a pipe, with an end marker after each command: the baseline."""

    def __init__(self):
        self.proc = subprocess.Popen([GHCI, "-v0", "-ignore-dot-ghci"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=0)

    def run(self, command):
        self.proc.stdin.write(command.encode() + b'\nputStrLn "__END__"\n')
        out = b""
        while not out.endswith(b"__END__\n"):
            chunk = os.read(self.proc.stdout.fileno(), 1 << 16)
            if not chunk:
                raise RuntimeError("ghci exited")
            out += chunk
        return out

    def close(self):
        self.proc.kill()
        self.proc.wait()


def raw_start():
    """Seconds from starting raw GHCi to the result of `1 + 1`."""
    t0 = time.perf_counter()
    raw = RawGHCi()
    assert raw.run("1 + 1").startswith(b"2\n")
    seconds = time.perf_counter() - t0
    raw.close()
    return seconds


def raw_flood():
    raw = RawGHCi()
    t = time.perf_counter()
    out = raw.run(f"mapM_ print [1..{LINES}]")
    flood = time.perf_counter() - t
    assert out.count(b"\n") == LINES + 1
    raw.close()
    return flood


def trivial_cells(kc):
    """ROUNDS trivial cells through ghcbox and through raw GHCi, alternating one by one:
    a shared VM's speed drifts by a millisecond per cell within seconds, and both sides
    should meet the same machine. Empty cells go in between: they never reach GHCi, so
    they time the protocol alone (kernel and client) on the same machine."""
    raw = RawGHCi()
    raw.run("()")
    trips, raw_trips, empty_trips = [], [], []
    for _ in range(ROUNDS):
        trips.append(round_trip(kc, "()")[0])
        t = time.perf_counter()
        raw.run("()")
        raw_trips.append(time.perf_counter() - t)
        empty_trips.append(round_trip(kc, "")[0])
    raw.close()
    return trips, raw_trips, empty_trips


def start_kernel(extra_args, log_path=None):
    """Starts the installed ghcbox kernelspec, with extra arguments for `ghcbox kernel`; its log,
    info lines included, goes to the file `log_path` (or nowhere)."""
    km = jupyter_client.KernelManager(kernel_name="ghcbox")
    spec = km.kernel_spec
    log_args = ["--log-file", log_path] if log_path else []
    spec.argv = spec.argv[:2] + list(extra_args) + log_args + spec.argv[2:]
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    kc.start_channels()
    return km, kc


def round_trip(kc, code):
    """One cell through jupyter_client's channels: the request, then its reply and its
    `idle` status, as a client that waits for the cell's outputs does. Messages are read
    as they arrive on either channel, with the channels' own `get_msg` (the client's
    `get_shell_msg` wraps that in an asyncio loop per call)."""
    poller = zmq.Poller()
    poller.register(kc.shell_channel.socket, zmq.POLLIN)
    poller.register(kc.iopub_channel.socket, zmq.POLLIN)
    t = time.perf_counter()
    msg_id = kc.execute(code)
    reply, idle = None, False
    while reply is None or not idle:
        ready = dict(poller.poll(60_000))
        if not ready:
            raise TimeoutError(f"no reply to {code!r}")
        if kc.shell_channel.socket in ready:
            message = kc.shell_channel.get_msg(timeout=0)
            if message["parent_header"].get("msg_id") == msg_id:
                reply = message
        if kc.iopub_channel.socket in ready:
            message = kc.iopub_channel.get_msg(timeout=0)
            idle = idle or (message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status"
                            and message["content"]["execution_state"] == "idle")
    return time.perf_counter() - t, reply


def shell_reply(kc, msg_id, timeout=60):
    """The shell reply to `msg_id` (earlier replies are skipped)."""
    while True:
        reply = kc.shell_channel.get_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def first_result(kc, t0):
    """Seconds from t0 to the reply of `1 + 1`, sent at once: the kernel queues it until
    GHCi is up. No wait_for_ready, whose 200 ms retries would blur the figure."""
    reply = shell_reply(kc, kc.execute("1 + 1"))
    assert reply["content"]["status"] == "ok", reply["content"]
    return time.perf_counter() - t0


def logged_start_seconds(path):
    """The kernel's own measure of its session start (launch to GHCi ready), from its log."""
    for line in open(path):
        if '"session started"' in line:
            return float(json.loads(line)["start_seconds"])
    raise RuntimeError(f"no 'session started' line in {path}")


def sandbox_cells(cells=100):
    """Trivial cells with the jail and without, one by one in turn, so both meet the same
    machine (the jail's per-cell work: the cgroup's counters, the scratch wipe)."""
    kernels = {label: start_kernel(args) for label, args in (("jail", []), ("none", ["--no-sandbox"]))}
    trips = {label: [] for label in kernels}
    for _, kc in kernels.values():
        kc.wait_for_ready(timeout=60)
    for _ in range(cells):
        for label, (_, kc) in kernels.items():
            trips[label].append(round_trip(kc, "()")[0])
    for km, kc in kernels.values():
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    return {label: statistics.median(t) for label, t in trips.items()}


def sandbox_figures(rounds=30):
    """Jail against --no-sandbox, alternating: session start as the kernel measures it,
    kernel start to first result, and trivial cells. GHCi's start drifts between a fast
    and a slow state on a shared VM, so the starts are compared pair by pair, and each
    round also times a raw GHCi start, the baseline of the start ratio."""
    figures = {label: {"session": [], "first": []} for label in ("jail", "none")}
    figures["raw"] = {"first": []}
    with tempfile.TemporaryDirectory() as scratch:
        for i in range(rounds):
            figures["raw"]["first"].append(raw_start())
            for label, args in (("jail", []), ("none", ["--no-sandbox"])):
                log_path = os.path.join(scratch, f"{label}-{i}.log")
                t0 = time.perf_counter()
                km, kc = start_kernel(args, log_path)
                figures[label]["first"].append(first_result(kc, t0))
                kc.stop_channels()
                km.shutdown_kernel(now=False)
                figures[label]["session"].append(logged_start_seconds(log_path))
    summary = {label: {k: statistics.median(v) for k, v in f.items()} for label, f in figures.items()}
    for label, median in sandbox_cells().items():
        summary[label]["cell"] = median
    summary["paired"] = {}
    for key in ("session", "first"):
        deltas = sorted(j - n for j, n in zip(figures["jail"][key], figures["none"][key]))
        quartile = lambda q: deltas[int(q * (len(deltas) - 1))]
        summary["paired"][key] = (statistics.median(deltas), quartile(0.25), quartile(0.75))
    return summary


def interrupt_figures(rounds=50):
    """interrupt_request to execute_reply, for cells GHCi can interrupt (sleeping, allocating, spinning)."""
    km, kc = start_kernel([])
    kc.wait_for_ready(timeout=60)
    cells = ["Control.Concurrent.threadDelay 30000000", "length [1 ..]",
             "let spin :: Int -> Int; spin n = if n < 0 then n else spin (n + 1) in spin 0"]
    latencies = []
    for i in range(rounds):
        msg_id = kc.execute(cells[i % len(cells)])
        time.sleep(0.2)
        sent = time.perf_counter()
        km.interrupt_kernel()
        reply = shell_reply(kc, msg_id, timeout=30)
        latencies.append(time.perf_counter() - sent)
        assert reply["content"]["status"] == "aborted"
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return latencies


def kernel_figures():
    km, kc = start_kernel([])
    kc.wait_for_ready(timeout=60)
    assert round_trip(kc, "1 + 1")[1]["content"]["status"] == "ok"
    trips, raw_trips, empty_trips = trivial_cells(kc)
    # jupyter_client's execute_interactive runs an asyncio loop per call: shown for comparison.
    interactive = []
    for _ in range(ROUNDS // 4):
        t = time.perf_counter()
        kc.execute_interactive("()", timeout=60, output_hook=lambda m: None)
        interactive.append(time.perf_counter() - t)
    flood_baseline = raw_flood()
    received = []
    t = time.perf_counter()
    kc.execute_interactive(f"mapM_ print [1..{LINES}]", timeout=300,
                           output_hook=lambda m: received.append(m["content"].get("text", "")))
    flood = time.perf_counter() - t
    assert "".join(received).count("\n") == LINES
    pid = km.provisioner.process.pid
    rss_kb = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return trips, raw_trips, empty_trips, interactive, flood, flood_baseline, rss_kb / 1024, len(received)


def main():
    trips, raw_trips, empty_trips, interactive, flood, flood_baseline, rss_mb, flood_messages = kernel_figures()
    sandbox = sandbox_figures()
    start, start_baseline = sandbox["jail"]["first"], sandbox["raw"]["first"]  # medians of 30 starts each, interleaved
    ms = lambda s: f"{s * 1000:8.2f} ms"
    print(f"{'measure':40} {'ghcbox':>11} {'raw ghci':>11} {'ratio / delta':>14}  target")
    print(f"{'start to first result of 1 + 1, median':40} {ms(start)} {ms(start_baseline)} {start / start_baseline:13.2f}x  <= 2.5x")
    med, raw_med = statistics.median(trips), statistics.median(raw_trips)
    print(f"{'trivial cell, median':40} {ms(med)} {ms(raw_med)} {(med - raw_med) * 1000:+11.2f} ms  <= +1.5 ms")
    print(f"{'trivial cell, p99':40} {ms(p99(trips))} {ms(p99(raw_trips))} {'':14}  < 10 ms")
    print(f"{'  an empty cell (no GHCi: protocol only)':40} {ms(statistics.median(empty_trips))}   (median; busy, execute_input, reply, idle)")
    print(f"{'  the same through execute_interactive':40} {ms(statistics.median(interactive))}   (median; its asyncio loop is the client's cost)")
    print(f"{f'{LINES:,} printed lines':40} {ms(flood)} {ms(flood_baseline)} {flood / flood_baseline:13.2f}x  <= 1.2x")
    print(f"{'  stream messages for them':40} {flood_messages:11d}")
    print(f"{'kernel host process resident memory':40} {rss_mb:8.1f} MB {'':11} {'':14}  < 30 MB")
    print(f"({ROUNDS} trivial cells each, ghcbox and raw alternating; GHCi: {GHCI}; sandbox as installed in the kernelspec)")
    interrupts = interrupt_figures()
    print(f"{'interrupt to reply, median':40} {ms(statistics.median(interrupts))}")
    print(f"{'interrupt to reply, p99':40} {ms(p99(interrupts))} {'':11} {'':14}  <= 100 ms")
    jail, none, paired = sandbox["jail"], sandbox["none"], sandbox["paired"]
    delta = lambda key: f"{(jail[key] - none[key]) * 1000:+11.2f} ms"
    pair = lambda key: f"{paired[key][0] * 1000:+11.2f} ms"
    spread = lambda key: f"(quartiles of the 30 differences: {paired[key][1] * 1000:+.1f} to {paired[key][2] * 1000:+.1f} ms)"
    print()
    print(f"{'sandbox cost (30 starts each, alternating)':40} {'jail':>11} {'no sandbox':>11} {'delta':>14}  target")
    print(f"{'session start (launch to GHCi ready)':40} {ms(jail['session'])} {ms(none['session'])} {'':14}  medians")
    print(f"{'  median of the paired differences':40} {'':11} {'':11} {pair('session')}  <= +20 ms {spread('session')}")
    print(f"{'kernel start to first result':40} {ms(jail['first'])} {ms(none['first'])} {'':14}  medians, client included")
    print(f"{'  median of the paired differences':40} {'':11} {'':11} {pair('first')}  {spread('first')}")
    print(f"{'trivial cell, scratch wiped after each':40} {ms(jail['cell'])} {ms(none['cell'])} {delta('cell')}  <= +2 ms (medians of 100 cells each, in turn)")
    print(f"(host: {cgroup_join_note()}; `ghcbox doctor` row \"cgroup joins\")")


def cgroup_join_note():
    """Whether moving the jail into its cgroup waits an RCU grace period on this host:
    it does unless a cgroup2 mount has favordynmods, and the wait lands on every session start."""
    for line in open("/proc/self/mounts"):
        _, point, fstype, options = line.split()[:4]
        if fstype == "cgroup2":
            state = "has" if "favordynmods" in options.split(",") else "lacks"
            return f"cgroup2 at {point} {state} favordynmods"
    return "no cgroup2 mount, so no favordynmods"


if __name__ == "__main__":
    sys.exit(main())
