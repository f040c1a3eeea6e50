"""A client scenario: load, validate and save the YAML file a consultant edits."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pilotfunnel.core.errors import Problem, Problems, ScenarioError, display_path
from pilotfunnel.core.files import read_yaml_mapping, unknown_key_problems
from pilotfunnel.core.text import text_problem
from pilotfunnel.core.write import atomic_write_text
from pilotfunnel.inputs.assumptions import (
    DRIVERS,
    LEVELS,
    MAX_DISCOUNT_RATE,
    MAX_TIME_TO_PRODUCTION_MONTHS,
)
from pilotfunnel.inputs.fields import is_number
from pilotfunnel.inputs.money import MoneyError, parse_money

TOP_KEYS = (
    "client",
    "prepared_by",
    "currency",
    "pocs_per_year",
    "costs",
    "annual_value_per_use_case",
    "horizon_years",
    "readiness",
    "include_unverified_sources",
    "notes",
    "record",
    "economics",
)
COST_KEYS = ("per_poc", "to_production", "change")
# The economic assumptions a scenario may set for itself (data/assumptions.yaml otherwise).
ECONOMIC_KEYS = ("discount_rate", "time_to_production_months")
ECONOMIC_BOUNDS = {
    "discount_rate": (0.0, MAX_DISCOUNT_RATE),
    "time_to_production_months": (0.0, float(MAX_TIME_TO_PRODUCTION_MONTHS)),
}
READINESS_KEYS = ("as_is", "target")
RECORD_KEYS = ("period", "pocs_started", "reached_production", "with_measurable_impact")
MAX_RECORD_POCS = 1_000_000
CURRENCIES = {"USD": "$", "EUR": "€", "GBP": "£", "CHF": "CHF ", "AUD": "A$", "CAD": "C$"}
MAX_POCS_PER_YEAR = 10_000
MAX_HORIZON_YEARS = 10
# The longest text of each text field (characters); a name is one line, notes may be several.
MAX_NAME_CHARS = 120
MAX_PERIOD_CHARS = 60
MAX_NOTES_CHARS = 4000


@dataclass(frozen=True)
class Record:
    """The client's own pilots so far: how many started, went live and showed impact."""

    pocs_started: int
    reached_production: int
    with_measurable_impact: int | None = None  # not every client measures it
    period: str = ""

    def evidence(self) -> tuple[tuple[int, int] | None, ...]:
        """(successes, trials) for each step down the funnel; None where the record is silent."""
        impact = None
        if self.with_measurable_impact is not None and self.reached_production > 0:
            impact = (self.with_measurable_impact, self.reached_production)
        return ((self.reached_production, self.pocs_started), impact)

    def to_dict(self) -> dict:
        data = {
            "period": self.period,
            "pocs_started": self.pocs_started,
            "reached_production": self.reached_production,
            "with_measurable_impact": self.with_measurable_impact,
        }
        return {k: v for k, v in data.items() if v not in ("", None)}


@dataclass(frozen=True)
class Scenario:
    """One client's pilot programme and readiness, as entered by the consultant."""

    client: str
    pocs_per_year: int
    cost_per_poc: float
    cost_to_production: float
    annual_value_per_use_case: float
    horizon_years: int
    as_is: dict[str, int]
    target: dict[str, int]
    prepared_by: str = ""
    currency: str = "USD"
    include_unverified_sources: bool = False
    notes: str = ""
    record: Record | None = None
    # The client's own economics, where it gives them; None takes data/assumptions.yaml's.
    discount_rate: float | None = None
    time_to_production_months: float | None = None
    # The cost of raising a driver from as-is to target, where the client has priced it.
    change_costs: dict[str, float] = field(default_factory=dict)
    path: Path | None = field(default=None, compare=False)

    def to_dict(self) -> dict:
        """The scenario in the file's shape (what ``save_scenario`` writes)."""
        data = {
            "client": self.client,
            "prepared_by": self.prepared_by,
            "currency": self.currency,
            "pocs_per_year": self.pocs_per_year,
            "costs": {
                "per_poc": self.cost_per_poc,
                "to_production": self.cost_to_production,
                **({"change": dict(self.change_costs)} if self.change_costs else {}),
            },
            "annual_value_per_use_case": self.annual_value_per_use_case,
            "horizon_years": self.horizon_years,
            "readiness": {
                "as_is": {d: self.as_is[d] for d in DRIVERS},
                "target": {d: self.target[d] for d in DRIVERS},
            },
            "include_unverified_sources": self.include_unverified_sources,
            "notes": self.notes,
            "record": self.record.to_dict() if self.record else None,
            "economics": {
                k: getattr(self, k) for k in ECONOMIC_KEYS if getattr(self, k) is not None
            }
            or None,
        }
        return {k: v for k, v in data.items() if v not in ("", None)}

    def replace(self, **changes) -> Scenario:
        return dataclasses.replace(self, **changes)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; every problem names the file and the field."""
    path = Path(path)
    data = read_yaml_mapping(path, ScenarioError)
    return scenario_from_dict(data, display_path(path), path)


def scenario_from_dict(data: dict, name: str = "<scenario>", path: Path | None = None) -> Scenario:
    """Validate a scenario given as a mapping (from a file or from the explorer's widgets)."""
    problems = Problems(name)
    fail = problems.field
    if not isinstance(data, dict):
        message = "must be a mapping of the scenario's fields to their values"
        raise ScenarioError(problems=[Problem(name, "", message, type(data).__name__)])

    problems += unknown_key_problems(name, "", data, TOP_KEYS)
    client = data.get("client")
    if not isinstance(client, str) or not client.strip():
        fail("client", "must be the client's name as text", client)
    else:
        _text(client.strip(), "client", MAX_NAME_CHARS, fail)
    pocs = _whole(data, "pocs_per_year", 1, MAX_POCS_PER_YEAR, fail)
    horizon = _whole(data, "horizon_years", 1, MAX_HORIZON_YEARS, fail)
    currency = data.get("currency", "USD")
    if not isinstance(currency, str) or currency not in CURRENCIES:
        fail("currency", f"must be one of {', '.join(CURRENCIES)}", currency)
    # Money may name its currency ("$1.2M"); it must be the scenario's, when that is known.
    in_currency = currency if isinstance(currency, str) and currency in CURRENCIES else None
    value = _money(
        data.get("annual_value_per_use_case"), "annual_value_per_use_case", fail, in_currency
    )
    costs = data.get("costs")
    per_poc = to_production = None
    change_costs: dict[str, float] = {}
    if not isinstance(costs, dict):
        fail("costs", "must have per_poc and to_production", costs)
    else:
        problems += unknown_key_problems(name, "costs", costs, COST_KEYS)
        per_poc = _money(costs.get("per_poc"), "costs.per_poc", fail, in_currency)
        if per_poc is not None and per_poc < 1:
            fail(
                "costs.per_poc",
                "must be at least 1: a proof of concept always costs "
                "something, and return on spend needs spend",
                per_poc,
            )
            per_poc = None
        to_production = _money(costs.get("to_production"), "costs.to_production", fail, in_currency)
        change_costs = _change_costs(costs.get("change"), name, problems, fail, in_currency)
    readiness = data.get("readiness")
    levels: dict[str, dict[str, int]] = {}
    if not isinstance(readiness, dict):
        fail("readiness", "must have as_is and target, each scoring the five drivers 0-4")
    else:
        problems += unknown_key_problems(name, "readiness", readiness, READINESS_KEYS)
        for which in READINESS_KEYS:
            levels[which] = _readiness(
                readiness.get(which), f"readiness.{which}", name, problems, fail
            )
        if all(len(levels.get(w, {})) == len(DRIVERS) for w in READINESS_KEYS):
            for driver in DRIVERS:
                if levels["target"][driver] < levels["as_is"][driver]:
                    fail(
                        f"readiness.target.{driver}",
                        f"is below as-is ({levels['as_is'][driver]}); the target is the "
                        "readiness the client aims for, so it must be at least as-is",
                        levels["target"][driver],
                    )
    prepared_by = data.get("prepared_by", "")
    if not isinstance(prepared_by, str):
        fail("prepared_by", "must be text", prepared_by)
    else:
        _text(prepared_by.strip(), "prepared_by", MAX_NAME_CHARS, fail)
    notes = data.get("notes", "")
    if not isinstance(notes, str):
        fail("notes", "must be text", notes)
    else:
        _text(notes, "notes", MAX_NOTES_CHARS, fail, multiline=True)
    unverified = data.get("include_unverified_sources", False)
    if not isinstance(unverified, bool):
        fail("include_unverified_sources", "must be true or false", unverified)
    record = _record(data.get("record"), name, problems, fail)
    economics = _economics(data.get("economics"), name, problems, fail)
    if problems:
        raise ScenarioError(problems=problems)
    return Scenario(
        client=client.strip(),
        pocs_per_year=pocs,
        cost_per_poc=per_poc,
        cost_to_production=to_production,
        annual_value_per_use_case=value,
        horizon_years=horizon,
        as_is=levels["as_is"],
        target=levels["target"],
        prepared_by=prepared_by.strip(),
        currency=currency,
        include_unverified_sources=unverified,
        notes=notes.strip(),
        record=record,
        change_costs=change_costs,
        path=path,
        **economics,
    )


def save_scenario(scenario: Scenario, path: str | Path, overwrite: bool = False) -> Path:
    """Write a scenario as YAML, atomically; refuse to replace a file unless told to."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise ScenarioError(
            problems=[
                Problem(display_path(path), "", "already exists; pass overwrite=True to replace it")
            ]
        )
    text = yaml.safe_dump(scenario.to_dict(), sort_keys=False, allow_unicode=True, width=88)
    return atomic_write_text(path, text)


def _text(value: str, where: str, limit: int, fail, multiline: bool = False) -> bool:
    """Whether ``value`` may go into the brief, the deck and the workbook; a problem if not.
    The value is not shown: ``text_problem`` says which character, and where."""
    problem = text_problem(value, limit, multiline)
    if problem is not None:
        fail(where, problem)
    return problem is None


def _whole(data: dict, key: str, low: int, high: int, fail, prefix: str = "") -> int | None:
    value = data.get(key)
    where = prefix + key
    if value is None:
        fail(where, f"is missing; a whole number from {low} to {high:,} is required")
        return None
    if not is_number(value) or value != int(value):
        fail(where, f"must be a whole number from {low} to {high:,}", value)
        return None
    if not low <= value <= high:
        fail(where, f"must be from {low} to {high:,}", value)
        return None
    return int(value)


def _record(raw: object, name: str, problems: Problems, fail) -> Record | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        fail(
            "record",
            "must be a mapping with pocs_started, reached_production and, optionally, "
            "with_measurable_impact and period",
            raw,
        )
        return None
    problems += unknown_key_problems(name, "record", raw, RECORD_KEYS)
    started = _whole(raw, "pocs_started", 1, MAX_RECORD_POCS, fail, "record.")
    reached = _whole(raw, "reached_production", 0, MAX_RECORD_POCS, fail, "record.")
    impact = None
    if raw.get("with_measurable_impact") is not None:
        impact = _whole(raw, "with_measurable_impact", 0, MAX_RECORD_POCS, fail, "record.")
    if started is not None and reached is not None and reached > started:
        fail(
            "record.reached_production",
            f"is more than pocs_started ({started}); only proofs of concept that were started "
            "can reach production",
            reached,
        )
        reached = None
    if reached is not None and impact is not None and impact > reached:
        fail(
            "record.with_measurable_impact",
            f"is more than reached_production ({reached}); only use cases in production can "
            "show measurable impact",
            impact,
        )
    period = raw.get("period", "")
    if isinstance(period, int) and not isinstance(period, bool) and abs(period) < 10**12:
        period = str(period)  # a year, as YAML reads 2025
    if not isinstance(period, str):
        fail("record.period", "must be text, such as 2024-01 to 2025-12", period)
        period = ""
    elif not _text(period.strip(), "record.period", MAX_PERIOD_CHARS, fail):
        period = ""
    if started is None or reached is None:
        return None  # the problems are reported; the scenario is not built
    return Record(started, reached, impact, str(period).strip())


def _change_costs(
    raw: object, name: str, problems: Problems, fail, currency: str | None
) -> dict[str, float]:
    """The client's own price of raising each driver it names from as-is to target."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        fail("costs.change", f"must map drivers ({', '.join(DRIVERS)}) to an amount", raw)
        return {}
    problems += unknown_key_problems(name, "costs.change", raw, DRIVERS)
    costs = {}
    for driver in DRIVERS:
        if driver in raw:
            amount = _money(raw[driver], f"costs.change.{driver}", fail, currency)
            if amount is not None:
                costs[driver] = amount
    return costs


def _economics(raw: object, name: str, problems: Problems, fail) -> dict[str, float]:
    """The economic assumptions the scenario sets for itself."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        fail("economics", f"must map {' and '.join(ECONOMIC_KEYS)} to numbers", raw)
        return {}
    problems += unknown_key_problems(name, "economics", raw, ECONOMIC_KEYS)
    values = {}
    for key in ECONOMIC_KEYS:
        if key not in raw:
            continue
        low, high = ECONOMIC_BOUNDS[key]
        value = raw[key]
        if not is_number(value) or not low <= value <= high:
            fail(f"economics.{key}", f"must be a number from {low:g} to {high:g}", value)
        else:
            values[key] = float(value)
    return values


def _money(value: object, where: str, fail, currency: str | None) -> float | None:
    """An amount of money in the scenario's currency, read by ``inputs.money`` as the explorer
    reads it: a YAML number as before, or text such as 450k, 1.2M or $1,200,000."""
    if value is None:
        fail(where, "is missing; an amount of 0 or more is required")
        return None
    try:
        return parse_money(value, currency)
    except MoneyError as error:
        fail(where, str(error), value)
        return None


def _readiness(raw: object, where: str, name: str, problems: list[Problem], fail) -> dict[str, int]:
    if not isinstance(raw, dict):
        fail(where, f"must score each driver ({', '.join(DRIVERS)}) from 0 to 4", raw)
        return {}
    problems += unknown_key_problems(name, where, raw, DRIVERS)
    scores = {}
    for driver in DRIVERS:
        value = raw.get(driver)
        if value is None:
            fail(f"{where}.{driver}", "is missing; score it from 0 (absent) to 4 (in place)")
        elif not is_number(value) or value != int(value) or not 0 <= value < LEVELS:
            fail(
                f"{where}.{driver}", "must be a whole number from 0 (absent) to 4 (in place)", value
            )
        else:
            scores[driver] = int(value)
    return scores
