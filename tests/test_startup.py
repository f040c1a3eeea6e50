"""Start-up of the kit's own processes."""

import subprocess
import sys

from .conftest import ROOT

CHECK = """
import sys
from pilotfunnel.startup import skip_unused_slow_imports
skip_unused_slow_imports()
import nbformat
nb = nbformat.read("notebooks/03-client-brief.ipynb", as_version=4)
nbformat.validate(nb)
nb.cells[0].cell_type = "not a cell type"
try:
    nbformat.validate(nb)
except nbformat.ValidationError:
    print("invalid notebooks are still caught")
print("rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is not None)
"""


def test_notebooks_still_validate_without_the_slow_import():
    done = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["invalid", "notebooks", "are", "still", "caught", "False"]
