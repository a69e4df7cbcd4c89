"""The `ghcbox` command line as a person meets it: one-line errors that name the file and the
system's reason, usage only after a mistake of usage, each subcommand's own options in its
help, colour only on a terminal, the GHC in `--version`, and `kernel --check-config`."""
import json
import os
import re

import nbformat
import pexpect
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from ghcbox_binary import clean_env, ghcbox, ghcbox_path

INTERNAL_NAMES = ("badJSON", "connectionFile", "WireError", "SandboxError", "ValidationError", "resource budget:",
                  "NSCocoaErrorDomain")


def assert_one_line_error(done, *fragments):
    assert done.returncode != 0, done
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("ghcbox: "), done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, done.stderr)
    for name in INTERNAL_NAMES:
        assert name not in done.stderr, (name, done.stderr)
    assert "Usage:" not in done.stderr


def test_a_missing_connection_file_is_one_line_with_the_systems_reason(tmp_path):
    missing = tmp_path / "nowhere" / "kernel-1.json"
    assert_one_line_error(ghcbox("kernel", "--connection-file", missing, timeout=30),
                          str(missing), "No such file or directory")


def test_a_connection_file_that_is_not_json_is_one_line(tmp_path):
    path = tmp_path / "kernel-1.json"
    path.write_text("this is not JSON")
    assert_one_line_error(ghcbox("kernel", "--connection-file", path, timeout=30), str(path), "not valid JSON")


def test_a_connection_file_without_ports_names_the_field(tmp_path):
    path = tmp_path / "kernel-1.json"
    path.write_text(json.dumps({"ip": "127.0.0.1", "key": "k"}))
    assert_one_line_error(ghcbox("kernel", "--connection-file", path, timeout=30), str(path), "shell_port")


def test_a_missing_notebook_is_one_line_with_the_systems_reason(tmp_path):
    missing = tmp_path / "missing.ipynb"
    assert_one_line_error(ghcbox("run", missing), str(missing), "No such file or directory")


def test_a_file_that_is_not_a_notebook_is_one_line(tmp_path):
    path = tmp_path / "notes.ipynb"
    path.write_text("{ not json")
    assert_one_line_error(ghcbox("run", path), str(path), "is not a notebook")


def test_install_into_a_folder_it_cannot_create_names_it_and_the_reason(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert_one_line_error(ghcbox("install", "--prefix", blocker), str(blocker), "Not a directory")


def test_install_refuses_kernel_arguments_the_kernel_would_refuse(tmp_path):
    done = ghcbox("install", "--prefix", tmp_path, "--kernel-arg=--memory-mb=abc")
    assert_one_line_error(done, "--kernel-arg", "--memory-mb", "'abc'", "64 to 1048576")
    assert not (tmp_path / "share").exists()


@pytest.mark.parametrize("args, usage", [
    (["doctor", "--bogus"], "Usage: ghcbox doctor"),
    (["kernel"], "Usage: ghcbox kernel"),
    (["run"], "Usage: ghcbox run"),
    (["install", "--user", "--sys-prefix"], "Usage: ghcbox install"),
])
def test_a_mistake_of_usage_shows_the_subcommands_usage_only(args, usage):
    done = ghcbox(*args, timeout=30)
    assert done.returncode != 0
    first = done.stderr.splitlines()[0]
    assert first.startswith("ghcbox: ") and "Error:" not in first, done.stderr
    assert usage in done.stderr
    assert "<subcommand>" not in done.stderr


@pytest.mark.parametrize("command, shown, absent", [
    ("doctor", ["--ghci", "--seccomp-policy"], ["--no-sandbox", "--queue-depth", "--memory-mb", "--log-file"]),
    ("budgets", ["--memory-mb", "--queue-depth", "--defaults"], ["--ghci", "--no-sandbox", "--log-file", "--max-message-mb"]),
    ("run", ["--memory-mb", "--no-sandbox", "--ghci", "--output"], ["--queue-depth", "--log-file", "--metrics-port", "--max-message-mb"]),
    ("install", ["--kernel-arg", "--prefix"], ["--memory-mb", "--no-sandbox", "--ghci"]),
    ("kernel", ["--connection-file", "--check-config", "--log-level", "--log-file", "--memory-mb", "--queue-depth",
                "--max-message-mb", "--metrics-port", "--no-sandbox"], ["--kernel-arg", "--defaults"]),
])
def test_each_subcommand_shows_only_its_own_options(command, shown, absent):
    done = ghcbox(command, "--help", timeout=30)
    assert done.returncode == 0, done.stderr
    listed = set(re.findall(r"^\s+(--[a-z-]+)", done.stdout, re.MULTILINE))
    for option in shown:
        assert option in listed, (command, option, done.stdout)
    for option in absent:
        assert option not in listed, (command, option, done.stdout)


def test_version_names_the_ghc_it_finds():
    done = ghcbox("--version", timeout=60)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    if os.access("/usr/bin/ghci", os.X_OK):
        assert re.fullmatch(r"ghcbox \d+\.\d+\.\d+ \(GHC \d+(\.\d+)+ at /usr/bin/ghci\)", line), line
    else:
        assert re.fullmatch(r"ghcbox \d+\.\d+\.\d+ \(no GHC found.*\)", line), line


def test_check_config_passes_a_good_configuration():
    done = ghcbox("kernel", "--check-config", timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_check_config_names_every_bad_setting_its_value_and_range():
    done = ghcbox("kernel", "--check-config", "--cpus", "0", "--memory-mb", "-5", "--log-level", "loud",
                  GHCBOX_WALL_SECONDS="abc", GHCBOX_METRICS_PORT="70000", timeout=60)
    assert done.returncode == 1, done
    lines = done.stderr.splitlines()
    assert all(line.startswith("ghcbox: ") for line in lines), done.stderr
    assert len(lines) == 5, done.stderr
    text = done.stderr
    for fragments in (["--cpus", "0", "1 to 1024"], ["--memory-mb", "-5", "64 to 1048576"],
                      ["--log-level", "'loud'", "warning"], ["GHCBOX_WALL_SECONDS", "'abc'", "1 to 86400"],
                      ["GHCBOX_METRICS_PORT", "70000", "1 to 65535"]):
        assert any(all(f in line for f in fragments) for line in lines), (fragments, text)
    for name in INTERNAL_NAMES:
        assert name not in text


def test_budgets_with_a_bad_variable_is_one_line():
    assert_one_line_error(ghcbox("budgets", GHCBOX_MEMORY_MB="lots", timeout=30), "GHCBOX_MEMORY_MB", "'lots'", "64 to 1048576")


# --- Colour in `ghcbox run` -----------------------------------------------------------------

@pytest.fixture
def failing_notebook(tmp_path):
    path = tmp_path / "fails.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell('putStrLn "before"'), new_code_cell('error "boom"')]), path)
    return path


def run_in_terminal(args, **env):
    """Runs ghcbox in a pseudo-terminal; returns (exit status, everything it printed)."""
    child = pexpect.spawn(ghcbox_path(), [str(a) for a in args], env=clean_env(**env), timeout=180, encoding="utf-8",
                          dimensions=(50, 200))
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_run_through_a_pipe_has_no_colour_but_the_notebook_keeps_it(failing_notebook):
    done = ghcbox("run", failing_notebook, timeout=180)
    assert done.returncode == 1, done
    assert "boom" in done.stdout
    assert "\x1b" not in done.stdout and "\x1b" not in done.stderr
    executed = nbformat.read(failing_notebook.with_suffix(".out.ipynb"), as_version=4)
    traceback = "\n".join(executed.cells[1].outputs[0]["traceback"])
    assert "\x1b[" in traceback


def test_run_in_a_terminal_is_coloured_unless_no_color_is_set(failing_notebook):
    status, coloured = run_in_terminal(["run", failing_notebook])
    assert status == 1 and "boom" in coloured
    assert "\x1b[" in coloured
    status, plain = run_in_terminal(["run", failing_notebook], NO_COLOR="1")
    assert status == 1 and "boom" in plain
    assert "\x1b" not in plain
