"""What a newcomer meets in the first hour, through a real client: every cell that does not end
`ok` shows an `error` output on iopub (frontends show iopub, not the reply), and `:quit` ends the
session on purpose, while `exit`, `quit` and `:exit` say how to leave."""
import re

from conftest import TIMEOUT, outputs, results, run_cell, stdout_text
from kernel_env import start_kernel, stop_kernel, wait_for_execute_input

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(lines):
    return "\n".join(ANSI.sub("", line) for line in lines)


def run(kc, code, **kwargs):
    """Executes code and returns (the whole reply, [iopub messages parented to it])."""
    messages = []
    kwargs.setdefault("allow_stdin", False)
    reply = kc.execute_interactive(code, timeout=TIMEOUT, output_hook=messages.append, **kwargs)
    return reply, messages


def iopub_until_idle(kc, msg_id):
    """The iopub messages parented to `msg_id`, up to and including its `idle`."""
    messages = []
    while True:
        message = kc.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(message)
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return messages


def reply_to(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def error_outputs(messages):
    return [m for m in messages if m["msg_type"] == "error"]


def assert_shows_error(messages, ename, reply=None):
    """One `error` output named `ename`, with a traceback, sent before the reply."""
    errors = error_outputs(messages)
    assert [e["content"]["ename"] for e in errors] == [ename], [m["msg_type"] for m in messages]
    shown = errors[0]
    assert shown["content"]["traceback"], shown
    if reply is not None:
        assert shown["header"]["date"] <= reply["header"]["date"]
    return shown["content"]


def test_an_interrupted_cell_shows_an_interrupted_error(kernel):
    km, kc = kernel
    msg_id = kc.execute("Control.Concurrent.threadDelay 60000000")
    wait_for_execute_input(kc, msg_id)
    km.interrupt_kernel()
    reply = reply_to(kc, msg_id)
    assert reply["content"]["status"] == "aborted"
    shown = assert_shows_error(iopub_until_idle(kc, msg_id), "Interrupted", reply)
    assert shown["evalue"] == reply["content"]["evalue"]


def test_a_cell_aborted_by_stop_on_error_shows_why(kernel):
    _, kc = kernel
    # The failing cell waits for input, so the next one is surely queued behind it.
    failing = kc.execute("s <- getLine\nerror s", allow_stdin=True)
    assert kc.get_stdin_msg(timeout=TIMEOUT)["msg_type"] == "input_request"
    queued = kc.execute('putStrLn "must not run"')
    kc.input("boom")
    assert reply_to(kc, failing)["content"]["status"] == "error"
    reply = reply_to(kc, queued)
    assert reply["content"]["status"] == "aborted"
    messages = iopub_until_idle(kc, queued)
    assert [m["msg_type"] for m in messages] == ["status", "error", "status"]
    shown = assert_shows_error(messages, "Aborted", reply)
    assert "earlier cell failed" in shown["evalue"] and "stop_on_error" in shown["evalue"]
    after, messages = run_cell(kc, 'putStrLn "next"')
    assert after["status"] == "ok" and stdout_text(messages) == "next\n"


def test_a_cell_refused_by_a_full_queue_shows_an_error():
    km, kc = start_kernel(GHCBOX_QUEUE_DEPTH=1)
    try:
        first = kc.execute("getLine", allow_stdin=True)
        assert kc.get_stdin_msg(timeout=TIMEOUT)["msg_type"] == "input_request"
        queued = kc.execute("1")
        refused = kc.execute("2")
        reply = reply_to(kc, refused)
        assert reply["content"]["ename"] == "queue-full"
        shown = assert_shows_error(iopub_until_idle(kc, refused), "queue-full", reply)
        assert shown["evalue"] == reply["content"]["evalue"]
        assert shown["traceback"] == reply["content"]["traceback"]
        kc.input("go on")
        assert reply_to(kc, first)["content"]["status"] == "ok"
        assert reply_to(kc, queued)["content"]["status"] == "ok"
    finally:
        stop_kernel(km, kc)


def assert_fresh_session(kc):
    """Earlier definitions are gone, nothing says the session ended unexpectedly, and cells run."""
    gone, messages = run(kc, "kept")
    assert gone["content"]["status"] == "error"
    assert gone["content"]["ename"] == "CompileError"
    shown = plain(error_outputs(messages)[0]["content"]["traceback"])
    assert "kept" in shown and "unexpectedly" not in shown + gone["content"]["evalue"]
    after, messages = run_cell(kc, "1 + 1")
    assert after["status"] == "ok" and results(messages) == ["2"]


def test_quit_ends_the_session_and_the_next_cell_gets_a_fresh_one(kernel):
    _, kc = kernel
    run_cell(kc, "kept = 42")
    reply, messages = run(kc, ":quit")
    assert reply["content"]["status"] == "ok"
    assert reply["metadata"].get("session_restarted") is True
    notice = stdout_text(messages)
    assert notice.startswith("Session ended (:quit).") and "fresh" in notice, notice
    assert not error_outputs(messages)
    assert_fresh_session(kc)


def test_q_with_trailing_spaces_ends_the_session_and_skips_the_rest_of_the_cell(kernel):
    _, kc = kernel
    reply, messages = run(kc, 'kept = 1\nputStrLn "before"\n:q   \nputStrLn "after"')
    assert reply["content"]["status"] == "ok"
    text = stdout_text(messages)
    assert text.startswith("before\nSession ended (:quit).") and "not run" in text, text
    assert "after" not in text
    assert_fresh_session(kc)


def test_leaving_words_that_do_not_work_say_what_does(kernel):
    _, kc = kernel
    run_cell(kc, "kept = 5")
    for attempt in ["exit", "quit", ":exit", ":bye"]:
        reply, messages = run(kc, attempt)
        assert reply["content"]["status"] == "error", attempt
        assert reply["content"]["ename"] == "CompileError", attempt
        shown = plain(assert_shows_error(messages, "CompileError", reply)["traceback"])
        assert ":quit" in shown and "Restart kernel" in shown, shown
        suggestion = reply["content"]["diagnostics"][0]["suggestion"]
        assert ":quit" in suggestion and "Restart kernel" in suggestion
    # None of them ended the session.
    kept, messages = run_cell(kc, "kept")
    assert kept["status"] == "ok" and results(messages) == ["5"]
