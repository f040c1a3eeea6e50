"""Notebooks run in this process: the outputs, errors and isolation a fresh kernel gives."""

import copy
import os
import subprocess
import sys

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.run.inprocess import execute_in_process
from pilotfunnel.export.run.kernel import execute_notebook


def notebook(*sources):
    return new_notebook(cells=[new_code_cell(source) for source in sources])


def run(tmp_path, *sources, **options):
    return execute_in_process(notebook(*sources), cwd=tmp_path, **options)


def test_a_last_expression_becomes_an_execute_result(tmp_path):
    (result,) = run(tmp_path, "x = 41\nx + 1").cells[0].outputs
    assert result.output_type == "execute_result"
    assert result.data == {"text/plain": "42"} and result.execution_count == 1


def test_a_trailing_semicolon_hides_the_result(tmp_path):
    assert run(tmp_path, "x = 41\nx + 1;").cells[0].outputs == []


def test_display_becomes_display_data(tmp_path):
    nb = run(tmp_path, "from IPython.display import HTML, display\ndisplay(HTML('<b>b</b>'))")
    (shown,) = nb.cells[0].outputs
    assert shown.output_type == "display_data" and shown.data["text/html"] == "<b>b</b>"


def test_print_becomes_stdout_before_the_result(tmp_path):
    stream, result = run(tmp_path, "print('hello')\nprint('again')\n7").cells[0].outputs
    assert (stream.output_type, stream.name, stream.text) == ("stream", "stdout", "hello\nagain\n")
    assert result.output_type == "execute_result"


def test_stderr_is_not_an_output(tmp_path):
    assert run(tmp_path, "import sys\nsys.stderr.write('warning\\n');").cells[0].outputs == []


def test_print_after_display_stays_after_it(tmp_path):
    outputs = run(tmp_path, "display(1)\nprint('after')").cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data", "stream"]


def test_each_run_starts_with_an_empty_namespace(tmp_path):
    run(tmp_path, "leftover = 1")
    with pytest.raises(ExportError, match="NameError: name 'leftover' is not defined"):
        run(tmp_path, "leftover")


def test_a_run_works_in_cwd_and_restores_the_working_directory(tmp_path):
    before = os.getcwd()
    (result,) = run(tmp_path, "import os\nos.getcwd()").cells[0].outputs
    assert result.data["text/plain"] == repr(str(tmp_path.resolve()))
    assert os.getcwd() == before


def test_a_failed_run_restores_the_working_directory(tmp_path):
    before = os.getcwd()
    with pytest.raises(ExportError):
        run(tmp_path, "1 / 0")
    assert os.getcwd() == before


def test_an_error_names_its_section_in_one_line(tmp_path):
    cell = new_code_cell("1 / 0", metadata={"tags": ["section:costs"]})
    nb = new_notebook(cells=[new_code_cell("x = 1"), cell, new_code_cell("never = 1")])
    with pytest.raises(ExportError) as raised:
        execute_in_process(nb, cwd=tmp_path)
    assert str(raised.value) == "section costs failed: ZeroDivisionError: division by zero"
    assert raised.value.section == "costs"
    assert nb.cells[2].outputs == []  # nothing ran after the failure


def test_an_error_message_has_no_ansi_escapes(tmp_path):
    cell = new_code_cell("raise ValueError('bad \\x1b[1;31mred\\x1b[0m value')")
    cell.metadata["tags"] = ["section:risk"]
    with pytest.raises(ExportError) as raised:
        execute_in_process(new_notebook(cells=[cell]), cwd=tmp_path)
    assert str(raised.value) == "section risk failed: ValueError: bad red value"


def test_a_syntax_error_is_an_export_error(tmp_path):
    with pytest.raises(ExportError, match=r"^section cell 'def f\(:' failed: SyntaxError: "):
        run(tmp_path, "def f(:")


def test_on_cell_start_is_called_for_each_code_cell_in_order(tmp_path):
    nb = new_notebook(
        cells=[new_code_cell("a = 1"), new_markdown_cell("# m"), new_code_cell("b = 2")]
    )
    started = []
    execute_in_process(nb, cwd=tmp_path, on_cell_start=started.append)
    assert started == [nb.cells[0], nb.cells[2]]


def test_main_module_is_the_same_object_after_a_run(tmp_path):
    main = sys.modules["__main__"]
    run(tmp_path, "x = 1")
    with pytest.raises(ExportError):
        run(tmp_path, "1 / 0")
    assert sys.modules["__main__"] is main


@pytest.mark.slow
def test_outputs_equal_those_of_a_kernel(tmp_path):
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Tiny brief"),
            new_code_cell("from IPython.display import HTML, Markdown, display\nx = 41"),
            new_code_cell("print('hello')\nx + 1"),
            new_code_cell("display(HTML('<b>bold</b>'))\ndisplay(Markdown('*m*'))"),
            new_code_cell("{'share': 0.25, 'label': 'ok'}"),
            new_code_cell("y = 3;"),
        ]
    )
    here = execute_in_process(copy.deepcopy(nb), cwd=tmp_path)
    kernel = execute_notebook(copy.deepcopy(nb), cwd=tmp_path, timeout=60)
    # Only cell metadata differs: nbclient records timestamps in metadata["execution"].
    # Outputs, their metadata and execution counts are compared in full. (An empty code cell
    # and stderr would differ: the kernel skips the one and reports the other.)
    assert [c.get("outputs") for c in here.cells] == [c.get("outputs") for c in kernel.cells]
    assert [c.get("execution_count") for c in here.cells] == [
        c.get("execution_count") for c in kernel.cells
    ]


def test_the_in_process_runner_does_not_load_a_kernel_client():
    # A warm worker never starts a kernel; loading nbclient would only slow its start.
    code = "import sys, pilotfunnel.export.run.inprocess; print('nbclient' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
