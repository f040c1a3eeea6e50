"""Start-up of the kit's own processes: the CLI's export command and batch workers."""

from __future__ import annotations

import sys


def skip_unused_slow_imports() -> None:
    """Keep an import that no brief uses from costing each process 0.7 s.

    jsonschema, which nbformat imports, imports rfc3987_syntax when it is installed (Jupyter's
    dependencies install it), and that compiles some 35 grammars at import for the "iri"
    format, which no notebook schema uses (python-jsonschema/jsonschema#1428). Only for
    processes the kit owns: a Jupyter server that loads the exporters is left as it is.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
