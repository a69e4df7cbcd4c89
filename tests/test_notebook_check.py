"""`ghcbox run --check` on the fixture notebooks of tests/notebooks/check (written by its
make.py from real runs): each passes or fails as designed, with the exit status, the report's
lines (verdict, failing cell by index and first source line, a `-`/`+` diff), tags, sanitisers,
timeouts, `--jobs`, `--update`, `--junit` and `-p` parameters."""
import dataclasses
import json
import pathlib
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET

import junitparser
import nbformat
import pexpect
import pytest

from ghcbox_binary import clean_env, ghcbox_path

FIXTURES = pathlib.Path(__file__).resolve().parent / "notebooks" / "check"
# The notebooks that finish in about a second each (slow_cell sleeps 6 s).
QUICK = ["passes.ipynb", "one_char_off.ipynb", "new_error.ipynb", "no_longer_raises.ipynb", "evalue.ipynb",
         "skips.ipynb", "volatile.ipynb", "clock.ipynb", "parameters.ipynb", "mime.ipynb"]
DESIGNED_TO_FAIL = {"one_char_off.ipynb", "new_error.ipynb", "no_longer_raises.ipynb", "evalue.ipynb", "clock.ipynb"}

VERDICT = re.compile(r"(PASS|FAIL) (.+?)  (?:(\d+) cells?|(\d+) of (\d+) cells? failed)  (\d+(?:\.\d+)?) s")
SUMMARY = re.compile(r"ghcbox run --check: (?:(\d+) of (\d+) notebooks? failed|all (\d+) notebooks? passed)")
CELL = re.compile(r"  cell (\d+) \((.*?)\): (.*)")
DIFF = re.compile(r"    ([-+]) (.*)")
CONTEXT = re.compile(r"      (.*)")
COPY = re.compile(r"  executed copy: (.+)")


@dataclasses.dataclass
class CellReport:
    index: int
    first_line: str
    what: str
    minus: list = dataclasses.field(default_factory=list)   # stored lines
    plus: list = dataclasses.field(default_factory=list)    # new lines
    context: list = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class NotebookReport:
    path: str
    verdict: str
    cells: int
    failed: int
    seconds: float
    failing: dict = dataclasses.field(default_factory=dict)   # index -> CellReport
    executed_copy: str = None
    block: list = dataclasses.field(default_factory=list)     # its lines, timing left out

    def cell(self, first_line):
        found = [c for c in self.failing.values() if c.first_line == first_line]
        assert len(found) == 1, (first_line, self.block)
        return found[0]


@dataclasses.dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    notebooks: dict      # path as printed -> NotebookReport
    summary: tuple       # (failed, total)
    unparsed: list

    def __str__(self):
        return f"exit {self.returncode} after {self.seconds:.1f} s\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"

    def only(self):
        assert len(self.notebooks) == 1, self
        return next(iter(self.notebooks.values()))


def parse(stdout):
    """Reads the report's lines; lines in no known form are kept in `unparsed`."""
    notebooks, summary, unparsed = {}, None, []
    current, cell = None, None
    for line in stdout.splitlines():
        if not line.strip():
            continue
        if m := VERDICT.fullmatch(line):
            verdict, path, n, k, n_of, seconds = m.groups()
            current = NotebookReport(path, verdict, int(n or n_of), int(k or 0), float(seconds))
            current.block.append(line[:m.start(6)].rstrip())
            notebooks[path] = current
            cell = None
        elif m := SUMMARY.fullmatch(line):
            failed, total, passed = m.groups()
            summary = (int(failed), int(total)) if total else (0, int(passed))
            current = cell = None
        elif current is not None and (m := CELL.fullmatch(line)):
            cell = CellReport(int(m.group(1)), m.group(2), m.group(3))
            current.failing[cell.index] = cell
            current.block.append(line)
        elif current is not None and (m := COPY.fullmatch(line)):
            current.executed_copy = m.group(1)
            current.block.append(line)
        elif cell is not None and (m := DIFF.fullmatch(line)):
            (cell.minus if m.group(1) == "-" else cell.plus).append(m.group(2))
            current.block.append(line)
        elif cell is not None and (m := CONTEXT.fullmatch(line)):
            cell.context.append(m.group(1))
            current.block.append(line)
        else:
            unparsed.append(line)
    return notebooks, summary, unparsed


def check(folder, *args, timeout=300, **env):
    """Runs `ghcbox run --check ARGS` in folder (notebooks named relative to it)."""
    started = time.monotonic()
    done = subprocess.run([ghcbox_path(), "run", "--check", *map(str, args)], cwd=folder, env=clean_env(**env),
                          capture_output=True, text=True, timeout=timeout)
    notebooks, summary, unparsed = parse(done.stdout)
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started, notebooks, summary, unparsed)


@pytest.fixture
def folder(tmp_path):
    """A copy of the fixtures, so executed copies (NAME.out.ipynb) land outside the repository."""
    for path in FIXTURES.iterdir():
        if path.suffix in (".ipynb", ".cfg"):
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def assert_passes(run, name, cells=None):
    assert run.returncode == 0, run
    report = run.notebooks.get(name)
    assert report is not None and report.verdict == "PASS", run
    assert report.failing == {} and report.executed_copy is None, run
    if cells is not None:
        assert report.cells == cells, run
    return report


def assert_fails(run, name, failed=None, of=None):
    assert run.returncode == 1, run
    report = run.notebooks.get(name)
    assert report is not None and report.verdict == "FAIL", run
    assert report.failed == len(report.failing), run   # every failing cell is named
    if failed is not None:
        assert report.failed == failed, run
    if of is not None:
        assert report.cells == of, run
    return report


def set_cell(path, index, source=None, tags=None):
    """Changes code cell `index` (1-based) of the notebook at path: its source or its tags."""
    notebook = nbformat.read(path, as_version=4)
    cell = [c for c in notebook.cells if c.cell_type == "code"][index - 1]
    if source is not None:
        cell.source = source
    if tags is not None:
        cell.metadata["tags"] = tags
    nbformat.write(notebook, path)


def code_cells(path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def assert_valid_notebook(path):
    """Valid for nbformat, and every cell has the id that nbformat 4.5 requires (nbformat.read
    would add missing ids, so the raw JSON is read)."""
    raw = json.loads(pathlib.Path(path).read_text())
    nbformat.validate(nbformat.reads(json.dumps(raw), as_version=4))
    if (raw["nbformat"], raw["nbformat_minor"]) >= (4, 5):
        assert all("id" in cell for cell in raw["cells"]), [c.get("id") for c in raw["cells"]]


# --- Verdicts and the report ----------------------------------------------------------------

def test_a_notebook_whose_stored_outputs_are_reproduced_passes(folder):
    run = check(folder, "passes.ipynb")
    assert_passes(run, "passes.ipynb", cells=11)
    assert run.summary == (0, 1), run
    assert "all 1 notebooks passed" in run.stdout.splitlines()[-1], run
    assert run.unparsed == [], run
    assert not (folder / "passes.out.ipynb").exists()


def test_one_character_off_names_the_cell_and_shows_both_lines(folder):
    run = check(folder, "one_char_off.ipynb")
    report = assert_fails(run, "one_char_off.ipynb", failed=1, of=3)
    assert run.summary == (1, 1) and run.unparsed == [], run
    cell = report.failing[2]
    assert cell.first_line == "mapM_ print [1, 2, 3]", run
    # Only the line that differs is a -/+ line; the lines around it are not.
    assert len(cell.minus) == 1 and len(cell.plus) == 1, run
    assert cell.minus[0].endswith("sum: 6") and cell.plus[0].endswith("sum: 7"), run
    old, new = cell.minus[0], cell.plus[0]
    assert len(old) == len(new) and sum(a != b for a, b in zip(old, new)) == 1, run


def test_a_failing_notebook_leaves_its_executed_copy_beside_it(folder):
    run = check(folder, "one_char_off.ipynb")
    report = assert_fails(run, "one_char_off.ipynb")
    copy = folder / "one_char_off.out.ipynb"
    assert report.executed_copy is not None and (folder / report.executed_copy) == copy, run
    assert_valid_notebook(copy)
    outputs = code_cells(copy)[1].outputs
    assert "".join(o.get("text", "") for o in outputs).endswith("sum: 7\n"), outputs
    # The notebook itself keeps its stored outputs.
    stored = code_cells(folder / "one_char_off.ipynb")[1].outputs
    assert "".join(o.get("text", "") for o in stored).endswith("sum: 6\n"), stored


def test_a_new_error_in_a_cell_that_stored_a_value_fails(folder):
    run = check(folder, "new_error.ipynb")
    report = assert_fails(run, "new_error.ipynb", failed=1, of=3)
    cell = report.failing[2]
    assert cell.first_line == "head xs", run
    assert any("ErrorCall" in line for line in cell.plus), run
    assert any(line.endswith("5") for line in cell.minus), run


def test_a_cell_tagged_to_fail_that_no_longer_fails_is_reported(folder):
    run = check(folder, "no_longer_raises.ipynb")
    report = assert_fails(run, "no_longer_raises.ipynb", failed=2, of=4)
    for index, first_line in ((2, "head xs"), (3, "xs !! 0")):
        cell = report.failing[index]
        assert cell.first_line == first_line and "expected an error" in cell.what, run
        assert any(line.endswith("7") for line in cell.plus), run


def test_error_messages_are_compared_unless_ignore_evalue(folder):
    run = check(folder, "evalue.ipynb")
    cell = assert_fails(run, "evalue.ipynb", failed=1, of=2).failing[1]
    assert any("the old message" in line for line in cell.minus), run
    assert any("the new message" in line for line in cell.plus), run
    assert_passes(check(folder, "--ignore-evalue", "evalue.ipynb"), "evalue.ipynb")
    # The error's name is still compared: a value where an error was stored fails.
    assert_fails(check(folder, "--ignore-evalue", "new_error.ipynb"), "new_error.ipynb", failed=1)


def test_several_notebooks_one_line_each_and_a_count(folder):
    run = check(folder, *QUICK)
    assert run.returncode == 1, run
    assert set(run.notebooks) == set(QUICK), run
    assert {p for p, r in run.notebooks.items() if r.verdict == "FAIL"} == DESIGNED_TO_FAIL, run
    assert run.summary == (len(DESIGNED_TO_FAIL), len(QUICK)), run
    assert run.stdout.splitlines()[-1] == f"ghcbox run --check: {len(DESIGNED_TO_FAIL)} of {len(QUICK)} notebooks failed"
    assert run.unparsed == [], run


def test_the_report_names_a_notebook_as_given(folder):
    absolute = folder / "passes.ipynb"
    run = check(folder, absolute, "./one_char_off.ipynb")
    assert set(run.notebooks) == {str(absolute), "./one_char_off.ipynb"}, run


def test_a_missing_final_newline_is_a_difference(folder):
    # Cell 4 stored `putStr`'s text without a newline; `putStrLn` adds one.
    set_cell(folder / "passes.ipynb", 4, source='putStrLn "no newline at the end"')
    report = assert_fails(check(folder, "passes.ipynb"), "passes.ipynb", failed=1)
    assert report.failing[4].first_line == 'putStrLn "no newline at the end"', report.block


# --- Tags -----------------------------------------------------------------------------------

def test_skipped_cells_do_not_run_and_ignored_output_is_not_compared(folder):
    assert_passes(check(folder, "skips.ipynb"), "skips.ipynb", cells=5)


@pytest.mark.parametrize("index, change, failing", [
    (2, dict(tags=[]), 2),                                   # skip-execution removed: its error fails
    (3, dict(tags=[]), 5),                                   # nbval-skip removed: `answer` becomes 0
    (4, dict(tags=[]), 4),                                   # nbval-ignore-output removed: the clock differs
    (4, dict(source='error "an unexpected error"'), 4),      # ignored output, but an error still fails
])
def test_each_skip_and_ignore_tag_is_what_makes_skips_pass(folder, index, change, failing):
    set_cell(folder / "skips.ipynb", index, **change)
    report = assert_fails(check(folder, "skips.ipynb"), "skips.ipynb")
    assert failing in report.failing, report.block


# --- Sanitisers -----------------------------------------------------------------------------

def test_addresses_and_set_s_statistics_pass_only_with_the_built_in_sanitizers(folder):
    assert_passes(check(folder, "volatile.ipynb"), "volatile.ipynb", cells=3)
    run = check(folder, "--no-default-sanitizers", "volatile.ipynb")
    report = assert_fails(run, "volatile.ipynb", failed=2, of=3)
    assert report.failing[1].first_line == "import Foreign", run
    assert any("0x00007f3a5c0012a0" in line for line in report.failing[1].minus), run
    assert report.failing[2].first_line == ":set +s", run
    assert any("(0.01 secs, 1,234,567 bytes)" in line for line in report.failing[2].minus), run


def test_a_sanitize_file_in_nbvals_format_makes_the_clock_pass(folder):
    run = check(folder, "clock.ipynb")
    report = assert_fails(run, "clock.ipynb", failed=2, of=4)
    assert {c.first_line for c in report.failing.values()} == {"getCurrentTime", "utctDay <$> getCurrentTime"}, run
    assert_passes(check(folder, "--sanitize-with", "clock-sanitize.cfg", "clock.ipynb"), "clock.ipynb")


def test_sanitize_with_is_repeatable(folder):
    sections = (folder / "clock-sanitize.cfg").read_text().split("\n\n")
    assert len(sections) == 2, sections
    (folder / "time.cfg").write_text(sections[0].strip() + "\n")
    (folder / "day.cfg").write_text(sections[1].strip() + "\n")
    assert_passes(check(folder, "--sanitize-with", "time.cfg", "--sanitize-with", "day.cfg", "clock.ipynb"),
                  "clock.ipynb")
    run = check(folder, "--sanitize-with", "time.cfg", "clock.ipynb")
    report = assert_fails(run, "clock.ipynb", failed=1)
    assert report.failing[3].first_line == "utctDay <$> getCurrentTime", run


@pytest.mark.parametrize("printed, verdict", [("<Foo at 0x7f00aa>", "PASS"), ("<Bar at 0x7f00aa>", "FAIL")])
def test_back_references_in_an_nbval_replace_keep_what_they_capture(tmp_path, printed, verdict):
    # nbval applies `replace` with Python's re.sub, so `\1` is the first group: only the
    # address is hidden, and a different class name still fails (nbval's own
    # tests/sanitize_defaults.cfg has this rule).
    (tmp_path / "addresses.cfg").write_text("[Memory addresses]\n"
                                            "regex: (<[a-zA-Z_][0-9a-zA-Z_.]* at )(0x[0-9a-fA-F]+)(>)\n"
                                            "replace: \\1MEMORY_ADDRESS\\3\n")
    stored = nbformat.v4.new_output("stream", name="stdout", text="<Foo at 0x1234>\n")
    cell = nbformat.v4.new_code_cell(f'putStrLn "{printed}"', outputs=[stored], execution_count=1)
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), tmp_path / "addresses.ipynb")
    run = check(tmp_path, "--no-default-sanitizers", "--sanitize-with", "addresses.cfg", "addresses.ipynb")
    assert run.notebooks["addresses.ipynb"].verdict == verdict, run


def test_other_mime_types_are_compared_only_with_compare_mime(folder):
    assert_passes(check(folder, "mime.ipynb"), "mime.ipynb")
    report = assert_fails(check(folder, "--compare-mime", "mime.ipynb"), "mime.ipynb", failed=1)
    assert any("text/html" in line for line in report.failing[1].minus), report.block


# --- Timeouts -------------------------------------------------------------------------------

def test_the_slow_cell_passes_without_a_time_limit(folder):
    assert_passes(check(folder, "slow_cell.ipynb"), "slow_cell.ipynb", cells=3)


def test_a_cell_past_cell_timeout_fails_and_is_named(folder):
    run = check(folder, "--cell-timeout", "2", "slow_cell.ipynb")
    report = assert_fails(run, "slow_cell.ipynb")
    assert run.seconds < 6, run      # the 6 s sleep was stopped
    cell = report.failing[2]
    assert cell.first_line == 'threadDelay 6000000 >> putStrLn "woke up"', run
    assert re.search(r"timed out after 2(\.0+)? s", cell.what), run


def test_the_whole_run_timeout_reports_the_cells_not_reached(folder):
    run = check(folder, "--timeout", "3", "slow_cell.ipynb")
    report = assert_fails(run, "slow_cell.ipynb")
    assert run.seconds < 6, run
    assert 2 in report.failing, run
    assert report.failing[3].first_line == 'putStrLn "after the sleep"', run
    assert "not run" in report.failing[3].what, run


# --- --jobs ---------------------------------------------------------------------------------

def test_jobs_gives_the_same_verdicts_and_reports_as_one_by_one(folder):
    names = ["passes.ipynb", "one_char_off.ipynb", "new_error.ipynb", "no_longer_raises.ipynb", "skips.ipynb",
             "volatile.ipynb"]
    alone = {}
    for name in names:
        run = check(folder, name)
        alone[name] = run.notebooks[name].block
    together = check(folder, "--jobs", "2", *names)
    assert together.returncode == 1 and together.summary == (3, len(names)), together
    assert together.unparsed == [], together
    # Each notebook's lines stay together and read as when it ran alone.
    assert {name: together.notebooks[name].block for name in names} == alone, together


# --- --update -------------------------------------------------------------------------------

def update_copy(path):
    """`ghcbox run --update` on a copy of the fixture of the same name at `path`."""
    shutil.copy(FIXTURES / path.name, path)
    return subprocess.run([ghcbox_path(), "run", "--update", path.name], cwd=path.parent, env=clean_env(),
                          capture_output=True, text=True, timeout=300)

def test_update_makes_a_failing_notebook_pass_and_keeps_it_valid(tmp_path):
    path = tmp_path / "one_char_off.ipynb"
    done = update_copy(path)
    assert done.returncode == 0, done
    assert not (tmp_path / "one_char_off.out.ipynb").exists()
    assert_valid_notebook(path)
    assert [c.execution_count for c in code_cells(path)] == [1, 2, 3]
    assert_passes(check(tmp_path, path.name), path.name)


def test_update_keeps_the_stored_outputs_of_skipped_cells(tmp_path):
    path = tmp_path / "skips.ipynb"
    before = code_cells(FIXTURES / path.name)
    done = update_copy(path)
    assert done.returncode == 0, done
    assert_valid_notebook(path)
    after = code_cells(path)
    for index in (1, 2):    # the skip-execution and nbval-skip cells
        assert after[index].outputs == before[index].outputs, (index, after[index])
    assert after[3].outputs != before[3].outputs       # the clock was run and stored anew
    assert_passes(check(tmp_path, path.name), path.name)


def test_update_exits_1_when_a_cell_fails_unexpectedly(tmp_path):
    path = tmp_path / "new_error.ipynb"
    done = update_copy(path)
    assert done.returncode == 1, done
    assert_valid_notebook(path)


# --- --junit --------------------------------------------------------------------------------

JUNIT_SET = ["passes.ipynb", "one_char_off.ipynb", "skips.ipynb", "no_longer_raises.ipynb"]


def test_junit_has_a_case_per_code_cell_with_failures_and_skips(folder):
    run = check(folder, "--junit", "report.xml", *JUNIT_SET)
    assert run.returncode == 1, run
    xml = junitparser.JUnitXml.fromfile(str(folder / "report.xml"))
    cases = {}
    for suite in xml:
        for case in suite:
            cases[(case.classname, case.name)] = case
            assert case.time >= 0
    expected_counts = {"passes.ipynb": 11, "one_char_off.ipynb": 3, "skips.ipynb": 5, "no_longer_raises.ipynb": 4}
    for name, count in expected_counts.items():
        assert len([c for c in cases if c[0] == name]) == count, (name, sorted(cases))
    failing = sorted(c for c, case in cases.items() if any(isinstance(r, junitparser.Failure) for r in case.result))
    assert failing == [("no_longer_raises.ipynb", "cell 2: head xs"), ("no_longer_raises.ipynb", "cell 3: xs !! 0"),
                       ("one_char_off.ipynb", "cell 2: mapM_ print [1, 2, 3]")], failing
    failure = cases[("one_char_off.ipynb", "cell 2: mapM_ print [1, 2, 3]")].result[0]
    assert "sum: 6" in (failure.text or "") and "sum: 7" in (failure.text or ""), failure.text
    skipped = sorted(c[1] for c, case in cases.items() if any(isinstance(r, junitparser.Skipped) for r in case.result))
    assert skipped == ['cell 2: error "skip-execution: this cell must not run"', "cell 3: let answer = 0 :: Int"]
    assert ("passes.ipynb", 'cell 11: putStrLn "naïve café λ → ✓"') in cases


def test_junit_has_the_structure_ci_systems_read(folder):
    check(folder, "--junit", "report.xml", *JUNIT_SET)
    root = ET.parse(folder / "report.xml").getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert suites and all(child.tag == "testsuite" for child in root)
    total = dict(tests=0, failures=0, skipped=0)
    for suite in suites:
        cases = suite.findall("testcase")
        counts = dict(tests=len(cases), failures=sum(len(c.findall("failure")) for c in cases),
                      skipped=sum(len(c.findall("skipped")) for c in cases))
        for key, value in counts.items():
            assert int(suite.get(key, "0")) == value, (key, ET.tostring(suite)[:300])
            total[key] += value
        assert int(suite.get("errors", "0")) == 0
        float(suite.get("time"))
        for case in cases:
            assert case.get("name") and case.get("classname"), case.attrib
            assert float(case.get("time")) >= 0
    assert total == dict(tests=23, failures=3, skipped=2), total
    for key, value in total.items():
        if root.get(key) is not None:
            assert int(root.get(key)) == value, (key, root.attrib)


def test_junit_cases_notebook_has_one_case_per_notebook(folder):
    names = ["passes.ipynb", "one_char_off.ipynb", "skips.ipynb"]
    check(folder, "--junit", "report.xml", "--junit-cases", "notebook", *names)
    xml = junitparser.JUnitXml.fromfile(str(folder / "report.xml"))
    cases = [case for suite in xml for case in suite]
    assert len(cases) == 3, [c.name for c in cases]
    failed = [c for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)]
    assert len(failed) == 1 and "one_char_off" in failed[0].classname + failed[0].name
    assert "sum: 7" in (failed[0].result[0].text or "")


# --- -p parameters --------------------------------------------------------------------------

@pytest.mark.parametrize("name, passing, failing, first_line", [
    ("n", "3", "4", "n * 2"),
    ("greeting", "hello", "goodbye", 'putStrLn (greeting ++ ", world")'),
    ("xs", "[1,2,3]", "[4,5]", "sum xs"),
    ("verbose", "False", "True", 'if verbose then putStrLn "verbose output" else putStrLn "quiet"'),
])
def test_a_parameter_that_changes_an_output_fails_the_check(folder, name, passing, failing, first_line):
    assert_passes(check(folder, "-p", name, passing, "parameters.ipynb"), "parameters.ipynb")
    report = assert_fails(check(folder, "-p", name, failing, "parameters.ipynb"), "parameters.ipynb", failed=1)
    assert report.cell(first_line), report.block


def test_parameters_are_typed_from_their_text(folder):
    report = assert_fails(check(folder, "-p", "n", "2.5", "parameters.ipynb"), "parameters.ipynb", failed=2)
    assert report.cell(":type n").plus[-1].endswith("n :: Double"), report.block
    assert report.cell("n * 2").plus[-1].endswith("5.0"), report.block


def test_a_string_parameter_is_an_escaped_literal_in_a_tagged_injected_cell(folder):
    value = 'say "hi" \\ bye'
    run = check(folder, "-p", "greeting", value, "-p", "n=42", "parameters.ipynb")
    assert_fails(run, "parameters.ipynb")
    cells = code_cells(folder / "parameters.out.ipynb")
    injected = [c for c in cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and cells[1] is injected[0], [c.source for c in cells]
    assert 'let greeting = "say \\"hi\\" \\\\ bye"' in injected[0].source, injected[0].source
    greeted = [c for c in cells if c.source == 'putStrLn (greeting ++ ", world")'][0]
    assert "".join(o.get("text", "") for o in greeted.outputs) == value + ", world\n", greeted.outputs
    doubled = [c for c in cells if c.source == "n * 2"][0]
    assert doubled.outputs[0]["data"]["text/plain"] == "84", doubled.outputs


def test_the_executed_copy_with_an_injected_cell_is_a_valid_notebook(folder):
    assert_fails(check(folder, "-p", "n", "4", "parameters.ipynb"), "parameters.ipynb")
    assert_valid_notebook(folder / "parameters.out.ipynb")


def test_cells_are_numbered_as_in_the_notebook_with_parameters_injected(folder):
    # `n * 2` is the notebook's second code cell, whatever -p injects after the first.
    report = assert_fails(check(folder, "-p", "n", "4", "parameters.ipynb"), "parameters.ipynb")
    assert report.cells == 6 and 2 in report.failing and report.failing[2].first_line == "n * 2", report.block


# --- Colour ---------------------------------------------------------------------------------

def test_no_colour_codes_through_a_pipe(folder):
    run = check(folder, "one_char_off.ipynb", "passes.ipynb")
    assert run.returncode == 1 and run.notebooks, run
    assert "\x1b" not in run.stdout and "\x1b" not in run.stderr


def run_in_terminal(folder, args, **env):
    child = pexpect.spawn(ghcbox_path(), ["run", "--check", *map(str, args)], cwd=str(folder), env=clean_env(**env),
                          timeout=180, encoding="utf-8", dimensions=(50, 200))
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_colour_only_on_a_terminal_and_never_with_no_color(folder):
    status, coloured = run_in_terminal(folder, ["one_char_off.ipynb"])
    assert status == 1 and "sum: 7" in coloured, coloured
    assert "\x1b[" in coloured
    status, plain = run_in_terminal(folder, ["one_char_off.ipynb"], NO_COLOR="1")
    assert status == 1 and "sum: 7" in plain, plain
    assert "\x1b" not in plain
