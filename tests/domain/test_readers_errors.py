"""Unreadable input: one clear sentence, never a library exception."""

from __future__ import annotations

import io
import random
import zipfile

import openpyxl
import pypdfium2 as pdfium
import pytest
from PIL import Image

from responses_app.domain.readers import ReadError, ReadLimits, detect_type, read
from responses_app.domain.readers.base import GridLocator, Table


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Method", "2019/20"])
    workbook.active.append(["IG", 5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_error(data: bytes, name: str, limits: ReadLimits | None = None) -> str:
    with pytest.raises(ReadError) as caught:
        read(data, name, limits)
    message = caught.value.message
    assert message.startswith(f"could not read {name}: ")
    assert "\n" not in message and "Traceback" not in message
    return message


def test_random_bytes_named_xlsx():
    message = read_error(random.Random(1).randbytes(5000), "reply.xlsx")
    assert "not a spreadsheet, document, PDF, email or text file" in message
    assert ".xlsx" in message


def test_truncated_zip():
    data = xlsx_bytes()
    assert "truncated or corrupt zip" in read_error(data[: len(data) // 2], "reply.xlsx")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t "])
def test_empty_file(data):
    assert read_error(data, "reply.csv").endswith("the file is empty")


def ole2(stream_name: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + stream_name.encode("utf-16-le") + bytes(1000)


def test_damaged_legacy_word_doc():
    assert detect_type(ole2("WordDocument")) == "doc"
    message = read_error(ole2("WordDocument"), "reply.doc")
    assert "not a valid Word 97-2003 document (LibreOffice could not convert it)" in message


def test_password_protected_office_file():
    assert "password-protected" in read_error(ole2("EncryptedPackage"), "reply.xlsx")


def test_damaged_legacy_excel():
    assert detect_type(ole2("Workbook")) == "xls"
    assert "not a valid Excel 97-2003 workbook" in read_error(ole2("Workbook"), "reply.xls")


def _pdf(with_image: bool) -> bytes:
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(200, 200)
    if with_image:
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (40, 40), "white")))
        image.set_matrix(pdfium.PdfMatrix().scale(40, 40))
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def test_scanned_pdf_in_which_ocr_finds_no_text():
    message = read_error(_pdf(with_image=True), "scan.pdf")
    assert "it is a scan in which OCR found no text" in message


def test_pdf_with_nothing_in_it():
    assert "contains no text" in read_error(_pdf(with_image=False), "blank.pdf")


def test_broken_pdf():
    assert "not a valid PDF" in read_error(b"%PDF-1.7\n1 0 obj <<>>\n garbage", "reply.pdf")


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "image"),
        (b"\xff\xd8\xff\xe0" + bytes(64), "image"),
    ],
)
def test_other_unreadable_kinds(data, phrase):
    assert phrase in read_error(data, "reply.bin")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_of_replies_is_read_member_by_member_and_a_bad_member_is_a_finding():
    csv = b"Year,Total\n2019/20,12\n"
    document = read(_zip({"figures.csv": csv, "broken.pdf": b"%PDF-1.7 garbage"}), "reply.zip")
    assert document.kind == "zip"
    (table,) = document.tables
    assert table.locator.cell(1, 1) == "figures.csv: row 2, col 2"
    (unreadable,) = [n for n in document.notices if n.code == "attachment_unreadable"]
    assert "broken.pdf" in unreadable.message


def test_damaged_workbook_and_document_xml():
    bad_xlsx = _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<not xml"})
    assert "not a valid Excel workbook" in read_error(bad_xlsx, "reply.xlsx")
    bad_docx = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<not xml"})
    assert "not a valid Word document" in read_error(bad_docx, "reply.docx")


def test_entity_declarations_are_refused():
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    data = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": doctype})
    assert "declares XML entities" in read_error(data, "reply.docx")


def test_decompression_bomb_is_refused():
    data = _zip(
        {
            "[Content_Types].xml": b"<x/>",
            "xl/workbook.xml": b"<a/>",
            "xl/big.xml": bytes(40 * 2**20),
        }
    )
    assert "compressed suspiciously well" in read_error(data, "reply.xlsx")


def test_limits_are_enforced():
    data = xlsx_bytes()
    assert "larger than the 100 bytes limit" in read_error(
        data, "reply.xlsx", ReadLimits(max_bytes=100)
    )
    small = ReadLimits(max_unpacked_bytes=1000)
    assert "unpack to more than" in read_error(data, "reply.xlsx", small)
    rows = "\n".join(f"2019/20,IG,{i}" for i in range(50)).encode()
    assert "more than 10 rows" in read_error(rows, "reply.csv", ReadLimits(max_rows=10))


def test_binary_looking_text_is_refused():
    data = bytes(range(1, 32)) * 100
    assert "not" in read_error(data, "reply.csv")


def test_a_failing_stream_becomes_a_read_error():
    def rows():
        yield ["ok"]
        raise ValueError("boom inside a library")

    table = Table(GridLocator(), rows, source="reply.xlsx")
    with pytest.raises(ReadError, match="could not read reply.xlsx: the file is damaged"):
        list(table.iter_rows())


def test_fuzzed_inputs_never_raise_anything_but_read_error():
    rng = random.Random(7)
    seeds = [xlsx_bytes(), _pdf(True), b"From: a\nTo: b\nSubject: c\n\nhi", b"a,b\n1,2\n"]
    outcomes = set()
    for _ in range(60):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randrange(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            document = read(bytes(data), "fuzz.bin")
            for table in document.tables:
                for _row in table.iter_rows():
                    pass
            outcomes.add("read")
        except ReadError:
            outcomes.add("refused")
    assert "refused" in outcomes  # damage is noticed; anything else would have raised


def test_a_read_document_is_kept_as_json_data_and_comes_back_the_same():
    import json
    from datetime import date

    from responses_app.domain.readers.base import (
        Document,
        LineLocator,
        MemberLocator,
        SheetLocator,
        TextLine,
    )
    from responses_app.domain.readers.stored import document_from_data, document_to_data

    document = Document(
        "reply.zip",
        "zip",
        lines=[TextLine("Dear Sir", "a.pdf: page 1, line 1")],
        tables=[
            Table(SheetLocator("S", 2, 1), [["Date", "N"], [date(2020, 1, 2), 3.0]], "a.xlsx"),
            Table(MemberLocator("b.pdf", GridLocator("page 1, table 1")), [["x", "1"]], "b"),
            Table(
                LineLocator("body", (4, 5)), [["y", None]], "c", title="T", merged=((0, 0, 0, 1),)
            ),
        ],
    )
    back = document_from_data(json.loads(json.dumps(document_to_data(document))))
    assert [list(t.iter_rows()) for t in back.tables] == [
        list(t.iter_rows()) for t in document.tables
    ]
    assert [t.locator.cell(1, 1) for t in back.tables] == [
        t.locator.cell(1, 1) for t in document.tables
    ]
    assert back.lines == document.lines and back.tables[2].merged == ((0, 0, 0, 1),)
    assert document_to_data(document, max_cells=5) is None


def test_an_outlook_message_is_detected_and_a_damaged_one_is_one_sentence():
    data = ole2("__substg1.0_0037001F")
    assert detect_type(data) == "msg"
    assert "not a valid Outlook message" in read_error(data, "reply.msg")


@pytest.mark.parametrize(
    ("data", "name", "package"),
    [
        (ole2("WordDocument"), "reply.doc", "libreoffice-writer-nogui"),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "scan.png", "tesseract-ocr"),
    ],
)
def test_a_converter_that_is_not_installed_names_its_debian_package(
    monkeypatch, data, name, package
):
    from responses_app.domain.readers import external

    monkeypatch.setattr(external.shutil, "which", lambda program: None)
    message = read_error(data, name)
    assert message.endswith(f"(install the Debian package {package})")
    assert "is not installed here" in message
