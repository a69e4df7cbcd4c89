"""Queueing, shutdown, a dying GHCi and cells that reset the runtime's settings."""
import os
import signal
import subprocess

import jupyter_client

from check_prometheus import parse_metrics, sample
from conftest import KERNEL_NAME, results, run_cell, stdout_text
from kernel_env import alive, command_of, session_processes, start_kernel, stop_kernel, wait_for_execute_input, wait_until


def test_twenty_requests_fired_at_once_are_answered_in_order(kernel):
    _, kc = kernel
    ids = [kc.execute(f"{i} * 2") for i in range(20)]
    replies = []
    while len(replies) < 20:
        reply = kc.get_shell_msg(timeout=30)
        if reply["msg_type"] == "execute_reply":
            replies.append(reply)
    assert [r["parent_header"]["msg_id"] for r in replies] == ids
    counts = [r["content"]["execution_count"] for r in replies]
    assert counts == sorted(counts) and len(set(counts)) == 20
    assert all(r["content"]["status"] == "ok" for r in replies)


def test_a_full_queue_rejects_at_once():
    km, kc = start_kernel(GHCBOX_QUEUE_DEPTH=2)
    try:
        # The first cell holds the worker until the test answers its getLine. Sent at once, the
        # next requests could all be queued before the worker took it (seen under load): they
        # are sent once it is waiting for input.
        first = kc.execute("getLine", allow_stdin=True)
        assert kc.get_stdin_msg(timeout=30)["msg_type"] == "input_request"
        queued = [kc.execute("1"), kc.execute("2")]
        rejected = kc.execute("3")
        reply = kc.get_shell_msg(timeout=30)
        # Rejected at once, while the first cell still runs: its reply comes before any other.
        assert reply["parent_header"]["msg_id"] == rejected, reply
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "queue-full"
        kc.input("go on")
        replies = [kc.get_shell_msg(timeout=30) for _ in range(3)]
        assert [r["parent_header"]["msg_id"] for r in replies] == [first] + queued
        assert [r["content"]["status"] for r in replies] == ["ok", "ok", "ok"]
    finally:
        stop_kernel(km, kc)


def ghci_pids(km):
    return [p for p in session_processes(km.provisioner.process.pid) if "ghc" in command_of(p) and "--interactive" in command_of(p)]


def test_ghci_killed_from_outside_is_restart_required_and_the_next_cell_runs(kernel):
    km, kc = kernel
    run_cell(kc, "let kept = 1")
    msg_id = kc.execute("Control.Concurrent.threadDelay 30000000")
    wait_for_execute_input(kc, msg_id)
    pids = ghci_pids(km)
    assert pids, "GHCi not found below the kernel"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    reply = kc.get_shell_msg(timeout=20)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "restart-required"
    assert "lost" in reply["content"]["evalue"]
    after, messages = run_cell(kc, "1 + 1")
    assert results(messages) == ["2"]
    assert km.is_alive()


def test_shutdown_while_a_cell_runs_answers_and_tears_down(kernel):
    km, kc = kernel
    wait_for_execute_input(kc, kc.execute("Control.Concurrent.threadDelay 30000000"))
    jail = session_processes(km.provisioner.process.pid)
    assert jail
    kc.shutdown()
    reply = kc.get_control_msg(timeout=10)
    assert reply["msg_type"] == "shutdown_reply"
    # The cell would sleep for 30 s more: the kernel exits without waiting for it.
    km.provisioner.process.wait(timeout=10)
    # The kernel has exited; its session's processes are on their way out, reaped by init.
    left = lambda: [p for p in jail if os.path.exists(f"/proc/{p}")]
    assert wait_until(lambda: left() == [], timeout=10), left()


def test_restart_gives_a_fresh_session(kernel):
    km, kc = kernel
    run_cell(kc, "let kept = 1")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=60)
    reply, _ = run_cell(kc, "kept")
    assert reply["status"] == "error"
    after, messages = run_cell(kc, "2 + 2")
    assert results(messages) == ["4"]


def test_cells_that_reset_the_runtime_settings_keep_output_correct(kernel):
    _, kc = kernel
    for directive in [":set -interactive-print=print", ":module Data.List", "System.IO.hSetBuffering System.IO.stdout (System.IO.BlockBuffering Nothing)"]:
        reply, _ = run_cell(kc, directive)
        assert reply["status"] == "ok", directive
        reply, messages = run_cell(kc, 'putStrLn "out"\n6 * 7')
        assert stdout_text(messages) == "out\n", directive
        assert results(messages) == ["42"], directive


def test_language_options_stay_in_their_session(kernel):
    _, kc = kernel
    run_cell(kc, "{-# LANGUAGE TupleSections #-}")
    reply, messages = run_cell(kc, "map (,True) [1, 2 :: Int]")
    assert results(messages) == ["[(1,True),(2,True)]"]


def test_the_kernel_ends_when_the_process_that_started_it_dies(tmp_path):
    """jupyter_client names itself in JPY_PARENT_PID. A kernel whose launcher was killed
    exits, and its GHCi with it, instead of running on with nobody to talk to."""
    connection_file = str(tmp_path / "kernel.json")
    jupyter_client.connect.write_connection_file(connection_file)
    binary = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv[0]
    launcher = subprocess.Popen(
        ["bash", "-c", f'JPY_PARENT_PID=$$ "{binary}" kernel --connection-file "{connection_file}" 2>"{tmp_path}/kernel.log" & '
                       'echo $!; wait'], stdout=subprocess.PIPE, text=True)
    kernel_pid = int(launcher.stdout.readline())
    ghci = wait_until(lambda: [p for p in session_processes(kernel_pid) if "ghc" in command_of(p)], timeout=60)
    assert ghci, "GHCi did not start below the kernel"
    launcher.kill()
    launcher.wait()
    gone = lambda: not alive(kernel_pid) and not any(alive(p) for p in ghci)
    assert wait_until(gone, timeout=10), (tmp_path / "kernel.log").read_text()
    assert "the process that started the kernel is gone" in (tmp_path / "kernel.log").read_text()


PROCESS_BOMBS = {
    "processes": ['import System.Process', 'mapM_ (\\_ -> spawnProcess "sleep" ["5"]) [1 .. 300 :: Int]'],
    # Each blocked `callCommand` holds an OS thread: GHC's runtime cannot create more and exits.
    "threads calling out": ['import Control.Concurrent\nimport System.Process',
                            'mapM_ (\\_ -> forkIO (callCommand "sleep 5")) [1 .. 300 :: Int] >> threadDelay 2000000'],
    "bound threads": ['import Control.Concurrent', 'mapM_ (\\_ -> forkOS (threadDelay 5000000)) [1 .. 300 :: Int]'],
}


def test_process_and_thread_bombs_are_pids_breaches_and_the_next_cell_runs(tmp_path):
    """Whether GHCi survives the refused forks or exits because it cannot start an OS thread, the
    reply is `resource-limit` naming the process limit (read from the cgroup's pids events), never
    `restart-required`; the next cell runs, and no later cell is blamed for the earlier breach."""
    metrics = tmp_path / "ghcbox.prom"
    km, kc = start_kernel(GHCBOX_PIDS=64, GHCBOX_METRICS_FILE=metrics)
    try:
        for name, cells in PROCESS_BOMBS.items():
            for cell in cells[:-1]:
                assert run_cell(kc, cell)[0]["status"] == "ok"
            reply, _ = run_cell(kc, cells[-1])
            assert reply["status"] == "error", name
            assert reply["ename"] == "resource-limit", (name, reply["evalue"])
            assert "process limit" in reply["evalue"], (name, reply["evalue"])
            # Its processes or threads hold the limit (or GHCi is gone): the session cannot be kept.
            assert "earlier definitions were lost" in reply["evalue"], (name, reply["evalue"])
            assert reply["diagnostics"][-1]["message"] == reply["evalue"]
            after, messages = run_cell(kc, "1 + 1")
            assert after["status"] == "ok", (name, after)
            assert results(messages) == ["2"], name
        samples = parse_metrics(metrics.read_text())
        assert sample(samples, "ghcbox_resource_limit_breaches_total", limit="pids") == len(PROCESS_BOMBS)
        assert sample(samples, "ghcbox_resource_limit_breaches_total", limit="memory") == 0
    finally:
        stop_kernel(km, kc)


def test_ghci_killed_by_the_memory_limit_is_a_memory_breach_not_a_crash():
    """Memory outside GHC's heap (+RTS -M does not cap it) meets the cgroup's limit and the OOM
    killer ends GHCi: the reply names memory, from the cgroup's OOM-kill count."""
    km, kc = start_kernel(GHCBOX_MEMORY_MB=600)
    try:
        run_cell(kc, "let kept = 1")
        reply, _ = run_cell(kc, "let n = 700 * 1024 * 1024 in Foreign.Marshal.Alloc.mallocBytes n >>= "
                                "\\p -> Foreign.Marshal.Utils.fillBytes p 1 n")
        assert reply["status"] == "error"
        assert reply["ename"] == "resource-limit", reply["evalue"]
        assert "memory limit" in reply["evalue"]
        assert "a fresh session was started: earlier definitions were lost" in reply["evalue"]
        after, messages = run_cell(kc, "1 + 1")
        assert results(messages) == ["2"]
    finally:
        stop_kernel(km, kc)
