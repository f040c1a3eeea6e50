"""Execute the brief notebook in this process, producing the outputs a kernel would.

A kernel costs about 1.8 s to start and run a brief; a warm worker that already imported the
package, matplotlib and WeasyPrint runs the same code cells in a fresh namespace in a fraction
of that. Each code cell goes through IPython's own ``InteractiveShell.run_cell`` (the code path
ipykernel runs), with a display hook and display publisher that collect mimebundles into
nbformat outputs instead of sending them over ZeroMQ, so the executed notebook converts to the
same HTML as one executed by nbclient.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell

from pilotfunnel.export.run.cells import section_failed


class _CollectingDisplayHook(DisplayHook):
    """Turns a cell's last expression into an ``execute_result`` output, as ipykernel does."""

    outputs: list | None = None

    def write_output_prompt(self) -> None:
        pass

    def write_format_data(self, format_dict, md_dict=None) -> None:
        if self.outputs is not None:
            self.outputs.append(
                nbformat.v4.new_output(
                    "execute_result",
                    data=format_dict,
                    metadata=md_dict or {},
                    execution_count=self.prompt_count,
                )
            )

    def finish_displayhook(self) -> None:
        pass


class _CollectingDisplayPublisher(DisplayPublisher):
    """Turns ``display(...)`` calls into ``display_data`` outputs."""

    outputs: list | None = None

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        if self.outputs is not None:
            self.outputs.append(
                nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})
            )

    def clear_output(self, wait: bool = False) -> None:
        if self.outputs is not None:
            self.outputs.clear()


class _OrderedStdout(io.TextIOBase):
    """Printed text as ``stream`` outputs, in order with displays, merged as nbclient merges."""

    def __init__(self, outputs: list) -> None:
        self.outputs = outputs

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == "stdout":
            last.text += text
        elif text:
            self.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=text))
        return len(text)


class _BriefShell(InteractiveShell):
    displayhook_class = _CollectingDisplayHook
    display_pub_class = _CollectingDisplayPublisher

    def showtraceback(self, *args, **kwargs) -> None:
        pass  # errors are reported as one line by execute_in_process, never as a traceback


_shell: _BriefShell | None = None


def shell() -> _BriefShell:
    """The process's one shell (created once: IPython keeps a singleton per process)."""
    global _shell
    if _shell is None:
        main = sys.modules.get("__main__")
        # No output cache: a brief's sections would otherwise stay referenced as Out[n].
        _shell = _BriefShell.instance(colors="nocolor", history_length=0, cache_size=0)
        _shell.history_manager.enabled = False
        _restore_main(main)
    return _shell


def _restore_main(main) -> None:
    # IPython installs its namespace as sys.modules["__main__"]; multiprocessing (and anything
    # else in this process) expects the real one back.
    if main is not None:
        sys.modules["__main__"] = main


def execute_in_process(
    nb: nbformat.NotebookNode,
    cwd: Path,
    on_cell_start: Callable[[nbformat.NotebookNode], None] | None = None,
) -> nbformat.NotebookNode:
    """Run a parameterised notebook's code cells here, filling outputs; errors name the section.

    Every call starts from an empty namespace, as a fresh kernel would; imported modules stay
    loaded, which is the point. The working directory is the notebook folder, as in a kernel
    (it is process-wide, so a process runs one notebook at a time).
    """
    sh = shell()
    main = sys.modules.get("__main__")
    _fresh_namespace(sh)
    hook, publisher = sh.displayhook, sh.display_pub
    with _working_directory(cwd):
        try:
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                if on_cell_start is not None:
                    on_cell_start(cell)
                outputs: list = []
                hook.outputs = publisher.outputs = outputs
                stdout = _OrderedStdout(outputs)
                with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
                    result = sh.run_cell(cell.source, store_history=True, silent=False)
                cell.outputs = outputs
                cell.execution_count = sh.execution_count - 1
                error = result.error_before_exec or result.error_in_exec
                if error is not None:
                    raise section_failed(cell, type(error).__name__, error)
        finally:
            hook.outputs = publisher.outputs = None
            _fresh_namespace(sh)  # drop the brief's objects before the next one
            _restore_main(main)
    return nb


def _fresh_namespace(sh: InteractiveShell) -> None:
    # InteractiveShell.reset() would do this too, but it runs a full gc.collect() each time
    # (0.15 s in a warm worker): clearing the namespace is what a fresh kernel amounts to.
    sh.user_ns.clear()
    sh.user_ns_hidden.clear()
    sh.init_user_ns()
    sh.execution_count = 1


@contextlib.contextmanager
def _working_directory(path: Path):
    # contextlib.chdir exists only from Python 3.11; the package supports 3.10.
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def warm_up() -> None:
    """Import what every brief needs, once per worker, so the first brief is not slower."""
    shell()
    os.environ.setdefault("MPLBACKEND", "Agg")
    # Imported here, not at the top: loading them is this function's purpose (a worker calls it
    # once, when it starts); executing a notebook needs none of them.
    import weasyprint  # noqa: F401

    from pilotfunnel.export.nbconvert import exporters, pdf  # noqa: F401
    from pilotfunnel.views import brief  # noqa: F401  (matplotlib, jinja2, the model)
