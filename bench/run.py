"""ghcbox against raw `ghci -v0` over a pipe, in one run on one machine.

Measures start to first result, trivial-cell round trip (median, p99), the time
to deliver 100,000 printed lines, and the kernel host process's resident memory.
Run: bench/run (it builds and installs the kernelspec first).
"""
import os
import statistics
import subprocess
import sys
import time

import jupyter_client

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


def raw_figures(starts=10):
    times = []
    for _ in range(starts):
        t0 = time.perf_counter()
        raw = RawGHCi()
        assert raw.run("1 + 1").startswith(b"2\n")
        times.append(time.perf_counter() - t0)
        raw.close()
    start = statistics.median(times)
    raw = RawGHCi()
    trips = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        raw.run("()")
        trips.append(time.perf_counter() - t)
    t = time.perf_counter()
    out = raw.run(f"mapM_ print [1..{LINES}]")
    flood = time.perf_counter() - t
    assert out.count(b"\n") == LINES + 1
    raw.close()
    return start, trips, flood


def start_kernel(extra_args):
    """Starts the installed ghcbox kernelspec, with extra arguments for `ghcbox kernel`."""
    km = jupyter_client.KernelManager(kernel_name="ghcbox")
    spec = km.kernel_spec
    spec.argv = spec.argv[:2] + list(extra_args) + spec.argv[2:]
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def sandbox_figures(rounds=10, cells=100):
    """Jail against --no-sandbox: session start, and a trivial cell (which includes the scratch wipe)."""
    figures = {}
    for label, args in (("jail", []), ("none", ["--no-sandbox"])):
        starts, trips = [], []
        for i in range(rounds):
            t0 = time.perf_counter()
            km, kc = start_kernel(args)
            kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
            starts.append(time.perf_counter() - t0)
            if i == 0:
                for _ in range(cells):
                    t = time.perf_counter()
                    kc.execute_interactive("()", timeout=60, output_hook=lambda m: None)
                    trips.append(time.perf_counter() - t)
            kc.stop_channels()
            km.shutdown_kernel(now=False)
        figures[label] = (statistics.median(starts), statistics.median(trips))
    return figures


def interrupt_figures(rounds=50):
    """interrupt_request to execute_reply, for cells GHCi can interrupt (sleeping, allocating, spinning)."""
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="ghcbox", startup_timeout=60)
    cells = ["Control.Concurrent.threadDelay 30000000", "length [1 ..]",
             "let spin :: Int -> Int; spin n = if n < 0 then n else spin (n + 1) in spin 0"]
    latencies = []
    for i in range(rounds):
        msg_id = kc.execute(cells[i % len(cells)])
        time.sleep(0.2)
        sent = time.perf_counter()
        km.interrupt_kernel()
        while True:
            reply = kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        latencies.append(time.perf_counter() - sent)
        assert reply["content"]["status"] == "aborted"
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    return latencies


def kernel_figures():
    t0 = time.perf_counter()
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="ghcbox", startup_timeout=60)
    reply = kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)
    start = time.perf_counter() - t0
    assert reply["content"]["status"] == "ok"
    trips = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        kc.execute_interactive("()", timeout=60, output_hook=lambda m: None)
        trips.append(time.perf_counter() - t)
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
    return start, trips, flood, rss_kb / 1024, len(received)


def main():
    raw_start, raw_trips, raw_flood = raw_figures()
    _, trips, flood, rss_mb, flood_messages = kernel_figures()
    sandbox = sandbox_figures()
    start = sandbox["jail"][0]  # median of 10 kernel starts, as raw GHCi's is of 10
    ms = lambda s: f"{s * 1000:8.2f} ms"
    print(f"{'measure':40} {'ghcbox':>11} {'raw ghci':>11} {'ratio / delta':>14}  target")
    print(f"{'start to first result of 1 + 1, median':40} {ms(start)} {ms(raw_start)} {start / raw_start:13.2f}x  <= 2.5x")
    med, raw_med = statistics.median(trips), statistics.median(raw_trips)
    print(f"{'trivial cell, median':40} {ms(med)} {ms(raw_med)} {(med - raw_med) * 1000:+11.2f} ms  <= +1.5 ms")
    print(f"{'trivial cell, p99':40} {ms(p99(trips))} {ms(p99(raw_trips))} {'':14}  < 10 ms")
    print(f"{f'{LINES:,} printed lines':40} {ms(flood)} {ms(raw_flood)} {flood / raw_flood:13.2f}x  <= 1.2x")
    print(f"{'  stream messages for them':40} {flood_messages:11d}")
    print(f"{'kernel host process resident memory':40} {rss_mb:8.1f} MB {'':11} {'':14}  < 30 MB")
    print(f"({ROUNDS} trivial cells; GHCi: {GHCI}; sandbox as installed in the kernelspec)")
    interrupts = interrupt_figures()
    print(f"{'interrupt to reply, median':40} {ms(statistics.median(interrupts))}")
    print(f"{'interrupt to reply, p99':40} {ms(p99(interrupts))} {'':11} {'':14}  <= 100 ms")
    (jail_start, jail_cell), (none_start, none_cell) = sandbox["jail"], sandbox["none"]
    print()
    print(f"{'sandbox cost':40} {'jail':>11} {'no sandbox':>11} {'delta':>14}  target")
    print(f"{'kernel start to first result, median':40} {ms(jail_start)} {ms(none_start)} {(jail_start - none_start) * 1000:+11.2f} ms  <= +20 ms")
    print(f"{'trivial cell incl. scratch wipe, median':40} {ms(jail_cell)} {ms(none_cell)} {(jail_cell - none_cell) * 1000:+11.2f} ms  <= +2 ms")


if __name__ == "__main__":
    sys.exit(main())
