"""A saved hand mapping reads the force's next reply, whether it is uploaded or emailed.

Uploads and inbound mail are read by the worker (``services.reading``), not by
``ingest_file``: the saved mapping must reach that path too, and the reply must
record which mapping read it.
"""

import pytest

from responses_app.models import Figure, InboundMessage, Reply, SavedMapping
from responses_app.services.mapping import apply_mapping
from responses_app.services.uploads import receive_upload
from responses_app.tasks import queue_reading

from . import inbound_support
from .inbound_support import build, receive, sent_request

campaign = inbound_support.campaign
eager = inbound_support.eager

pytestmark = pytest.mark.django_db

# A layout the automatic reader cannot read (see test_mapping_service).
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
TOKEN = "kentreply00000042"


def figures(reply: Reply) -> dict:
    return {
        (f.period, f.dimension, f.category): (f.value, f.suppressed, f.lower, f.upper)
        for f in Figure.objects.filter(reply=reply)
    }


def upload(request, name: str, data: bytes, capture, user=None) -> Reply:
    with capture(execute=True):
        result = receive_upload(
            request=request, files=[(name, data)], dispatch=queue_reading, user=user
        )
    [document] = result.arrival.documents
    return Reply.objects.get(document=document)


@pytest.fixture
def kent(campaign):
    return sent_request(campaign, "kent", token=TOKEN)


@pytest.fixture
def mapped(kent, researcher, eager, django_capture_on_commit_callbacks):
    """Kent's first reply, uploaded, unread by the machine, then mapped by hand and saved."""
    first = upload(kent, "kent.csv", ODD.encode(), django_capture_on_commit_callbacks, researcher)
    assert first.status == Reply.Status.EXTRACTED and figures(first) == {}
    apply_mapping(reply=first, mapping=MAPPING, user=researcher, save=True)
    by_hand = figures(first)
    assert by_hand[("2019-20", "total", "all")] == (15, False, 15, 15)
    assert by_hand[("2020-21", "platform", "Instagram")] == (None, True, 0, 4)
    return first, by_hand, SavedMapping.objects.get()


def test_an_uploaded_second_reply_is_read_with_the_saved_mapping(
    kent, mapped, researcher, django_capture_on_commit_callbacks
):
    _first, by_hand, saved = mapped
    second = upload(
        kent, "kent-resent.csv", ODD.encode(), django_capture_on_commit_callbacks, researcher
    )
    assert second.status == Reply.Status.EXTRACTED
    assert figures(second) == by_hand
    assert second.mapping["saved_mapping"] == saved.pk
    assert second.mapping["layout"] == saved.layout
    assert second.mapping["reused"] is True


def test_an_emailed_second_reply_is_read_with_the_saved_mapping(
    kent, mapped, django_capture_on_commit_callbacks
):
    _first, by_hand, saved = mapped
    raw = build(
        to=f"foi+{TOKEN}@foitracker.example",
        attachments=(("FOI reply.csv", ODD.encode(), "text/csv"),),
    )
    message = receive(raw, django_capture_on_commit_callbacks)
    assert (message.status, message.request) == (InboundMessage.Status.MATCHED, kent)
    second = Reply.objects.get(document__request=kent, document__name="FOI reply.csv")
    assert second.status == Reply.Status.EXTRACTED
    assert figures(second) == by_hand
    assert (second.mapping["saved_mapping"], second.mapping["reused"]) == (saved.pk, True)


def test_new_numbers_in_the_saved_layout_are_read_as_sent(
    kent, mapped, django_capture_on_commit_callbacks
):
    resent = ODD.replace("12,<5", "40,41").replace("15,7", "43,44")
    second = upload(kent, "kent-v2.csv", resent.encode(), django_capture_on_commit_callbacks)
    assert figures(second)[("2019-20", "platform", "Instagram")] == (40, False, 40, 40)
    assert figures(second)[("2020-21", "total", "all")] == (44, False, 44, 44)


def test_another_forces_reply_in_that_layout_is_not_read_with_kents_mapping(
    campaign, mapped, django_capture_on_commit_callbacks
):
    essex = sent_request(campaign, "essex", token="essexreply0000042")
    other = upload(essex, "essex.csv", ODD.encode(), django_capture_on_commit_callbacks)
    assert other.status == Reply.Status.EXTRACTED
    assert figures(other) == {} and other.mapping == {}


def test_a_reply_in_another_layout_is_read_automatically(
    kent, mapped, django_capture_on_commit_callbacks
):
    plain = "Platform,2019/20,2020/21\r\nInstagram,1,2\r\n"
    second = upload(kent, "plain.csv", plain.encode(), django_capture_on_commit_callbacks)
    assert second.mapping == {}
    assert figures(second)[("2020-21", "platform", "Instagram")] == (2, False, 2, 2)
