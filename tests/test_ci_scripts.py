"""The console filters of the ci scripts: what a newcomer sees of a build and of ci/test's groups."""
import subprocess
import sys

from conftest import REPO


def run(script, *args, stdin=""):
    return subprocess.run([sys.executable, str(REPO / "ci" / script), *args], input=stdin,
                          capture_output=True, text=True)


def test_the_build_shows_a_line_per_tenth_and_every_other_line_but_the_known_noise():
    steps = [f"[{i}/100] Compiling Module{i}.swift" for i in range(1, 101)]
    build = "\n".join(["Building for production...", "warning: prohibited flag(s): -isystem, /usr/include/mit-krb5",
                       *steps[:50], "Sources/A.swift:3:1: error: cannot find 'x' in scope", *steps[50:],
                       "Build complete! (12.0s)"]) + "\n"
    shown = run("build_progress.py", stdin=build).stdout.splitlines()
    assert [line for line in shown if line.startswith("[")] == [
        "[1/100] Compiling Module1.swift", *(f"[{i}/100] Compiling Module{i}.swift" for i in range(10, 101, 10))]
    assert "Sources/A.swift:3:1: error: cannot find 'x' in scope" in shown
    assert "Build complete! (12.0s)" in shown
    assert not any("prohibited flag" in line for line in shown)


def test_a_failed_pytest_group_shows_its_counts_and_the_failing_tests(tmp_path):
    log = tmp_path / "end-to-end.log"
    log.write_text("..Fs\n=== FAILURES ===\nlong traceback\n=== short test summary info ===\n"
                   "SKIPPED [1] tests/test_y.py:3: needs root\n"
                   "FAILED tests/test_x.py::test_a - AssertionError: boom\n1 failed, 3 passed, 1 skipped in 12.50s\n")
    done = run("test_report.py", "end-to-end", str(log), "1", "75")
    assert done.returncode == 1
    first, *excerpt = done.stdout.splitlines()
    assert first == "FAIL  1 failed, 3 passed, 1 skipped  (1 min 15 s)"
    assert excerpt[1:] == ["      | FAILED tests/test_x.py::test_a - AssertionError: boom"]


def test_a_passing_group_is_one_line_and_a_skipped_one_says_why(tmp_path):
    log = tmp_path / "soak.log"
    log.write_text("round 1/2 clean\nround 2/2 clean\nsoak: 2 passed, 0 failed\n")
    done = run("test_report.py", "soak", str(log), "0", "9")
    assert (done.returncode, done.stdout) == (0, "ok    2 passed, 0 failed  (9 s)\n")

    log = tmp_path / "lab-check.log"
    log.write_text("lab check: SKIPPED: `chromium` is not installed\n")
    done = run("test_report.py", "lab check", str(log), "77", "1")
    assert (done.returncode, done.stdout) == (77, "SKIP  `chromium` is not installed  (1 s)\n")


def test_a_failed_rich_check_names_its_failed_steps(tmp_path):
    log = tmp_path / "rich-check.log"
    log.write_text("rich check: JupyterLab 4.6.6\n  open: the tour opens: ok (8.0 s)\n"
                   "  chart: a Chart chart shows as a PNG image: FAILED: the cell shows an error (1.0 s)\n"
                   "rich check: 9 passed, 1 failed (chart); screenshots in .build/rich-screenshots/\n")
    done = run("test_report.py", "rich check", str(log), "1", "61")
    assert done.returncode == 1
    first, *excerpt = done.stdout.splitlines()
    assert first == "FAIL  9 passed, 1 failed (chart); screenshots in .build/rich-screenshots/  (1 min 01 s)"
    assert "      |   chart: a Chart chart shows as a PNG image: FAILED: the cell shows an error (1.0 s)" in excerpt
