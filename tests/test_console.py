"""`jupyter console --kernel ghcbox` in a pseudo-terminal, as a person uses it: a cell's output
shows, and the kernel's JSON log lines do not (unless asked for with GHCBOX_LOG_LEVEL=info)."""
import io
import sys

import pexpect

from ghcbox_binary import clean_env

TIMEOUT = 120
LOG_LINE = '{"ts":'


def console_session(**env):
    """Runs two cells in jupyter console and quits; returns everything the terminal showed."""
    child = pexpect.spawn(sys.executable, ["-m", "jupyter_console", "--kernel", "ghcbox", "--simple-prompt"],
                          env=clean_env(**env), encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))
    shown = io.StringIO()
    child.logfile_read = shown
    try:
        child.expect(r"In \[1\]: ")
        # Outputs that the echoed input does not contain.
        child.sendline('putStrLn (reverse "elosnoc morf olleh")')
        child.expect("hello from console")
        child.expect(r"In \[2\]: ")
        child.sendline("product [1 .. 7 :: Int]")
        child.expect("5040")
        child.expect(r"In \[3\]: ")
        child.sendeof()
        if child.expect([pexpect.EOF, r"really want to exit"]) == 1:
            child.sendline("y")
            child.expect(pexpect.EOF)
        return shown.getvalue()
    finally:
        child.close(force=True)


def test_a_cells_output_shows_and_no_log_line_does():
    shown = console_session()
    assert LOG_LINE not in shown, shown


def test_log_lines_show_when_asked_for():
    """The check above can see log lines: at level info they are there."""
    shown = console_session(GHCBOX_LOG_LEVEL="info")
    assert LOG_LINE in shown and "cell finished" in shown, shown
