"""Charts for the brief, the explorer and slides, styled by the brand: one module a chart.

``base`` holds what they share (the Chart record with its SVG and PNG, the figure, title and
note); callers keep writing ``charts.funnel_chart(...)`` and ``charts.Chart``.
"""

from __future__ import annotations

from pilotfunnel.views.charts.base import Chart, modelled
from pilotfunnel.views.charts.evidence import evidence_chart
from pilotfunnel.views.charts.funnel import funnel_chart
from pilotfunnel.views.charts.practices import sensitivity_chart
from pilotfunnel.views.charts.record import record_chart
from pilotfunnel.views.charts.stalling import stalling_chart
from pilotfunnel.views.messages import CALIBRATED
from pilotfunnel.views.messages.charts import MODELLED_NOTE

__all__ = [
    "CALIBRATED",
    "MODELLED_NOTE",
    "Chart",
    "evidence_chart",
    "funnel_chart",
    "modelled",
    "record_chart",
    "sensitivity_chart",
    "stalling_chart",
]
