"""Generated client scenarios for the batch benchmarks: varied names, sizes and readiness."""

from __future__ import annotations

import os
import random
from pathlib import Path

import yaml

DRIVERS = ("outcome", "integration", "data", "ownership", "volume")
FIRST = [
    "Northwind",
    "Fernhill",
    "Harbourview",
    "Ålesund",
    "Müller & Søn",
    "Zürich",
    "Łódź",
    "São Paulo",
    "Kraków",
    "Ōsaka",
    "Straße",
    "Ærø",
    "Crème",
    "Dvořák",
    "Œuvre",
    "Þing",
    "Blue",
    "Granite",
    "Copper",
    "Meridian",
    "Juniper",
    "北京",
    "Αθήνα",
    "Ñandú",
]
SECOND = [
    "Logistics",
    "Foods",
    "Bank",
    "Insurance",
    "Retail",
    "Energy",
    "Health",
    "Telecom",
    "Freight",
    "Mills",
    "Pharma",
    "Media",
    "Holdings",
    "AG",
    "GmbH",
    "S.A.",
    "plc",
]
CURRENCIES = ["USD", "EUR", "GBP", "CHF", "AUD", "CAD"]


def scenario(index: int, rng: random.Random) -> dict:
    """One plausible scenario; ``index`` keeps client names (and so file names) unique."""
    as_is = {d: rng.randint(0, 3) for d in DRIVERS}
    target = {d: rng.randint(as_is[d], 4) for d in DRIVERS}
    data = {
        "client": f"{rng.choice(FIRST)} {rng.choice(SECOND)} {index:05d}",
        "prepared_by": "Pilotfunnel Advisory",
        "currency": rng.choice(CURRENCIES),
        "pocs_per_year": rng.choice([1, 3, 8, 12, 24, 60, 150, 400, 2000]),
        "costs": {
            "per_poc": rng.choice([20_000, 80_000, 120_000, 400_000]),
            "to_production": rng.choice([100_000, 450_000, 2_000_000]),
        },
        "annual_value_per_use_case": rng.choice([250_000, 1_500_000, 6_000_000]),
        "horizon_years": rng.randint(1, 10),
        "readiness": {"as_is": as_is, "target": target},
        "include_unverified_sources": rng.random() < 0.2,
        "notes": "Generated for a benchmark. " * rng.randint(0, 3),
    }
    # Every other client has a record of its own pilots (BENCH_RECORDS=0: none), drawn from a
    # stream of its own so the rest of each scenario is what it was before records existed.
    if index % 2 == 0 and os.environ.get("BENCH_RECORDS", "1") != "0":
        own = random.Random(index)
        started = own.randint(1, 80)
        reached = own.randint(0, max(started // 3, 1)) if started > 1 else own.randint(0, 1)
        data["record"] = {
            "period": "2024-01 to 2025-12",
            "pocs_started": started,
            "reached_production": min(reached, started),
        }
        if own.random() < 0.5:
            data["record"]["with_measurable_impact"] = own.randint(
                0, data["record"]["reached_production"]
            )
    return data


def generate(count: int, folder: Path, seed: int = 7) -> list[Path]:
    """Write ``count`` scenario files into ``folder``; the same seed gives the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(count):
        path = folder / f"client-{index:05d}.yaml"
        text = yaml.safe_dump(scenario(index, rng), allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
