"""The tour notebook, executed headless by nbclient the way CI pipelines run notebooks."""
import nbclient
import nbformat
import pytest

from conftest import KERNEL_NAME, REPO


@pytest.fixture(scope="module")
def executed():
    notebook = nbformat.read(REPO / "examples" / "tour.ipynb", as_version=4)
    client = nbclient.NotebookClient(notebook, kernel_name=KERNEL_NAME, timeout=120, allow_errors=False)
    client.execute()
    return [c for c in notebook.cells if c.cell_type == "code"]


def text_of(cell, output_type, name=None):
    parts = []
    for out in cell.outputs:
        if out.output_type != output_type or (name and out.get("name") != name):
            continue
        parts.append(out.text if output_type == "stream" else out.data.get("text/plain", ""))
    return "".join(parts)


def test_execution_counts_increase_by_one(executed):
    assert [c.execution_count for c in executed] == list(range(1, len(executed) + 1))


def test_state_carries_across_cells(executed):
    assert text_of(executed[1], "stream", "stdout") == "Hello from GHCi\n"
    assert text_of(executed[1], "execute_result") == "42"
    assert text_of(executed[-1], "execute_result") == '"odd and small"'


def test_multi_equation_function_with_guards_and_where(executed):
    assert text_of(executed[2], "execute_result") == '["zero","negative","even and small","odd and big"]'


def test_data_type_with_instance(executed):
    assert text_of(executed[3], "execute_result") == "[3.141592653589793,6.0]"


def test_do_block_streams_each_line(executed):
    assert text_of(executed[4], "stream", "stdout") == "".join(f"step {i} of 5\n" for i in range(1, 6))


def test_compile_error_is_reported(executed):
    errors = [o for o in executed[5].outputs if o.output_type == "error"]
    assert len(errors) == 1
    assert errors[0].ename == "CompileError"
    assert "lenght" in "\n".join(errors[0].traceback)


def test_runtime_exception_is_reported(executed):
    errors = [o for o in executed[6].outputs if o.output_type == "error"]
    assert len(errors) == 1
    assert "divide by zero" in errors[0].evalue + "\n".join(errors[0].traceback)
