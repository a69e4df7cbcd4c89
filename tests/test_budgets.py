"""Resource budgets through a real client: each breach ends the cell with `resource-limit`, names the
limit, shows output printed before it, and leaves a session that runs the next cell."""
import pytest

from check_prometheus import parse_metrics, sample
from conftest import results, run_cell, stdout_text
from kernel_env import start_kernel, stop_kernel


@pytest.fixture
def tight_kernel():
    km, kc = start_kernel(GHCBOX_MEMORY_MB=256, GHCBOX_CPU_SECONDS=4, GHCBOX_WALL_SECONDS=8, GHCBOX_PIDS=64)
    yield km, kc
    stop_kernel(km, kc)


def assert_breach(reply, limit):
    assert reply["status"] == "error"
    assert reply["ename"] == "resource-limit"
    assert limit in reply["evalue"]
    records = [d for d in reply["diagnostics"] if d["summary"].startswith(reply["evalue"][:20])]
    assert records and records[-1]["module"].startswith("Cell[") and records[-1]["span"]["start_line"] >= 1


def test_memory_breach_is_a_resource_limit_and_the_session_lives(tight_kernel):
    _, kc = tight_kernel
    run_cell(kc, "let kept = 5")
    reply, messages = run_cell(kc, 'putStrLn "before"\nlet xs = [1 .. 40000000] :: [Int] in print (sum xs + length xs)')
    assert_breach(reply, "memory")
    assert stdout_text(messages) == "before\n"
    after, messages = run_cell(kc, "kept + 1")
    assert results(messages) == ["6"]


def test_wall_clock_breach_interrupts_the_cell(tight_kernel):
    _, kc = tight_kernel
    run_cell(kc, "let kept = 5")
    reply, _ = run_cell(kc, "Control.Concurrent.threadDelay 30000000")
    assert_breach(reply, "time limit")
    after, messages = run_cell(kc, "kept")
    assert results(messages) == ["5"]


@pytest.fixture
def cpu_kernel():
    """The wall clock far above the CPU budget: on a loaded host a spinning cell gets only part
    of a core, and the CPU limit must still be the one it meets first."""
    km, kc = start_kernel(GHCBOX_CPU_SECONDS=3, GHCBOX_WALL_SECONDS=300)
    yield km, kc
    stop_kernel(km, kc)


def test_cpu_breach_interrupts_a_busy_cell(cpu_kernel):
    _, kc = cpu_kernel
    reply, _ = run_cell(kc, "let spin :: Int -> Int; spin n = if n < 0 then n else spin (n + 1) in spin 0")
    assert reply["status"] == "error" and reply["ename"] == "resource-limit"
    assert "CPU" in reply["evalue"]
    after, messages = run_cell(kc, "2 + 2")
    assert results(messages) == ["4"]


def test_fork_bomb_hits_the_pids_limit(tight_kernel):
    _, kc = tight_kernel
    reply, _ = run_cell(kc, 'import System.Process\nmapM_ (\\_ -> spawnProcess "/usr/bin/sleep" ["60"]) [1 .. 500 :: Int]')
    assert_breach(reply, "process limit")
    after, messages = run_cell(kc, "3 + 3")
    assert results(messages) == ["6"]


def test_many_breaches_in_a_row(tight_kernel):
    _, kc = tight_kernel
    for _ in range(5):
        reply, _ = run_cell(kc, "let xs = [1 .. 40000000] :: [Int] in print (sum xs + length xs)")
        assert reply["ename"] == "resource-limit"
    reply, _ = run_cell(kc, "Control.Concurrent.threadDelay 30000000")
    assert reply["ename"] == "resource-limit"
    after, messages = run_cell(kc, "7 * 6")
    assert results(messages) == ["42"]


def test_full_scratch_is_a_disk_limit_and_the_next_cell_has_an_empty_scratch():
    km, kc = start_kernel(GHCBOX_SCRATCH_MB=8)
    try:
        reply, _ = run_cell(kc, 'writeFile "/scratch/big" (replicate (20 * 1024 * 1024) \'x\')')
        assert_breach(reply, "scratch")
        after, messages = run_cell(kc, 'System.Directory.listDirectory "/scratch"')
        assert results(messages) == ["[]"]
    finally:
        stop_kernel(km, kc)


def test_a_heap_left_full_by_a_memory_breach_is_replaced_and_later_breaches_are_their_own(tmp_path):
    """`big` keeps what `length big` evaluated (about 480 MB of a 600 MB budget) live after the
    heap overflow: the session is replaced at once, the next cell runs, and a later wall-clock
    breach is reported as wall, not as memory again."""
    metrics = tmp_path / "ghcbox.prom"
    km, kc = start_kernel(GHCBOX_MEMORY_MB=600, GHCBOX_WALL_SECONDS=20, GHCBOX_METRICS_FILE=metrics)
    try:
        run_cell(kc, "let big = [1..] :: [Integer]")
        reply, _ = run_cell(kc, "length big")
        assert_breach(reply, "memory limit")
        assert "still held" in reply["evalue"] and "earlier definitions were lost" in reply["evalue"], reply["evalue"]
        assert reply["diagnostics"][-1]["message"] == reply["evalue"]
        assert "still held" in reply["traceback"][-1]

        reply, messages = run_cell(kc, "1 + 1")
        assert reply["status"] == "ok", reply
        assert results(messages) == ["2"]

        reply, _ = run_cell(kc, "Control.Concurrent.threadDelay 60000000")
        assert_breach(reply, "time limit")
        assert "memory" not in reply["evalue"]
        assert "earlier definitions are kept" in reply["evalue"]
        run_cell(kc, "3")  # the metrics file is rewritten after every cell

        samples = parse_metrics(metrics.read_text())
        assert sample(samples, "ghcbox_resource_limit_breaches_total", limit="memory") == 1
        assert sample(samples, "ghcbox_resource_limit_breaches_total", limit="wall") == 1
    finally:
        stop_kernel(km, kc)


def test_after_any_breach_a_session_is_kept_only_while_under_half_its_memory():
    """A wall-clock breach leaves the session's bindings alone: with about 170 MB of a 600 MB
    budget live it is kept; with about 350 MB live (which GHCi still runs with, but cannot
    collect within the budget for long) it is replaced, and the reply says why."""
    km, kc = start_kernel(GHCBOX_MEMORY_MB=600, GHCBOX_WALL_SECONDS=10)
    try:
        run_cell(kc, "let xs = [1 .. 4000000] :: [Int]")
        assert results(run_cell(kc, "length xs")[1]) == ["4000000"]
        reply, _ = run_cell(kc, "Control.Concurrent.threadDelay 60000000")
        assert_breach(reply, "time limit")
        assert "The session recovered: earlier definitions are kept" in reply["evalue"], reply["evalue"]
        assert results(run_cell(kc, "length xs")[1]) == ["4000000"]

        run_cell(kc, "let ys = [1 .. 5000000] :: [Int]")
        assert results(run_cell(kc, "length ys")[1]) == ["5000000"]
        reply, _ = run_cell(kc, "Control.Concurrent.threadDelay 60000000")
        assert_breach(reply, "time limit")
        assert "still held" in reply["evalue"] and "of the 600 MB budget" in reply["evalue"], reply["evalue"]
        assert "earlier definitions were lost" in reply["evalue"]
        reply, messages = run_cell(kc, "1 + 1")
        assert results(messages) == ["2"]
        assert run_cell(kc, "length xs")[0]["ename"] == "CompileError"
    finally:
        stop_kernel(km, kc)
