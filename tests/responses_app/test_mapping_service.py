"""Applying a hand mapping to a stored reply, saving it for the force, and the typed grid."""

from __future__ import annotations

import pytest

from requests_app.models import FoiRequest, Force
from requests_app.services.campaigns import create_campaign
from responses_app.domain.extraction.typed import TypedCell
from responses_app.models import Figure, Finding, Reply, SavedMapping
from responses_app.services import extractions
from responses_app.services import mapping as services
from responses_app.services.ingest import ingest_file
from responses_app.services.storage import attach

pytestmark = pytest.mark.django_db
Status = Figure.Status

ODD = "Route,Yr 2019/20 (prov.),Yr 2020/21 (prov.)\r\nGram,12,<5\r\nSnap,3,*\r\nAll routes,15,7\r\n"
MAPPING = {
    "table": 0,
    "period_axis": "columns",
    "header_rows": ["0"],
    "label_column": "0",
    "periods": {"1": "2019-20", "2": "2020-21"},
    "categories": {"1": "platform:Instagram", "2": "platform:Snapchat", "3": "total:all"},
    "others": "auto",
}


@pytest.fixture
def campaign():
    return create_campaign(
        slug="csc-2021",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        dimensions=["total", "platform"],
        forces=Force.objects.filter(pk__in=["kent", "essex"]),
        series="csc",
    )


@pytest.fixture
def kent(campaign) -> FoiRequest:
    return FoiRequest.objects.get(campaign=campaign, force_id="kent")


@pytest.fixture
def reply(kent) -> Reply:
    return ingest_file(request=kent, data=ODD.encode(), filename="kent.csv").reply


def stored(reply: Reply) -> dict:
    return {
        (f.period, f.dimension, f.category): (f.value, f.lower, f.upper)
        for f in Figure.objects.filter(reply=reply)
    }


def test_the_automatic_reader_cannot_read_the_odd_layout(reply):
    assert stored(reply) == {}
    assert reply.findings.filter(code="table_not_read").exists()


def test_applying_a_mapping_replaces_the_figures_and_findings(reply, researcher):
    services.apply_mapping(reply=reply, mapping=MAPPING, user=researcher)

    reply.refresh_from_db()
    assert stored(reply) == {
        ("2019-20", "platform", "Instagram"): (12, 12, 12),
        ("2020-21", "platform", "Instagram"): (None, 0, 4),
        ("2019-20", "platform", "Snapchat"): (3, 3, 3),
        ("2020-21", "platform", "Snapchat"): (None, 0, 4),
        ("2019-20", "total", "all"): (15, 15, 15),
        ("2020-21", "total", "all"): (7, 7, 7),
    }
    assert not reply.findings.filter(code="table_not_read").exists()
    assert reply.status == Reply.Status.EXTRACTED and reply.outcome == "full"
    assert reply.mapping["periods"] == {"1": "2019-20", "2": "2020-21"}
    assert reply.mapping["period_texts"]["1"] == "Yr 2019/20 (prov.)"
    figure = reply.figures.get(period="2019-20", category="Snapchat")
    assert figure.source == "kent.csv row 3, col 2"
    created = figure.history.get(history_type="+")
    assert created.history_change_reason == "hand mapping"
    assert created.history_user == researcher


def test_applying_again_keeps_the_history_of_the_figures_it_removes(reply, researcher):
    services.apply_mapping(reply=reply, mapping=MAPPING, user=researcher)
    first = set(reply.figures.values_list("pk", flat=True))
    swapped = {**MAPPING, "periods": {"1": "2020-21", "2": "2019-20"}}
    services.apply_mapping(reply=reply, mapping=swapped, user=researcher)

    assert stored(reply)[("2020-21", "total", "all")] == (15, 15, 15)
    assert reply.figures.count() == 6 and not first & set(
        reply.figures.values_list("pk", flat=True)
    )
    removed = Figure.history.filter(id__in=first, history_type="-")
    assert removed.count() == 6
    assert {r.history_user for r in removed} == {researcher}


def test_a_failure_midway_writes_nothing(reply, researcher, monkeypatch):
    services.apply_mapping(reply=reply, mapping=MAPPING, user=researcher)
    before = stored(reply)
    findings = set(Finding.objects.filter(reply=reply).values_list("pk", flat=True))

    def broken(reply):
        raise RuntimeError("validation crashed")

    monkeypatch.setattr(extractions, "validate_reply", broken)
    swapped = {**MAPPING, "periods": {"1": "2020-21", "2": "2019-20"}}
    with pytest.raises(RuntimeError):
        services.apply_mapping(reply=reply, mapping=swapped, user=researcher, save=True)

    assert stored(reply) == before
    assert set(Finding.objects.filter(reply=reply).values_list("pk", flat=True)) == findings
    assert not SavedMapping.objects.exists()
    reply.refresh_from_db()
    assert reply.mapping["periods"] == {"1": "2019-20", "2": "2020-21"}


def test_a_bad_mapping_is_refused_before_anything_is_written(reply):
    with pytest.raises(services.MappingError) as error:
        services.apply_mapping(reply=reply, mapping={**MAPPING, "periods": {}})
    assert "no column is given a period" in str(error.value)
    assert reply.findings.filter(code="table_not_read").exists()


def test_figures_a_reviewer_decided_on_are_not_discarded_silently(reply, researcher):
    services.apply_mapping(reply=reply, mapping=MAPPING)
    reply.figures.filter(category="all").update(status=Status.APPROVED)
    swapped = {**MAPPING, "periods": {"1": "2020-21", "2": "2019-20"}}
    with pytest.raises(services.MappingRefused, match="2 figure"):
        services.apply_mapping(reply=reply, mapping=swapped)
    assert stored(reply)[("2019-20", "total", "all")] == (15, 15, 15)
    services.apply_mapping(reply=reply, mapping=swapped, discard_reviewed=True)
    assert stored(reply)[("2019-20", "total", "all")] == (7, 7, 7)


def test_a_saved_mapping_is_reused_for_the_same_layout_from_the_same_force(
    campaign, kent, reply, researcher
):
    services.apply_mapping(reply=reply, mapping=MAPPING, user=researcher, save=True)
    saved = SavedMapping.objects.get()
    assert (saved.force_id, saved.campaign_id, saved.created_by) == (
        "kent",
        campaign.pk,
        researcher,
    )

    resent = ODD.replace("12,<5", "40,41").replace("15,7", "43,44")
    again = ingest_file(request=kent, data=resent.encode(), filename="kent-v2.csv").reply
    assert stored(again)[("2019-20", "platform", "Instagram")] == (40, 40, 40)
    assert stored(again)[("2020-21", "total", "all")] == (44, 44, 44)
    assert again.mapping["saved_mapping"] == saved.pk
    assert again.mapping["layout"] == saved.layout

    essex = FoiRequest.objects.get(campaign=campaign, force_id="essex")
    other = ingest_file(request=essex, data=resent.encode(), filename="essex.csv").reply
    assert stored(other) == {} and other.mapping == {}  # another force's layout is its own


def test_another_layout_from_the_same_force_is_read_automatically(kent, reply):
    services.apply_mapping(reply=reply, mapping=MAPPING, save=True)
    plain = "Platform,2019/20,2020/21\r\nInstagram,1,2\r\n"
    again = ingest_file(request=kent, data=plain.encode(), filename="plain.csv").reply
    assert again.mapping == {}
    assert stored(again)[("2020-21", "platform", "Instagram")] == (2, 2, 2)


def test_next_years_campaign_of_the_series_reuses_the_mapping_a_year_on(campaign, reply):
    services.apply_mapping(reply=reply, mapping=MAPPING, save=True)
    following = create_campaign(
        slug="csc-2022",
        title="Sexual communication with a child, again",
        periods=["2020-21", "2021-22"],
        dimensions=["total", "platform"],
        forces=Force.objects.filter(pk="kent"),
        series="csc",
        previous=campaign,
    )
    request = FoiRequest.objects.get(campaign=following, force_id="kent")
    next_year = ODD.replace("2020/21", "2021/22").replace("2019/20", "2020/21")
    again = ingest_file(request=request, data=next_year.encode(), filename="kent.csv").reply
    assert set(stored(again)) == {
        (period, dimension, category)
        for period in ("2020-21", "2021-22")
        for dimension, category in (
            ("platform", "Instagram"),
            ("platform", "Snapchat"),
            ("total", "all"),
        )
    }
    assert stored(again)[("2020-21", "total", "all")] == (15, 15, 15)
    # the reply records the mapping as it read this year's table (for the screen to show)
    assert again.mapping["periods"] == {"1": "2020-21", "2": "2021-22"}
    assert again.mapping["period_texts"]["2"] == "Yr 2021/22 (prov.)"
    assert again.mapping["reused"] is True


# -- the grid --------------------------------------------------------------------------


def typed(key, text, category="Instagram", dimension="platform", period="2019-20"):
    return TypedCell(key, period, dimension, category, text, "letter page 2")


def test_typed_figures_are_stored_with_their_locator(kent, researcher):
    rows = [typed("a", "57", "all", "total"), typed("b", "<5"), typed("c", "", "Kik")]
    reply = services.enter_figures(request=kent, rows=rows, user=researcher)

    assert reply.document is None and reply.created_by == researcher
    assert stored(reply) == {
        ("2019-20", "total", "all"): (57, 57, 57),
        ("2019-20", "platform", "Instagram"): (None, 0, 4),
    }
    assert set(reply.figures.values_list("source", flat=True)) == {"letter page 2"}
    assert reply.mapping["entered_by_hand"] is True
    assert reply.outcome == "partial"  # one period of two
    created = reply.figures.get(category="all").history.get(history_type="+")
    assert created.history_change_reason == "entered by hand"


def test_typed_figures_of_a_scanned_document_name_it(kent):
    scan = attach(request=kent, data=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="scan.png")
    reply = services.enter_figures(request=kent, rows=[typed("a", "8")], document=scan)
    assert reply.document == scan
    assert reply.figures.get().source == "scan.png letter page 2"


def test_bad_cells_are_reported_one_by_one_and_nothing_is_written(kent, reply):
    figures, replies = Figure.objects.count(), Reply.objects.count()
    rows = [typed("a", "12"), typed("b", "about 40", "Snapchat"), typed("c", "4.5", "Kik")]
    with pytest.raises(services.GridError) as error:
        services.enter_figures(request=kent, rows=rows)
    assert set(error.value.errors) == {"b", "c"}
    assert "'about 40' is not a number" in error.value.errors["b"]
    assert "not a whole number" in error.value.errors["c"]
    assert (Figure.objects.count(), Reply.objects.count()) == (figures, replies)


def test_typing_the_figures_of_an_unreadable_reply_replaces_its_figures(kent, reply):
    rows = [typed("a", "3", "all", "total"), typed("b", "9", "all", "total", "2020-21")]
    again = services.enter_figures(request=kent, rows=rows, reply=reply)
    assert again.pk == reply.pk
    assert stored(reply) == {
        ("2019-20", "total", "all"): (3, 3, 3),
        ("2020-21", "total", "all"): (9, 9, 9),
    }
    assert not reply.findings.filter(code="table_not_read").exists()
    assert reply.figures.get(period="2019-20").source == "kent.csv letter page 2"


def test_remember_this_spelling_adds_the_mapped_labels_to_the_question(reply, researcher, campaign):
    from requests_app.selectors.questions import question_of

    services.apply_mapping(reply=reply, mapping=MAPPING, user=researcher, remember=True)
    campaign.refresh_from_db()
    question = question_of(campaign)
    platform = question.dimension("platform")
    assert dict(platform.categories) == {"Instagram": ("Gram",)}  # Snap was known already
    assert question.spec().dimensions["platform"].match("gram") == "Instagram"
    assert campaign.schema_version == 2
    assert "'Gram' -> Instagram" in campaign.history.latest().history_change_reason
    # the built-in list is untouched: the spelling is this campaign's
    other = create_campaign(slug="other", title="O", periods=["2019-20"],
                            forces=Force.objects.filter(pk="kent"))  # fmt: skip
    assert question_of(other).spec().dimensions["platform"].match("Gram") is None


def test_the_mapping_reads_the_tables_kept_when_the_reply_was_read(reply, researcher, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the file was parsed again")

    monkeypatch.setattr(services, "read_file", never)
    fresh = Reply.objects.get(pk=reply.pk)
    document = services.read_reply(fresh)
    assert document.tables and document.source == "kent.csv"
    services.apply_mapping(reply=fresh, mapping=MAPPING, user=researcher)
    assert Figure.objects.filter(reply=reply).exists()


def test_a_reply_too_large_to_keep_is_read_again_within_the_limits(reply, monkeypatch):
    Reply.objects.filter(pk=reply.pk).update(read_document={})
    calls = []

    def counted(data, filename):
        calls.append(filename)
        return extractions.read(data, filename, extractions.read_limits())

    monkeypatch.setattr(services, "read_file", counted)
    assert services.read_reply(Reply.objects.get(pk=reply.pk)).tables
    assert calls == ["kent.csv"]
