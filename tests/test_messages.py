"""The message catalogue: each sentence is defined once, in one file, in a shape gettext can use."""

import ast
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


def catalogue() -> dict[str, str]:
    """Every message the catalogue names: constant name -> text."""
    return {
        name: value
        for name, value in vars(messages).items()
        if name.isupper() and isinstance(value, str)
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


def test_each_message_is_named_once_and_says_something_no_other_message_says():
    tree = ast.parse(CATALOGUE.read_text(encoding="utf-8"))
    names = [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name) and target.id.isupper()
    ]
    assert names, "the catalogue names no messages"
    assert len(names) == len(set(names)), "a message name is assigned twice"
    texts = list(catalogue().values())
    repeated = {t for t in texts if texts.count(t) > 1}
    assert not repeated, f"two names for one sentence: {repeated}"


def test_every_message_is_a_literal_marked_for_extraction():
    # Babel's extractor reads _("...") calls whose argument is a literal; anything else would
    # be left out of the translation catalogue without a word.
    tree = ast.parse(CATALOGUE.read_text(encoding="utf-8"))
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


def test_the_catalogue_imports_nothing_of_the_kit_but_itself():
    # So every view and face can import it without a cycle.
    tree = ast.parse(CATALOGUE.read_text(encoding="utf-8"))
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    allowed = ("__future__", "pilotfunnel.views.messages.catalogue")
    assert all(isinstance(n, ast.ImportFrom) and n.module in allowed for n in imports)


# Modules other helpers are still moving onto the view model's tables (issue 21); the lead
# empties this list when they land.
MIGRATING = ("charts/", "deck/")


def test_no_source_file_types_a_catalogue_sentence_again():
    texts = [t for text in catalogue().values() for t in checked_texts(text)]
    assert "What changes with the five practices" in texts
    assert "Five practices" in texts
    found = [(f, t) for f, t in copies(PACKAGE, texts) if not f.startswith(MIGRATING)]
    assert found == []


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


@pytest.mark.parametrize("name", ["FUNNEL_HEADING", "KPI_PRODUCTION", "FUNNEL_NOTE_STAGE"])
def test_a_message_with_numbers_names_each_placeholder(name):
    # Named, not positional: a translation may put the numbers in another order.
    fields = [f for _, f, *_ in string.Formatter().parse(getattr(messages, name)) if f is not None]
    assert fields and all(f.isidentifier() for f in fields)
