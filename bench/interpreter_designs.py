"""GHCi's in-process interpreter against its external interpreter (-fexternal-interpreter),
the two designs for keeping a cell's output apart from GHCi's reports: start to first
result and a trivial command's round trip, raw `ghci -v0` over pipes, alternating."""
import os
import statistics
import subprocess
import sys
import time

GHCI = os.environ.get("GHCI", "/usr/bin/ghci")
ROUNDS = int(os.environ.get("ROUNDS", "200"))
STARTS = int(os.environ.get("STARTS", "10"))


class Ghci:
    def __init__(self, extra):
        self.proc = subprocess.Popen([GHCI, "-v0", "-ignore-dot-ghci", *extra], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)

    def command(self, text):
        """Sends one command and waits for the line it prints."""
        self.proc.stdin.write(text.encode() + b"\n")
        line = self.proc.stdout.readline()
        assert line, "GHCi ended"
        return line

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def start_to_first_result(extra):
    began = time.perf_counter()
    ghci = Ghci(extra)
    ghci.command("1 + 1")
    elapsed = time.perf_counter() - began
    ghci.close()
    return elapsed


def main():
    designs = {"in-process": [], "external": ["-fexternal-interpreter"]}
    starts = {name: [] for name in designs}
    for _ in range(STARTS):
        for name, extra in designs.items():
            starts[name].append(start_to_first_result(extra))
    sessions = {name: Ghci(extra) for name, extra in designs.items()}
    for ghci in sessions.values():
        ghci.command("1 + 1")
    times = {name: [] for name in designs}
    for _ in range(ROUNDS):
        for name, ghci in sessions.items():
            began = time.perf_counter()
            ghci.command("()")
            times[name].append(time.perf_counter() - began)
    for ghci in sessions.values():
        ghci.close()
    base_start = statistics.median(starts["in-process"])
    base_cmd = statistics.median(times["in-process"])
    for name in designs:
        start, cmd = statistics.median(starts[name]), statistics.median(times[name])
        print(f"{name:>11}: start {start * 1000:7.1f} ms ({start - base_start:+.3f} s), "
              f"trivial command {cmd * 1000:6.2f} ms ({(cmd - base_cmd) * 1000:+.2f} ms), {ROUNDS} commands")


if __name__ == "__main__":
    sys.exit(main())
