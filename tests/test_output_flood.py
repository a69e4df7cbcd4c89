"""A cell that prints without end: its output is capped per cell, and the kernel
process's memory stays bounded whatever the shape of the flood."""
import os
import threading
import time

import pytest

from conftest import outputs
from kernel_env import start_kernel, stop_kernel

# How long each flood runs; a soak can set it to 600 (ten minutes).
FLOOD_SECONDS = float(os.environ.get("GHCBOX_FLOOD_SECONDS", "15"))
RSS_LIMIT_KB = 64 * 1024


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_cell_past_its_output_budget_goes_on_with_one_notice():
    km, kc = start_kernel(GHCBOX_OUTPUT_MB=1)
    try:
        messages = []
        message = kc.execute_interactive('putStr (replicate 3000000 \'x\')\nputStrLn "done"\n42', timeout=120,
                                         output_hook=messages.append)
        reply = message["content"]
        assert reply["status"] == "ok", reply
        streams = outputs(messages, "stream")
        text = "".join(s["text"] for s in streams)
        assert text.count("output limit reached") == 1
        assert text.count("x") <= 1 << 20
        assert "done" not in text
        # Whole messages are sent or dropped: at most the budget went out, all the rest was dropped.
        dropped = message["metadata"]["output_dropped_bytes"]
        assert dropped >= 3000000 - (1 << 20)
        assert text.count("x") + dropped >= 3000000
        # The budget is the cell's: the next cell's output arrives whole.
        messages = []
        message = kc.execute_interactive('putStrLn "next"', timeout=60, output_hook=messages.append)
        assert "".join(s["text"] for s in outputs(messages, "stream")) == "next\n"
        assert "output_dropped_bytes" not in message["metadata"]
    finally:
        stop_kernel(km, kc)


FLOODS = {
    "stdout lines": "forever (putStrLn (replicate 200 'x'))",
    "stderr after an exception-looking line":
        "System.IO.hPutStrLn System.IO.stderr \"*** Exception: boom\" >> forever (System.IO.hPutStrLn System.IO.stderr (replicate 200 'y'))",
    "an endless stdout line": "forever (putStr (replicate 1000 'z'))",
    "an endless stderr line": "forever (System.IO.hPutStr System.IO.stderr (replicate 1000 'w'))",
    "an endless value": "[1 ..]",
    "stdout and stderr at once":
        "forever (putStrLn (replicate 200 'a') >> System.IO.hPutStrLn System.IO.stderr (replicate 200 'b'))",
}


@pytest.mark.parametrize("name", sorted(FLOODS))
def test_the_kernel_stays_small_through_a_flood(name):
    km, kc = start_kernel(GHCBOX_WALL_SECONDS=int(FLOOD_SECONDS) + 2, GHCBOX_CPU_SECONDS=int(FLOOD_SECONDS) + 2)
    pid = km.provisioner.process.pid
    try:
        kc.execute_interactive("import Control.Monad", timeout=60)
        peak = [rss_kb(pid)]
        done = threading.Event()

        def sample():
            while not done.is_set():
                peak.append(rss_kb(pid))
                time.sleep(0.25)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            reply = kc.execute_interactive(FLOODS[name], timeout=FLOOD_SECONDS + 60, output_hook=lambda m: None)["content"]
        finally:
            done.set()
            sampler.join()
        # The wall-clock budget ends the flood.
        assert reply["status"] == "error" and reply["ename"] == "resource-limit", reply
        assert max(peak) < RSS_LIMIT_KB, f"kernel RSS reached {max(peak)} kB"
        reply = kc.execute_interactive("1 + 1", timeout=60, output_hook=lambda m: None)["content"]
        assert reply["status"] == "ok"
    finally:
        stop_kernel(km, kc)
