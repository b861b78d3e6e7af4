"""Replies uploaded on a request's page: files, a pasted email or text, saved .eml files.

A saved email (detected from its content, whatever its name) goes through
``inbound.receive_message`` like mail fetched from the mailbox, put on this
request by the person; every other file, and pasted text that is not an email,
arrives together as one event (``arrivals.record_arrival``): a RESPONSE when
the person chose the outcome, otherwise a NOTE that the reading of the files
may turn into the response. One transaction: a rejected event keeps nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from requests_app.models import FoiRequest
from requests_app.services.state import today
from requests_app.users import is_signed_in
from responses_app.domain.readers import ReadError, detect_type
from responses_app.models import InboundMessage

from .arrivals import Arrival, Dispatch, record_arrival
from .inbound import Receipt, receive_message


class NothingUploaded(ValueError):
    """No file and no text: nothing to record."""


@dataclass
class UploadResult:
    arrival: Arrival | None = None
    emails: list[Receipt] = field(default_factory=list)

    @property
    def documents(self) -> int:
        own = len(self.arrival.documents) if self.arrival else 0
        return own + sum(
            r.message.event.documents.count() if r.created and r.message.event_id else 0
            for r in self.emails
        )


def is_email(data: bytes, name: str) -> bool:
    try:
        return detect_type(data, name) == "eml"
    except ReadError:
        return False


@transaction.atomic
def receive_upload(
    *,
    request: FoiRequest,
    files: Iterable[tuple[str, bytes]],
    dispatch: Dispatch,
    text: str = "",
    outcome: str = "",
    exemptions: Iterable[str] = (),
    on: date | None = None,
    user=None,
) -> UploadResult:
    """Record what was uploaded on ``request`` and queue every file for reading."""
    emails: list[bytes] = []
    others: list[tuple[str, bytes]] = []
    for name, data in files:
        if is_email(data, name):
            emails.append(data)
        else:
            others.append((name, data))
    if text.strip():
        data = text.strip().encode("utf-8")
        if is_email(data, "pasted.eml"):
            emails.append(data)
        else:
            others.append(("pasted text.txt", data))
    if not emails and not others:
        raise NothingUploaded("Choose one or more files, or paste an email or some text.")
    result = UploadResult()
    for data in emails:
        result.emails.append(
            receive_message(
                data,
                source=InboundMessage.Source.UPLOAD,
                dispatch=dispatch,
                request=request,
                user=user,
            )
        )
    if others:
        names = ", ".join(name for name, _ in others[:10])
        more = f" and {len(others) - 10} more" if len(others) > 10 else ""
        who = f" by {user.get_username()}" if is_signed_in(user) else ""
        result.arrival = record_arrival(
            request=request,
            on=on or today(),
            note=f"Reply uploaded{who}: {names}{more}.",
            files=others,
            outcome=outcome,
            exemptions=exemptions,
            dispatch=dispatch,
            user=user,
        )
    return result
