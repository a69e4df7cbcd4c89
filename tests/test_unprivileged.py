"""The jail as an ordinary user (unprivileged user namespaces), not only as root."""
import os
import pathlib
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


def test_a_notebook_runs_jailed_as_an_ordinary_user(shared_dir):
    if os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.skip("needs root and runuser to switch to an ordinary user")
    tmp_path = shared_dir
    binary = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("ghcbox").argv[0]
    shutil.copy(binary, tmp_path / "ghcbox")
    shutil.copytree(REPO / "sandbox", tmp_path / "data" / "sandbox")
    for path in [tmp_path / "ghcbox", *(tmp_path / "data").rglob("*"), tmp_path / "data"]:
        path.chmod(0o755)
    notebook = tmp_path / "who.ipynb"
    nbformat.write(new_notebook(cells=[
        new_code_cell("let x = 21"),
        new_code_cell("x * 2"),
        new_code_cell('System.Process.readProcess "/usr/bin/id" ["-u"] ""'),
    ]), notebook)
    notebook.chmod(0o666)
    done = subprocess.run(
        ["runuser", "-u", "nobody", "--", "env", f"HOME={tmp_path}", f"GHCBOX_DATA_DIR={tmp_path / 'data'}",
         str(tmp_path / "ghcbox"), "run", str(notebook), "--output", str(tmp_path / "out.ipynb")],
        capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    cells = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells
    assert cells[1].outputs[0]["data"]["text/plain"] == "42"
    assert cells[2].outputs[0]["data"]["text/plain"] == '"1000\\n"'  # uid 1000 inside the jail
    assert "sandbox-unavailable" not in done.stdout
