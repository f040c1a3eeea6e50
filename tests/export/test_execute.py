"""Parameters injected papermill's way, sections named, notebooks run in a real kernel."""

import copy

import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from pilotfunnel.core.errors import ExportError
from pilotfunnel.export.run.cells import parameterize, section_failed, section_of
from pilotfunnel.export.run.kernel import execute_notebook

INJECTED = "injected-parameters"


def tagged(source, *tags):
    cell = new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


def tags_of(nb):
    return [cell.metadata.get("tags", []) for cell in nb.cells]


def test_injected_cell_goes_right_after_the_parameters_cell():
    nb = new_notebook(cells=[new_markdown_cell("# Brief"), tagged("x = 1", "parameters")])
    nb.cells.append(new_code_cell("print(x)"))
    done = parameterize(nb, {"x": 2})
    assert tags_of(done) == [[], ["parameters"], [INJECTED], []]
    assert done.cells[2].cell_type == "code"


def test_injected_cell_goes_at_the_top_without_a_parameters_cell():
    nb = new_notebook(cells=[new_markdown_cell("# Brief"), new_code_cell("print(x)")])
    done = parameterize(nb, {"x": 2})
    assert tags_of(done) == [[INJECTED], [], []]


def test_parameterizing_again_replaces_the_injected_cell():
    nb = new_notebook(cells=[tagged("x = 1", "parameters"), new_code_cell("print(x)")])
    done = parameterize(parameterize(nb, {"x": 2}), {"x": 3})
    injected = [cell for cell in done.cells if INJECTED in cell.metadata.get("tags", [])]
    assert len(injected) == 1 and "x = 3" in injected[0].source
    assert "x = 2" not in injected[0].source and len(done.cells) == 3


def test_parameterize_does_not_change_its_input():
    nb = new_notebook(cells=[tagged("x = 1", "parameters"), tagged("x = 0", INJECTED)])
    before = copy.deepcopy(nb)
    assert parameterize(nb, {"x": 2}) is not nb
    assert nb == before


def test_injected_values_round_trip_through_python():
    parameters = {
        "scenario": '/data/clients/o\'brien "quoted"\\ é.yaml',
        "as_of": "2026-11-25",
        "draws": 500,
        "seed": None,
        "share": 0.25,
        "strict": True,
    }
    done = parameterize(new_notebook(cells=[]), parameters)
    namespace: dict = {}
    exec(done.cells[0].source, namespace)
    assert {name: namespace[name] for name in parameters} == parameters


def test_section_of_a_tagged_cell_is_its_section_tag():
    assert section_of(tagged("chart()", "parameters", "section:costs")) == "costs"


def test_section_of_an_untagged_cell_describes_its_first_line():
    assert section_of(new_code_cell("\n\n  x = 1\ny = 2")) == "cell 'x = 1'"


def test_section_of_a_long_first_line_is_cut_short():
    assert section_of(new_code_cell("y" * 100)) == f"cell '{'y' * 60}'"


@pytest.mark.parametrize("source", ["", "  \n\n"])
def test_section_of_an_empty_cell_says_so(source):
    assert section_of(new_code_cell(source)) == "cell '(empty cell)'"


def test_a_failed_section_is_one_line_without_colour_codes():
    cell = tagged("raise ValueError()", "section:costs")
    error = section_failed(cell, "ValueError", "\x1b[31mno costs\x1b[0m\n")
    assert isinstance(error, ExportError) and error.section == "costs"
    assert str(error) == "section costs failed: ValueError: no costs"


@pytest.mark.slow
def test_execute_fills_outputs_and_runs_in_cwd(tmp_path):
    nb = new_notebook(
        cells=[new_markdown_cell("# Tiny"), new_code_cell("import os\nprint('hi')\nos.getcwd()")]
    )
    done = execute_notebook(nb, cwd=tmp_path, timeout=60)
    stream, result = done.cells[1].outputs
    assert stream.output_type == "stream" and stream.name == "stdout" and stream.text == "hi\n"
    assert result.output_type == "execute_result"
    assert result.data["text/plain"] == repr(str(tmp_path.resolve()))


@pytest.mark.slow
def test_a_cell_that_raises_names_its_section_in_one_line(tmp_path):
    nb = new_notebook(
        cells=[
            new_code_cell("x = 1"),
            tagged("raise ValueError('bad \\x1b[31mred\\x1b[0m value')", "section:costs"),
            new_code_cell("never = True"),
        ]
    )
    with pytest.raises(ExportError) as raised:
        execute_notebook(nb, cwd=tmp_path, timeout=60)
    assert str(raised.value) == "section costs failed: ValueError: bad red value"
    assert raised.value.section == "costs"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


@pytest.mark.slow
def test_a_failing_untagged_cell_is_named_by_its_first_line(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1 / 0")])
    with pytest.raises(ExportError) as raised:
        execute_notebook(nb, cwd=tmp_path, timeout=60)
    assert str(raised.value) == "section cell '1 / 0' failed: ZeroDivisionError: division by zero"


@pytest.mark.slow
def test_a_dead_kernel_names_the_section_it_was_running(tmp_path):
    nb = new_notebook(
        cells=[new_code_cell("x = 1"), tagged("import os\nos._exit(1)", "section:dies")]
    )
    with pytest.raises(ExportError) as raised:
        execute_notebook(nb, cwd=tmp_path, timeout=60)
    assert str(raised.value) == "the kernel died while running section dies"
    assert raised.value.section == "dies"
