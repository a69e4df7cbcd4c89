"""Where `ghcbox kernel` takes its sockets from, as a container kernel does: GHCBOX_* variables
instead of a connection file (for `docker run -p`), with one-line errors for a partial or unsigned
set; and `--switch-user`, which reads a root-owned connection file as root and serves as another
user."""
import os
import subprocess

import jupyter_client
import pytest

from conftest import results, run_cell
from ghcbox_binary import clean_env, ghcbox, ghcbox_path
from kernel_env import free_ports

PORT_VARIABLES = ["GHCBOX_SHELL_PORT", "GHCBOX_IOPUB_PORT", "GHCBOX_STDIN_PORT", "GHCBOX_CONTROL_PORT", "GHCBOX_HB_PORT"]


def client(info):
    kc = jupyter_client.BlockingKernelClient()
    kc.load_connection_info(info)
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return kc


def serve(args, env):
    return subprocess.Popen([ghcbox_path(), "kernel", *args], env=clean_env(**env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def stop(kc, process):
    kc.shutdown()
    kc.stop_channels()
    try:
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()


def test_ports_and_key_from_the_environment_serve_a_session():
    ports, key = free_ports(), os.urandom(16).hex()
    env = {**dict(zip(PORT_VARIABLES, ports)), "GHCBOX_KEY": key, "GHCBOX_IP": "127.0.0.1"}
    process = serve([], env)
    kc = client({"ip": "127.0.0.1", "key": key, "transport": "tcp", "signature_scheme": "hmac-sha256",
                 **{name.removeprefix("GHCBOX_").lower(): port for name, port in zip(PORT_VARIABLES, ports)}})
    try:
        reply, messages = run_cell(kc, "sum [1 .. 100]")
        assert reply["status"] == "ok", reply
        assert results(messages) == ["5050"]
    finally:
        stop(kc, process)


@pytest.mark.parametrize("env, named", [
    ({"GHCBOX_SHELL_PORT": "5000"}, ["GHCBOX_IOPUB_PORT is not set", "GHCBOX_KEY is not set"]),
    ({**{name: str(5000 + i) for i, name in enumerate(PORT_VARIABLES)}}, ["GHCBOX_KEY is not set or empty"]),
    ({**{name: "5000" for name in PORT_VARIABLES}, "GHCBOX_KEY": "k"}, ["the five ports must differ"]),
    ({**{name: str(5000 + i) for i, name in enumerate(PORT_VARIABLES)}, "GHCBOX_HB_PORT": "70000", "GHCBOX_KEY": "k"},
     ["GHCBOX_HB_PORT=70000: expected a port from 1 to 65535"]),
])
def test_a_partial_or_unsigned_environment_is_refused_naming_each_problem(env, named):
    done = ghcbox("kernel", timeout=30, **env)
    assert done.returncode != 0
    lines = done.stderr.splitlines()
    assert all(line.startswith("ghcbox: ") for line in lines), done.stderr
    for fragment in named:
        assert any(fragment in line for line in lines), (fragment, done.stderr)
    assert "--connection-file FILE" in lines[-1]


def test_switch_user_reads_the_root_owned_file_then_serves_as_that_user(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("needs root: the switch is from root to another user")
    connection = tmp_path / "kernel.json"
    jupyter_client.connect.write_connection_file(str(connection), ip="127.0.0.1", key=os.urandom(16).hex().encode())
    assert connection.stat().st_uid == 0 and oct(connection.stat().st_mode)[-3:] == "600"
    process = serve(["--connection-file", str(connection), "--switch-user", "65534:65534"], {})
    kc = jupyter_client.BlockingKernelClient(connection_file=str(connection))
    kc.load_connection_file()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        reply, messages = run_cell(kc, "6 * 7")
        assert reply["status"] == "ok", reply
        assert results(messages) == ["42"]
        with open(f"/proc/{process.pid}/status") as status:
            ids = {line.split(":")[0]: line.split()[1:] for line in status if line.startswith(("Uid", "Gid", "CapEff"))}
        assert ids["Uid"] == ["65534"] * 4 and ids["Gid"] == ["65534"] * 4, ids
        assert int(ids["CapEff"][0], 16) == 0, ids
    finally:
        stop(kc, process)


@pytest.mark.parametrize("value", ["0:0", "1000", "abc:1", "1000:0"])
def test_switch_user_refuses_root_and_malformed_ids(tmp_path, value):
    connection = tmp_path / "kernel.json"
    jupyter_client.connect.write_connection_file(str(connection), ip="127.0.0.1")
    done = ghcbox("kernel", "--connection-file", connection, "--switch-user", value, timeout=30)
    assert done.returncode != 0
    assert done.stderr.splitlines() == [f"ghcbox: --switch-user {value}: expected UID:GID, two numbers other than 0"]
