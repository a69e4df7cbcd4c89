"""Metrics (file and HTTP, parsed with prometheus_client) and JSON logs, checked against the cells run."""
import json
import socket
import urllib.request

from check_prometheus import parse_metrics, sample
from conftest import run_cell
from kernel_env import start_kernel, stop_kernel, wait_for_execute_input


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_metrics_file_endpoint_and_logs_match_the_cells(tmp_path):
    metrics_file, log_file, port = tmp_path / "ghcbox.prom", tmp_path / "ghcbox.log", free_port()
    km, kc = start_kernel(GHCBOX_METRICS_FILE=metrics_file, GHCBOX_METRICS_PORT=port,
                          GHCBOX_LOG_FILE=log_file, GHCBOX_WALL_SECONDS=3)
    try:
        run_cell(kc, "1 + 1")
        run_cell(kc, "2 + 2")
        run_cell(kc, "lenght [1]")
        run_cell(kc, "Control.Concurrent.threadDelay 30000000")  # a wall-clock breach
        msg_id = kc.execute("Control.Concurrent.threadDelay 30000000")
        wait_for_execute_input(kc, msg_id)
        km.interrupt_kernel()
        while kc.get_shell_msg(timeout=10)["parent_header"].get("msg_id") != msg_id:
            pass
        run_cell(kc, "3")  # the file is rewritten after every cell

        for text in (metrics_file.read_text(),
                     urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()):
            samples = parse_metrics(text)
            assert sample(samples, "ghcbox_cells_total", status="ok") == 3
            assert sample(samples, "ghcbox_cells_total", status="error") == 2
            assert sample(samples, "ghcbox_cells_total", status="aborted") == 1
            assert sample(samples, "ghcbox_execution_duration_seconds_count", status="ok") == 3
            assert sample(samples, "ghcbox_resource_limit_breaches_total", limit="wall") == 1
            assert sample(samples, "ghcbox_resource_limit_breaches_total", limit="memory") == 0
            assert sample(samples, "ghcbox_interrupts_total") >= 1
            assert sample(samples, "ghcbox_queue_depth") == 0
            assert sample(samples, "ghcbox_cell_cpu_seconds_count") == 6
            assert sample(samples, "ghcbox_cell_peak_memory_bytes_count") == 6

        not_found = urllib.request.Request(f"http://127.0.0.1:{port}/other")
        try:
            urllib.request.urlopen(not_found, timeout=5)
            assert False, "expected 404"
        except urllib.error.HTTPError as error:
            assert error.code == 404
    finally:
        stop_kernel(km, kc)

    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    cells = [line for line in lines if line.get("event") == "cell"]
    assert [c["status"] for c in cells] == ["ok", "ok", "error", "error", "aborted", "ok"]
    assert all(c["session"] == cells[0]["session"] for c in cells)
    assert cells[2]["ename"] == "CompileError" and cells[2]["diagnostics"] == ["error:CompileError"]
    assert cells[3]["limit"] == "wall"
    assert all(float(c["duration"]) >= 0 and float(c["cpu_seconds"]) >= 0 for c in cells)
