"""The protocol's lesser requests through jupyter_client against the installed ghcbox, as
consoles, inspectors and jupyter-resource-usage's kernel panel send them: usage_request on
control, kernel_info's features, inspection at both detail levels, history search with
`unique`, and is_complete's indent."""
import time

from conftest import TIMEOUT, run_cell

USAGE_KEYS = {"hostname", "pid", "kernel_cpu", "kernel_memory", "host_cpu_percent", "cpu_count", "host_virtual_memory"}


def usage(kc, timeout=10):
    """Sends usage_request on the control channel, as jupyter-resource-usage does, and returns
    the reply's content."""
    request = kc.session.msg("usage_request", {})
    kc.control_channel.send(request)
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.control_channel.get_msg(timeout=max(0.1, deadline - time.monotonic()))
        if reply["parent_header"].get("msg_id") == request["header"]["msg_id"]:
            assert reply["msg_type"] == "usage_reply"
            return reply["content"]


def shell_reply(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def inspect(kc, code, level, cursor=None):
    return shell_reply(kc, kc.inspect(code, len(code) if cursor is None else cursor, detail_level=level))


def test_usage_reply_has_ipykernels_fields_and_ghcboxs_budgets(kernel):
    km, kc = kernel
    run_cell(kc, "1 + 1")
    first = usage(kc)
    assert USAGE_KEYS <= first.keys(), first
    assert first["pid"] == km.provisioner.process.pid
    assert first["cpu_count"] >= 1
    assert first["kernel_memory"] > 0
    memory = first["host_virtual_memory"]
    assert {"total", "available", "percent", "used", "free"} <= memory.keys()
    assert 0 < memory["available"] <= memory["total"] and 0 <= memory["percent"] <= 100
    assert 0 <= first["host_cpu_percent"] <= 100
    ghcbox = first["ghcbox"]
    assert ghcbox["budgets"]["memory_mb"] > 0 and ghcbox["budgets"]["cpu_seconds"] > 0
    assert {"wall_seconds", "pids"} <= ghcbox["budgets"].keys()
    assert isinstance(ghcbox["cgroup"], bool)
    if ghcbox["cgroup"]:
        assert 0 < ghcbox["session"]["memory_bytes"] <= ghcbox["budgets"]["memory_mb"] << 20
        assert ghcbox["session"]["pids"] >= 1

    # A list of three million Ints kept alive by a binding: the session's memory grows by
    # tens of megabytes and stays within its budget; the cell's CPU shows in the next sample.
    reply, _ = run_cell(kc, "let xs = [1 .. 3000000] :: [Int]\nlength xs + sum xs `mod` 7")
    assert reply["status"] == "ok", reply
    after = usage(kc)
    assert after["kernel_memory"] > first["kernel_memory"] + (50 << 20), (first["kernel_memory"], after["kernel_memory"])
    assert after["kernel_memory"] < (after["ghcbox"]["budgets"]["memory_mb"] << 20) + (1 << 30)
    assert after["kernel_cpu"] > 0
    if after["ghcbox"]["cgroup"]:
        assert after["ghcbox"]["session"]["cpu_seconds"] > first["ghcbox"]["session"]["cpu_seconds"]


def test_usage_is_answered_while_a_cell_runs(kernel):
    km, kc = kernel
    run_cell(kc, "1")
    msg_id = kc.execute("let spin n = if n < 0 then n else spin (n + 1 :: Int) in spin 0")
    time.sleep(2)
    started = time.monotonic()
    busy = usage(kc, timeout=5)
    assert time.monotonic() - started < 5
    # The spinning cell keeps about one CPU busy (its budget: cpus = 1).
    assert busy["kernel_cpu"] > 30, busy["kernel_cpu"]
    km.interrupt_kernel()
    assert shell_reply(kc, msg_id)["status"] != "ok"


def test_kernel_info_names_its_protocol_and_optional_features(kernel):
    _, kc = kernel
    for channel in ("shell", "control"):
        if channel == "shell":
            info = shell_reply(kc, kc.kernel_info())
        else:
            request = kc.session.msg("kernel_info_request", {})
            kc.control_channel.send(request)
            info = kc.control_channel.get_msg(timeout=TIMEOUT)["content"]
        assert info["protocol_version"] == "5.4"
        assert info["supported_features"] == []
        assert info["debugger"] is False


def test_inspect_level_0_is_short_and_level_1_adds_instances_and_docs(kernel):
    _, kc = kernel
    short = inspect(kc, "Maybe", 0)
    assert short["found"] and "data Maybe a = Nothing | Just a" in short["data"]["text/plain"]
    assert "instance" not in short["data"]["text/plain"]
    assert short["data"]["text/markdown"].startswith("```haskell")
    full = inspect(kc, "Maybe", 1)
    assert "instance Functor Maybe" in full["data"]["text/plain"]
    # base is built with its Haddock text, which :doc reads.
    assert "optional value" in full["data"]["text/plain"]

    for level in (0, 1):
        folded = inspect(kc, "foldr (+) 0 [1, 2]", level, cursor=3)
        assert folded["found"] and "foldr :: (a -> b -> b) -> b -> t a -> b" in folded["data"]["text/plain"]
        assert ("Right-associative fold" in folded["data"]["text/plain"]) == (level == 1)


def test_inspect_finds_a_users_definition_and_not_a_missing_name(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, "double :: Int -> Int\ndouble x = x * 2")
    assert reply["status"] == "ok", reply
    for level in (0, 1):
        found = inspect(kc, "double 21", level, cursor=3)
        assert found["found"], found
        text = found["data"]["text/plain"]
        assert text.startswith("double :: Int -> Int") and "Defined at" in text
        # GHCi keeps no documentation for definitions made in the session.
        assert "unavailable" not in text
        missing = inspect(kc, "noSuchName", level)
        assert missing["status"] == "ok" and missing["found"] is False and missing["data"] == {}


def test_history_search_with_unique_drops_repeats(kernel):
    _, kc = kernel
    for code in ["1 + 1", "2 + 2", "1 + 1", "3 + 3", "1 + 1"]:
        run_cell(kc, code)

    def search(**kwargs):
        msg_id = kc.history(hist_access_type="search", pattern="*", raw=True, output=False, **kwargs)
        return [entry[2] for entry in shell_reply(kc, msg_id)["history"]]

    assert search() == ["1 + 1", "2 + 2", "1 + 1", "3 + 3", "1 + 1"]
    assert search(unique=True) == ["2 + 2", "3 + 3", "1 + 1"]
    assert search(unique=True, n=2) == ["3 + 3", "1 + 1"]
    msg_id = kc.history(hist_access_type="search", pattern="1*", raw=True, output=False, unique=True)
    assert [entry[1] for entry in shell_reply(kc, msg_id)["history"]] == [5]


def test_is_complete_indents_as_haskell_layout_needs(kernel):
    _, kc = kernel
    cases = {
        "f x = do": ("incomplete", "  "),
        "case x of": ("incomplete", "  "),
        "let y =": ("incomplete", "      "),
        "main = do\n  let y =": ("incomplete", "        "),
        "f = g\n  where": ("incomplete", "    "),
        "f x\n  | x > 0 = 1": ("incomplete", "  "),
        "main = do\n  print 1": ("incomplete", "  "),
        "main = do\n  print 1\n": ("complete", None),
        "f x = x + 1": ("complete", None),
        "1 + 2)": ("invalid", None),
    }
    for code, (status, indent) in cases.items():
        reply = shell_reply(kc, kc.is_complete(code))
        assert reply["status"] == status, (code, reply)
        assert reply.get("indent") == indent, (code, reply)
