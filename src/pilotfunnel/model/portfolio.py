"""Model many scenarios at once, without rendering: one CSV row per scenario file.

Expected values for every scenario are computed together (the model's functions take stacks of
readiness profiles), so ten thousand scenarios take seconds; Monte Carlo quantiles per scenario
are optional. A file that cannot be read or fails validation gets a row with its error.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from pilotfunnel.core.errors import PilotfunnelError, ScenarioError, display_path
from pilotfunnel.core.files import read_yaml_mapping
from pilotfunnel.core.text import spreadsheet_safe
from pilotfunnel.core.write import atomic_write_bytes, atomic_write_text
from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.inputs.scenario import Scenario, scenario_from_dict
from pilotfunnel.model import funnel

FIGURES = ("production", "impact", "spend", "stalled_spend", "value", "net_value", "roi")
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
    "top_driver",
    "top_driver_production_gain",
    "as_is_production_p10",
    "as_is_production_p90",
    "target_production_p10",
    "target_production_p90",
    *(f"record_{f}" for f in RECORD_FIELDS),
    *(f"{step}_{f}" for step in STEPS for f in RATE_FIELDS),
    "error",
)
TEXT_COLUMNS = ("file", "client", "currency", "top_driver", "record_period", "error")


def _read(path: Path) -> Scenario:
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
            scenario = _read(Path(path))
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
    terms = SimpleNamespace(
        cost_per_poc=np.array([s.cost_per_poc for s in found]),
        cost_to_production=np.array([s.cost_to_production for s in found]),
        annual_value_per_use_case=np.array([s.annual_value_per_use_case for s in found]),
        horizon_years=np.array([s.horizon_years for s in found]),
    )
    # A scenario with a record has its own baseline, calibrated as `pilotfunnel model` does.
    draws_or_default = draws or funnel.DEFAULT_DRAWS
    seed_or_default = funnel.DEFAULT_SEED if seed is None else seed
    calibrations = [
        funnel.calibrated_baseline(model, s, draws_or_default, seed_or_default) for s in found
    ]
    base = np.array([point for point, _ in calibrations])
    share = model.value_share_of_horizon
    money = {
        "as_is": funnel.economics(terms, funnel.expected_counts(model, pocs, as_is, base), share),
        "target": funnel.economics(terms, funnel.expected_counts(model, pocs, target, base), share),
    }
    # Each driver raised alone to target (others as is), as funnel.sensitivity ranks them.
    raised = np.repeat(as_is[:, None, :], len(DRIVERS), axis=1)
    index = np.arange(len(DRIVERS))
    raised[:, index, index] = target[:, index]
    production = funnel.expected_counts(model, pocs[:, None], raised, base[:, None, :])[..., 1]
    gains = production - money["as_is"]["production"][:, None]
    top = np.argmax(gains, axis=1)  # ties go to the earlier driver, as in funnel.sensitivity
    for i, (at, scenario) in enumerate(scenarios):
        row = rows[at]
        row["pocs"] = int(pocs[i])
        for which in ("as_is", "target"):
            for figure in FIGURES:
                row[f"{which}_{figure}"] = round(float(money[which][figure][i]), 6)
        row["top_driver"] = DRIVERS[top[i]]
        row["top_driver_production_gain"] = round(float(gains[i, top[i]]), 6)
        as_is_rates = funnel.stage_rates(model, as_is[i])
        for step, prior_rate in zip(STEPS, as_is_rates, strict=True):
            row[f"{step}_prior_rate"] = round(float(prior_rate), 6)
        if scenario.record is not None:
            row.update(_record_columns(scenario, calibrations[i][1]))
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


def write_csv(rows: list[dict[str, object]], path: str | Path) -> Path:
    """Write the rows as a spreadsheet-friendly CSV, atomically; no text cell runs as a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return atomic_write_text(path, buffer.getvalue())


# --- for analysts: DataFrames and an Excel workbook -----------------------------------------
def frame(rows: list[dict[str, object]]):
    """The ``evaluate`` rows as a pandas DataFrame, numbers as numbers, one row per file."""
    import pandas as pd  # pandas only for analysts: the command line's CSV stays light

    table = pd.DataFrame(rows, columns=list(COLUMNS))
    numeric = [c for c in COLUMNS if c not in TEXT_COLUMNS]
    table[numeric] = table[numeric].apply(pd.to_numeric, errors="coerce")
    return table


def inputs_frame(files: Sequence[Path]):
    """What each scenario file says (the model's inputs), one row per file that is valid."""
    import pandas as pd  # pandas only for analysts, as in frame

    rows = []
    for path in files:
        try:
            s = _read(Path(path))
        except PilotfunnelError:
            continue
        rows.append(
            {
                "File": display_path(path),
                "Client": s.client,
                "Currency": s.currency,
                "POCs a year": s.pocs_per_year,
                "Horizon (years)": s.horizon_years,
                "Cost per POC": s.cost_per_poc,
                "Cost to production": s.cost_to_production,
                "Yearly value of a use case with impact": s.annual_value_per_use_case,
                **{f"As is: {d} (0-4)": s.as_is[d] for d in DRIVERS},
                **{f"Target: {d} (0-4)": s.target[d] for d in DRIVERS},
            }
        )
    return pd.DataFrame(rows)


# Column headings with units for the workbook, and each column's Excel number format.
_HEADINGS = {
    "file": ("File", None),
    "client": ("Client", None),
    "currency": ("Currency", None),
    "pocs": ("POCs over the horizon (count)", "#,##0"),
    "top_driver": ("Top driver", None),
    "top_driver_production_gain": ("Top driver: gain in production (use cases)", "#,##0.0"),
    "error": ("Error", None),
    "record_period": ("Record: period", None),
    "record_pocs_started": ("Record: POCs started (count)", "#,##0"),
    "record_reached_production": ("Record: reached production (count)", "#,##0"),
    "record_with_measurable_impact": ("Record: with measurable impact (count)", "#,##0"),
}
for _step, _text in (("production", "reaching production"), ("impact", "measurable impact")):
    for _field, _what in (
        ("prior_rate", "readiness-based rate, as is"),
        ("observed_rate", "rate in the record"),
        ("calibrated_rate", "rate calibrated to the record, as is"),
        ("calibrated_p10", "calibrated rate, P10"),
        ("calibrated_p90", "calibrated rate, P90"),
    ):
        _HEADINGS[f"{_step}_{_field}"] = (f"Step to {_text}: {_what} (%)", "0.0%")
_FIGURE_UNITS = {
    "production": ("reaching production (use cases)", "#,##0.0"),
    "impact": ("with measurable impact (use cases)", "#,##0.0"),
    "spend": ("total spend (currency)", "#,##0"),
    "stalled_spend": ("spend on POCs that never ship (currency)", "#,##0"),
    "value": ("value delivered (currency)", "#,##0"),
    "net_value": ("value less spend (currency)", "#,##0"),
    "roi": ("return on spend (%)", "0%"),
}
for _which, _label in (("as_is", "As is"), ("target", "Target")):
    for _figure, (_text, _format) in _FIGURE_UNITS.items():
        _HEADINGS[f"{_which}_{_figure}"] = (f"{_label}: {_text}", _format)
    for _q in ("p10", "p90"):
        _HEADINGS[f"{_which}_production_{_q}"] = (
            f"{_label}: reaching production, {_q.upper()} (use cases)",
            "#,##0",
        )


def write_xlsx(rows: list[dict[str, object]], files: Sequence[Path], path: str | Path) -> Path:
    """An Excel workbook: the results (units in the headings, number and percent formats, a
    frozen header row) and, on a second sheet, each scenario's inputs; written atomically."""
    # pandas and openpyxl only when a workbook is written: the command line stays light.
    import pandas as pd
    from openpyxl.utils import get_column_letter

    results = frame(rows)
    results.columns = [_HEADINGS[c][0] for c in COLUMNS]
    inputs = inputs_frame(files)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _workbook_safe(results).to_excel(writer, sheet_name="Results", index=False)
        _workbook_safe(inputs).to_excel(writer, sheet_name="Inputs", index=False)
        for sheet in writer.book.worksheets:
            sheet.freeze_panes = "A2"
            for row in sheet.iter_rows():
                for cell in row:
                    # Text that looks like a formula stays text (a client named "=HYPERLINK(...)").
                    if cell.data_type == "f":
                        cell.data_type = "s"
            for index, cells in enumerate(sheet.iter_cols(min_row=1), start=1):
                heading = str(cells[0].value or "")
                width = min(max(len(heading), *(len(str(c.value or "")) for c in cells)) + 2, 48)
                sheet.column_dimensions[get_column_letter(index)].width = width
        results_sheet = writer.book["Results"]
        for index, column in enumerate(COLUMNS, start=1):
            number_format = _HEADINGS[column][1]
            if number_format:
                for (cell,) in results_sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
    return atomic_write_bytes(path, buffer.getvalue())


# Characters a workbook cannot hold: what openpyxl refuses (C0 controls but tab, line feed and
# carriage return), lone surrogates (not UTF-8) and U+FFFE/U+FFFF (not XML characters).
@functools.cache
def _not_in_workbook() -> re.Pattern:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl only when writing one

    return re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ud800-\udfff\ufffe\uffff]")


MAX_CELL_CHARS = 32_767  # Excel's limit for the text of one cell


def workbook_text(value: object) -> object:
    """A text cell the workbook can hold: characters it cannot hold removed, cut to Excel's
    limit. The loaders refuse such characters in what they read; a file name from a folder,
    or an error quoting one, can still carry them, and one cell must not sink the workbook."""
    if not isinstance(value, str):
        return value
    return _not_in_workbook().sub("", value)[:MAX_CELL_CHARS]


def _workbook_safe(table):
    """The DataFrame with every text cell made ``workbook_text``."""
    from pandas.api.types import is_numeric_dtype  # pandas only for analysts, as in frame

    table = table.copy()
    for column in table.columns:
        if not is_numeric_dtype(table[column]):  # text: object, or pandas 3's str dtype
            table[column] = table[column].map(workbook_text)
    return table
