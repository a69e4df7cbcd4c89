"""ci/test's reporter: the rest of a test group's one console line (verdict, summary, time),
read from the group's log, and when the group failed, the part of the log that says why.

    test_report.py GROUP LOG EXIT_STATUS SECONDS

Exits 0 if the group passed, 1 if it failed, 77 if it was skipped.
"""
import os
import re
import sys

SKIPPED = 77  # the exit status a group uses to say it could not run here (ci/lab_check.py, ci/rich_check.py)
EXCERPT_LINES = 40


def last_match(pattern, text):
    found = re.findall(pattern, text, re.MULTILINE)
    return found[-1] if found else None


def tail(lines, count=EXCERPT_LINES):
    return lines[-count:]


def matching(lines, pattern, count=EXCERPT_LINES):
    """The lines matching `pattern`, or the log's tail when none does."""
    found = [line for line in lines if re.search(pattern, line)]
    return found[:count] if found else tail(lines, count)


def setup(text, lines):
    return last_match(r"^ci/setup: (.*)$", text) or "", tail(lines, 20)


def build(text, lines):
    done = last_match(r"^Build complete!", text)
    return ("debug, with the tests" if done else "did not complete"), matching(lines, r"error:")


def swift_test(text, lines):
    run = last_match(r"Test run with (.*)$", text) or "no summary line"
    run = re.sub(r" after [\d.]+ seconds", "", run).rstrip(".")  # the time is on the line already
    coverage = last_match(r"^(diagnostics coverage.*)$", text)
    # Swift Testing marks a failed test or expectation with ✘; XCTest with "error:".
    return run + (f"; {coverage}" if coverage else ""), matching(lines, r"✘|error:|failed")


def kernelspec(text, lines):
    installed = last_match(r"^Installed kernelspec (.*)$", text) or "no kernelspec installed"
    return installed.replace(os.getcwd() + "/", ""), tail(lines, 10)


def end_to_end(text, lines):
    counts = last_match(r"^=*\s*(\d+ (?:passed|failed|error).*?) in [\d.]+s", text) or "no summary line"
    # pytest's short summary (-rfEs) names each failed test with its error on one line.
    return counts, matching(lines, r"^(FAILED|ERROR) ")


def soak(text, lines):
    summary = last_match(r"^soak: (.*)$", text) or (lines[-1] if lines else "no output")
    worst = last_match(r"^worst interrupt to reply: (.*)$", text)
    return summary + (f"; worst interrupt to reply: {worst}" if worst else ""), tail(lines, 15)


def browser_check(name):
    """The reporter of a check in Chromium (ci/lab_check.py, ci/rich_check.py), whose lines start with `name`."""
    def report(text, lines):
        summary = last_match(rf"^{name}: (\d+ passed.*)$", text) or last_match(rf"^{name}: SKIPPED: (.*)$", text)
        return summary or (lines[-1] if lines else "no output"), matching(lines, r"FAILED|Traceback|Error:|Exception")
    return report


def image(text, lines):
    summary = last_match(r"^ci/image: summary: (.*)$", text) or last_match(r"^ci/image: SKIPPED: (.*)$", text)
    return summary or (lines[-1] if lines else "no output"), matching(lines, r"^(FAILED|ERROR) |error:|Error:")


GROUPS = {"setup": setup, "build": build, "swift test": swift_test, "kernelspec": kernelspec,
          "end-to-end": end_to_end, "soak": soak,
          "lab check": browser_check("lab check"), "rich check": browser_check("rich check"), "image": image}


def duration(seconds):
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def main():
    group, log, status, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    with open(log, errors="replace") as f:
        text = f.read()
    lines = text.splitlines()
    summary, excerpt = GROUPS[group](text, lines)
    verdict = "ok" if status == 0 else "SKIP" if status == SKIPPED else "FAIL"
    print(f"{verdict:<4}  {summary}  ({duration(seconds)})")
    if verdict == "FAIL":
        print(f"      exit status {status}; from {log}:")
        for line in excerpt:
            print(f"      | {line}")
    return {"ok": 0, "FAIL": 1, "SKIP": SKIPPED}[verdict]


if __name__ == "__main__":
    sys.exit(main())
