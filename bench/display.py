"""The display path against a plain result, in one run on one machine.

Cells alternate one by one so that all meet the same machine: a plain value (`()`, the
runtime's text frame), the same value made rich (`GHCbox.Display.html "()"`, a message
frame of JSON the kernel reads and checks), a `display` of it (display_data, then no
value), and raw GHCi over a pipe with `()` as the baseline. Medians of BENCH_ROUNDS
(default 200) cells each.
Run: bench/run --display (it builds and installs the kernelspec first).
"""
import statistics
import time

from run import GHCI, ROUNDS, RawGHCi, round_trip, start_kernel

CELLS = {
    "plain result": "()",
    "rich result (html)": 'GHCbox.Display.html "()"',
    "display (html)": 'GHCbox.Display.display (GHCbox.Display.html "()")',
}


def main():
    km, kc = start_kernel([])
    kc.wait_for_ready(timeout=60)
    for code in CELLS.values():
        assert round_trip(kc, code)[1]["content"]["status"] == "ok", code
    raw = RawGHCi()
    raw.run("()")
    trips = {label: [] for label in CELLS}
    raw_trips = []
    for _ in range(ROUNDS):
        for label, code in CELLS.items():
            trips[label].append(round_trip(kc, code)[0])
        t = time.perf_counter()
        raw.run("()")
        raw_trips.append(time.perf_counter() - t)
    raw.close()
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    plain = statistics.median(trips["plain result"])
    raw_median = statistics.median(raw_trips)
    ms = lambda s: f"{s * 1000:8.2f} ms"
    print(f"{'cell':28} {'median':>11} {'vs plain':>11} {'vs raw ghci':>12}")
    for label, times in trips.items():
        median = statistics.median(times)
        print(f"{label:28} {ms(median)} {(median - plain) * 1000:+8.2f} ms {(median - raw_median) * 1000:+9.2f} ms")
    print(f"{'raw ghci, ()':28} {ms(raw_median)}")
    print(f"({ROUNDS} cells of each kind, alternating; GHCi: {GHCI}; sandbox as installed in the kernelspec)")


if __name__ == "__main__":
    main()
