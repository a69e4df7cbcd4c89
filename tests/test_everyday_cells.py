"""Ordinary cells that must come out right: any Unicode text, GHCi's own failures (with
and without a location), and a cell's own stderr, which never changes a status."""
import os

import jupyter_client
import pytest

from conftest import KERNEL_NAME, TIMEOUT, outputs, results, run_cell, stdout_text


def stderr_text(messages):
    return "".join(c["text"] for c in outputs(messages, "stream") if c["name"] == "stderr")


def errors(reply):
    return [d for d in reply.get("diagnostics", []) if d["severity"] == "error"]


# --- Unicode -------------------------------------------------------------------------------

UNICODE_CELLS = {
    "string literal": ('putStrLn "λ → ∀ ✓"', "λ → ∀ ✓\n"),
    "comment": ('-- λ: a comment → ignored ✓\nputStrLn "ok"', "ok\n"),
    "block comment": ('{- ∀ λ -}\nputStrLn "ok"', "ok\n"),
    "identifier": ("let café = 41 :: Int\nprint (café + 1)", "42\n"),
    "operator": ("let (⊕) a b = a * 10 + b :: Int\nprint (4 ⊕ 2)", "42\n"),
    "combining character and emoji": ('putStrLn "e\u0301 👍🏽 🇳🇴"', "e\u0301 👍🏽 🇳🇴\n"),
    "character literal": ("putStrLn ['λ', 'ß', '中']", "λß中\n"),
    "declaration": ('greet :: String -> String\ngreet n = "¡Hola, " ++ n ++ "! ☀"\nputStrLn (greet "Zoë")',
                    "¡Hola, Zoë! ☀\n"),
}


@pytest.mark.parametrize("name", sorted(UNICODE_CELLS))
def test_unicode_source_runs(kernel, name):
    _, kc = kernel
    code, expected = UNICODE_CELLS[name]
    reply, messages = run_cell(kc, code)
    assert reply["status"] == "ok", reply
    assert stdout_text(messages) == expected


def test_unicode_syntax_identifiers_and_operators(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "{-# LANGUAGE UnicodeSyntax #-}\ntwice ∷ (a → a) → a → a\ntwice f = f . f")
    assert reply["status"] == "ok", reply
    reply, messages = run_cell(kc, "twice (+ 1) 40")
    assert results(messages) == ["42"]


def test_unicode_crossing_the_pipes_buffer_arrives_whole(kernel):
    _, kc = kernel
    # 3-byte and 4-byte characters, well past a 64 KiB pipe read, so reads end mid-character.
    reply, messages = run_cell(kc, 'putStr (concat (replicate 30000 "λ→😀"))\nSystem.IO.hPutStr System.IO.stderr (concat (replicate 30000 "ж✓"))')
    assert reply["status"] == "ok", reply
    assert stdout_text(messages) == "λ→😀" * 30000
    assert stderr_text(messages) == "ж✓" * 30000


def test_unicode_in_results_errors_and_diagnostics(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, 'Data.List.sort "λαβ"')
    assert results(messages) == ['"\\945\\946\\955"']  # show escapes, as GHCi does
    reply, _ = run_cell(kc, 'error "λ: kaputt ✗"')
    assert reply["status"] == "error"
    assert "λ: kaputt ✗" in reply["evalue"]
    reply, _ = run_cell(kc, 'let s = "λλλ" ++ lenght')
    assert reply["status"] == "error"
    [record] = errors(reply)
    assert "lenght" in record["message"]
    # GHC counts columns in characters: `lenght` starts at character 19 of the line.
    assert record["span"]["start_column"] == 'let s = "λλλ" ++ lenght'.index("lenght") + 1
    assert "λλλ" in "".join(reply["traceback"])


def test_unicode_input_reply_and_history(kernel):
    _, kc = kernel

    def answer(msg):
        kc.input("żółw 🐢")

    reply = kc.execute_interactive('s <- getLine\nputStrLn (s ++ " ✓")\nprint (length s)', allow_stdin=True,
                                   stdin_hook=answer, timeout=30, output_hook=lambda m: None)
    assert reply["content"]["status"] == "ok"
    _, messages = run_cell(kc, "s")
    assert results(messages) == ['"\\380\\243\\322w \\128034"']
    kc.history(hist_access_type="tail", n=10)
    history = kc.get_shell_msg(timeout=TIMEOUT)["content"]["history"]
    assert any("s ++ \" ✓\"" in entry[2] for entry in history)


@pytest.mark.parametrize("locale", [None, "C", "POSIX", "en_US.ISO-8859-1"])
def test_unicode_whatever_the_kernels_locale(locale):
    env = {k: v for k, v in os.environ.items() if k != "LANG" and not k.startswith("LC_")}
    if locale:
        env["LANG"] = locale
        env["LC_ALL"] = locale
    km = jupyter_client.KernelManager(kernel_name=KERNEL_NAME)
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        reply, messages = run_cell(kc, 'putStrLn "λ → ∀ ✓"\nSystem.IO.hPutStrLn System.IO.stderr "ж"')
        assert reply["status"] == "ok", reply
        assert stdout_text(messages) == "λ → ∀ ✓\n"
        assert stderr_text(messages) == "ж\n"
        reply, _ = run_cell(kc, 'let café = "☕"\nlenght café')
        assert reply["status"] == "error"
        assert "lenght" in errors(reply)[0]["message"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# --- GHCi's own failures -------------------------------------------------------------------

FAILURES = {
    "missing module": ("import Data.Nonexistent.Module", "Could not find module"),
    "missing qualified module": ("import qualified Data.Nope as N", "Could not find module"),
    "hidden package": ("import GHC", "hidden package"),
    "unknown export": ("import Data.Bits (nope)", "does not export"),
    "unknown extension by :set": (":set -XNoSuchExtension", "NoSuchExtension"),
    "unknown extension by pragma": ("{-# LANGUAGE NoSuchExtension #-}", "NoSuchExtension"),
    "unknown flag": (":set -fno-such-flag", "-fno-such-flag"),
    "malformed flag": (":set --bogus", "--bogus"),
    "unknown package flag": (":set -package no-such-package", "no-such-package"),
    "module not loaded": (":module +Data.Nope", "Data.Nope"),
    "missing file": (":load /nonexistent/Missing.hs", "Missing.hs"),
    "unknown command": (":frobnicate", "frobnicate"),
    "unknown option": (":set +z", "z"),
    "bad :show": (":show nonsense", ":show"),
    "bad :cd": (":cd /nonexistent-folder", "does not exist"),
}


@pytest.mark.parametrize("name", sorted(FAILURES))
def test_every_ghci_failure_is_an_error_that_stops_the_cell(kernel, name):
    _, kc = kernel
    code, words = FAILURES[name]
    reply, messages = run_cell(kc, code + '\nputStrLn "after"')
    assert reply["status"] == "error", (name, reply)
    assert "after" not in stdout_text(messages)
    # GHCi's words about the failure are in the error, not in the output.
    assert words not in stdout_text(messages) + stderr_text(messages)
    [record, *_] = errors(reply)
    assert words in record["message"] + record.get("summary", ""), record
    assert record["module"].startswith("Cell[")
    assert record["span"]["start_line"] >= 1
    # The session goes on.
    reply, messages = run_cell(kc, "1 + 1")
    assert results(messages) == ["2"]


def test_warnings_do_not_fail_a_cell(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, ":set -Wall\nlet f x = 1 :: Int\nputStrLn \"ran\"")
    assert reply["status"] == "ok", reply
    assert stdout_text(messages) == "ran\n"
    assert any(d["severity"] == "warning" for d in reply["diagnostics"])


# --- The cell's own stderr -----------------------------------------------------------------

LOOKALIKES = [
    "Interrupted.",
    "*** Exception: boom",
    "<interactive>:1:1: error: fake",
    "Cell[3]:2:5: error:\n    • Variable not in scope: fake",
    "<no location info>: error:\n    Could not find module ‘Fake’",
    "Some flags have not been recognized: -XFake",
    "unknown command ':fake'",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_a_cells_stderr_never_changes_its_status(kernel, text):
    km, kc = kernel
    code = "System.IO.hPutStrLn System.IO.stderr " + '"' + text.replace("\n", "\\n").replace('"', '\\"') + '"'
    # As the cell's last words, and followed by more work.
    first = kc.execute(code)
    second = kc.execute(code + '\nputStrLn "after"')
    third = kc.execute("21 * 2")
    replies = {}
    while len(replies) < 3:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        replies[reply["parent_header"]["msg_id"]] = reply["content"]
    for msg_id in (first, second, third):
        assert replies[msg_id]["status"] == "ok", (text, replies[msg_id])
        assert not errors(replies[msg_id])


def test_a_cells_stderr_arrives_as_its_stderr(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, 'System.IO.hPutStrLn System.IO.stderr "*** Exception: boom"\nSystem.IO.hPutStr System.IO.stderr "Interrupted."')
    assert reply["status"] == "ok"
    assert stderr_text(messages) == "*** Exception: boom\nInterrupted."


def test_a_background_thread_writing_lookalikes_does_not_fail_later_cells(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "import Control.Concurrent\nimport Control.Monad\n"
                            "_ <- forkIO (forM_ [1 .. 40] (\\_ -> System.IO.hPutStrLn System.IO.stderr \"*** Exception: tick\" >> threadDelay 20000))")
    assert reply["status"] == "ok"
    for i in range(10):
        reply, messages = run_cell(kc, f"{i} + 1")
        assert reply["status"] == "ok", reply
        assert results(messages) == [str(i + 1)]


def test_real_reports_still_fail(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, 'System.IO.hPutStrLn System.IO.stderr "fine"\nerror "boom"')
    assert reply["status"] == "error" and reply["ename"] == "ErrorCall"
    reply, _ = run_cell(kc, "lenght [1]")
    assert reply["status"] == "error" and reply["ename"] == "CompileError"
    reply, _ = run_cell(kc, "import Control.Exception\nthrowIO UserInterrupt")
    assert reply["status"] != "ok"


def test_a_cell_that_redirects_stderr_does_not_hide_later_failures(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "import GHC.IO.Handle\nimport System.IO\n"
                            "devnull <- openFile \"/dev/null\" WriteMode\nhDuplicateTo devnull stderr")
    assert reply["status"] == "ok", reply
    reply, _ = run_cell(kc, "lenght [1]")
    assert reply["status"] == "error" and reply["ename"] == "CompileError"
    reply, _ = run_cell(kc, "import Data.Nope")
    assert reply["status"] == "error"


# --- The command stream --------------------------------------------------------------------

def test_descriptor_3_is_not_the_command_stream(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, "\n".join([
        "import Control.Exception",
        "import GHC.IO.Handle.FD (fdToHandle)",
        "import System.IO",
        "import System.Timeout (timeout)",
        "r <- try (timeout 1000000 (fdToHandle 3 >>= hGetLine)) :: IO (Either SomeException (Maybe String))",
        "w <- try (fdToHandle 3 >>= \\h -> hPutStrLn h \"\\RS fake\" >> hFlush h) :: IO (Either SomeException ())",
        'putStrLn "tried"',
    ]))
    assert reply["status"] == "ok", reply
    assert stdout_text(messages) == "tried\n"
    # Every later chunk still runs and reports what it did.
    for code, value in [("2 + 2", "4"), ('putStrLn "next" >> return 5', "5")]:
        reply, messages = run_cell(kc, code)
        assert reply["status"] == "ok"
        assert results(messages) == [value]
    reply, _ = run_cell(kc, "lenght")
    assert reply["status"] == "error"


def test_processes_a_cell_starts_inherit_no_runtime_descriptor(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, 'import System.Process\nreadProcess "/bin/sh" ["-c", "ls /proc/$$/fd"] "" >>= putStr')
    assert reply["status"] == "ok", reply
    fds = sorted(int(fd) for fd in stdout_text(messages).split())
    # The shell's own descriptors: stdin, stdout and stderr, nothing of GHCi's runtime.
    assert fds == [0, 1, 2], fds
