"""Brief and client file names: safe, readable, stable."""

import datetime as dt

import pytest

from pilotfunnel.core.naming import brief_stem, slugify
from pilotfunnel.inputs.scenario import load_scenario

from ..conftest import ROOT


@pytest.mark.parametrize(
    ("name", "slug"),
    [("../../etc", "etc"), ("Müller & Søn <script>", "muller-son-script"), ("???", "client")],
)
def test_slugs_are_safe_file_names(name, slug):
    assert slugify(name) == slug


def test_a_brief_is_named_for_its_client_and_date():
    scenario = load_scenario(ROOT / "data" / "clients" / "demo.yaml")
    assert brief_stem(scenario, dt.date(2026, 11, 25)) == "northwind-logistics-2026-11-25"


def test_letters_without_a_decomposition_are_spelled_out():
    assert slugify("Øresund Bæk Straße Łódź") == "oresund-baek-strasse-lodz"
