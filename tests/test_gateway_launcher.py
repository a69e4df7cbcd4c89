"""`ghcbox launch` against Jupyter Enterprise Gateway's own receiving code: EG's ResponseManager
(run in the EG venv, .venv-eg, since EG pins jupyter_client<7) makes the RSA key pair, receives
the launcher's report and decrypts it; jupyter_client then talks to the kernel on the announced
ports, and the comm port takes EG's requests the way EG's process proxy sends them."""
import json
import os
import pathlib
import random
import socket
import subprocess
import sys
import time
import uuid

import jupyter_client
import pytest

from conftest import REPO, results, run_cell
from kernel_env import wait_for_execute_input

EG_PYTHON = pathlib.Path(os.environ.get("GHCBOX_EG_PYTHON", REPO / ".venv-eg" / "bin" / "python"))
RECEIVER = pathlib.Path(__file__).resolve().parent / "eg_receiver.py"
PORT_RANGE = (30000, 31999)

pytestmark = pytest.mark.skipif(not EG_PYTHON.exists(), reason=f"no Enterprise Gateway venv at {EG_PYTHON}: run ci/setup")


def ghcbox_binary():
    return jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("ghcbox").argv[0]


def send_request(port, request, shutdown_socket=False):
    """What EG's `_send_listener_request` does: connect, send the JSON, close (after SHUT_WR
    for a shutdown). A refused connection raises ConnectionRefusedError, which EG reads as
    'no process'."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.send(json.dumps(request).encode())
        if shutdown_socket:
            sock.shutdown(socket.SHUT_WR)


def start_receiver(kernel_id):
    """EG's ResponseManager on 127.0.0.1; returns the process and its first line (key and address)."""
    env = {**os.environ, "EG_RESPONSE_IP": "127.0.0.1", "EG_RESPONSE_PORT": str(random.randint(20000, 29999))}
    receiver = subprocess.Popen([str(EG_PYTHON), str(RECEIVER), kernel_id, "60"], stdout=subprocess.PIPE, text=True, env=env)
    return receiver, json.loads(receiver.stdout.readline())


@pytest.fixture
def launched():
    kernel_id = str(uuid.uuid4())
    receiver, hello = start_receiver(kernel_id)
    env = {**os.environ, "KERNEL_ID": kernel_id, "RESPONSE_ADDRESS": hello["response_address"],
           "PUBLIC_KEY": hello["public_key"], "EG_PORT_RANGE": "%d..%d" % PORT_RANGE}
    env.pop("JPY_PARENT_PID", None)
    kernel = subprocess.Popen([ghcbox_binary(), "launch"], env=env, start_new_session=True)
    try:
        line = receiver.stdout.readline()
        assert line, "EG's receiver got no connection info"
        receiver.wait(timeout=10)
        yield kernel, kernel_id, json.loads(line)
    finally:
        if kernel.poll() is None:
            kernel.kill()
            kernel.wait()
        if receiver.poll() is None:
            receiver.kill()


def connect(info):
    # EG puts the address of the host it launched the kernel on in place of 0.0.0.0.
    kc = jupyter_client.BlockingKernelClient()
    kc.load_connection_info({**info, "ip": "127.0.0.1"})
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return kc


def test_eg_decrypts_the_report_and_the_kernel_serves_on_its_ports(launched):
    kernel, kernel_id, info = launched
    assert info["kernel_id"] == kernel_id
    assert info["pid"] == kernel.pid
    assert info["pgid"] == os.getpgid(kernel.pid)
    assert info["ip"] == "0.0.0.0"
    assert info["transport"] == "tcp" and info["signature_scheme"] == "hmac-sha256"
    assert uuid.UUID(info["key"])
    ports = [info[name] for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port", "comm_port")]
    assert len(set(ports)) == 6
    assert all(PORT_RANGE[0] <= port <= PORT_RANGE[1] for port in ports)

    kc = connect(info)
    try:
        reply, messages = run_cell(kc, "1 + 1")
        assert reply["status"] == "ok"
        assert results(messages) == ["2"]
        run_cell(kc, "let kept = 11")

        # EG's interrupt: {"signum": 2} on the comm port stops the running cell.
        msg_id = kc.execute("Control.Concurrent.threadDelay 60000000")
        wait_for_execute_input(kc, msg_id)
        send_request(info["comm_port"], {"signum": 2})
        reply = kc.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "aborted"

        # EG's liveness poll: the connection is accepted, and the kernel goes on.
        send_request(info["comm_port"], {"signum": 0})
        reply, messages = run_cell(kc, "kept + 1")
        assert results(messages) == ["12"]
    finally:
        kc.stop_channels()

    # EG's shutdown_listener: the kernel ends cleanly and the comm port is gone.
    send_request(info["comm_port"], {"shutdown": 1}, shutdown_socket=True)
    assert kernel.wait(timeout=30) == 0
    with pytest.raises(ConnectionRefusedError):
        send_request(info["comm_port"], {"signum": 0})


def test_a_launch_without_a_kernel_id_names_what_is_missing():
    env = {k: v for k, v in os.environ.items() if k not in ("KERNEL_ID", "PUBLIC_KEY", "EG_PUBLIC_KEY")}
    done = subprocess.run([ghcbox_binary(), "launch", "--response-address", "127.0.0.1:9"], env=env,
                          capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert "KERNEL_ID" in done.stderr
