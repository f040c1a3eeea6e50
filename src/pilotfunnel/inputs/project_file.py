"""A project's marker and settings, ``pilotfunnel.yml``, read and validated like every input.

The file says that its folder is a project (``core.paths`` finds it by walking up) and holds
the few settings an engagement keeps: its name, the firm, the formats a brief is made in by
default, where its brand file is, and the kit version that made it (``pilotfunnel new`` writes
it; a newer kit reads an older project as it is). Every key is optional: an empty mapping is a
project with the kit's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pilotfunnel.core import paths
from pilotfunnel.core.errors import Problems, ProjectFileError, display_path
from pilotfunnel.core.files import read_yaml_mapping, unknown_key_problems
from pilotfunnel.inputs.fields import text_field

KEYS = ("name", "firm", "formats", "brand", "kit_version")
MAX_PROJECT_FILE_BYTES = 16_384  # a few settings: anything larger is not this file
MAX_NAME_CHARS = 80
MAX_PATH_CHARS = 200
DEFAULT_BRAND = "data/brand/brand.yml"
KNOWN_FORMATS = ("pdf", "html", "pptx")  # export.formats.FORMATS, without importing exporters


@dataclass(frozen=True)
class ProjectSettings:
    """What pilotfunnel.yml says (the kit's defaults where it says nothing)."""

    name: str = ""
    firm: str = ""
    formats: tuple[str, ...] = ()  # empty: the kit's default formats
    brand: str = DEFAULT_BRAND  # relative to the project, inside it
    kit_version: str = ""


def load_settings(root: Path) -> ProjectSettings:
    """The settings of the project at ``root``; the defaults for a project from before the
    marker (no pilotfunnel.yml). A bad file is ``ProjectFileError``, one line per problem."""
    path = root / paths.MARKER
    if not path.exists():
        return ProjectSettings()
    small = path.is_file() and path.stat().st_size <= MAX_PROJECT_FILE_BYTES
    if small and not path.read_bytes().strip():  # `touch pilotfunnel.yml` marks a project too
        return ProjectSettings()
    data = read_yaml_mapping(path, ProjectFileError, limit=MAX_PROJECT_FILE_BYTES)
    problems = Problems(display_path(path))
    problems.extend(unknown_key_problems(problems.file, "", data, KEYS))
    found: dict = {}
    for key in ("name", "firm", "kit_version"):
        if data.get(key) is not None:
            found[key] = text_field(data[key], key, MAX_NAME_CHARS, problems.field) or ""
    formats = data.get("formats")
    if formats is not None:
        listed = formats.split(",") if isinstance(formats, str) else formats
        if not isinstance(listed, list) or not listed:
            problems.field("formats", f"must list formats from {', '.join(KNOWN_FORMATS)}", formats)
        else:
            names = []
            for index, name in enumerate(listed):
                name = name.strip().lower() if isinstance(name, str) else name
                if name not in KNOWN_FORMATS:
                    problems.field(
                        f"formats[{index}]", f"must be one of {', '.join(KNOWN_FORMATS)}", name
                    )
                elif name not in names:
                    names.append(name)
            found["formats"] = tuple(names)
    brand = data.get("brand")
    if brand is not None:
        found["brand"] = _inside(brand, problems) or DEFAULT_BRAND
    if problems:
        raise ProjectFileError(problems=problems)
    return ProjectSettings(**found)


def _inside(value: object, problems: Problems) -> str | None:
    """``value`` as a relative path that stays inside the project (no absolute path, no
    ``..``); where a symlink leads is checked when the file is opened (``brand_file``)."""
    text = text_field(value, "brand", MAX_PATH_CHARS, problems.field)
    if text is None:
        return None
    path = PurePosixPath(text.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in text or not path.parts:
        problems.field("brand", "must be a path inside the project, e.g. data/brand/brand.yml",
                       value)  # fmt: skip
        return None
    return path.as_posix()


def brand_file(root: Path, settings: ProjectSettings | None = None) -> Path:
    """The project's brand file: pilotfunnel.yml's ``brand``, checked to resolve inside the
    project (a symlink out is refused, naming it)."""
    settings = settings or load_settings(root)
    path = root / settings.brand
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        problems = Problems(display_path(root / paths.MARKER))
        problems.field("brand", "leads outside the project (a symlink out)", settings.brand)
        raise ProjectFileError(problems=problems)
    return path
