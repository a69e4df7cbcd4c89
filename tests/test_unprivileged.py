"""The jail as an ordinary user (unprivileged user namespaces), not only as root."""
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import jupyter_client
import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import REPO


@pytest.fixture
def shared_dir():
    """A folder an ordinary user can reach (pytest's tmp_path is private to root)."""
    path = pathlib.Path(tempfile.mkdtemp(prefix="ghcbox-user-"))
    path.chmod(0o777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def run_as_ordinary_user(tmp_path, cells, **env):
    """Runs a notebook of `cells` with `ghcbox run` as the user nobody, with `env` added to its
    environment; returns (process, executed cells). Nobody cannot write the host's cgroups: the
    kernel runs without a session cgroup, as in a container that has none to give."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to switch to an ordinary user")
    binary = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("ghcbox").argv[0]
    shutil.copy(binary, tmp_path / "ghcbox")
    shutil.copytree(REPO / "sandbox", tmp_path / "data" / "sandbox")
    for path in [tmp_path / "ghcbox", *(tmp_path / "data").rglob("*"), tmp_path / "data"]:
        path.chmod(0o755)
    notebook = tmp_path / "cells.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(code) for code in cells]), notebook)
    notebook.chmod(0o666)
    done = subprocess.run(
        ["runuser", "-u", "nobody", "--", "env", f"HOME={tmp_path}", f"GHCBOX_DATA_DIR={tmp_path / 'data'}",
         *(f"{k}={v}" for k, v in env.items()),
         str(tmp_path / "ghcbox"), "run", str(notebook), "--output", str(tmp_path / "out.ipynb")],
        capture_output=True, text=True, timeout=120)
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells if (tmp_path / "out.ipynb").exists() else []
    return done, executed


def test_a_notebook_runs_jailed_as_an_ordinary_user(shared_dir):
    done, cells = run_as_ordinary_user(shared_dir, [
        "let x = 21",
        "x * 2",
        'System.Process.readProcess "/usr/bin/id" ["-u"] ""',
    ])
    assert done.returncode == 0, done.stdout + done.stderr
    assert cells[1].outputs[0]["data"]["text/plain"] == "42"
    assert cells[2].outputs[0]["data"]["text/plain"] == '"1000\\n"'  # uid 1000 inside the jail
    assert "sandbox-unavailable" not in done.stdout


def test_kill_zero_from_a_cell_stays_in_the_jail(shared_dir):
    """kill(0, sig) signals the caller's process group. Run as one uid, the jail and the
    kernel once shared it, and a cell's kill(0, SIGTERM) ended the kernel (exit 143)."""
    done, cells = run_as_ordinary_user(shared_dir, [
        '{-# LANGUAGE ForeignFunctionInterface #-}\nimport Foreign.C.Types\n'
        'foreign import ccall "kill" cKill :: CInt -> CInt -> IO CInt',
        "cKill 0 15",
        "1 + 1",
    ])
    # The kernel lived (143 was its death by SIGTERM). Cell 2's own GHCi got the signal; whether
    # before or after the cell's result was framed decides if that cell counts as failed.
    assert done.returncode in (0, 1), done.stdout + done.stderr
    assert cells[2].outputs[0]["data"]["text/plain"] == "2"


def test_scratch_is_wiped_between_cells_as_an_ordinary_user(shared_dir):
    """The kernel reaches the jail's files through a descriptor of the jail's root, not through
    /proc/<pid 1>/root, which pid 1 (not dumpable) closes to a kernel without CAP_SYS_PTRACE."""
    done, cells = run_as_ordinary_user(shared_dir, [
        'writeFile "/scratch/left-behind" "x"',
        'System.Directory.listDirectory "/scratch"',
    ])
    assert done.returncode == 0, done.stdout + done.stderr
    assert cells[1].outputs[0]["data"]["text/plain"] == "[]"


def test_pid1_is_not_the_cells_to_read_as_an_ordinary_user(shared_dir):
    """Run by nobody, the jail's pid 1 is the cell's own uid inside the jail. Not dumpable, its
    /proc files belong to the host's root (nobody, 65534, inside), not to the cell's user (1000)."""
    done, cells = run_as_ordinary_user(shared_dir, [
        "import System.Posix.Files",
        'mapM (fmap fileOwner . getFileStatus) ["/proc/1/environ", "/proc/1/mem", "/proc/self/environ"]',
    ])
    assert done.returncode == 0, done.stdout + done.stderr
    assert cells[1].outputs[0]["data"]["text/plain"] == "[65534,65534,1000]"


def test_a_process_bomb_without_a_cgroup_stops_at_the_budget(shared_dir):
    """With no session cgroup, RLIMIT_NPROC holds the process budget: counted for the jail's
    user in the jail's own user namespace, GHCi's threads and the cell's processes together."""
    done, cells = run_as_ordinary_user(shared_dir, [
        "import System.Process\nimport qualified Control.Exception as E",
        "let start n = if n >= 300 then return n else E.try (spawnProcess \"sleep\" [\"30\"]) >>= "
        "either (\\e -> const (return n) (e :: E.SomeException)) (const (start (n + 1)))\n"
        "start (0 :: Int)",
        "1 + 1",
    ], GHCBOX_PIDS=64)
    assert done.returncode == 0, done.stdout + done.stderr
    started = int(cells[1].outputs[0]["data"]["text/plain"])
    assert 0 < started < 64, started
    assert cells[2].outputs[0]["data"]["text/plain"] == "2"


def test_doctor_says_which_budgets_hold_without_a_cgroup(shared_dir):
    """Run by nobody, the kernel has no cgroup to write: doctor says the process budget rests on
    RLIMIT_NPROC, memory on +RTS -M alone, CPU on nothing, and that the jail is nobody's own uid."""
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to switch to an ordinary user")
    binary = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("ghcbox").argv[0]
    shutil.copy(binary, shared_dir / "ghcbox")
    shutil.copytree(REPO / "sandbox", shared_dir / "data" / "sandbox")
    for path in [shared_dir / "ghcbox", *(shared_dir / "data").rglob("*"), shared_dir / "data"]:
        path.chmod(0o755)
    done = subprocess.run(
        ["runuser", "-u", "nobody", "--", "env", f"HOME={shared_dir}", f"GHCBOX_DATA_DIR={shared_dir / 'data'}",
         str(shared_dir / "ghcbox"), "doctor"], capture_output=True, text=True, timeout=120)
    rows = {m.group(1): (m.group(2), m.group(3)) for m in
            (re.match(r"(\S.*?)\s{2,}(ok|warn|FAIL)\s+(.*)$", line) for line in done.stdout.splitlines()) if m}
    assert rows["budget: processes"][0] == "ok", done.stdout
    assert rows["budget: processes"][1].startswith("RLIMIT_NPROC of the jail's user"), done.stdout
    assert rows["budget: memory"][0] == "warn" and rows["budget: memory"][1].startswith("GHCi's +RTS -M only"), done.stdout
    assert rows["budget: CPU"][0] == "warn" and rows["budget: CPU"][1].startswith("not enforced"), done.stdout
    assert rows["jail identity"][1].startswith("the kernel's own uid 65534"), done.stdout
