"""The portfolio's summary as a spreadsheet: a CSV, pandas DataFrames and an Excel workbook.

``model.portfolio.evaluate`` gives the rows (numbers, no rendering); this writes them for people:
the headings with their units (the catalogue's ``messages/summary``), number formats, a frozen
header, and each scenario's inputs on a second sheet. No text cell runs as a formula.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Sequence
from pathlib import Path

from pilotfunnel.core.errors import PilotfunnelError, display_path
from pilotfunnel.core.text import spreadsheet_safe
from pilotfunnel.core.write import atomic_write_bytes, atomic_write_text
from pilotfunnel.inputs.assumptions import DRIVERS
from pilotfunnel.model.portfolio import COLUMNS, TEXT_COLUMNS, read_scenario
from pilotfunnel.views import messages as msg
from pilotfunnel.views.messages import summary as smsg


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
            s = read_scenario(Path(path))
        except PilotfunnelError:
            continue
        rows.append(
            {
                smsg.FILE: display_path(path),
                msg.CLIENT: s.client,
                msg.CURRENCY: s.currency,
                smsg.POCS_A_YEAR: s.pocs_per_year,
                msg.HORIZON: s.horizon_years,
                smsg.COST_PER_POC: s.cost_per_poc,
                smsg.COST_TO_PRODUCTION: s.cost_to_production,
                msg.ANNUAL_VALUE: s.annual_value_per_use_case,
                **{smsg.LEVEL.format(case=msg.AS_IS, driver=d): s.as_is[d] for d in DRIVERS},
                **{smsg.LEVEL.format(case=msg.TARGET, driver=d): s.target[d] for d in DRIVERS},
            }
        )
    return pd.DataFrame(rows)


# Column headings with units for the workbook, and each column's Excel number format.
_HEADINGS = {
    "file": (smsg.FILE, None),
    "client": (msg.CLIENT, None),
    "currency": (msg.CURRENCY, None),
    "pocs": (smsg.POCS, "#,##0"),
    "top_driver": (smsg.TOP_DRIVER, None),
    "top_driver_production_gain": (smsg.TOP_DRIVER_GAIN, "#,##0.0"),
    "top_driver_net_value_gain": (smsg.TOP_DRIVER_NET_GAIN, "#,##0"),
    "net_value_gain": (smsg.NET_VALUE_GAIN, "#,##0"),
    "payback_years": (smsg.PAYBACK_YEARS, "0.0"),
    "error": (smsg.ERROR, None),
    "record_period": (smsg.RECORD_PERIOD, None),
    "record_pocs_started": (smsg.RECORD_STARTED, "#,##0"),
    "record_reached_production": (smsg.RECORD_REACHED, "#,##0"),
    "record_with_measurable_impact": (smsg.RECORD_IMPACT, "#,##0"),
}
for _step, _text in (("production", smsg.REACHING_PRODUCTION), ("impact", smsg.MEASURABLE_IMPACT)):
    for _field, _what in (
        ("prior_rate", smsg.PRIOR_RATE),
        ("observed_rate", smsg.OBSERVED_RATE),
        ("calibrated_rate", smsg.CALIBRATED_RATE),
        ("calibrated_p10", smsg.CALIBRATED_P10),
        ("calibrated_p90", smsg.CALIBRATED_P90),
    ):
        _HEADINGS[f"{_step}_{_field}"] = (smsg.STEP_RATE.format(step=_text, what=_what), "0.0%")
_FIGURE_UNITS = {
    "production": (smsg.FIGURE_PRODUCTION, "#,##0.0"),
    "impact": (smsg.FIGURE_IMPACT, "#,##0.0"),
    "spend": (smsg.FIGURE_SPEND, "#,##0"),
    "stalled_spend": (smsg.FIGURE_STALLED, "#,##0"),
    "value": (smsg.FIGURE_VALUE, "#,##0"),
    "change_cost": (smsg.FIGURE_CHANGE_COST, "#,##0"),
    "net_value": (smsg.FIGURE_NET, "#,##0"),
    "roi": (smsg.FIGURE_ROI, "0%"),
}
for _which, _label in (("as_is", msg.AS_IS), ("target", msg.TARGET)):
    for _figure, (_text, _format) in _FIGURE_UNITS.items():
        _HEADINGS[f"{_which}_{_figure}"] = (
            smsg.CASE_FIGURE.format(case=_label, figure=_text),
            _format,
        )
    for _q in ("p10", "p90"):
        _HEADINGS[f"{_which}_production_{_q}"] = (
            smsg.CASE_PRODUCTION_QUANTILE.format(case=_label, quantile=_q.upper()),
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
        _workbook_safe(results).to_excel(writer, sheet_name=smsg.RESULTS_SHEET, index=False)
        _workbook_safe(inputs).to_excel(writer, sheet_name=msg.INPUTS, index=False)
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
        results_sheet = writer.book[smsg.RESULTS_SHEET]
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
