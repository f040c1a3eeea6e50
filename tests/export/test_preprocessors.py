"""ClientReadyPreprocessor: what a client's brief keeps of an executed notebook."""

import pytest
from nbformat.v4 import (
    new_code_cell,
    new_markdown_cell,
    new_notebook,
    new_output,
)

from pilotfunnel.export.nbconvert.preprocessors import ClientReadyPreprocessor

SHOWN = new_output("display_data", data={"text/plain": "42"})


def client_ready(*cells):
    nb, resources = ClientReadyPreprocessor().preprocess(new_notebook(cells=list(cells)), {})
    assert resources == {}
    return nb.cells


def code(source="x", outputs=(SHOWN,), tags=()):
    cell = new_code_cell(source, outputs=list(outputs), execution_count=3)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


@pytest.mark.parametrize("tag", ["parameters", "injected-parameters", "remove-cell", "hide"])
def test_cells_with_a_hiding_tag_are_dropped(tag):
    kept = client_ready(code("a = 1", tags=[tag, "other"]), code("b = 2"))
    assert [c.source for c in kept] == ["b = 2"]


def test_a_tag_that_does_not_hide_keeps_the_cell():
    assert len(client_ready(code(tags=["section:costs"]))) == 1


def test_a_markdown_cell_with_a_hiding_tag_is_dropped():
    hidden = new_markdown_cell("secret", metadata={"tags": ["remove-cell"]})
    assert [c.source for c in client_ready(hidden, new_markdown_cell("shown"))] == ["shown"]


def test_markdown_cells_are_kept_unchanged():
    markdown = new_markdown_cell("# Costs", metadata={"tags": ["section:costs"]})
    (cell,) = client_ready(markdown)
    assert cell.cell_type == "markdown" and cell.source == "# Costs"
    assert cell.metadata == {"tags": ["section:costs"]}


def test_error_outputs_are_dropped():
    error = new_output("error", ename="ValueError", evalue="bad", traceback=["..."])
    (cell,) = client_ready(code(outputs=[error, SHOWN]))
    assert cell.outputs == [SHOWN]


def test_stderr_is_dropped_and_stdout_kept():
    stdout = new_output("stream", name="stdout", text="hello\n")
    stderr = new_output("stream", name="stderr", text="UserWarning: careful\n")
    (cell,) = client_ready(code(outputs=[stderr, stdout]))
    assert cell.outputs == [stdout]


def test_blank_stdout_is_dropped():
    assert client_ready(code(outputs=[new_output("stream", name="stdout", text=" \n")])) == []


def test_a_widget_only_output_is_dropped():
    widget = new_output(
        "display_data",
        data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
            "text/plain": "VBox(children=(IntSlider(value=3),))",
        },
    )
    (cell,) = client_ready(code(outputs=[widget, SHOWN]))
    assert cell.outputs == [SHOWN]


def test_a_widget_with_a_static_rendering_is_kept():
    widget = new_output(
        "display_data",
        data={
            "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
            "text/plain": "Output()",
            "text/html": "<p>drawn</p>",
        },
    )
    (cell,) = client_ready(code(outputs=[widget]))
    assert cell.outputs == [widget]


def test_a_javascript_only_output_is_dropped():
    script = new_output("display_data", data={"application/javascript": "alert(1)"})
    assert client_ready(code(outputs=[script])) == []


def test_an_output_with_a_pilotfunnel_mimetype_is_dropped():
    internal = new_output(
        "execute_result",
        data={"application/vnd.pilotfunnel.context+json": {}, "text/plain": "ctx"},
        execution_count=3,
    )
    (cell,) = client_ready(code(outputs=[internal, SHOWN]))
    assert cell.outputs == [SHOWN]


def test_a_code_cell_left_without_outputs_is_removed():
    stderr = new_output("stream", name="stderr", text="warning\n")
    kept = client_ready(code("quiet()", outputs=[stderr]), code("shown()"), code("none", []))
    assert [c.source for c in kept] == ["shown()"]


def test_execution_counts_are_cleared():
    result = new_output("execute_result", data={"text/plain": "42"}, execution_count=3)
    (cell,) = client_ready(code(outputs=[result]))
    assert cell.execution_count is None and cell.source == "x"


def test_the_order_of_the_kept_cells_is_unchanged():
    cells = [new_markdown_cell("one"), code("two"), new_markdown_cell("three"), code("four")]
    assert [c.source for c in client_ready(*cells)] == ["one", "two", "three", "four"]
