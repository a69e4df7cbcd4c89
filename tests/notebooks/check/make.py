"""Writes the fixture notebooks of tests/test_notebook_check.py, whose stored outputs come from
really running them with `ghcbox run`.

    .venv/bin/python tests/notebooks/check/make.py [--ghcbox PATH]

Each notebook is run once as it was "when its outputs were saved" (a cell's `ran_as` source,
else its own), then given its present sources, and its outputs edited where a case needs it:
streams split over several outputs as some front ends store them, and volatile values (an
address, GHCi's `:set +s` statistics, the clock) set to fixed values, so that a check without
the right sanitiser fails every time rather than by chance. Cell ids are derived from the
notebook's name, so running this again changes only what the run itself changes.
"""
import argparse
import copy
import pathlib
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Optional

import nbformat
import nbformat.v4
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))


@dataclass
class Code:
    source: str
    tags: tuple = ()
    ran_as: Optional[str] = None      # the source whose outputs are stored, when it differs
    fails: bool = False               # whether the run that stores outputs has this cell fail
    edit: Optional[Callable[[list], list]] = None   # changes the recorded outputs before storing
    kept: Optional[str] = None        # stdout stored for a cell the run skips (its tags say so)


@dataclass
class Markdown:
    source: str


@dataclass
class Notebook:
    name: str
    about: str
    cells: list = field(default_factory=list)


def split_stream(*pieces):
    """Stores a cell's one stream output as several outputs of the same stream, cut as given."""
    def edit(outputs):
        (only,) = outputs
        assert only["output_type"] == "stream" and only["text"] == "".join(pieces), only
        return [dict(only, text=piece) for piece in pieces]
    return edit


def replace_text(pattern, fixed):
    """Sets every match of pattern in the stored stream text and text/plain to a fixed value."""
    def edit(outputs):
        changed = 0
        for output in outputs:
            if output["output_type"] == "stream":
                output["text"], n = re.subn(pattern, fixed, output["text"])
                changed += n
            elif "data" in output and "text/plain" in output["data"]:
                output["data"]["text/plain"], n = re.subn(pattern, fixed, output["data"]["text/plain"])
                changed += n
        assert changed, (pattern, outputs)
        return outputs
    return edit


def add_mime(mime, value):
    def edit(outputs):
        (result,) = outputs
        result["data"][mime] = value
        return outputs
    return edit


STATS = r"\(\d+\.\d+ secs, [\d,]+ bytes\)"
CLOCK = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC"

NOTEBOOKS = [
    Notebook("passes", "Every stored output is what ghcbox prints: passes.", [
        Markdown("# Stored outputs that a check reproduces"),
        Code('putStrLn "one"\nputStrLn "two"\nputStrLn "three"',
             edit=split_stream("one\n", "two\nthr", "ee\n")),
        Code('import System.IO\nhPutStrLn stderr "a warning on stderr"'),
        Code("6 * 7"),
        Code('putStr "no newline at the end"'),
        Code("double :: Int -> Int\ndouble x = 2 * x"),
        Code("map double [1, 2, 3]"),
        Code('error "boom"', tags=("raises-exception",), fails=True),
        Code("head ([] :: [Int])", tags=("nbval-raises-exception",), fails=True),
        Code("double 21"),
        Code('import qualified Data.Map as Map\nMap.fromList [(1, "one"), (2, "two")]'),
        Code('putStrLn "naïve café λ → ✓"'),
    ]),
    Notebook("one_char_off", "Cell 2's stored output says 'sum: 6'; the code now prints 'sum: 7'.", [
        Code("let total = sum [1, 2, 4] :: Int", ran_as="let total = sum [1, 2, 3] :: Int"),
        Code('mapM_ print [1, 2, 3]\nputStrLn ("sum: " ++ show total)'),
        Code('putStrLn "unchanged"'),
    ]),
    Notebook("new_error", "Cell 2 stored the value 5; the list is now empty, so it fails.", [
        Code("let xs = [] :: [Int]", ran_as="let xs = [5, 6, 7] :: [Int]"),
        Code("head xs"),
        Code('putStrLn "still runs"'),
    ]),
    Notebook("no_longer_raises", "Cells 2 and 3 are tagged to fail and stored an error; they no longer fail.", [
        Code("let xs = [7] :: [Int]", ran_as="let xs = [] :: [Int]"),
        Code("head xs", tags=("raises-exception",), fails=True),
        Code("xs !! 0", tags=("nbval-raises-exception",), fails=True),
        Code('putStrLn "end"'),
    ]),
    Notebook("evalue", "Cell 1 fails as tagged, with a different message (evalue) than stored.", [
        Code('error "the new message"', tags=("raises-exception",), ran_as='error "the old message"', fails=True),
        Code('putStrLn "after"'),
    ]),
    Notebook("slow_cell", "Cell 2 sleeps 6 s: passes unless --cell-timeout or --timeout is shorter.", [
        Code('import Control.Concurrent (threadDelay)\nputStrLn "before the sleep"'),
        Code('threadDelay 6000000 >> putStrLn "woke up"'),
        Code('putStrLn "after the sleep"'),
    ]),
    Notebook("volatile", "An address and :set +s statistics: passes only with the built-in sanitisers.", [
        Code("import Foreign\np <- mallocBytes 64 :: IO (Ptr Word8)\nprint p",
             edit=replace_text(r"0x[0-9a-f]+", "0x00007f3a5c0012a0")),
        Code(":set +s\nputStrLn (show (sum [1 .. 1000 :: Int]))",
             edit=replace_text(STATS, "(0.01 secs, 1,234,567 bytes)")),
        Code(':unset +s\nputStrLn "done"'),
    ]),
    Notebook("clock", "The clock's date and time: passes only with clock-sanitize.cfg.", [
        Code("import Data.Time"),
        Code("getCurrentTime", edit=replace_text(CLOCK, "2024-02-29 12:34:56.789012345 UTC")),
        Code("utctDay <$> getCurrentTime", edit=replace_text(r"\d{4}-\d\d-\d\d", "2024-02-29")),
        Code('putStrLn "the clock is read"'),
    ]),
    Notebook("parameters", "Defaults in the `parameters` cell; `-p NAME VALUE` changes the outputs.", [
        Code('-- the defaults; ghcbox run -p NAME VALUE overrides them\nlet n = 3 :: Integer\n'
             'let greeting = "hello"\nlet xs = [1, 2, 3] :: [Integer]\nlet verbose = False',
             tags=("parameters",)),
        Code("n * 2"),
        Code(":type n"),
        Code('putStrLn (greeting ++ ", world")'),
        Code("sum xs"),
        Code('if verbose then putStrLn "verbose output" else putStrLn "quiet"'),
    ]),
    Notebook("skips", "Skipped cells would fail if run; the ignored cell prints the clock.", [
        Code("let answer = 42 :: Int"),
        Code('error "skip-execution: this cell must not run"', tags=("skip-execution",),
             kept="output stored before the cell was tagged\n"),
        Code("let answer = 0 :: Int", tags=("nbval-skip",), kept="stored too\n"),
        Code("import Data.Time.Clock.POSIX\ngetPOSIXTime", tags=("nbval-ignore-output",),
             edit=replace_text(r"\d+\.\d+s", "1709210096.789012345s")),
        Code("answer"),
    ]),
    Notebook("mime", "A stored text/html beside text/plain: compared only with --compare-mime.", [
        Code("1 + 1", edit=add_mime("text/html", "<pre>2</pre>")),
    ]),
]

METADATA = {
    "kernelspec": {"name": "ghcbox", "display_name": "Haskell (ghcbox)", "language": "haskell"},
    "language_info": {"name": "haskell", "file_extension": ".hs"},
}


def build(spec, present):
    """The notebook with each cell's present source (present) or the source it was run as."""
    cells = []
    for index, cell in enumerate(spec.cells):
        cell_id = f"{spec.name.replace('_', '-')}-{index}"
        if isinstance(cell, Markdown):
            cells.append(new_markdown_cell(cell.source, id=cell_id))
            continue
        source = cell.source if present or cell.ran_as is None else cell.ran_as
        metadata = {"tags": list(cell.tags)} if cell.tags else {}
        cells.append(new_code_cell(source, id=cell_id, metadata=metadata))
    return new_notebook(cells=cells, metadata=copy.deepcopy(METADATA))


def record(spec, ghcbox, folder):
    """Runs the notebook as it was when its outputs were saved; returns the executed notebook."""
    source = folder / f"{spec.name}.ipynb"
    executed = folder / f"{spec.name}.ran.ipynb"
    nbformat.write(build(spec, present=False), source)
    done = subprocess.run([ghcbox, "run", str(source), "--output", str(executed)], capture_output=True,
                          text=True, timeout=300)
    if done.returncode not in (0, 1) or not executed.exists():
        sys.exit(f"make.py: ghcbox run {source} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return nbformat.read(executed, as_version=4)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ghcbox", help="the ghcbox binary (default: the one the kernelspec `ghcbox` runs)")
    args = parser.parse_args()
    if args.ghcbox is None:
        from ghcbox_binary import ghcbox_path
        args.ghcbox = ghcbox_path()
    with tempfile.TemporaryDirectory() as scratch:
        for spec in NOTEBOOKS:
            ran = record(spec, args.ghcbox, pathlib.Path(scratch))
            notebook = build(spec, present=True)
            notebook.metadata["ghcbox_fixture"] = spec.about
            code_index = 0
            for cell, spec_cell, ran_cell in zip(notebook.cells, spec.cells, ran.cells):
                if not isinstance(spec_cell, Code):
                    continue
                code_index += 1
                if spec_cell.kept is not None:
                    # ghcbox run does not run a skipped cell, so its outputs are the ones a
                    # run before it was tagged would have stored.
                    if ran_cell.outputs or ran_cell.execution_count is not None:
                        sys.exit(f"make.py: {spec.name}: the skipped cell {spec_cell.source!r} was run")
                    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=spec_cell.kept)]
                    cell.execution_count = code_index
                    continue
                outputs = [dict(o) for o in ran_cell.outputs]
                failed = any(o["output_type"] == "error" for o in outputs)
                # A fixture whose recorded run fails where it should not (or the reverse) would
                # test the wrong thing, so it is not written.
                if failed != spec_cell.fails:
                    sys.exit(f"make.py: {spec.name}: cell {spec_cell.source!r} "
                             f"{'failed' if failed else 'did not fail'} when run: {outputs}")
                if spec_cell.edit:
                    outputs = spec_cell.edit(outputs)
                cell.outputs = [nbformat.from_dict(o) for o in outputs]
                cell.execution_count = ran_cell.execution_count
            nbformat.validate(notebook)
            nbformat.write(notebook, HERE / f"{spec.name}.ipynb")
            print(f"wrote {HERE / spec.name}.ipynb")


if __name__ == "__main__":
    main()
