"""Fetch replies from an IMAP mailbox (IMAP_URL) and a local Maildir (MAILDIR_PATH).

Each message goes through ``inbound.receive_message`` (its own transaction)
and only then is marked as processed on the server, so a crash in between
fetches it again next time, where the Message-ID drops the duplicate.

IMAP (stdlib ``imaplib``): ``imap://user:password@host:143/INBOX`` (plain, for
loopback), ``imap+starttls://...`` or ``imaps://...:993/INBOX``. Processed
messages move to IMAP_PROCESSED_FOLDER (created if missing); with that setting
empty they are flagged ``\\Seen`` and ``$FoiProcessed`` instead. Messages too
large to keep whole are flagged and left in the folder. Only messages without
the ``$FoiProcessed`` keyword are fetched (``UNSEEN`` on a server that allows
no keywords).

Maildir (stdlib ``mailbox``): every message in ``new`` and ``cur`` is read,
then moved to the Maildir++ folder MAILDIR_PROCESSED_FOLDER (``.Processed``).
"""

import imaplib
import logging
import mailbox
import re
import ssl
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings

from responses_app.models import InboundMessage

from .arrivals import Dispatch
from .inbound import Receipt, receive_message

log = logging.getLogger(__name__)
KEYWORD = "$FoiProcessed"
Source = InboundMessage.Source


class MailboxError(Exception):
    """The mailbox cannot be reached or read; the message says which and why."""


@dataclass
class PollResult:
    source: str
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    matched: int = 0
    held: int = 0
    errors: list[str] = field(default_factory=list)

    def count(self, receipt: Receipt) -> None:
        self.fetched += 1
        if receipt.duplicate:
            self.duplicates += 1
            return
        self.new += 1
        if receipt.message.status == InboundMessage.Status.HELD:
            self.held += 1
        else:
            self.matched += 1

    def as_json(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def __str__(self) -> str:
        text = (
            f"{self.source}: {self.fetched} fetched, {self.new} new ({self.matched} matched, "
            f"{self.held} held), {self.duplicates} duplicates"
        )
        return text + "".join(f"\n  error: {e}" for e in self.errors)


@dataclass(frozen=True)
class ImapConfig:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str

    @property
    def label(self) -> str:
        return f"{self.scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_imap_url(url: str) -> ImapConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps", "imap+starttls"):
        raise MailboxError(f"IMAP_URL must start imap://, imap+starttls:// or imaps:// ({url!r})")
    if not parts.hostname or not parts.username:
        raise MailboxError("IMAP_URL needs a user and a host: imap://user:password@host/INBOX")
    default_port = 993 if parts.scheme == "imaps" else 143
    return ImapConfig(
        scheme=parts.scheme,
        host=parts.hostname,
        port=parts.port or default_port,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _check(response: tuple, what: str) -> list:
    status, data = response
    if status != "OK":
        detail = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise MailboxError(f"the IMAP server refused to {what}: {detail[:200]}")
    return data


def _connect(config: ImapConfig) -> imaplib.IMAP4:
    timeout = settings.IMAP_TIMEOUT_SECONDS
    try:
        if config.scheme == "imaps":
            client = imaplib.IMAP4_SSL(
                config.host, config.port, ssl_context=ssl.create_default_context(), timeout=timeout
            )
        else:
            client = imaplib.IMAP4(config.host, config.port, timeout=timeout)
            if config.scheme == "imap+starttls":
                client.starttls(ssl.create_default_context())
        client.login(config.user, config.password)
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
        raise MailboxError(f"cannot open {config.label}: {exc}") from exc
    return client


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fetch_raw(client: imaplib.IMAP4, uid: bytes) -> bytes:
    data = _check(client.uid("FETCH", uid, "(BODY.PEEK[])"), f"fetch message {uid!r}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    raise MailboxError(f"message {uid.decode()} came back empty")


class _Marker:
    """Marks processed messages: move them, or flag them when no folder is configured."""

    def __init__(self, client: imaplib.IMAP4, folder: str, keywords: bool) -> None:
        self.client, self.folder, self.keywords = client, folder, keywords
        self.flags = f"(\\Seen {KEYWORD})" if keywords else "(\\Seen)"
        if folder:
            status, data = client.create(_quote(folder))
            if status != "OK" and b"exist" not in b" ".join(d or b"" for d in data).lower():
                raise MailboxError(f"cannot create the folder {folder!r}: {data!r}")
        self.can_move = "MOVE" in client.capabilities

    def done(self, uid: bytes, *, keep_here: bool = False) -> None:
        if not self.folder or keep_here:
            _check(self.client.uid("STORE", uid, "+FLAGS", self.flags), "flag a message")
            return
        if self.can_move:
            _check(self.client.uid("MOVE", uid, _quote(self.folder)), "move a message")
            return
        _check(self.client.uid("COPY", uid, _quote(self.folder)), "copy a message")
        _check(self.client.uid("STORE", uid, "+FLAGS", "(\\Deleted)"), "delete a copied message")
        self.client.expunge()


def poll_imap(
    url: str, *, dispatch: Dispatch, processed_folder: str | None = None, limit: int = 500
) -> PollResult:
    """Fetch the unprocessed messages of the IMAP folder; raises MailboxError if unreachable."""
    config = parse_imap_url(url)
    folder = settings.IMAP_PROCESSED_FOLDER if processed_folder is None else processed_folder
    result = PollResult(source=config.label)
    client = _connect(config)
    try:
        _check(client.select(_quote(config.folder)), f"open the folder {config.folder!r}")
        permanent = " ".join(
            r.decode("utf-8", "replace") for r in client.response("PERMANENTFLAGS")[1] if r
        )
        keywords = "\\*" in permanent
        criteria = ("UNKEYWORD", KEYWORD) if keywords else ("UNSEEN",)
        uids = _check(client.uid("SEARCH", None, *criteria), "search the folder")[0].split()
        marker = _Marker(client, folder, keywords)
        for uid in uids[:limit]:
            try:
                receipt = receive_message(
                    _fetch_raw(client, uid), source=Source.IMAP, dispatch=dispatch
                )
            except MailboxError:
                raise
            except Exception as exc:  # noqa: BLE001 - one message must not stop the others
                log.exception("IMAP message %s could not be received", uid)
                result.errors.append(f"message {uid.decode()}: {exc!r:.200}")
                continue
            result.count(receipt)
            marker.done(uid, keep_here=receipt.message.raw_id is None)
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"{config.label}: {exc}") from exc
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return result


def poll_maildir(
    path: str, *, dispatch: Dispatch, processed_folder: str | None = None
) -> PollResult:
    """Read every message of a Maildir, then move it to the processed folder (or flag it Seen)."""
    folder = settings.MAILDIR_PROCESSED_FOLDER if processed_folder is None else processed_folder
    result = PollResult(source=f"maildir {path}")
    try:
        box = mailbox.Maildir(path, factory=None, create=False)
        keys = list(box.iterkeys())
        target = None
        if folder:
            target = (
                box.get_folder(folder) if folder in box.list_folders() else box.add_folder(folder)
            )
    except (OSError, mailbox.Error) as exc:
        raise MailboxError(f"cannot open the Maildir {path}: {exc}") from exc
    for key in keys:
        try:
            if not folder and "S" in box.get_message(key).get_flags():
                continue
            raw = box.get_bytes(key)
            receipt = receive_message(raw, source=Source.MAILDIR, dispatch=dispatch)
        except Exception as exc:  # noqa: BLE001 - one message must not stop the others
            log.exception("Maildir message %s could not be received", key)
            result.errors.append(f"message {key}: {exc!r:.200}")
            continue
        result.count(receipt)
        if target is not None:
            target.add(raw)  # the bytes as they came
            box.discard(key)
        else:
            message = box.get_message(key)
            message.set_subdir("cur")
            message.add_flag("S")
            box[key] = message
    return result


_SAFE_LABEL = re.compile(r"//([^:/@]+):[^@]*@")


def safe_label(url: str) -> str:
    """An IMAP URL without its password, for logs."""
    return _SAFE_LABEL.sub(r"//\1:***@", url)


def poll_configured(*, dispatch: Dispatch) -> list[PollResult]:
    """Poll each configured mailbox once; one that fails is reported, the others still run."""
    results = []
    if settings.IMAP_URL:
        try:
            results.append(poll_imap(settings.IMAP_URL, dispatch=dispatch))
        except MailboxError as exc:
            results.append(PollResult(source=safe_label(settings.IMAP_URL), errors=[str(exc)]))
    if settings.MAILDIR_PATH:
        try:
            results.append(poll_maildir(settings.MAILDIR_PATH, dispatch=dispatch))
        except MailboxError as exc:
            results.append(PollResult(source=settings.MAILDIR_PATH, errors=[str(exc)]))
    return results
