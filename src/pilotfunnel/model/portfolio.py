"""Model many scenarios at once, without rendering: one CSV row per scenario file.

Expected values for every scenario are computed together (the model's functions take stacks of
readiness profiles), so ten thousand scenarios take seconds; Monte Carlo quantiles per scenario
are optional. A file that cannot be read or fails validation gets a row with its error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pilotfunnel.core.errors import PilotfunnelError, ScenarioError, display_path
from pilotfunnel.core.files import read_yaml_mapping
from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.scenario import Scenario, scenario_from_dict
from pilotfunnel.model import economics, funnel

FIGURES = tuple(m for m in funnel.METRICS if m != "pocs")  # POCs have a column of their own
STEPS = ("production", "impact")
RECORD_FIELDS = ("period", "pocs_started", "reached_production", "with_measurable_impact")
RATE_FIELDS = ("prior_rate", "observed_rate", "calibrated_rate", "calibrated_p10", "calibrated_p90")
COLUMNS = (
    "file",
    "client",
    "currency",
    "pocs",
    *(f"as_is_{f}" for f in FIGURES),
    *(f"target_{f}" for f in FIGURES),
    "net_value_gain",
    "payback_years",
    "top_driver",
    "top_driver_production_gain",
    "top_driver_net_value_gain",
    "as_is_production_p10",
    "as_is_production_p90",
    "target_production_p10",
    "target_production_p90",
    *(f"record_{f}" for f in RECORD_FIELDS),
    *(f"{step}_{f}" for step in STEPS for f in RATE_FIELDS),
    "error",
)
TEXT_COLUMNS = ("file", "client", "currency", "top_driver", "record_period", "error")


_TERM_FIELDS = (
    "cost_per_poc",
    "cost_to_production",
    "annual_value_per_use_case",
    "horizon_years",
    "time_to_production_years",
    "discount_rate",
)


def read_scenario(path: Path) -> Scenario:
    """One scenario file, read and checked (a row of its own when it fails)."""
    return scenario_from_dict(read_yaml_mapping(path, ScenarioError), display_path(path), path)


def evaluate(
    files: Sequence[Path], model: funnel.FunnelModel, draws: int = 0, seed: int | None = None
) -> list[dict[str, object]]:
    """One row per file: expected funnel and money as is and at target, or the file's error."""
    rows: list[dict[str, object]] = []
    scenarios: list[tuple[int, Scenario]] = []
    for path in files:
        row: dict[str, object] = dict.fromkeys(COLUMNS, "")
        row["file"] = display_path(path)
        try:
            scenario = read_scenario(Path(path))
        except PilotfunnelError as exc:
            row["error"] = " ".join(str(exc).split())
        else:
            scenarios.append((len(rows), scenario))
            row.update(client=scenario.client, currency=scenario.currency)
        rows.append(row)
    if not scenarios:
        return rows
    found = [s for _, s in scenarios]
    pocs = np.array([s.pocs_per_year * s.horizon_years for s in found], dtype=float)
    as_is = np.array([funnel.readiness_vector(s.as_is) for s in found])
    target = np.array([funnel.readiness_vector(s.target) for s in found])
    one = [economics.terms_for(s, model.economics) for s in found]
    terms = economics.Terms(
        *(np.array([getattr(t, f) for t in one], dtype=float) for f in _TERM_FIELDS)
    )
    change = np.array([economics.change_cost(s, model.economics) for s in found])
    driver_cost = np.array(
        [[economics.driver_change_cost(s, model.economics, d) for d in DRIVERS] for s in found]
    )
    # A scenario with a record has its own baseline, calibrated as `pilotfunnel model` does
    # (all at once, the same numbers as one at a time).
    draws_or_default = draws or funnel.DEFAULT_DRAWS
    seed_or_default = funnel.DEFAULT_SEED if seed is None else seed
    base, calibrations = funnel.calibrated_baselines(
        model, found, draws_or_default, seed_or_default
    )
    as_is_counts = funnel.expected_counts(model, pocs, as_is, base)
    target_counts = funnel.expected_counts(model, pocs, target, base)
    money = {
        "as_is": economics.money(as_is_counts, terms),
        "target": economics.money(target_counts, terms, change),
    }
    # Each driver raised alone to target (others as is), ranked as funnel.sensitivity ranks
    # them: by net value gained, net of the driver's cost of change, then by production.
    raised = np.repeat(as_is[:, None, :], len(DRIVERS), axis=1)
    index = np.arange(len(DRIVERS))
    raised[:, index, index] = target[:, index]
    raised_counts = funnel.expected_counts(model, pocs[:, None], raised, base[:, None, :])
    per_driver = economics.Terms(*(np.asarray(getattr(terms, f))[:, None] for f in _TERM_FIELDS))
    raised_money = economics.money(raised_counts, per_driver)
    as_is_money = money["as_is"]
    gains = raised_counts[..., 1] - as_is_counts[:, None, 1]
    net_gains = (
        raised_money["value"]
        - as_is_money["value"][:, None]
        - (raised_money["spend"] - as_is_money["spend"][:, None])
        - driver_cost
    )
    # lexsort sorts by its last key first: net value, then production, then driver order.
    at_target = target <= as_is  # nothing to start: ranked last, as funnel.sensitivity does
    order = np.lexsort((np.broadcast_to(index, gains.shape), -gains, -net_gains, at_target), axis=1)
    top = order[:, 0]
    for i, (at, scenario) in enumerate(scenarios):
        row = rows[at]
        row["pocs"] = int(pocs[i])
        for which in ("as_is", "target"):
            for figure in FIGURES:
                row[f"{which}_{figure}"] = round(float(money[which][figure][i]), 6)
        net_gain = money["target"]["net_value"][i] - money["as_is"]["net_value"][i]
        row["net_value_gain"] = round(float(net_gain), 6)
        payback = economics.payback_years(
            one[i],
            float(target_counts[i, 1] - as_is_counts[i, 1]),
            float(target_counts[i, -1] - as_is_counts[i, -1]),
            float(change[i]),
        )
        row["payback_years"] = "" if payback is None else round(payback, 6)
        row["top_driver"] = DRIVERS[top[i]]
        row["top_driver_production_gain"] = round(float(gains[i, top[i]]), 6)
        row["top_driver_net_value_gain"] = round(float(net_gains[i, top[i]]), 6)
        as_is_rates = funnel.stage_rates(model, as_is[i])
        for step, prior_rate in zip(STEPS, as_is_rates, strict=True):
            row[f"{step}_prior_rate"] = round(float(prior_rate), 6)
        if scenario.record is not None:
            row.update(_record_columns(scenario, calibrations[i]))
        if draws:
            result = funnel.run(
                scenario, model, draws=draws, seed=funnel.DEFAULT_SEED if seed is None else seed
            )
            row["as_is_production_p10"] = result.as_is["production"].p10
            row["as_is_production_p90"] = result.as_is["production"].p90
            row["target_production_p10"] = result.target["production"].p10
            row["target_production_p90"] = result.target["production"].p90
    return rows


def _record_columns(scenario: Scenario, steps) -> dict[str, object]:
    record = scenario.record
    columns: dict[str, object] = {
        f"record_{f}": getattr(record, f) if getattr(record, f) is not None else ""
        for f in RECORD_FIELDS
    }
    for name, step in zip(STEPS, steps, strict=True):
        if step.trials is None:
            continue  # the record is silent on this step: no observed or calibrated rate
        columns[f"{name}_observed_rate"] = round(step.observed_rate, 6)
        columns[f"{name}_calibrated_rate"] = round(step.calibrated.mean, 6)
        columns[f"{name}_calibrated_p10"] = round(step.calibrated.p10, 6)
        columns[f"{name}_calibrated_p90"] = round(step.calibrated.p90, 6)
    return columns
