import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from requests_app.models import Force
from requests_app.services.campaigns import create_campaign
from responses_app.models import Document, Figure, Reply, StoredFile

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
KEYS = ("period", "dimension", "category", "value", "suppressed", "lower", "upper")

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return create_campaign(
        slug="samples",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        forces=Force.objects.territorial(),
    )


def sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.iterdir() if p.suffix != ".json" and p.suffix != ".md")


def expected_for(path: Path) -> dict:
    return json.loads(path.with_suffix(".expected.json").read_text())


def ingest(*args) -> str:
    out = StringIO()
    call_command("ingest", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("path", sample_files(), ids=lambda p: p.name)
def test_each_sample_is_stored_exactly_as_expected(campaign, path):
    expected = expected_for(path)
    ingest(str(path), "--campaign", "samples", "--force", expected["force"])
    reply = Reply.objects.get(request__force_id=expected["force"])
    assert reply.outcome == expected["outcome"]
    assert sorted(reply.exemptions) == sorted(expected["exemptions"])
    assert reply.excluded_rows == expected["excluded_rows"]
    stored = {tuple(getattr(f, k) for k in KEYS) for f in reply.figures.all()}
    assert stored == {tuple(f[k] for k in KEYS) for f in expected["figures"]}
    assert all(f.source.startswith(path.name) for f in reply.figures.all())
    assert reply.document.name == path.name


def test_json_output_has_the_expected_shape_and_dry_run_writes_nothing(campaign):
    path = SAMPLES / "durham.csv"
    data = json.loads(
        ingest(str(path), "--campaign", "samples", "--force", "durham", "--json", "--dry-run")
    )
    assert set(data) == {"force", "outcome", "exemptions", "figures", "excluded_rows", "issues"}
    assert data["force"] == "durham"
    assert len(data["figures"]) == len(expected_for(path)["figures"])
    assert Reply.objects.count() == Figure.objects.count() == Document.objects.count() == 0


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "empty.csv", "empty"),
        (bytes(range(256)) * 40, "reply.xlsx", "reply.xlsx"),
        (b"PK\x03\x04" + b"\x00" * 50, "cut.xlsx", "cut.xlsx"),
    ],
)
def test_unreadable_files_fail_with_one_clear_line_and_write_nothing(
    campaign, tmp_path, content, name, message
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as exc:
        ingest(str(path), "--campaign", "samples", "--force", "kent")
    text = str(exc.value)
    assert message in text and "\n" not in text and "Traceback" not in text
    assert Reply.objects.count() == Figure.objects.count() == StoredFile.objects.count() == 0


def test_unknown_campaign_or_force_is_a_clear_error(campaign):
    path = SAMPLES / "kent.csv"
    with pytest.raises(CommandError, match="no campaign"):
        ingest(str(path), "--campaign", "nope", "--force", "kent")
    with pytest.raises(CommandError, match="no request to force"):
        ingest(str(path), "--campaign", "samples", "--force", "police-scotland")


def test_each_path_that_is_not_a_file_gets_its_own_reason(campaign, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    unreadable = tmp_path / "secret.csv"
    unreadable.write_text("x")
    unreadable.chmod(0)
    cases = [
        (tmp_path / "missing.csv", "no such file"),
        (tmp_path, "is a directory, not a file"),
        (Path("/dev/null"), "is a character device (such as /dev/null)"),
        (fifo, "is a named pipe (FIFO)"),
    ]
    if os.geteuid() != 0:  # root reads anything
        cases.append((unreadable, "cannot be read: permission denied"))
    for path, why in cases:
        with pytest.raises(CommandError) as caught:
            ingest(str(path), "--campaign", "samples", "--force", "kent")
        assert str(caught.value).startswith(f"{path}: {why}")
    assert not Reply.objects.exists()
