"""pilotfunnel.yml, validated like every input: one located line per problem."""

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilotfunnel.core import paths
from pilotfunnel.core.errors import InputError, ProjectFileError
from pilotfunnel.inputs.project_file import (
    DEFAULT_BRAND,
    ProjectSettings,
    brand_file,
    load_settings,
)


def write(root, text: str):
    (root / paths.MARKER).write_text(text, encoding="utf-8")


def test_the_repositorys_own_settings_load():
    settings = load_settings(paths.starter_dir())
    assert settings.formats == ("pdf", "html") and settings.brand == DEFAULT_BRAND
    assert settings.kit_version


def test_an_empty_file_and_no_file_are_the_kits_defaults(tmp_path):
    assert load_settings(tmp_path) == ProjectSettings()
    write(tmp_path, "")
    assert load_settings(tmp_path) == ProjectSettings()


def test_formats_are_read_in_order_without_repeats(tmp_path):
    write(tmp_path, "formats: [PPTX, pdf, pptx]\n")
    assert load_settings(tmp_path).formats == ("pptx", "pdf")
    write(tmp_path, "formats: html,pdf\n")
    assert load_settings(tmp_path).formats == ("html", "pdf")


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("colour: red\n", "colour", "allowed: name"),
        ("formats: [pdf, docx]\n", "formats[1]", "docx"),
        ("formats: []\n", "formats", "[]"),
        ("brand: /etc/passwd\n", "brand", "/etc/passwd"),
        ("brand: ../other/brand.yml\n", "brand", "../other/brand.yml"),
        ("brand: 'C:\\\\brand.yml'\n", "brand", "C:"),
        ("name: [a, b]\n", "name", "["),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_file_field_and_value(tmp_path, text, field, value):
    write(tmp_path, text)
    with pytest.raises(ProjectFileError) as raised:
        load_settings(tmp_path)
    line = str(raised.value)
    assert "\n" not in line and paths.MARKER in line and field in line and value in line


def test_not_a_mapping_is_refused(tmp_path):
    write(tmp_path, "- a\n- b\n")
    with pytest.raises(ProjectFileError, match=paths.MARKER):
        load_settings(tmp_path)


def test_a_brand_symlinked_out_of_the_project_is_refused(tmp_path):
    outside = tmp_path / "outside.yml"
    outside.write_text("name: x\n", encoding="utf-8")
    root = tmp_path / "project"
    root.mkdir()
    os.symlink(outside, root / "brand.yml")
    write(root, "brand: brand.yml\n")
    with pytest.raises(ProjectFileError, match="outside the project"):
        brand_file(root)
    write(root, "brand: data/brand/brand.yml\n")
    assert brand_file(root) == root / "data/brand/brand.yml"


settable = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=300),
    st.lists(st.text(max_size=20), max_size=5),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(["name", "firm", "formats", "brand", "kit_version", "other"]),
        settable,
        max_size=5,
    )
)
def test_generated_settings_load_or_fail_in_located_lines(tmp_path, data):
    write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    try:
        found = load_settings(tmp_path)
    except InputError as error:
        assert str(error) and "Traceback" not in str(error)
        for line in str(error).splitlines():
            assert paths.MARKER in line
        return
    assert set(found.formats) <= {"pdf", "html", "pptx"}
    assert not found.brand.startswith("/") and ".." not in found.brand.split("/")
