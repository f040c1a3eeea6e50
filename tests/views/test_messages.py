"""The message catalogue: each sentence is defined once, in one file, in a shape gettext can use."""

import ast
import importlib
import re
import string
from pathlib import Path

import pytest

from pilotfunnel.views import brief, messages

MESSAGES = Path(messages.__file__).parent
PACKAGE = MESSAGES.parent
CATALOGUE = Path(messages.__file__)
# Shorter texts ("As is", "Sources") are words that may rightly occur inside other sentences.
MIN_LENGTH = 12
# Between placeholders, shorter stretches ("proofs of concept over") are common phrases.
FRAGMENT_LENGTH = 24


SRC = PACKAGE.parent  # src/pilotfunnel
# The catalogue's modules: the shared sentences (__init__) and each surface's own.
MODULES = sorted(p for p in MESSAGES.glob("*.py") if p.name != "catalogue.py")


def module_messages(path: Path) -> dict[str, str]:
    """The messages one catalogue module names: constant name -> text."""
    name = "" if path.stem == "__init__" else "." + path.stem
    module = importlib.import_module(messages.__name__ + name)
    return {
        key: value
        for key, value in vars(module).items()
        if key.isupper() and isinstance(value, str)
    }


def catalogue() -> dict[str, str]:
    """Every message the catalogue names, module by module: "module.NAME" -> text."""
    return {
        f"{path.stem}.{key}": text
        for path in MODULES
        for key, text in module_messages(path).items()
    }


def checked_texts(text: str) -> list[str]:
    """What of a message must not be typed elsewhere: the whole text, or, with placeholders,
    each literal stretch between them long enough to be a sentence of its own."""
    parts = [literal for literal, *_ in string.Formatter().parse(text)]
    if len(parts) == 1:
        return [text] if len(text) >= MIN_LENGTH else []
    return [p.strip() for p in parts if len(p.strip()) >= FRAGMENT_LENGTH]


def python_strings(path: Path) -> list[str]:
    """The string literals of a module as the program sees them (adjacent literals joined, the
    literal parts of f-strings), leaving out docstrings and comments, which no reader sees."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def template_text(path: Path) -> str:
    """A Jinja template without its {# comments #}."""
    return re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)


def copies(root: Path, texts: list[str]) -> list[tuple[str, str]]:
    """(file, text) for each catalogue text typed again in a source file under ``root``."""
    found = []
    for path in sorted(root.rglob("*")):
        if MESSAGES in path.parents or path.suffix not in (".py", ".j2"):
            continue
        sources = python_strings(path) if path.suffix == ".py" else [template_text(path)]
        for text in texts:
            if any(text in source for source in sources):
                found.append((str(path.relative_to(root)), text))
    return found


def assigned_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    ]


def repeated_texts(found: dict[str, str]) -> dict[str, list[str]]:
    """Each text that two or more names define (across all the modules): text -> the names."""
    names: dict[str, list[str]] = {}
    for name, text in found.items():
        names.setdefault(text, []).append(name)
    return {text: where for text, where in names.items() if len(where) > 1}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_each_module_names_each_message_once(path):
    names = assigned_names(path)
    assert names, f"{path.name} names no messages"
    assert len(names) == len(set(names)), "a message name is assigned twice"


# Names a surface's module defines although the shared catalogue has them (none now).
PENDING: set[str] = set()


def test_each_sentence_is_defined_once_across_the_catalogue():
    # A sentence two surfaces show lives in __init__ once, not in both surfaces' modules.
    assert len(MODULES) >= 4 and {"__init__", "brief", "cli"} <= {p.stem for p in MODULES}
    found = {name: text for name, text in catalogue().items() if name not in PENDING}
    assert repeated_texts(found) == {}


def test_the_check_finds_a_sentence_defined_twice():
    found = {"deck.TITLE": "Where to start", "__init__.WHERE": "Where to start", "x.Y": "Z"}
    assert repeated_texts(found) == {"Where to start": ["deck.TITLE", "__init__.WHERE"]}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_every_message_is_a_literal_marked_for_extraction(path):
    # Babel's extractor reads _("...") calls whose argument is a literal; anything else would
    # be left out of the translation catalogue without a word.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id.isupper():  # type: ignore[attr-defined]
            call = node.value
            assert isinstance(call, ast.Call) and getattr(call.func, "id", None) == "_", (
                ast.unparse(node)
            )
            assert len(call.args) == 1 and isinstance(call.args[0], ast.Constant), ast.unparse(node)


def test_the_marker_is_the_identity_until_gettext_is_added():
    assert messages._("Where to start") == "Where to start"
    assert messages.FIVE_PRACTICES_IN_PLACE == "Five practices in place"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_the_catalogue_imports_nothing_of_the_kit_but_its_marker(path):
    # So every view and face can import it without a cycle.
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    allowed = ("__future__", "pilotfunnel.views.messages.catalogue")
    assert all(isinstance(n, ast.ImportFrom) and n.module in allowed for n in imports)


def test_no_source_file_types_a_catalogue_sentence_again():
    texts = [t for text in catalogue().values() for t in checked_texts(text)]
    assert "What changes with the five practices" in texts
    assert "Five practices" in texts
    assert copies(PACKAGE, texts) == []


def test_the_check_finds_a_sentence_typed_again(tmp_path):
    # The failure path: a copy in code or in a template is reported with its file; the same
    # words in a comment, a docstring or a Jinja comment are not.
    (tmp_path / "deck.py").write_text(
        '"""Slides: Where to start."""\n# What stalling costs\nTITLE = "What stalling " "costs"\n',
        encoding="utf-8",
    )
    (tmp_path / "t.html.j2").write_text(
        "{# Where to start #}<h2>Your record against the research</h2>\n", encoding="utf-8"
    )
    texts = ["What stalling costs", "Where to start", "Your record against the research"]
    assert copies(tmp_path, texts) == [
        ("deck.py", "What stalling costs"),
        ("t.html.j2", "Your record against the research"),
    ]


def test_a_placeholder_message_is_checked_by_its_own_words():
    assert checked_texts("With the five practices in place, about {production} reach") == [
        "With the five practices in place, about"
    ]
    assert checked_texts("As is") == []


def test_the_brief_template_reads_the_catalogue():
    assert brief._ENV.globals["msg"] is messages
    rendered = brief._ENV.from_string("{{ msg.PRACTICES_HEADING }}").render()
    assert rendered == "What changes with the five practices"


@pytest.mark.parametrize("name", ["FUNNEL_HEADING", "HEADLINE_PRODUCTION", "COVER_TITLE"])
def test_a_message_with_numbers_names_each_placeholder(name):
    # Named, not positional: a translation may put the numbers in another order.
    fields = [f for _, f, *_ in string.Formatter().parse(getattr(messages, name)) if f is not None]
    assert fields and all(f.isidentifier() for f in fields)


# --- (b) no sentence outside the catalogue --------------------------------------------------
# A word of letters, with an apostrophe ("client's") or trailing punctuation ("stall,").
WORD = re.compile(r"[A-Za-z][a-z]*(?:'[a-z]+)?[,.:;!?)]*$")
# Calls whose strings are error or log messages, out of the catalogue's scope.
MESSAGE_CALLS = {"Problem", "warn", "debug", "info", "warning", "error", "exception", "fail"}
# Files other helpers are still moving onto the catalogue (issue 21); the lead empties this.
MIGRATING_FILES: dict[str, str] = {}
# Files whose capitalised strings are error messages built before they are raised, or names.
NOT_READER_TEXT = {
    "export/nbconvert/css.py": "an export's refusal, raised later",
    "inputs/brand/check.py": "a PowerPoint layout's name ('Title and Content')",
}


def words(text: str) -> list[str]:
    """The words of letters a string shows, leaving out markup and {placeholders}."""
    text = re.sub(r"<[^>]*>|\{[^{}]*\}", " ", text)
    return [t for t in text.split() if WORD.match(t.lstrip('("“'))]


def sentence_like(text: str) -> bool:
    """Whether a string reads as a sentence or label a reader sees: it starts with a capital
    (after any markup) and has three words or more. CSS and format-only strings do not."""
    if re.search(r"[{;]\s*[a-z-]+\s*:", text):
        return False  # CSS declarations
    first = re.sub(r"^(\s|<[^>]*>)+", "", text)[:1]
    return first.isupper() and len(words(text)) >= 3


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def python_sentences(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each sentence-like string literal of a module, leaving out docstrings
    and error or log messages: what is raised, passed to Problem, an *Error, logging or
    warnings, printed to a file (stderr) or asserted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                skipped.add(id(body[0].value))
        message = None
        if isinstance(node, ast.Raise | ast.Assert):
            message = node
        elif isinstance(node, ast.Call):
            name = _call_name(node)
            to_file = name == "print" and any(k.arg == "file" for k in node.keywords)
            if name in MESSAGE_CALLS or name.endswith("Error") or to_file:
                message = node
        if message is not None:
            skipped.update(id(sub) for sub in ast.walk(message))
    # An option's help is read as a label whatever its case: any words there count.
    helps = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.keyword) and node.arg in ("help", "description")
        for sub in ast.walk(node.value)
    }
    # An f-string is read whole, its values standing in as {placeholders}.
    texts = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            texts[id(node)] = (node.lineno, "".join(parts))
            skipped.update(id(v) for v in node.values)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skipped
        ):
            texts[id(node)] = (node.lineno, node.value)
    return sorted(
        (line, text)
        for key, (line, text) in texts.items()
        if sentence_like(text) or (key in helps and len(words(text)) >= 2)
    )


def template_sentences(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each sentence-like run of a Jinja template's own text: what is left
    once comments, tags, {{ expressions }}, style sheets and markup are taken out."""
    text = path.read_text(encoding="utf-8")
    found = []
    for number, line in enumerate(_template_text_only(text).splitlines(), start=1):
        for run in line.split("\0"):
            if sentence_like(run.strip()):
                found.append((number, run.strip()))
    return found


def _template_text_only(text: str) -> str:
    # Each removed span keeps its newlines, so line numbers stay those of the file.
    def blank(match: re.Match) -> str:
        return "\0" + "\n" * match.group(0).count("\n")

    text = re.sub(r"\{#.*?#\}|<style.*?</style>|<script.*?</script>", blank, text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", blank, text, flags=re.S)
    # An expression stands for a value within the sentence around it, so it does not end it.
    text = re.sub(r"\{\{.*?\}\}", lambda m: " " + "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"<[^>]*>", blank, text, flags=re.S)


def sentences_outside(root: Path) -> dict[str, list[tuple[int, str]]]:
    """file -> its sentence-like strings, for every module and template under ``root``
    outside the catalogue package."""
    found = {}
    for path in sorted(root.rglob("*")):
        if MESSAGES in path.parents or path.suffix not in (".py", ".j2"):
            continue
        hits = python_sentences(path) if path.suffix == ".py" else template_sentences(path)
        if hits:
            found[path.relative_to(root).as_posix()] = hits
    return found


def test_no_sentence_lives_outside_the_catalogue():
    found = sentences_outside(SRC)
    unexpected = {f: hits for f, hits in found.items() if f not in MIGRATING_FILES}
    unexpected = {f: hits for f, hits in unexpected.items() if f not in NOT_READER_TEXT}
    assert unexpected == {}
    # The lists name only files that still hold such strings: a migrated file leaves them.
    assert set(MIGRATING_FILES) | set(NOT_READER_TEXT) <= set(found) | _absent(SRC)


def _absent(root: Path) -> set[str]:
    return {f for f in (*MIGRATING_FILES, *NOT_READER_TEXT) if not (root / f).exists()}


def test_the_sentence_check_finds_code_and_template_text(tmp_path):
    # The failure path: a label in code and a sentence in a template are reported; a
    # docstring, a comment, an error raised, a logged line, CSS, a format-only string, a
    # lower-case fragment and a Jinja comment or expression are not.
    (tmp_path / "view.py").write_text(
        '"""Draws the Numbers That Matter."""\n'
        "import logging\n"
        "# What stalling costs, in a comment\n"
        'TITLE = "What stalling " "costs"\n'
        'ROW = f"<td>{value} {unit}</td>"\n'
        'CSS = "body { font-family: Lato; }"\n'
        'FRAGMENT = "is not a PNG image"\n'
        'logging.warning("Could not draw the chart")\n'
        'raise ValueError("Unknown section name given")\n'
        'parser.add_argument("--out", help="output folder")\n'
        'NOTE = f"Built {n} briefs, {m} failed"\n',
        encoding="utf-8",
    )
    (tmp_path / "page.html.j2").write_text(
        "{# Where to start, a comment #}\n<h2>{{ msg.WHERE }}</h2>\n"
        '<p class="note">Figures about {{ b.client }} are modelled.</p>\n',
        encoding="utf-8",
    )
    assert sentences_outside(tmp_path) == {
        "page.html.j2": [(3, "Figures about   are modelled.")],
        "view.py": [
            (4, "What stalling costs"),
            (10, "output folder"),
            (11, "Built {} briefs, {} failed"),
        ],
    }
