"""Rich output and widgets the way a frontend meets them: examples/rich-output.ipynb executed by
nbclient, then comms driven by hand through jupyter_client, as JupyterLab's widget manager and a
custom comm target drive them."""
import base64
import importlib.util
import queue
import subprocess
import time
import uuid

import nbclient
import nbformat
import pytest

from conftest import KERNEL_NAME, REPO, TIMEOUT, outputs, results, run_cell, stdout_text
from kernel_env import start_kernel, stop_kernel

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def installed(package):
    """Whether GHC's global package database has `package` (Debian's libghc-*-dev packages)."""
    return subprocess.run(["ghc-pkg", "--global", "field", package, "id"], capture_output=True).returncode == 0


needs_chart = pytest.mark.skipif(not installed("Chart-cairo"), reason="Chart-cairo is not installed in GHC's global package database")
needs_diagrams = pytest.mark.skipif(not installed("diagrams-svg"), reason="diagrams-svg is not installed in GHC's global package database")


# --- The notebook, executed by nbclient ----------------------------------------------------

@pytest.fixture(scope="module")
def notebook():
    nb = nbformat.read(REPO / "examples" / "rich-output.ipynb", as_version=4)
    # Every cell runs even if one fails, so each test below reports on its own cell.
    client = nbclient.NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=300, allow_errors=True)
    client.execute()
    return nb


def cell_with(nb, text):
    """The one code cell whose source contains `text`."""
    found = [c for c in nb.cells if c.cell_type == "code" and text in c.source]
    assert len(found) == 1, f"{len(found)} cells contain {text!r}"
    return found[0]


def rich_outputs(cell):
    """The cell's display_data and execute_result outputs; an error output fails the test with its message."""
    errors = [f"{o.ename}: {o.evalue}" for o in cell.outputs if o.output_type == "error"]
    assert not errors, f"the cell failed: {errors[0]}"
    return [o for o in cell.outputs if o.output_type in ("display_data", "execute_result")]


def test_the_notebook_is_what_its_script_writes_without_outputs():
    spec = importlib.util.spec_from_file_location("make_rich_output", REPO / "examples" / "make_rich_output.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    stored = (REPO / "examples" / "rich-output.ipynb").read_text()
    assert stored == nbformat.writes(script.notebook()) + "\n", "run examples/make_rich_output.py"
    for cell in nbformat.reads(stored, as_version=4).cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_a_table_from_haskell_data_is_html(notebook):
    [result] = rich_outputs(cell_with(notebook, "table ["))
    assert result.output_type == "execute_result"
    assert result.data["text/html"].startswith("<table><tr><th>Planet</th>")
    assert "<tr><td>Jupiter</td><td>95</td><td>69911.0</td></tr>" in result.data["text/html"]


def test_markdown_and_latex(notebook):
    shown, result = rich_outputs(cell_with(notebook, "markdown ("))
    assert shown.output_type == "display_data"
    assert shown.data["text/markdown"] == "The largest planet is **Jupiter**, with 95 known moons."
    assert result.output_type == "execute_result"
    assert result.data["text/latex"] == "$$\\sum_{k=1}^{100} k^2 = 338350$$"


@needs_diagrams
def test_a_diagram_is_svg(notebook):
    [result] = rich_outputs(cell_with(notebook, "sierpinski 6"))
    assert "image/svg+xml" in result.data, sorted(result.data)
    assert "<svg" in result.data["image/svg+xml"]


@needs_chart
def test_a_chart_is_png(notebook):
    [result] = rich_outputs(cell_with(notebook, "toRenderable"))
    assert "image/png" in result.data, sorted(result.data)
    assert base64.b64decode(result.data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")


def test_a_vega_lite_spec(notebook):
    [result] = rich_outputs(cell_with(notebook, "vegaLite"))
    spec = result.data["application/vnd.vegalite.v5+json"]
    assert spec["mark"] == "bar"
    assert [v["planet"] for v in spec["data"]["values"]] == ["Mercury", "Venus", "Earth", "Mars", "Jupiter"]
    assert spec["data"]["values"][2]["radius"] == 6371


def test_an_updated_display_shows_its_last_content(notebook):
    [shown] = rich_outputs(cell_with(notebook, "newDisplayId"))
    assert shown.output_type == "display_data"
    assert shown.data["text/html"].endswith("5 of 5")


def widget_states(nb):
    return nb.metadata["widgets"][WIDGET_STATE]["state"]


def test_the_slider_and_its_output_are_widget_views(notebook):
    slider, area = rich_outputs(cell_with(notebook, "intSlider"))
    states = widget_states(notebook)
    slider_model = states[slider.data[WIDGET_VIEW]["model_id"]]
    assert slider_model["model_name"] == "IntSliderModel"
    assert slider_model["state"]["value"] == 4
    assert slider_model["state"]["description"] == "n"
    area_model = states[area.data[WIDGET_VIEW]["model_id"]]
    assert area_model["model_name"] == "OutputModel"
    assert [o["text"] for o in area_model["state"]["outputs"]] == ["4 squared is 16\n"]


def test_a_button_as_the_cells_value(notebook):
    [result] = rich_outputs(cell_with(notebook, "button \""))
    assert result.output_type == "execute_result"
    model = widget_states(notebook)[result.data[WIDGET_VIEW]["model_id"]]
    assert model["model_name"] == "ButtonModel"
    assert model["state"]["description"] == "Click me"


# --- Comms through jupyter_client ------------------------------------------------------------

def send_shell(kc, msg_type, content, buffers=()):
    """Sends a shell message as a frontend does (comm traffic has no reply); returns its id."""
    message = kc.session.msg(msg_type, content)
    kc.session.send(kc.shell_channel.socket, message, buffers=list(buffers))
    return message["header"]["msg_id"]


def iopub_for(kc, parent_id, timeout=TIMEOUT):
    """The iopub messages parented to `parent_id`, up to its idle status."""
    found = []
    deadline = time.monotonic() + timeout
    while True:
        try:
            message = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise AssertionError(f"no idle status for {parent_id} within {timeout} s; got {found}") from None
        if message["parent_header"].get("msg_id") != parent_id:
            continue
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            return found
        found.append(message)


def of_type(messages, msg_type):
    return [m for m in messages if m["msg_type"] == msg_type]


def comm_info(kc, target=None):
    reply = kc.comm_info(target_name=target, reply=True, timeout=TIMEOUT)
    assert reply["content"]["status"] == "ok"
    return reply["content"]["comms"]


def widget_opens(messages):
    """The widget models a cell opened, by model name: {name: [comm_open content, ...]}."""
    models = {}
    for m in of_type(messages, "comm_open"):
        assert m["content"]["target_name"] == "jupyter.widget"
        assert m["metadata"] == {"version": "2.1.0"}
        assert m["content"]["data"]["buffer_paths"] == []
        models.setdefault(m["content"]["data"]["state"]["_model_name"], []).append(m["content"])
    return models


def widget_comm_ids(messages):
    """The comm ids of every widget model a cell opened."""
    return {c["comm_id"] for cs in widget_opens(messages).values() for c in cs}


SLIDER_CELL = """\
import GHCbox.Widgets
s <- intSlider "n" (0, 10) 3
out <- outputWidget
onSliderChange s (\\v -> putStrLn ("moved to " ++ show v) >> appendText out ("square " ++ show (v * v)))
display s >> display out"""


def update(comm_id, state):
    return {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}


def test_a_slider_moved_by_the_frontend_runs_its_callback(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, SLIDER_CELL)
    assert reply["status"] == "ok", reply
    models = widget_opens(messages)
    [slider], [area] = models["IntSliderModel"], models["OutputModel"]
    assert slider["data"]["state"]["value"] == 3
    # The slider's layout and style are models of their own, opened before it.
    opened = {c["comm_id"] for cs in models.values() for c in cs}
    for ref in (slider["data"]["state"]["layout"], slider["data"]["state"]["style"], area["data"]["state"]["layout"]):
        assert ref.startswith("IPY_MODEL_") and ref[len("IPY_MODEL_"):] in opened
    views = [c["data"][WIDGET_VIEW]["model_id"] for c in outputs(messages, "display_data")]
    assert views == [slider["comm_id"], area["comm_id"]]

    moved = send_shell(kc, "comm_msg", update(slider["comm_id"], {"value": 7}))
    handled = iopub_for(kc, moved)
    assert stdout_text(handled) == "moved to 7\n"
    [shown] = [m["content"] for m in of_type(handled, "comm_msg") if m["content"]["comm_id"] == area["comm_id"]]
    assert shown["data"]["method"] == "update"
    assert shown["data"]["state"]["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "square 49"}]

    reply, messages = run_cell(kc, "sliderValue s")
    assert results(messages) == ["7"]


def test_a_button_click_runs_its_handlers_and_a_failing_one_is_reported(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, 'import GHCbox.Widgets\nb <- button "go"\nonClick b (putStrLn "clicked")\nb')
    assert reply["status"] == "ok", reply
    [button] = widget_opens(messages)["ButtonModel"]
    [result] = outputs(messages, "execute_result")
    assert result["data"][WIDGET_VIEW]["model_id"] == button["comm_id"]

    click = {"comm_id": button["comm_id"], "data": {"method": "custom", "content": {"event": "click"}}}
    for _ in range(2):
        assert stdout_text(iopub_for(kc, send_shell(kc, "comm_msg", click))) == "clicked\n"

    run_cell(kc, 'onClick b (error "boom")')
    handled = iopub_for(kc, send_shell(kc, "comm_msg", click))
    assert stdout_text(handled) == "clicked\n"
    errors = "".join(c["text"] for c in outputs(handled, "stream") if c["name"] == "stderr")
    assert f"the handler of comm {button['comm_id']} failed: boom" in errors
    assert results(run_cell(kc, "1 + 1")[1]) == ["2"]


def test_comm_info_lists_open_comms_by_target(kernel):
    _, kc = kernel
    assert comm_info(kc) == {}
    reply, messages = run_cell(kc, SLIDER_CELL)
    opened = widget_comm_ids(messages)
    assert len(opened) == 5  # the slider, its layout and style; the output area and its layout
    everything = comm_info(kc)
    assert set(everything) == opened
    assert all(v == {"target_name": "jupyter.widget"} for v in everything.values())
    assert set(comm_info(kc, "jupyter.widget")) == opened
    assert comm_info(kc, "no.such.target") == {}

    [slider] = widget_opens(messages)["IntSliderModel"]
    reply, messages = run_cell(kc, "closeWidget s")
    assert [m["content"]["comm_id"] for m in of_type(messages, "comm_close")] == [slider["comm_id"]]
    assert set(comm_info(kc, "jupyter.widget")) == opened - {slider["comm_id"]}


def test_a_comm_opened_to_an_unknown_target_is_closed(kernel):
    _, kc = kernel
    comm_id = uuid.uuid4().hex
    opening = send_shell(kc, "comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
    answered = iopub_for(kc, opening)
    assert [m["content"]["comm_id"] for m in of_type(answered, "comm_close")] == [comm_id]
    assert comm_info(kc) == {}


ECHO_CELL = """\
import GHCbox.Comm
import GHCbox.JSON
import qualified Data.ByteString as B
registerTarget "echo" $ \\comm payload buffers -> do
  sendCommWith comm (object [("opened", payload)]) (map B.reverse buffers)
  onMessage comm (\\msg bufs -> sendCommWith comm (object [("echo", msg)]) bufs)
  onClose comm (\\_ -> putStrLn "echo closed")"""


def test_a_registered_target_takes_a_client_comm_and_echoes_buffers(kernel):
    _, kc = kernel
    reply, _ = run_cell(kc, ECHO_CELL)
    assert reply["status"] == "ok", reply
    comm_id = uuid.uuid4().hex
    opening = send_shell(kc, "comm_open", {"comm_id": comm_id, "target_name": "echo", "data": {"hello": 1}},
                         buffers=[b"\x00\x01\xff"])
    [first] = of_type(iopub_for(kc, opening), "comm_msg")
    assert first["content"] == {"comm_id": comm_id, "data": {"opened": {"hello": 1}}}
    assert [bytes(b) for b in first["buffers"]] == [b"\xff\x01\x00"]
    assert comm_info(kc, "echo") == {comm_id: {"target_name": "echo"}}

    every_byte = bytes(range(256))
    sent = send_shell(kc, "comm_msg", {"comm_id": comm_id, "data": {"ping": "ü"}}, buffers=[every_byte, b""])
    [echo] = of_type(iopub_for(kc, sent), "comm_msg")
    assert echo["content"]["data"] == {"echo": {"ping": "ü"}}
    assert [bytes(b) for b in echo["buffers"]] == [every_byte, b""]

    closing = send_shell(kc, "comm_close", {"comm_id": comm_id, "data": {}})
    assert stdout_text(iopub_for(kc, closing)) == "echo closed\n"
    assert comm_info(kc) == {}


def test_a_handler_that_cannot_be_interrupted_costs_the_session_and_its_comms_close(kernel):
    km, kc = kernel
    code = ('import GHCbox.Widgets\nimport Control.Monad\nimport System.IO\nb <- button "spin"\n'
            'onClick b (putStrLn "spinning" >> hFlush stdout >> forever (pure ()))\nb')
    reply, messages = run_cell(kc, code)
    assert reply["status"] == "ok", reply
    opened = widget_comm_ids(messages)
    [button] = widget_opens(messages)["ButtonModel"]
    click = send_shell(kc, "comm_msg", {"comm_id": button["comm_id"], "data": {"method": "custom", "content": {"event": "click"}}})
    # The loop allocates nothing, so GHCi never sees the interrupt: the kernel replaces the session.
    seen = []
    while "spinning\n" not in stdout_text(seen):
        message = kc.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") == click:
            seen.append(message)
    km.interrupt_kernel()
    handled = seen + iopub_for(kc, click)
    errors = "".join(c["text"] for c in outputs(handled, "stream") if c["name"] == "stderr")
    assert "a comm handler did not stop in time: a fresh session was started" in errors
    assert {c["comm_id"] for c in outputs(handled, "comm_close")} == opened
    assert comm_info(kc) == {}
    reply, messages = run_cell(kc, "b")
    assert reply["status"] == "error" and "not in scope" in reply["evalue"].lower()
    assert results(run_cell(kc, "1 + 1")[1]) == ["2"]


def test_quitting_the_session_closes_its_comms(kernel):
    _, kc = kernel
    reply, messages = run_cell(kc, SLIDER_CELL)
    opened = widget_comm_ids(messages)
    reply, messages = run_cell(kc, ":quit")
    assert reply["status"] == "ok", reply
    assert {c["comm_id"] for c in outputs(messages, "comm_close")} == opened
    assert comm_info(kc) == {}


def test_display_ids_updates_and_clears_carry_their_transient_id(kernel):
    _, kc = kernel
    code = ('import GHCbox.Display\nd <- newDisplayId\ndisplayWithId d (html "<b>one</b>")\n'
            'updateDisplay d (html "<b>two</b>")\nclearOutput True\nputStrLn "after"')
    reply, messages = run_cell(kc, code)
    assert reply["status"] == "ok", reply
    kinds = [m["msg_type"] for m in messages if m["msg_type"] not in ("status", "execute_input")]
    assert kinds == ["display_data", "update_display_data", "clear_output", "stream"]
    [shown], [updated] = outputs(messages, "display_data"), outputs(messages, "update_display_data")
    display_id = shown["transient"]["display_id"]
    assert len(display_id) == 32
    assert shown["data"]["text/html"] == "<b>one</b>"
    assert updated["transient"] == {"display_id": display_id}
    assert updated["data"]["text/html"] == "<b>two</b>"
    assert outputs(messages, "clear_output") == [{"wait": True}]

    # A later cell updates the display shown by an earlier one.
    reply, messages = run_cell(kc, 'updateDisplay d (markdown "*three*")\nclearOutput False')
    [updated] = outputs(messages, "update_display_data")
    assert updated["transient"] == {"display_id": display_id}
    assert updated["data"]["text/markdown"] == "*three*"
    assert outputs(messages, "clear_output") == [{"wait": False}]
    # A plain display has no id.
    reply, messages = run_cell(kc, 'display (html "<i>x</i>")')
    assert outputs(messages, "display_data")[0]["transient"] == {}


def test_a_display_over_the_output_budget_is_refused_with_the_budget_named():
    km, kc = start_kernel(GHCBOX_OUTPUT_MB=1)
    try:
        reply, messages = run_cell(kc, "import GHCbox.Display\ndisplay (html (replicate 2000000 'x'))")
        assert reply["status"] == "error"
        assert outputs(messages, "display_data") == []
        [error] = outputs(messages, "error")
        assert "over the session's output budget of 1 MB (GHCBOX_OUTPUT_MB)" in error["evalue"]
        # The same display within the budget goes out, and the session goes on.
        reply, messages = run_cell(kc, "display (html (replicate 200000 'x'))\n6 * 7")
        assert len(outputs(messages, "display_data")[0]["data"]["text/html"]) == 200000
        assert results(messages) == ["42"]
    finally:
        stop_kernel(km, kc)


@pytest.mark.parametrize("frame, refusal", [
    ('"{not json"', "a message that is not a JSON object with a msg_type"),
    ('"[1, 2"', "a message that is not a JSON object with a msg_type"),
    ('"{\\"msg_type\\": \\"shutdown_reply\\", \\"content\\": {}}"', "a message of type shutdown_reply"),
    ('"{\\"msg_type\\": \\"display_data\\", \\"content\\": {\\"data\\": {}}}"', "display_data without data"),
    ('"{\\"msg_type\\": \\"comm_open\\", \\"content\\": {\\"comm_id\\": \\"x\\"}}"', "comm_open without a comm_id or target_name"),
    ('"{\\"msg_type\\": \\"comm_msg\\", \\"content\\": {\\"comm_id\\": \\"x\\"}, \\"buffers\\": [\\"%%\\"]}"',
     "comm_msg with a buffer that is not base64"),
])
def test_a_forged_message_frame_is_dropped_and_the_session_goes_on(kernel, frame, refusal):
    _, kc = kernel
    reply, messages = run_cell(kc, f'import qualified GhcboxRuntime\nGhcboxRuntime.sendMessage {frame}\nputStrLn "still here"')
    assert reply["status"] == "ok", reply
    errors = "".join(c["text"] for c in outputs(messages, "stream") if c["name"] == "stderr")
    assert errors == f"[ghcbox] dropped {refusal} from the runtime\n"
    assert stdout_text(messages) == "still here\n"
    assert [m["msg_type"] for m in messages if m["msg_type"].startswith(("comm", "display"))] == []
    assert results(run_cell(kc, "1 + 1")[1]) == ["2"]


def test_odd_comm_messages_from_a_client_change_nothing(kernel):
    _, kc = kernel
    run_cell(kc, SLIDER_CELL)
    before = comm_info(kc)
    for content in ({"data": {}}, {"comm_id": 7, "data": {}}, {"comm_id": "unknown", "data": {"method": "update"}},
                    {"comm_id": next(iter(before)), "data": "not an object"},
                    {"comm_id": next(iter(before)), "data": {"method": "update", "state": [1, 2]}}):
        iopub_for(kc, send_shell(kc, "comm_msg", content))
    assert comm_info(kc) == before
    assert results(run_cell(kc, "sliderValue s")[1]) == ["3"]
