"""A bad configuration reaches the notebook: the kernel still starts on a usable connection
file, its banner names the problem, and every cell is refused with `configuration-error`
naming the variable or flag, the value and the accepted range. A connection file that cannot
be used still ends the kernel, in one line."""
import os
import subprocess
import time

import jupyter_client
import pytest

from conftest import run_cell
from ghcbox_binary import clean_env

STARTUP = 20  # seconds: a refusing kernel starts no GHCi, so this is generous


def start_refusing_kernel(args=(), **env):
    km = jupyter_client.KernelManager(kernel_name="ghcbox")
    km.kernel_spec.argv = km.kernel_spec.argv[:2] + list(args) + km.kernel_spec.argv[2:]
    km.start_kernel(env=clean_env(**env))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=STARTUP)
    except Exception:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise
    return km, kc


@pytest.fixture
def refusing(request):
    args, env = request.param
    km, kc = start_refusing_kernel(args, **env)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def assert_refused(kc, *fragments):
    reply, messages = run_cell(kc, 'putStrLn "must not run"', timeout=STARTUP)
    assert reply["status"] == "error" and reply["ename"] == "configuration-error", reply
    traceback = "\n".join(reply["traceback"])
    for fragment in fragments:
        assert fragment in reply["evalue"], (fragment, reply["evalue"])
        assert fragment in traceback, (fragment, traceback)
    assert not [m for m in messages if m["header"]["msg_type"] == "stream"]
    errors = [m for m in messages if m["header"]["msg_type"] == "error"]
    assert errors and errors[0]["content"]["ename"] == "configuration-error"
    return reply


def test_a_bad_budget_variable_is_answered_and_named_in_the_banner_and_every_cell():
    started = time.monotonic()
    km, kc = start_refusing_kernel(GHCBOX_MEMORY_MB="abc")
    try:
        info = kc.kernel_info(reply=True, timeout=STARTUP)["content"]
        assert time.monotonic() - started < STARTUP
        assert info["language_info"]["name"] == "haskell"
        for fragment in ("GHCBOX_MEMORY_MB", "'abc'", "64 to 1048576"):
            assert fragment in info["banner"], info["banner"]
        for _ in range(2):
            assert_refused(kc, "GHCBOX_MEMORY_MB", "'abc'", "64 to 1048576")
        assert km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


@pytest.mark.parametrize("refusing, fragments", [
    ((["--memory-mb", "abc"], {}), ["--memory-mb", "'abc'", "64 to 1048576"]),
    ((["--memory-mb", "-5"], {}), ["--memory-mb", "-5", "out of range", "64 to 1048576"]),
    ((["--memory-mb=-5"], {}), ["--memory-mb", "-5", "64 to 1048576"]),
    ((["--memroy-mb", "512"], {}), ["ghcbox kernel", "--memroy-mb"]),
    ((["--log-level", "loud"], {}), ["--log-level", "'loud'", "trace, debug, info"]),
    ((["--seccomp-policy", "/nonexistent/ghcbox.policy"], {}), ["--seccomp-policy", "/nonexistent/ghcbox.policy", "No such file or directory"]),
    (([], {"GHCBOX_QUEUE_DEPTH": "0"}), ["GHCBOX_QUEUE_DEPTH", "0", "1 to 100000"]),
    (([], {"GHCBOX_WALL_SECONDS": "-3"}), ["GHCBOX_WALL_SECONDS", "-3", "1 to 86400"]),
    (([], {"GHCBOX_LOG_LEVEL": "chatty"}), ["GHCBOX_LOG_LEVEL", "'chatty'", "critical"]),
    (([], {"GHCBOX_METRICS_PORT": "abc"}), ["GHCBOX_METRICS_PORT", "'abc'", "1 to 65535"]),
    (([], {"GHCBOX_MAX_MESSAGE_MB": "0"}), ["GHCBOX_MAX_MESSAGE_MB", "0", "1 to 4096"]),
], indirect=["refusing"], ids=lambda value: repr(value) if isinstance(value, tuple) else "")
def test_each_bad_setting_is_refused_by_name_value_and_range(refusing, fragments):
    _, kc = refusing
    banner = kc.kernel_info(reply=True, timeout=STARTUP)["content"]["banner"]
    assert "Configuration error" in banner and fragments[0] in banner, banner
    assert_refused(kc, *fragments)


def test_an_unusable_connection_file_still_ends_the_kernel_in_one_line(tmp_path):
    argv = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("ghcbox").argv
    missing = tmp_path / "gone.json"
    done = subprocess.run([a.replace("{connection_file}", str(missing)) for a in argv],
                          env=clean_env(GHCBOX_MEMORY_MB="abc"), capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert done.stderr.splitlines() == [f"ghcbox: cannot read connection file {missing}: No such file or directory"]
