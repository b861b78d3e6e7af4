"""Converters run as separate programs: LibreOffice for legacy office files, OCR for scans.

Each runs in a subprocess with a time limit, in a private temporary directory
(LibreOffice with its own profile there, so concurrent conversions never share
one), with no proxy, and with no network where the machine allows it: in a
network namespace of its own (`unshare --net` as root, `unshare -rn`, a user
namespace, otherwise), which has no interface but a loopback that is down, so
a file that asks a tool to fetch something reaches nothing, not even this
machine's own services. Whether that works is probed once per process; where
it does not, the tools run with the machine's network and the log says so
once. A tool that is not installed is one sentence naming the Debian package
to install.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .base import ReadLimits, read_error

log = logging.getLogger(__name__)

LIBREOFFICE_PACKAGES = {
    "doc": "libreoffice-writer-nogui",
    "rtf": "libreoffice-writer-nogui",
    "odt": "libreoffice-writer-nogui",
}
_LABELS = {
    "doc": "Word 97-2003 document",
    "rtf": "RTF document",
    "odt": "OpenDocument text",
}
OCR_PACKAGES = {"ocrmypdf": "ocrmypdf", "tesseract": "tesseract-ocr"}
_ENV_KEEP = ("PATH", "LANG", "LC_ALL", "TMPDIR")


def _environment(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _ENV_KEEP}
    env.update(HOME=home, no_proxy="*", http_proxy="", https_proxy="", OMP_THREAD_LIMIT="1")
    return env


def _program(name: str, package: str, filename: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise read_error(
            filename,
            f"reading it needs {name}, which is not installed here "
            f"(install the Debian package {package})",
        )
    return found


@functools.cache
def network_isolation() -> tuple[str, ...]:
    """The command prefix that runs a program with no network, or () where none works here."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return _without_isolation("unshare (util-linux) is not installed")
    prefixes: list[tuple[str, ...]] = [(unshare, "--user", "--map-root-user", "--net")]
    if os.geteuid() == 0:
        prefixes.insert(0, (unshare, "--net"))
    for prefix in prefixes:
        try:
            probe = subprocess.run(  # noqa: S603 - a fixed program
                [*prefix, "true"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=10,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0:
            return prefix
    return _without_isolation("this machine does not allow a new network namespace")


def _without_isolation(reason: str) -> tuple[str, ...]:
    log.warning("file converters run with this machine's network: %s", reason)
    return ()


def run_tool(args: list[str], *, cwd: str, seconds: float, filename: str, what: str) -> None:
    """Run a converter with no network (where possible) and a time limit; fail as one sentence."""
    try:
        done = subprocess.run(  # noqa: S603 - fixed programs, our own arguments
            [*network_isolation(), *args],
            cwd=cwd,
            env=_environment(cwd),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise read_error(filename, f"{what} took longer than {seconds:g} seconds") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        last = detail[-1][:160] if detail else f"exit status {done.returncode}"
        raise read_error(filename, f"{what} failed ({last})")


def libreoffice_convert(
    data: bytes, filename: str, kind: str, target: str, limits: ReadLimits
) -> bytes:
    """The file converted by LibreOffice headless (`target`: `docx`, `xlsx`)."""
    program = _program(
        "soffice", LIBREOFFICE_PACKAGES.get(kind, "libreoffice-writer-nogui"), filename
    )
    with tempfile.TemporaryDirectory(prefix="foi-convert-") as work:
        source = Path(work) / f"reply.{kind}"
        source.write_bytes(data)
        profile = Path(work) / "profile"
        args = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            target,
            "--outdir",
            str(Path(work) / "out"),
            str(source),
        ]
        run_tool(
            args, cwd=work, seconds=limits.max_seconds, filename=filename, what="converting it"
        )
        converted = Path(work) / "out" / f"reply.{target}"
        if not converted.exists():
            label = _LABELS.get(kind, "office document")
            raise read_error(
                filename,
                f"the file is damaged or is not a valid {label} (LibreOffice could not convert it)",
            )
        if converted.stat().st_size > limits.max_unpacked_bytes:
            raise read_error(filename, "it converts to a file larger than the limit")
        return converted.read_bytes()


def ocr_pdf(data: bytes, filename: str, limits: ReadLimits) -> bytes:
    """A scanned PDF with a text layer added by ocrmypdf (tesseract, English)."""
    program = _program("ocrmypdf", OCR_PACKAGES["ocrmypdf"], filename)
    _program("tesseract", OCR_PACKAGES["tesseract"], filename)
    with tempfile.TemporaryDirectory(prefix="foi-ocr-") as work:
        source, target = Path(work) / "scan.pdf", Path(work) / "text.pdf"
        source.write_bytes(data)
        args = [
            program,
            "--quiet",
            "--skip-text",
            "--output-type",
            "pdf",
            "--jobs",
            "1",
            "--optimize",
            "0",
            "-l",
            "eng",
            str(source),
            str(target),
        ]
        run_tool(
            args, cwd=work, seconds=limits.max_seconds, filename=filename, what="reading it by OCR"
        )
        return target.read_bytes()


def ocr_image(data: bytes, filename: str, limits: ReadLimits) -> bytes:
    """An image (PNG, JPEG, TIFF) as a PDF with a text layer, by tesseract."""
    program = _program("tesseract", OCR_PACKAGES["tesseract"], filename)
    with tempfile.TemporaryDirectory(prefix="foi-ocr-") as work:
        source = Path(work) / "scan.img"
        source.write_bytes(data)
        args = [program, str(source), str(Path(work) / "text"), "-l", "eng", "pdf"]
        run_tool(
            args,
            cwd=work,
            seconds=limits.max_seconds,
            filename=filename,
            what="reading the image by OCR",
        )
        return (Path(work) / "text.pdf").read_bytes()
