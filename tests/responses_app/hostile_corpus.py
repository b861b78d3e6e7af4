"""Broken and hostile reply files, made here (nothing hostile is committed to the repository)."""

import io
import random
import struct
import zipfile

import docx
import openpyxl

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
ROW = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>' + b"a" * 32 + b"</t></is></c></row>"
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)


def workbook(sheets: int = 1) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(["Platform", "2019-20"])
    sheet.append(["Instagram", 5])
    for number in range(sheets - 1):
        book.create_sheet(f"Sheet {number + 2}").append(["x", number])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replace_member(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == name else source.read(info))
    return out.getvalue()


def zip_bomb(unpacked: int) -> bytes:
    """An xlsx whose sheet is a comment of ``unpacked`` bytes: tiny packed, huge unpacked."""
    sheet = SHEET_HEAD + ROW % (1, 1) + b"<!--" + b"A" * unpacked + b"--></sheetData></worksheet>"
    return replace_member(workbook(), "xl/worksheets/sheet1.xml", sheet)


def lying_zip(rows: int = 200_000) -> bytes:
    """An xlsx whose sheet declares 5,000 bytes unpacked but holds megabytes of rows."""
    sheet = (
        SHEET_HEAD + b"".join(ROW % (i, i) for i in range(1, rows)) + b"</sheetData></worksheet>"
    )
    data = bytearray(replace_member(workbook(), "xl/worksheets/sheet1.xml", sheet))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 5000)
    entry = bytes(data).find(b"PK\x01\x02")
    while entry != -1:
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if bytes(data[entry + 46 : entry + 46 + length]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, entry + 24, 5000)
        entry = bytes(data).find(b"PK\x01\x02", entry + 4)
    return bytes(data)


def xxe_xlsx() -> bytes:
    return replace_member(workbook(), "xl/worksheets/sheet1.xml", XXE)


def xxe_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Our reply.")
    out = io.BytesIO()
    document.save(out)
    body = (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"
    )
    return replace_member(out.getvalue(), "word/document.xml", body)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def random_bytes(size: int = 20_000, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    data = bytes(rng.getrandbits(8) for _ in range(size))
    return b"\x00\x01" + data  # not a known magic number, whatever the seed gives


def slow_csv(rows: int) -> bytes:
    """A record-level listing long enough to outlast a short time limit."""
    line = "GW/{n:06d}/19,{d:02d}/05/2019,Sexual communication with a child,Email,14,Female"
    head = (
        "Crime Reference,Date Recorded,Offence Description,Method of Communication,"
        "Victim Age,Victim Gender"
    )
    body = "\n".join(line.format(n=n, d=1 + n % 28) for n in range(rows))
    return f"{head}\n{body}\n".encode()
