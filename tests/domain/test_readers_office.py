"""Workbooks (xlsx, ods), Word documents, PDFs: cells with exact locators, visible sheets only."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import Table as OdsTable
from odf.table import TableCell, TableRow
from odf.text import P

from responses_app.domain.readers import detect_type, read

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def workbook_bytes(build) -> bytes:
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_locators_are_exact_even_when_the_sheet_starts_late():
    def build(wb):
        ws = wb.active
        ws.title = "Figures"
        ws["C5"] = "Method"
        ws["D5"] = "2019/20"
        ws["C6"] = "IG"
        ws["D6"] = 7
        ws["D7"] = dt.datetime(2019, 4, 1)

    document = read(workbook_bytes(build), "reply.xlsx")
    (table,) = document.tables
    rows = list(table.iter_rows())
    assert rows[0][:2] == ["Method", "2019/20"]
    assert table.locator.cell(1, 1) == "Figures!D6"
    assert rows[1][1] == 7
    assert rows[2][1] in (dt.date(2019, 4, 1), dt.datetime(2019, 4, 1))


def test_hidden_and_very_hidden_sheets_are_skipped_and_named():
    def build(wb):
        wb.active.title = "Visible"
        wb.active.append(["Method", "2019/20"])
        hidden = wb.create_sheet("Hidden one")
        hidden.append(["secret", 1])
        hidden.sheet_state = "hidden"
        very = wb.create_sheet("Every force")
        very.append(["secret", 2])
        very.sheet_state = "veryHidden"

    document = read(workbook_bytes(build), "reply.xlsx")
    assert [t.title for t in document.tables] == ["Visible"]
    messages = [n.message for n in document.notices if n.code == "hidden_sheet_skipped"]
    assert any("hidden sheet 'Hidden one'" in m for m in messages)
    assert any("very hidden sheet 'Every force'" in m for m in messages)


def _with_cached_formula(data: bytes) -> bytes:
    """openpyxl writes formulas without results; add the cached value Excel would store."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(
                    b"<f>SUM(B1:B2)</f><v></v>", b"<f>SUM(B1:B2)</f><v>42</v>"
                )
                content = content.replace(b"<f>SUM(B1:B2)</f><v />", b"<f>SUM(B1:B2)</f><v>42</v>")
                assert b"<v>42</v>" in content
            target.writestr(item, content)
    return out.getvalue()


def test_formulas_give_their_cached_values():
    def build(wb):
        ws = wb.active
        ws.append(["IG", 40])
        ws.append(["FB", 2])
        ws.append(["Total", "=SUM(B1:B2)"])

    document = read(_with_cached_formula(workbook_bytes(build)), "reply.xlsx")
    rows = list(document.tables[0].iter_rows())
    assert rows[2][1] == 42


def test_merged_cells_are_reported_relative_to_the_table():
    document = read((SAMPLES / "metropolitan.xlsx").read_bytes(), "metropolitan.xlsx")
    (table,) = document.tables
    assert (3, 1, 3, 2) in table.merged  # "Financial Year" across B4:C4


def test_ods_reads_visible_sheets():
    sheet = OpenDocumentSpreadsheet()
    hidden_style = Style(name="hidden", family="table")
    hidden_style.addElement(TableProperties(display="false"))
    sheet.automaticstyles.addElement(hidden_style)
    for name, style in (("Data", None), ("Old", hidden_style)):
        table = OdsTable(name=name, stylename=style) if style else OdsTable(name=name)
        for values in (["Method", "2019/20"], ["IG", "5"]):
            row = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            table.addElement(row)
        sheet.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    sheet.save(buffer)
    data = buffer.getvalue()

    assert detect_type(data) == "ods"
    document = read(data, "reply.ods")
    assert document.kind == "ods"
    assert [list(r) for r in document.tables[0].iter_rows()] == [["Method", "2019/20"], ["IG", "5"]]
    assert document.tables[0].locator.cell(1, 1) == "Data!B2"
    assert [n.locator for n in document.notices] == ["Old"]


def test_docx_paragraphs_and_tables_in_order_with_merges():
    word = docx.Document()
    word.add_paragraph("Dear Requester,")
    word.add_paragraph("")
    word.add_paragraph("Table 1: offences by age")
    table = word.add_table(rows=3, cols=3)
    table.cell(0, 1).merge(table.cell(0, 2)).text = "Financial Year"
    table.cell(0, 0).merge(table.cell(1, 0)).text = "Age"
    table.cell(1, 1).text, table.cell(1, 2).text = "2019/20", "2020/21"
    table.cell(2, 0).text, table.cell(2, 1).text, table.cell(2, 2).text = "Under 12", "3", "4"
    word.add_paragraph("Yours sincerely,")
    buffer = io.BytesIO()
    word.save(buffer)

    document = read(buffer.getvalue(), "reply.docx")
    assert document.kind == "docx"
    assert [(line.text, line.locator) for line in document.lines] == [
        ("Dear Requester,", "paragraph 1"),
        ("Table 1: offences by age", "paragraph 3"),
        ("Yours sincerely,", "paragraph 4"),
    ]
    (grid,) = document.tables
    assert grid.title == "Table 1: offences by age"
    assert [list(r) for r in grid.iter_rows()] == [
        ["Age", "Financial Year", ""],
        ["", "2019/20", "2020/21"],
        ["Under 12", "3", "4"],
    ]
    assert set(grid.merged) == {(0, 1, 0, 2), (0, 0, 1, 0)}
    assert grid.locator.cell(2, 1) == "table 1, row 3, col 2"


def test_pdf_ruled_tables_and_page_text():
    document = read((SAMPLES / "surrey.pdf").read_bytes(), "surrey.pdf")
    assert document.kind == "pdf"
    first, second = document.tables
    assert list(first.iter_rows())[0] == ["Method", "2019-20", "2020-21"]
    assert first.title == "Table 1: offences by method of communication"
    assert second.locator.cell(1, 1) == "page 2, table 1, row 2, col 2"
    assert any(line.locator.startswith("page 2, line") for line in document.lines)
    assert not any("Facebook Main Site" in line.text for line in document.lines)


def test_pdf_letter_without_tables_gives_lines():
    document = read((SAMPLES / "wiltshire.pdf").read_bytes(), "wiltshire.pdf")
    assert document.tables == []
    assert any("Section 12(1)" in line.text for line in document.lines)
    assert document.lines[0].locator == "page 1, line 1"


def text_pdf(pages: list[list[tuple[int, int, str]]]) -> bytes:
    """A minimal PDF drawing each (x, y, text) with Helvetica: text only, no ruling lines."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 2 * len(pages) + 1
    kids = []
    for items in pages:
        stream = b"".join(
            b"BT /F1 10 Tf %d %d Td (%s) Tj ET\n" % (x, y, text.encode("latin-1"))
            for x, y, text in items
        )
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (pages_id, content, font)
            )
        )
    add(
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    )
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def typed_page(rows: list[tuple[str, ...]], top: int = 780) -> list[tuple[int, int, str]]:
    items = []
    for index, row in enumerate(rows):
        for x, text in zip((60, 250, 350), row, strict=False):
            items.append((x, top - 16 * index, text))
    return items


def test_pdf_table_without_ruling_is_found_by_alignment():
    rows = [
        ("Dear Applicant,",),
        ("Table 1: offences by method",),
        ("Method", "2019/20", "2020/21"),
        ("Instagram", "5", "6"),
        ("Snapchat", "<5", "7"),
        ("Yours faithfully,",),
    ]
    document = read(text_pdf([typed_page(rows)]), "letter.pdf")
    (table,) = document.tables
    assert [list(r) for r in table.iter_rows()] == [
        ["Method", "2019/20", "2020/21"],
        ["Instagram", "5", "6"],
        ["Snapchat", "<5", "7"],
    ]
    assert table.title == "Table 1: offences by method"
    assert table.locator.cell(1, 1) == "page 1, line 4, col 2"
    assert [line.text for line in document.lines] == [
        "Dear Applicant,",
        "Table 1: offences by method",
        "Yours faithfully,",
    ]
