"""Acceptance: a .doc, an .odt, an .rtf, an .ods, an .xls and scans of the samples give the
original figures.

The converted files are generated here from tests/fixtures/samples with
LibreOffice (`soffice`) and by rasterising with pdfium; these tests need the
Debian packages libreoffice-writer-nogui, libreoffice-calc-nogui, ocrmypdf and
tesseract-ocr (scripts/system_packages.sh; skipped with one line naming them
when absent).
"""

from __future__ import annotations

import io
import json
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from responses_app.domain.extraction import extract, extraction_to_json
from responses_app.domain.readers import ReadLimits, read
from responses_app.domain.readers.external import libreoffice_convert
from tests.domain.test_samples import SAMPLES, campaign_spec

needs_libreoffice = pytest.mark.needs_system("libreoffice-writer-nogui")
needs_libreoffice_calc = pytest.mark.needs_system("libreoffice-calc-nogui")
needs_ocr = pytest.mark.needs_system("ocrmypdf", "tesseract-ocr")


def figures_of(data: bytes, name: str):
    document = read(data, name)
    extraction = extract(document, campaign_spec())
    return document, {f.key: f.value for f in extraction.figures}, extraction


def libreoffice(source: Path, target: str) -> bytes:
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={Path(work, 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                work,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return Path(work, f"{source.stem}.{target}").read_bytes()


def rasterised(source: Path, fmt: str = "PDF") -> bytes:
    """The PDF as page images only (a scan): no text layer."""
    pdf = pdfium.PdfDocument(str(source))
    pages = [pdf[i].render(scale=300 / 72).to_pil().convert("L") for i in range(len(pdf))]
    buffer = io.BytesIO()
    if fmt == "PDF":
        pages[0].save(buffer, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    else:
        pages[0].save(buffer, fmt, dpi=(300, 300))
    return buffer.getvalue()


@needs_libreoffice
@pytest.mark.parametrize("target", ["doc", "odt", "rtf"])
def test_legacy_and_opendocument_text_give_the_figures_of_the_original(target):
    original = SAMPLES / "norfolk.docx"
    _, want, _ = figures_of(original.read_bytes(), original.name)
    document, got, _ = figures_of(libreoffice(original, target), f"norfolk.{target}")
    assert want and got == want
    assert document.kind == target
    assert "converted" in [n.code for n in document.notices]


def everything_read(data: bytes) -> dict:
    """The extraction as JSON, figures sorted: values, sources (`Sheet!C7`) and findings."""
    got = extraction_to_json(extract(read(data, "reply"), campaign_spec()), "force")
    got["figures"] = sorted(got["figures"], key=lambda f: json.dumps(f, sort_keys=True))
    return got


@needs_libreoffice_calc
@pytest.mark.parametrize("target", ["ods", "xls"])
@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_a_workbook_saved_as_ods_or_xls_gives_everything_the_xlsx_gives(sample, target):
    """.ods and .xls are read by python-calamine directly, not converted: the same cells,
    locators and findings as the .xlsx they were saved from."""
    original = (SAMPLES / sample).read_bytes()
    saved = libreoffice_convert(original, sample, "xlsx", target, ReadLimits())
    assert read(saved, f"reply.{target}").kind == target

    want, got = everything_read(original), everything_read(saved)
    assert len(want["figures"]) > 30
    assert got == want


@needs_ocr
def test_a_scanned_pdf_is_read_by_ocr_and_gives_the_figures_of_the_original():
    original = SAMPLES / "surrey.pdf"
    _, want, _ = figures_of(original.read_bytes(), original.name)
    scan = rasterised(original)
    assert not pdfium.PdfDocument(scan)[0].get_textpage().get_text_range().strip()
    document, got, extraction = figures_of(scan, "scan.pdf")
    assert want and got == want
    assert document.ocr and all(f.ocr for f in extraction.figures)
    assert "read_by_ocr" in [f.code for f in extraction.findings]


@needs_ocr
def test_an_image_of_a_letter_is_read_by_ocr():
    original = SAMPLES / "wiltshire.pdf"
    document, got, extraction = figures_of(rasterised(original, "PNG"), "letter.png")
    assert document.kind == "image" and document.ocr
    assert got == {}
    assert (extraction.outcome, extraction.exemptions) == ("refused", ["s12(1)"])


def test_a_file_whose_content_does_not_match_its_name_is_read_for_what_it_is():
    html = b"<html><body><table><tr><th>Year</th><th>Total</th></tr>" + (
        b"<tr><td>2019/20</td><td>12</td></tr></table></body></html>"
    )
    document, got, _ = figures_of(html, "reply.pdf")
    assert got == {("2019-20", "total", "all"): 12}
    (notice,) = [n for n in document.notices if n.code == "name_mismatch"]
    assert notice.message == "the file is named .pdf but is an HTML page: it was read as one"
