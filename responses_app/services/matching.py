"""Which request an inbound email belongs to, in the issue's order, or the best guesses.

1. The request's reply address (its unguessable token) in To, Cc, Delivered-To,
   X-Original-To (or Envelope-To, or the headers of a forwarded message). When
   the tokens point at several requests, the envelope header (Delivered-To,
   X-Original-To) decides; otherwise the message is held.
2. The force's reference (``force_reference``) or our reference in the subject
   or the body, from a sender at the force's email domain (or a subdomain of it).
3. In-Reply-To / References naming the Message-ID of the request or of one of
   our chasers (a reply to a chaser threads on it), or, for a bounce, the
   Message-ID of the returned message.

Otherwise nothing matches and the message waits in the holding pen with the
best guesses: the same evidence taken more loosely (a reference from another
domain, the sender's force's open requests, a force named in the text).
"""

from dataclasses import dataclass, field

from requests_app.domain.lifecycle import RUNNING_STATUSES
from requests_app.models import FoiRequest, Force, OutboundMessage
from requests_app.services.addresses import token_from_address
from responses_app.domain.mail import (
    MailRecord,
    candidate_references,
    mentions,
    reply_tokens,
)
from responses_app.domain.mail_kinds import BOUNCE
from responses_app.models import InboundMessage

ENVELOPE = ("Delivered-To", "X-Original-To", "Envelope-To")
MAX_GUESSES = InboundMessage.MAX_GUESSES


@dataclass
class Match:
    request: FoiRequest | None = None
    method: str = ""
    detail: str = ""
    problems: list[str] = field(default_factory=list)
    candidates: dict[int, tuple[int, str]] = field(default_factory=dict)

    def guess(self, request_id: int, score: int, why: str) -> None:
        best, reasons = self.candidates.get(request_id, (0, ""))
        reasons = f"{reasons}; {why}" if reasons and why not in reasons else (reasons or why)
        self.candidates[request_id] = (max(best, score), reasons)


def _with_brackets(ids) -> list[str]:
    return [*ids, *(f"<{i}>" for i in ids)]


def by_token(record: MailRecord, found: Match) -> bool:
    hits = reply_tokens(record, token_from_address)
    if not hits:
        return False
    requests = {
        r.reply_token: r
        for r in FoiRequest.objects.filter(reply_token__in={t for _, t in hits}).select_related(
            "force"
        )
    }
    known = [(where, requests[t]) for where, t in hits if t in requests]
    unknown = sorted({t for _, t in hits if t not in requests})
    if unknown:
        found.problems.append(
            f"addressed to reply token {', '.join(unknown)}, which matches no request"
        )
    for where, request in known:
        found.guess(request.pk, 100, f"sent to its reply address ({where})")
    distinct = {r.pk: (where, r) for where, r in known}
    envelope = {r.pk: (where, r) for where, r in known if where in ENVELOPE}
    if len(distinct) == 1 or len(envelope) == 1:
        where, request = next(iter((envelope if len(envelope) == 1 else distinct).values()))
        found.request, found.method, found.detail = request, "token", f"reply address in {where}"
        return True
    if len(distinct) > 1:
        found.problems.append(f"addressed to the reply addresses of {len(distinct)} requests")
    return False


def force_domains(domain: str) -> list[Force]:
    """Forces whose FOI address is at ``domain`` or at a parent domain of it."""
    if not domain:
        return []
    return [
        force
        for force in Force.objects.exclude(foi_email="").only("id", "name", "foi_email")
        if domain == force.email_domain or domain.endswith(f".{force.email_domain}")
    ]


def _senders(record: MailRecord) -> list[str]:
    forwarded = [a for block in record.forwarded for a in block.get("From", ())]
    return list(dict.fromkeys([record.from_address, *forwarded]))


def by_reference(record: MailRecord, found: Match) -> bool:
    text = record.search_text()
    for sender in _senders(record):
        domain = sender.rpartition("@")[2]
        forces = force_domains(domain)
        if not forces:
            continue
        hits = {}
        for request in FoiRequest.objects.filter(force__in=forces).select_related("force")[:1000]:
            for label, ref in (("reference", request.force_reference), ("our", request.reference)):
                if ref and mentions(text, ref):
                    hits.setdefault(request.pk, (request, label, ref))
        if len(hits) == 1:
            request, label, ref = next(iter(hits.values()))
            which = "the force's reference" if label == "reference" else "our reference"
            found.request, found.method = request, "reference"
            found.detail = f"{which} {ref} from {sender}"
            return True
        for request, _, ref in hits.values():
            found.guess(request.pk, 80, f"mentions its reference {ref} (sender {sender})")
        if len(hits) > 1:
            found.problems.append(f"mentions the references of {len(hits)} requests")
    return False


def by_thread(record: MailRecord, found: Match) -> bool:
    ids = list(record.thread_ids)
    if record.kind == BOUNCE and record.bounce:
        ids = [i.strip("<>") for i in record.bounce.original_message_ids] + ids
    if not ids:
        return False
    variants = _with_brackets(ids)
    owners: dict[str, tuple[FoiRequest, str]] = {}
    for request in FoiRequest.objects.filter(message_id__in=variants).select_related("force"):
        owners[request.message_id.strip("<>")] = (request, "the request")
    outbound = OutboundMessage.objects.filter(
        message_id__in=variants, request__isnull=False
    ).select_related("request__force")
    for row in outbound:
        owners.setdefault(row.message_id.strip("<>"), (row.request, row.get_kind_display().lower()))
    for message_id in ids:
        if message_id in owners:
            request, what = owners[message_id]
            found.request, found.method = request, "thread"
            found.detail = f"answers {what} (Message-ID <{message_id}>)"
            return True
    return False


def match_message(record: MailRecord) -> Match:
    """The request by the first rule that decides, else the guesses (best first)."""
    found = Match()
    if by_token(record, found) or by_reference(record, found) or by_thread(record, found):
        return found
    guess_more(record, found)
    return found


def guess_more(record: MailRecord, found: Match) -> None:
    text = record.search_text()
    words = candidate_references(text)
    if words:
        variants = {w for word in words for w in (word, word.upper(), word.lower())}
        for request in FoiRequest.objects.filter(
            reference__in=variants
        ) | FoiRequest.objects.filter(force_reference__in=variants):
            ref = (
                request.force_reference
                if request.force_reference in variants
                else request.reference
            )
            found.guess(
                request.pk, 70, f"mentions its reference {ref}, from {record.sender_domain or '?'}"
            )
    forces = force_domains(record.sender_domain)
    lowered = text.lower()
    named = [f for f in Force.objects.only("id", "name") if f.name.lower() in lowered]
    for score, group, why in (
        (40, forces, "the sender is at {name}'s domain"),
        (20, named, "mentions {name}"),
    ):
        for force in group:
            latest = FoiRequest.objects.filter(force=force).order_by("-sent_on", "-created_at")
            open_first = [r for r in latest[:20] if r.status in RUNNING_STATUSES] or list(
                latest[:2]
            )
            for request in open_first[:3]:
                found.guess(request.pk, score, why.format(name=force.name))


def guesses_json(found: Match) -> list[dict]:
    """The best guesses as stored on the message: request id, reference, force, why."""
    best = sorted(found.candidates.items(), key=lambda item: -item[1][0])[:MAX_GUESSES]
    requests = FoiRequest.objects.select_related("force").in_bulk([pk for pk, _ in best])
    return [
        {
            "request": pk,
            "reference": requests[pk].reference,
            "force": requests[pk].force.name,
            "score": score,
            "why": why,
        }
        for pk, (score, why) in best
        if pk in requests
    ]
