"""Exports of the consolidated dataset: CSV, XLSX, JSON and a Frictionless Data Package.

Every writer takes an ``ExportData`` (``responses_app.exports.data``) and
passes each text cell through ``neutralise`` (``foitracker.spreadsheets``), so
a category or a source that a force wrote as ``=HYPERLINK(...)`` cannot run as
a formula when the file is opened in a spreadsheet.
"""

from __future__ import annotations

from foitracker.spreadsheets import FORMULA_STARTS, neutralise, neutralise_all

__all__ = ["COLUMNS", "FORMATS", "FORMULA_STARTS", "neutralise", "neutralise_all"]

FORMATS = ("csv", "xlsx", "json", "datapackage")
COLUMNS = (
    "campaign", "force_id", "force_name", "ons_code", "period", "period_start", "period_end",
    "dimension", "category", "value", "suppressed", "lower", "upper", "status", "source",
)  # fmt: skip
