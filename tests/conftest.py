"""Shared fixtures: a real ghcbox kernel started through jupyter_client from the installed kernelspec."""
import os
import pathlib

import jupyter_client
import pytest

REPO = pathlib.Path(__file__).resolve().parent.parent
# ci/image runs the same suites against the containerised kernel (ghcbox-podman).
KERNEL_NAME = os.environ.get("GHCBOX_TEST_KERNEL", "ghcbox")
TIMEOUT = 60


def pytest_configure(config):
    specs = jupyter_client.kernelspec.KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME not in specs:
        raise pytest.UsageError(
            f"kernelspec '{KERNEL_NAME}' is not installed: run ci/test, or `ghcbox install --user` first")


@pytest.fixture
def kernel():
    """A fresh kernel and a blocking client; shut down after the test."""
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=KERNEL_NAME, startup_timeout=TIMEOUT)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def run_cell(kc, code, timeout=TIMEOUT, **kwargs):
    """Executes code and returns (reply content, [iopub messages parented to it])."""
    messages = []
    kwargs.setdefault("allow_stdin", False)
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=messages.append, **kwargs)
    return reply["content"], messages


def outputs(messages, msg_type):
    return [m["content"] for m in messages if m["header"]["msg_type"] == msg_type]


def stdout_text(messages):
    return "".join(c["text"] for c in outputs(messages, "stream") if c["name"] == "stdout")


def results(messages):
    return [c["data"]["text/plain"] for c in outputs(messages, "execute_result")]
