"""The kernel image under podman, driven from the host through jupyter_client: the containerised
kernel (GHC 9.6, the image's own user) serves cells from Jupyter's connection file and from
ports and a key in GHCBOX_* variables, holds against hostile cells, enforces a budget set in the
kernelspec's env, stops a cell on interrupt, and, started with a container's default options,
answers `kernel_info` and refuses every cell with the run line that fixes it.

`ci/image` builds the image and runs this with GHCBOX_TEST_IMAGE set to it, and JUPYTER_PATH
holding `ghcbox install --image IMAGE --engine podman` (kernelspec ghcbox-podman) and the host
binary's own kernelspec ghcbox."""
import json
import os
import pathlib
import shutil
import subprocess
import time

import jupyter_client
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from conftest import results, run_cell, stdout_text
from kernel_env import free_ports, wait_for_execute_input

IMAGE = os.environ.get("GHCBOX_TEST_IMAGE")
pytestmark = pytest.mark.skipif(not IMAGE, reason="needs the kernel image: run ci/image (podman and debootstrap)")

SPEC = "ghcbox-podman"
FIGURES = pathlib.Path(os.environ.get("GHCBOX_IMAGE_FIGURES", "/dev/null"))


def container_spec():
    return KernelSpecManager().get_kernel_spec(SPEC)


def start(spec_dir=None, name=SPEC):
    """A kernel from the container kernelspec (or a copy of it in `spec_dir`) and a ready client."""
    ksm = KernelSpecManager(kernel_dirs=[str(spec_dir)]) if spec_dir else KernelSpecManager()
    km = jupyter_client.KernelManager(kernel_name=name, kernel_spec_manager=ksm)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return km, kc


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=False)


@pytest.fixture
def kernel():
    km, kc = start()
    yield km, kc
    stop(km, kc)


def respec(tmp_path, name, change):
    """A copy of the installed container kernelspec under `name`, with `change(spec)` applied."""
    source = pathlib.Path(container_spec().resource_dir)
    target = tmp_path / name
    shutil.copytree(source, target)
    spec = json.loads((target / "kernel.json").read_text())
    change(spec)
    (target / "kernel.json").write_text(json.dumps(spec))
    return tmp_path


def podman(*args, check=True, timeout=120):
    return subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout, check=check)


def test_the_kernel_is_ghc_96_in_the_image_and_serves_as_its_own_user(kernel):
    km, kc = kernel
    info = kc.kernel_info(reply=True, timeout=30)["content"]
    assert info["language_info"]["version"].startswith("9.6"), info["language_info"]
    reply, messages = run_cell(kc, 'import System.Process\nreadProcess "id" [] ""')
    assert reply["status"] == "ok", reply
    assert results(messages)[0].startswith('"uid=1000(ghcbox)')
    # The kernel process itself, seen by the engine: started as root to read the 0600
    # connection file, it has switched to the image's user.
    ids = podman("ps", "--filter", f"ancestor={IMAGE}", "--format", "{{.ID}}").stdout.split()
    users = {podman("top", cid, "user", "args").stdout for cid in ids}
    kernel_rows = [row for text in users for row in text.splitlines() if "ghcbox kernel" in row]
    assert kernel_rows and all(row.split()[0] in ("1000", "ghcbox") for row in kernel_rows), users


def test_notebook_libraries_of_the_image_load(kernel):
    _, kc = kernel
    cells = {
        'import Data.List.Split (splitOn)\nsplitOn "," "a,b"': '["a","b"]',
        "import qualified Data.Vector as V\nV.sum (V.fromList [1 .. 10 :: Int])": "55",
        "import Data.Aeson (encode)\nencode [1, 2 :: Int]": '"[1,2]"',
        "import qualified Data.HashMap.Strict as H\nH.size (H.fromList [(1 :: Int, 'a')])": "1",
    }
    for code, expected in cells.items():
        reply, messages = run_cell(kc, code)
        assert reply["status"] == "ok", (code, reply)
        assert results(messages) == [expected], code
    reply, messages = run_cell(kc, "import Test.QuickCheck\nquickCheck (\\xs -> reverse (reverse xs) == (xs :: [Int]))")
    assert "+++ OK, passed 100 tests." in stdout_text(messages)


def test_a_cell_cannot_reach_the_kernels_sockets_on_the_hosts_network(kernel):
    """The kernel shares the host's network (--network=host); GHCi's jail has a network of its own."""
    km, kc = kernel
    port = km.get_connection_info()["shell_port"]
    code = ("import Network.Socket\nimport Control.Exception\n"
            f"r <- try (do {{ s <- socket AF_INET Stream 0; connect s (SockAddrInet {port} (tupleToHostAddress (127,0,0,1))); pure \"connected\" }}) :: IO (Either SomeException String)\n"
            "putStrLn (either (const \"refused\") id r)")
    reply, messages = run_cell(kc, code)
    if reply["status"] == "error" and "Network.Socket" in reply["evalue"]:
        # Without the network package, the same probe through a process the cell starts.
        code = f'import System.Process\nreadProcess "bash" ["-c", "exec 3<>/dev/tcp/127.0.0.1/{port} && echo connected || echo refused"] ""'
        reply, messages = run_cell(kc, code)
        assert reply["status"] == "ok", reply
        assert "refused" in results(messages)[0] and "connected" not in results(messages)[0]
    else:
        assert reply["status"] == "ok", reply
        assert stdout_text(messages) == "refused\n"


def test_the_containers_secrets_and_host_proc_are_out_of_reach(kernel):
    """The connection file and the container's unmasked /proc stay outside the jail: its /proc is
    its own, with the host's parts masked again."""
    _, kc = kernel
    code = ('import Control.Exception\nimport System.Directory\n'
            'probe p = either (\\e -> "absent: " ++ show (e :: SomeException)) (\\t -> "read " ++ show (length t)) <$> try (readFile p)\n'
            'mapM (fmap putStrLn . probe) ["/run/ghcbox/connection.json", "/proc/1/environ", "/proc/timer_list", "/proc/sched_debug"] >>= sequence_\n'
            'writeFile "/proc/sysrq-trigger" "h" `catch` (\\e -> putStrLn ("refused: " ++ show (e :: SomeException)))\n'
            'doesDirectoryExist "/home/ghcbox" >>= print')
    reply, messages = run_cell(kc, code)
    assert reply["status"] == "ok", reply
    lines = stdout_text(messages).splitlines()
    assert lines[0].startswith("absent:"), lines          # the connection file is not in the jail
    assert not lines[1].startswith("read ") or lines[1] == "read 0", lines  # pid 1 is the jail's, unreadable
    assert lines[2] in ("read 0",) or lines[2].startswith("absent"), lines  # masked by /dev/null
    assert lines[3] in ("read 0",) or lines[3].startswith("absent"), lines
    assert lines[4].startswith("refused:"), lines
    assert lines[5] == "False", lines


def test_a_fork_bomb_and_a_memory_breach_meet_the_budgets_of_the_kernelspec_env(tmp_path):
    spec_dir = respec(tmp_path, "ghcbox-tight", lambda spec: spec["env"].update(GHCBOX_PIDS="64", GHCBOX_MEMORY_MB="512"))
    km, kc = start(spec_dir, "ghcbox-tight")
    try:
        reply, _ = run_cell(kc, 'import System.Process\nmapM_ (\\_ -> spawnProcess "/usr/bin/sleep" ["60"]) [1 .. 500 :: Int]')
        # No session cgroup is writable in this container (cgroup v1, mounted read-only), so the
        # budget holds as RLIMIT_NPROC of the jail's user: the 65th process is refused.
        assert reply["status"] == "error" and "Resource temporarily unavailable" in reply["evalue"], reply
        run_cell(kc, "let kept = 5")
        # The memory budget from the same env: GHC's heap limit, as no session cgroup is writable here.
        reply, messages = run_cell(kc, 'putStrLn "before"\nlet xs = [1 .. 40000000] :: [Int] in print (sum xs + length xs)')
        assert reply["ename"] == "resource-limit" and "memory" in reply["evalue"], reply
        assert stdout_text(messages) == "before\n"
        after, messages = run_cell(kc, "kept + 1")
        if "earlier definitions were lost" in reply["evalue"]:
            # GHCi did not answer the kernel's probe after the heap overflow (seen with GHC 9.6
            # and no session cgroup), so the kernel replaced the session and said so.
            assert after["status"] == "error" and "kept" in after["evalue"], after
            after, messages = run_cell(kc, "1 + 5")
        assert results(messages) == ["6"]
    finally:
        stop(km, kc)


def test_an_interrupt_stops_the_cell_and_keeps_the_session(kernel):
    km, kc = kernel
    run_cell(kc, "let kept = 11")
    msg_id = kc.execute("Control.Concurrent.threadDelay 60000000")
    wait_for_execute_input(kc, msg_id)
    started = time.monotonic()
    km.interrupt_kernel()
    while True:
        reply = kc.get_shell_msg(timeout=10)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    assert reply["content"]["status"] == "aborted", reply["content"]
    assert time.monotonic() - started < 5
    after, messages = run_cell(kc, "kept")
    assert results(messages) == ["11"]


def test_a_shutdown_through_jupyter_leaves_no_container():
    def running():
        return set(podman("ps", "--filter", f"ancestor={IMAGE}", "--format", "{{.ID}}").stdout.split())
    before = running()
    km, kc = start()
    assert len(running() - before) == 1
    run_cell(kc, "1 + 1")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    reply, messages = run_cell(kc, "2 + 2")
    assert results(messages) == ["4"]
    stop(km, kc)
    deadline = time.monotonic() + 30
    while running() - before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not running() - before


def run_published(ports, key, options):
    """The image on podman's own network with the five ports published and the connection given in
    GHCBOX_* variables (no file), plus `options`; returns the container's id."""
    names = ["GHCBOX_SHELL_PORT", "GHCBOX_IOPUB_PORT", "GHCBOX_STDIN_PORT", "GHCBOX_CONTROL_PORT", "GHCBOX_HB_PORT"]
    env = {**dict(zip(names, map(str, ports))), "GHCBOX_KEY": key}
    published = [arg for port in ports for arg in ("-p", f"127.0.0.1:{port}:{port}")]
    variables = [arg for name in env for arg in ("-e", name)]
    done = subprocess.run(["podman", "run", "-d", "--rm", *published, *variables, *options, IMAGE],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


def client_for(ports, key):
    kc = jupyter_client.BlockingKernelClient()
    kc.load_connection_info({"ip": "127.0.0.1", "transport": "tcp", "key": key, "signature_scheme": "hmac-sha256",
                             "shell_port": ports[0], "iopub_port": ports[1], "stdin_port": ports[2],
                             "control_port": ports[3], "hb_port": ports[4]})
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    return kc


def test_default_options_refuse_every_cell_with_the_line_that_fixes_it_and_that_line_works():
    key = os.urandom(16).hex()
    ports = free_ports(5)
    container = run_published(ports, key, [])
    try:
        kc = client_for(ports, key)
        info = kc.kernel_info(reply=True, timeout=30)["content"]
        assert info["status"] == "ok" and info["implementation"] == "ghcbox"
        for code in ("1 + 1", 'putStrLn "again"'):
            reply, messages = run_cell(kc, code)
            assert reply["status"] == "error", reply
            fix = f"podman run --security-opt seccomp=ghcbox-seccomp.json --security-opt 'unmask=/proc/*' {IMAGE} kernel`"
            assert fix in reply["evalue"], reply["evalue"]
            assert (f"podman run --rm --entrypoint cat {IMAGE} /usr/local/share/ghcbox/sandbox/container-seccomp.json"
                    " > ghcbox-seccomp.json") in reply["evalue"]
        kc.stop_channels()
    finally:
        podman("rm", "-f", container, check=False)

    # The options it names, with the profile saved as it says, make the same container work.
    profile = pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"ghcbox-seccomp-{os.getpid()}.json"
    profile.write_text(podman("run", "--rm", "--entrypoint", "cat", IMAGE,
                              "/usr/local/share/ghcbox/sandbox/container-seccomp.json").stdout)
    ports = free_ports(5)
    container = run_published(ports, key, ["--security-opt", f"seccomp={profile}", "--security-opt", "unmask=/proc/*"])
    try:
        kc = client_for(ports, key)
        reply, messages = run_cell(kc, "sum [1 .. 100]")
        assert reply["status"] == "ok", reply
        assert results(messages) == ["5050"]
        kc.stop_channels()
    finally:
        podman("rm", "-f", container, check=False)
        profile.unlink()


def first_result_seconds(name):
    started = time.monotonic()
    km = jupyter_client.KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        reply, messages = run_cell(kc, "1 + 1")
        assert results(messages) == ["2"], (name, reply)
        return time.monotonic() - started
    finally:
        stop(km, kc)


def test_start_to_first_result_through_the_container_and_on_the_host():
    """A figure for the README (no threshold: a loaded machine may take longer): the median of
    three starts each way, written to GHCBOX_IMAGE_FIGURES."""
    specs = KernelSpecManager().find_kernel_specs()
    if "ghcbox" not in specs:
        pytest.skip("the host binary's kernelspec ghcbox is not on JUPYTER_PATH (ci/image installs it)")
    figures = {}
    for name in (SPEC, "ghcbox"):
        times = sorted(first_result_seconds(name) for _ in range(3))
        figures[name] = round(times[1], 3)
    assert all(value > 0 for value in figures.values())
    if str(FIGURES) != "/dev/null":
        FIGURES.write_text(json.dumps({"start_to_first_result_seconds": figures}))
