"""When the jail cannot be built the kernel still answers, and refuses every cell saying why;
code runs unsandboxed only with an explicit --no-sandbox, and then every reply says so."""
import pathlib

import pytest

from conftest import run_cell
from kernel_env import start_kernel, stop_kernel


def test_an_unreadable_policy_refuses_cells_but_answers_kernel_info(tmp_path):
    """A policy file given on the command line is configuration: the refusal names the flag."""
    km, kc = start_kernel(["--seccomp-policy", str(tmp_path / "missing.policy")])
    try:
        info = kc.kernel_info(reply=True)["content"]
        assert info["language_info"]["name"] == "haskell"
        reply, messages = run_cell(kc, 'putStrLn "must not run"')
        assert reply["status"] == "error" and reply["ename"] == "configuration-error"
        assert "--seccomp-policy" in reply["evalue"] and "No such file or directory" in reply["evalue"]
        assert not [m for m in messages if m["header"]["msg_type"] == "stream"]
    finally:
        stop_kernel(km, kc)


def test_a_runtime_package_that_cannot_be_built_refuses_cells_saying_why(tmp_path):
    """A ghci with no ghc and ghc-pkg beside it: the runtime package cannot be compiled."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "ghci").symlink_to("/usr/bin/ghci")
    km, kc = start_kernel(["--ghci", str(tmp_path / "bin" / "ghci")])
    try:
        reply, messages = run_cell(kc, 'putStrLn "must not run"')
        assert reply["status"] == "error" and reply["ename"] == "sandbox-unavailable"
        assert "runtime package" in reply["evalue"] and str(tmp_path / "bin" / "ghc") in reply["evalue"]
        assert not [m for m in messages if m["header"]["msg_type"] == "stream"]
    finally:
        stop_kernel(km, kc)


def test_without_user_namespaces_cells_are_refused_with_the_fix():
    knob = pathlib.Path("/proc/sys/user/max_user_namespaces")
    if not knob.exists():
        pytest.skip("this kernel has no user.max_user_namespaces to switch off")
    saved = knob.read_text()
    try:
        knob.write_text("0")
    except OSError as error:
        pytest.skip(f"cannot switch user namespaces off on this machine ({error}); the refusal path is covered by the policy test")
    try:
        km, kc = start_kernel([])
        try:
            kc.kernel_info(reply=True)
            reply, _ = run_cell(kc, "1 + 1")
        finally:
            stop_kernel(km, kc)
    finally:
        knob.write_text(saved)
    assert reply["status"] == "error" and reply["ename"] == "sandbox-unavailable"
    assert "user namespaces" in reply["evalue"] and "Fix" in reply["evalue"]


def test_no_sandbox_is_explicit_and_announced():
    km, kc = start_kernel(["--no-sandbox"])
    try:
        banner = kc.kernel_info(reply=True)["content"]["banner"]
        assert "no-sandbox" in banner
        msg_id = kc.execute("1 + 1")
        reply = kc.get_shell_msg(timeout=30)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert "no-sandbox" in reply["metadata"]["sandbox"]
    finally:
        stop_kernel(km, kc)
