"""Make the hospital-crime demo replies (run once; the files are committed beside it).

Look-alikes of the layouts real forces sent to a mass FOI request on crimes recorded on
hospital grounds (docs: ../../../../README.md, "Demo"), with made-up figures, never
copies: a letter in PDF with year-by-year tables by hospital and by crime group and
``-`` for zero, no grand total; a letter in PDF with calendar years although financial
years were asked and hospital names withheld under s.40(2); a wide workbook; a CSV; a
workbook with a sheet for each year, crime categories by hospital (a cross-tabulation).

    .venv/bin/python responses_app/data/demo/hospital/make_replies.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

HERE = Path(__file__).resolve().parent
YEARS = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
CALENDAR = ["2019", "2020", "2021", "2022", "2023", "2024"]


def _cell(value: int) -> str:
    return "-" if value == 0 else str(value)


def _table(head: list[str], rows: list[list]) -> Table:
    table = Table([head, *[[r[0], *map(_cell, r[1:])] for r in rows]])
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def letter(path: Path, force: str, paragraphs: list[str], tables: list[tuple[str, Table]]):
    styles = getSampleStyleSheet()
    story = [Paragraph(f"{force} - Freedom of Information Unit", styles["Title"])]
    story += [Paragraph(p, styles["Normal"]) for p in paragraphs]
    for title, table in tables:
        story += [Spacer(1, 12), Paragraph(title, styles["Heading3"]), table]
    story += [Spacer(1, 12), Paragraph("Yours sincerely, FOI Officer", styles["Normal"])]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def durham() -> None:
    hospitals = [
        ["University Hospital of North Durham", 40, 61, 88, 90, 121],
        ["Darlington Memorial Hospital", 35, 52, 70, 75, 98],
        ["Bishop Auckland Hospital", 6, 9, 0, 12, 15],
    ]
    groups = [
        ["Violence against the person", 52, 80, 101, 110, 150],
        ["Public order offences", 14, 22, 30, 33, 41],
        ["Theft", 10, 13, 17, 21, 25],
        ["Criminal damage and arson", 5, 7, 10, 13, 18],
        ["Sexual offences", 0, 0, 0, 0, 0],
    ]
    letter(
        HERE / "durham.pdf",
        "Durham Constabulary",
        [
            "Thank you for your request for the number of crimes recorded as happening in or "
            "on the grounds of a hospital in each financial year from 2019/20 to 2023/24.",
            "The information is provided in full below. A dash means none were recorded.",
        ],
        [
            ("Crimes by hospital", _table(["Hospital", *YEARS], hospitals)),
            ("Crimes by crime group", _table(["Crime group", *YEARS], groups)),
        ],
    )


def humberside() -> None:
    groups = [
        ["Violence against the person", 150, 170, 160, 171, 215, 60],
        ["Public order offences", 60, 58, 66, 70, 91, 20],
        ["Theft", 45, 50, 44, 46, 60, 15],
        ["Stalking and harassment", 20, 25, 24, 30, 33, 9],
    ]
    letter(
        HERE / "humberside.pdf",
        "Humberside Police",
        [
            "Your request asked for crimes recorded at hospitals by financial year. Our "
            "system reports by calendar year, so the figures below are for calendar years "
            "2019 to 2024 (2024 to the end of April).",
            "The names of the hospitals are withheld under section 40(2) of the Freedom of "
            "Information Act, as their publication with small numbers could identify staff "
            "and patients. This is a partial refusal notice under section 17.",
        ],
        [("Crimes by crime type", _table(["Crime type", *CALENDAR], groups))],
    )


def northumbria() -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Hospital crime"
    ws.append(["Crimes recorded on hospital grounds, Northumbria Police"])
    ws.append([])
    ws.append(["Offence", *YEARS])
    for row in [
        ["Violence with injury", 80, 95, 120, 131, 140],
        ["Violence without injury", 60, 71, 88, 90, 104],
        ["Public order offences", 30, 28, 41, 45, 52],
        ["Shoplifting", 4, 3, 5, 8, 9],
        ["Possession of weapons", 3, 2, 6, 5, 7],
    ]:
        ws.append(row)
    ws.append(["Total", 177, 199, 260, 279, 312])
    ws.append([])
    ws.append(["Figures are taken from a live system and may change."])
    book.save(HERE / "northumbria.xlsx")


def cleveland() -> None:
    rows = [
        ["Hospital", *YEARS],
        ["James Cook University Hospital", 70, 82, 95, 101, 120],
        ["University Hospital of North Tees", 41, 50, 57, 60, 72],
        ["Friarage Hospital", "<5", "<5", 5, 6, 7],
        ["Total", 113, 134, 157, 167, 199],
    ]
    with (HERE / "cleveland.csv").open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def west_yorkshire() -> None:
    """A workbook with a sheet for each year: crime categories down, hospitals across."""
    hospitals = ["Leeds General Infirmary", "St James's University Hospital", "Pinderfields"]
    base = [
        ["Violence with injury", 30, 25, 12],
        ["Violence without injury", 22, 18, 9],
        ["Theft offences", 14, 11, 4],
        ["Criminal damage and arson", 6, 5, 2],
    ]
    book = openpyxl.Workbook()
    for index, year in enumerate(YEARS):
        ws = book.active if index == 0 else book.create_sheet()
        ws.title = year.replace("/", "-")
        ws.append([f"Crimes recorded at each hospital, {year}"])
        ws.append(["Crime category", *hospitals, "Total"])
        rows = [
            [name, *(v + index * (i + 1) for i, v in enumerate(values))] for name, *values in base
        ]
        for row in rows:
            ws.append([*row, sum(row[1:])])
        columns = [sum(r[c] for r in rows) for c in range(1, len(hospitals) + 1)]
        ws.append(["Total", *columns, sum(columns)])
    book.save(HERE / "west-yorkshire.xlsx")


if __name__ == "__main__":
    durham()
    humberside()
    northumbria()
    cleveland()
    west_yorkshire()
