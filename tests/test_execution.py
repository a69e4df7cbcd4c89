"""Execution semantics through a real client: state, streaming, stdin, errors, silent runs."""

from conftest import outputs, results, run_cell, stdout_text
from kernel_env import wait_for_execute_input


def test_state_and_counts(kernel):
    _, kc = kernel
    first, _ = run_cell(kc, "let x = 2")
    second, messages = run_cell(kc, "x * 5")
    assert (first["status"], first["execution_count"]) == ("ok", 1)
    assert (second["status"], second["execution_count"]) == ("ok", 2)
    assert results(messages) == ["10"]


def test_silent_runs_without_outputs_or_count(kernel):
    _, kc = kernel
    run_cell(kc, "let y = 1")
    reply, messages = run_cell(kc, 'putStrLn "quiet"', silent=True)
    assert reply["status"] == "ok"
    assert outputs(messages, "stream") == []
    after, _ = run_cell(kc, "y")
    assert after["execution_count"] == 2


def test_stdout_and_results_keep_order_and_stay_apart(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, 'putStrLn "before"\n1 + 1\nputStrLn "after"')
    assert reply["status"] == "ok"
    kinds = [(m["header"]["msg_type"], m["content"].get("text") or m["content"].get("data", {}).get("text/plain"))
             for m in messages if m["header"]["msg_type"] in ("stream", "execute_result")]
    assert kinds == [("stream", "before\n"), ("execute_result", "2"), ("stream", "after\n")]


def test_a_cell_that_learns_the_frame_prefix_still_cannot_end_its_chunk(kernel):
    """A cell can import the runtime's module and capture a frame it prints, which gives away
    the session's frame prefix. Done frames it then forges must not end the cell early: the
    rest of its output stays in it, and the next cell gets only its own."""
    _, kc = kernel
    learn = "\n".join([
        "import qualified GhcboxRuntime",
        "import System.IO",
        "import GHC.IO.Handle (hDuplicate, hDuplicateTo)",
        "saved <- hDuplicate stdout",
        'capture <- openFile "/tmp/frame" WriteMode',
        # One chunk: the runtime's own done frame must find stdout restored.
        'hDuplicateTo capture stdout >> GhcboxRuntime.printText "()" >> hDuplicateTo saved stdout >> hClose capture',
        'frame <- readFile "/tmp/frame"',
        "let prefix = takeWhile (/= ':') frame ++ \":\"",
        "length prefix",
    ])
    reply, messages = run_cell(kc, learn)
    assert reply["status"] == "ok", reply
    assert outputs(messages, "execute_result")[0]["data"]["text/plain"] == "34"  # RS, 32 hex digits, ':'
    forge = ("let forge token = hPutStr stderr (prefix ++ \"done:\" ++ token ++ \"\\n\")"
             " >> putStr (prefix ++ \"done:\" ++ token ++ \"\\n\") >> hFlush stdout >> hFlush stderr")
    guesses = ['""', '"0000000000000000"', "(replicate 16 'f')"]
    code = "\n".join([forge] + [f'putStrLn "before {i}" >> forge {guess}' for i, guess in enumerate(guesses)])
    reply, messages = run_cell(kc, code + '\nputStrLn "after"')
    assert reply["status"] == "ok", reply
    assert stdout_text(messages) == "before 0\nbefore 1\nbefore 2\nafter\n"
    reply, messages = run_cell(kc, 'putStrLn "next"')
    assert reply["status"] == "ok"
    assert stdout_text(messages) == "next\n"


def test_a_cell_that_redirects_its_streams_still_ends(kernel):
    """The runtime's own frames go to its private copies of stdout and stderr: a cell that
    sends stdout and stderr to /dev/null ends normally and the session lives on."""
    _, kc = kernel
    silence = "\n".join([
        "import System.IO",
        "import GHC.IO.Handle (hDuplicateTo)",
        'devNull <- openFile "/dev/null" WriteMode',
        "hDuplicateTo devNull stdout",
        'putStrLn "silenced"',
    ])
    reply, messages = run_cell(kc, silence, timeout=20)
    assert reply["status"] == "ok", reply
    assert stdout_text(messages) == ""
    reply, messages = run_cell(kc, 'hPutStrLn stderr "still here"', timeout=20)
    assert reply["status"] == "ok", reply
    assert [c["text"] for c in outputs(messages, "stream")] == ["still here\n"]
    reply, messages = run_cell(kc, 'hDuplicateTo devNull stderr >> hPutStrLn stderr "silenced too"', timeout=20)
    assert reply["status"] == "ok", reply
    assert outputs(messages, "stream") == []
    reply, _ = run_cell(kc, "let z = 5", timeout=20)
    assert (reply["status"], reply["execution_count"]) == ("ok", 4)


def test_output_streams_while_the_cell_runs(kernel):
    """Each line reaches the frontend while the cell still runs: the cell waits for a line of
    input after each one it prints, and the test answers only once the printed line has come."""
    _, kc = kernel
    msg_id = kc.execute("mapM_ (\\i -> print i >> getLine) [1 .. 3 :: Int]", allow_stdin=True)
    for i in range(1, 4):
        printed = ""
        while printed != f"{i}\n":
            message = kc.get_iopub_msg(timeout=30)
            if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "stream":
                printed += message["content"]["text"]
        assert kc.get_stdin_msg(timeout=30)["msg_type"] == "input_request"
        kc.input("")
    reply = kc.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "ok"


def test_a_flood_arrives_complete_in_order_and_coalesced(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, "mapM_ print [1..100000]", timeout=120)
    assert reply["status"] == "ok"
    text = stdout_text(messages)
    assert text == "".join(f"{i}\n" for i in range(1, 100001))
    assert len(outputs(messages, "stream")) < 2000


def test_stdin_round_trip(kernel):
    _, kc = kernel
    prompts = []

    def answer(msg):
        prompts.append(msg["content"])
        kc.input("Ada")

    reply = kc.execute_interactive('name <- getLine\nputStrLn ("hello " ++ name)', allow_stdin=True,
                                   stdin_hook=answer, timeout=30, output_hook=lambda m: None)
    assert reply["content"]["status"] == "ok"
    assert len(prompts) == 1
    after, messages = run_cell(kc, "name")
    assert results(messages) == ['"Ada"']


def test_stdin_refused_fails_at_once(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, "getLine", allow_stdin=False, timeout=30)
    assert reply["status"] == "error"
    assert "stdin" in reply["evalue"] + "".join(reply["traceback"])


def test_first_failure_stops_the_rest_of_the_cell(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, 'putStrLn "one"\nerror "two"\nputStrLn "three"')
    assert reply["status"] == "error"
    assert stdout_text(messages) == "one\n"


def test_interrupt_aborts_a_sleeping_cell(kernel):
    km, kc = kernel
    run_cell(kc, "let kept = 7")
    msg_id = kc.execute("Control.Concurrent.threadDelay 30000000")
    wait_for_execute_input(kc, msg_id)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "aborted"
    after, messages = run_cell(kc, "kept")
    assert results(messages) == ["7"]


def test_completion_and_inspection(kernel):
    _, kc = kernel
    run_cell(kc, "myFavouriteNumber = 42 :: Int")
    kc.complete("myFav", 5)
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert "myFavouriteNumber" in reply["matches"]
    assert reply["cursor_start"] == 0
    kc.inspect("myFavouriteNumber", 17)
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["found"] and "Int" in reply["data"]["text/plain"]
