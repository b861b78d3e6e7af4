"""Text readers: CSV (encodings, delimiters), emails (plain and HTML), aligned text tables."""

from __future__ import annotations

import csv
import io
from email.message import EmailMessage
from pathlib import Path

import pytest

from responses_app.domain.readers import detect_type, read, read_attachments
from responses_app.domain.readers.csv_reader import detect_encoding, sniff_delimiter
from responses_app.domain.readers.html_text import html_to_lines_and_tables
from responses_app.domain.readers.text_tables import find_text_tables

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
ROWS = [
    ["Year", "Method", "Number"],
    ["2019/20", "Café (Meta)", "5"],
    ["2020/21", "Total", "1,234"],
]


def as_csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("cp1252", "cp1252"),
    ],
)
def test_csv_encodings_read_correctly(encoding, expected):
    data = as_csv(ROWS).encode(encoding)
    assert detect_encoding(data) == expected
    document = read(data, "reply.csv")
    assert document.kind == "csv"
    assert [list(r) for r in document.tables[0].iter_rows()] == ROWS


def test_csv_reader_says_which_encoding_it_assumed():
    document = read(as_csv(ROWS).encode("cp1252"), "reply.csv")
    assert any("Windows-1252" in n.message for n in document.notices)
    assert read(as_csv(ROWS).encode("utf-8"), "reply.csv").notices == []


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_sniffing(delimiter):
    text = "Title line, with a comma\n\n" + as_csv(ROWS, delimiter) + '\n"Note; with; semicolons"\n'
    assert sniff_delimiter(text) == delimiter
    rows = [list(r) for r in read(text.encode(), "reply.csv").tables[0].iter_rows()]
    assert ROWS[1] in rows


def test_csv_locators_and_rows_are_streamed_again_each_time():
    table = read(as_csv(ROWS).encode(), "reply.csv").tables[0]
    assert table.streamed
    assert list(table.iter_rows()) == list(table.iter_rows())
    assert table.cell(2, 2).value == "1,234"
    assert table.cell(2, 2).locator == "row 3, col 3"
    assert [c.locator for c in next(table.cells())] == [
        "row 1, col 1",
        "row 1, col 2",
        "row 1, col 3",
    ]


def test_sample_csvs_detected_by_content_not_name():
    for name in ("kent.csv", "durham.csv"):
        data = (SAMPLES / name).read_bytes()
        assert detect_type(data, "anything.bin") == "csv"


def _email(body: str, html: str | None = None, attachment: tuple | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "FOI <foi@force.police.uk>"
    message["To"] = "research@charity.example"
    message["Subject"] = "Your FOI request 123/21"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        name, data, maintype, subtype = attachment
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


PLAIN_TABLE = """Dear Sir,

Please find the figures below.

Platform                  2019/20        2020/21
----------------------    -------        -------
Instagram                       5              6
Snapchat                                       7
Total                          10             20

Yours faithfully,
"""


def test_email_plain_body_lines_and_aligned_table():
    document = read(_email(PLAIN_TABLE), "reply.eml")
    assert document.kind == "eml"
    assert document.lines[0].text == "Subject: Your FOI request 123/21"
    assert any(
        line.text == "Dear Sir," and line.locator == "body line 1" for line in document.lines
    )
    (table,) = document.tables
    rows = [list(r) for r in table.iter_rows()]
    assert rows == [
        ["Platform", "2019/20", "2020/21"],
        ["Instagram", "5", "6"],
        ["Snapchat", "", "7"],
        ["Total", "10", "20"],
    ]
    assert table.locator.cell(1, 2) == "body line 7, col 3"
    assert all("Instagram" not in line.text for line in document.lines)


def test_email_prefers_html_tables_and_returns_attachments():
    html = (
        "<html><body><p>Dear Sir,</p><p><b>Table 1</b></p><table>"
        "<tr><th rowspan='2'>Platform</th><th colspan='2'>Financial year</th></tr>"
        "<tr><th>2019/20</th><th>2020/21</th></tr>"
        "<tr><td>Instagram</td><td>1,234</td><td>&lt;5</td></tr></table>"
        "<script>ignored()</script><p>Yours,</p></body></html>"
    )
    data = _email(
        "Dear Sir, see the HTML part.", html, ("figures.csv", b"a,b\n1,2\n", "text", "csv")
    )
    document = read(data, "reply.eml")
    (table,) = document.tables
    assert [list(r) for r in table.iter_rows()] == [
        ["Platform", "Financial year", ""],
        ["", "2019/20", "2020/21"],
        ["Instagram", "1,234", "<5"],
    ]
    assert set(table.merged) == {(0, 0, 1, 0), (0, 1, 0, 2)}
    assert table.title == "Table 1"
    assert table.locator.cell(2, 1) == "body table 1, row 3, col 2"
    assert [a.filename for a in document.attachments] == ["figures.csv"]
    assert document.attachments[0].data == b"a,b\n1,2\n"
    assert not any("ignored" in line.text for line in document.lines)


def test_email_attachments_can_be_read_in_turn():
    data = _email("See attached.", None, ("figures.csv", b"Year,Count\n2019/20,5\n", "text", "csv"))
    ((attachment, attached),) = read_attachments(read(data, "reply.eml"))
    assert attachment.filename == "figures.csv"
    assert attached.kind == "csv"
    assert list(attached.tables[0].iter_rows())[1] == ["2019/20", "5"]


def test_sample_email_with_text_alternative_reads_the_html_table_once():
    document = read((SAMPLES / "lincolnshire.eml").read_bytes(), "lincolnshire.eml")
    assert len(document.tables) == 2
    assert document.tables[0].title.startswith("Table 1")


def test_text_tables_need_numbers_and_two_rows():
    lines = ["Dear  Sir,", "Thanks  for  writing", "", "Name   Value", "Alpha   12", "Beta    x"]
    found = find_text_tables(lines, list(range(1, len(lines) + 1)))
    assert len(found) == 1
    assert found[0].rows == [["Name", "Value"], ["Alpha", "12"], ["Beta", "x"]]
    assert found[0].line_numbers == [4, 5, 6]


def test_text_tables_split_on_tabs_and_pipes():
    lines = ["Platform\t19/20\t20/21", "Insta\t13\t16", "", "| Age | 2019 |", "| 0-11 | 5 |"]
    found = find_text_tables(lines, [1, 2, 3, 4, 5])
    assert [t.rows for t in found] == [
        [["Platform", "19/20", "20/21"], ["Insta", "13", "16"]],
        [["Age", "2019"], ["0-11", "5"]],
    ]


def test_html_rowspan_fills_following_rows():
    _, (table,) = html_to_lines_and_tables(
        "<table><tr><td rowspan=3>A</td><td>1</td></tr>"
        "<tr><td>2</td></tr><tr><td>3</td></tr></table>"
    )
    assert table.rows == [["A", "1"], ["", "2"], ["", "3"]]
    assert table.merged == [(0, 0, 2, 0)]


def test_standalone_html_page_is_read():
    document = read(
        b"<!DOCTYPE html><html><body><p>Hi</p><table><tr><td>a</td></tr></table>", "r.htm"
    )
    assert document.kind == "html"
    assert [line.text for line in document.lines] == ["Hi"]


def test_a_letter_saved_as_text_gives_lines_and_aligned_tables():
    letter = (
        "Dear Sir,\n\nThank you for your request, which we received on 3 May 2021, and for\n"
        "your patience, which we appreciate.\n\n" + PLAIN_TABLE
    )
    document = read(letter.encode("cp1252"), "reply.txt")
    assert document.kind == "text"
    assert document.lines[0].text == "Dear Sir," and document.lines[0].locator == "line 1"
    (table,) = document.tables
    assert list(table.iter_rows())[1] == ["Instagram", "5", "6"]
    assert table.locator.cell(1, 1) == "line 12, col 2"


def test_a_small_csv_with_notes_is_still_a_grid():
    text = "Figures for FOI 12/21\n\n" + as_csv(ROWS) + "\nNote: figures may change, as always.\n"
    assert read(text.encode(), "reply.csv").kind == "csv"
