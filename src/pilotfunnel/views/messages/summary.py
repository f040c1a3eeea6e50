"""The portfolio summary's own words (views/summary.py): its CSV-to-workbook headings and sheets.

An analyst's spreadsheet may read these headings by name: a change here changes every workbook.
"""

from __future__ import annotations

from pilotfunnel.views.messages.catalogue import _

RESULTS_SHEET = _("Results")
FILE = _("File")
POCS = _("POCs over the horizon (count)")
POCS_A_YEAR = _("POCs a year")
COST_PER_POC = _("Cost per POC")
COST_TO_PRODUCTION = _("Cost to production")
# A readiness input's column: "As is: outcome (0-4)".
LEVEL = _("{case}: {driver} (0-4)")
TOP_DRIVER = _("Top driver")
TOP_DRIVER_GAIN = _("Top driver: gain in production (use cases)")
TOP_DRIVER_NET_GAIN = _("Top driver: net value gained, net of its cost (currency)")
NET_VALUE_GAIN = _("Net value gained with the five practices (currency)")
PAYBACK_YEARS = _("Payback of the change (years; blank: not within the horizon)")
ERROR = _("Error")
RECORD_PERIOD = _("Record: period")
RECORD_STARTED = _("Record: POCs started (count)")
RECORD_REACHED = _("Record: reached production (count)")
RECORD_IMPACT = _("Record: with measurable impact (count)")
# A step's rate column: "Step to reaching production: rate in the record (%)".
STEP_RATE = _("Step to {step}: {what} (%)")
REACHING_PRODUCTION = _("reaching production")
MEASURABLE_IMPACT = _("measurable impact")
PRIOR_RATE = _("readiness-based rate, as is")
OBSERVED_RATE = _("rate in the record")
CALIBRATED_RATE = _("rate calibrated to the record, as is")
CALIBRATED_P10 = _("calibrated rate, P10")
CALIBRATED_P90 = _("calibrated rate, P90")
# A figure's column: "As is: total spend (currency)".
CASE_FIGURE = _("{case}: {figure}")
FIGURE_PRODUCTION = _("reaching production (use cases)")
FIGURE_IMPACT = _("with measurable impact (use cases)")
FIGURE_SPEND = _("total spend (currency)")
FIGURE_STALLED = _("spend on POCs that never ship (currency)")
FIGURE_VALUE = _("value delivered (currency)")
FIGURE_CHANGE_COST = _("cost of the change (currency)")
FIGURE_NET = _("net value: value less spend and the cost of the change (currency)")
FIGURE_ROI = _("return on spend (%)")
CASE_PRODUCTION_QUANTILE = _("{case}: reaching production, {quantile} (use cases)")
