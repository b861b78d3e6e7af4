from django.conf import settings
from django.db import models, transaction
from django.utils import timezone


class InboundMessage(models.Model):
    """One email as it reached us (IMAP, Maildir, a file, an upload), kept whatever became of it.

    Unique by Message-ID, so the same message fetched twice is dropped the
    second time. A message that matched no request waits in the holding pen
    (status ``held``) until a person assigns it to a request or rejects it
    with a reason; rows are never deleted by the application.
    """

    class Kind(models.TextChoices):
        REPLY = "reply", "Reply"
        AUTO_REPLY = "auto_reply", "Automatic reply (out of office)"
        BOUNCE = "bounce", "Delivery failure"

    class Status(models.TextChoices):
        MATCHED = "matched", "Matched to a request"
        HELD = "held", "In the holding pen"
        ASSIGNED = "assigned", "Assigned by hand"
        REJECTED = "rejected", "Rejected"

    class Method(models.TextChoices):
        NONE = "", "Not matched"
        TOKEN = "token", "Reply address"
        REFERENCE = "reference", "Reference, from the force's domain"
        THREAD = "thread", "Reply to one of our emails"
        UPLOAD = "upload", "Uploaded on the request's page"
        HAND = "hand", "Assigned by hand"

    class Source(models.TextChoices):
        IMAP = "imap", "IMAP mailbox"
        MAILDIR = "maildir", "Maildir"
        FILE = "file", "File (fetch_mail --eml)"
        UPLOAD = "upload", "Upload"

    #: The most guesses a held message keeps (best first).
    MAX_GUESSES = 5

    message_id = models.CharField(max_length=500, unique=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=300, blank=True)
    to_addresses = models.JSONField(default=list, blank=True)
    cc_addresses = models.JSONField(default=list, blank=True)
    delivered_to = models.JSONField(
        default=list, blank=True, help_text="Delivered-To, X-Original-To and Envelope-To."
    )
    subject = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, help_text="The message's Date header.")
    received_at = models.DateTimeField(default=timezone.now)
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)
    raw = models.ForeignKey(
        "responses_app.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_messages",
        help_text="The message as received (.eml); empty when it was too large to keep.",
    )
    size = models.PositiveBigIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPLY)
    kind_reason = models.CharField(max_length=200, blank=True)
    bounced_recipients = models.JSONField(default=list, blank=True)
    attachment_names = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    request = models.ForeignKey(
        "requests_app.FoiRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    match_method = models.CharField(
        max_length=10, choices=Method.choices, blank=True, default=Method.NONE
    )
    match_detail = models.CharField(max_length=300, blank=True)
    event = models.ForeignKey(
        "requests_app.RequestEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_messages",
    )
    #: What the matcher said (request, reference, force, score, why), best first; the
    #: requests themselves are also rows of ``MailGuess``, for joins.
    guesses = models.JSONField(
        default=list, blank=True, help_text="The requests it may belong to, best first."
    )
    problem = models.TextField(blank=True, help_text="What stopped it matching, if anything.")
    rejection_reason = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_status_received")]

    def __str__(self) -> str:
        return f"{self.subject or '(no subject)'} from {self.from_address or 'unknown'}"

    def save(self, *args, **kwargs) -> None:
        """Save; the guess rows (``MailGuess``) follow ``guesses``, in the same transaction."""
        fields = kwargs.get("update_fields")
        with transaction.atomic():
            super().save(*args, **kwargs)
            if fields is None or "guesses" in fields:
                MailGuess.store(self)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.HELD


class MailGuess(models.Model):
    """One request a message may belong to, as the matcher guessed: a row, so mail joins."""

    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="guessed")
    request = models.ForeignKey(
        "requests_app.FoiRequest", on_delete=models.CASCADE, related_name="mail_guesses"
    )
    rank = models.PositiveSmallIntegerField(help_text="1 for the best guess.")

    class Meta:
        ordering = ["message", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["message", "request"], name="mail_guess_once"),
        ]

    def __str__(self) -> str:
        return f"guess {self.rank} of message {self.message_id}: request {self.request_id}"

    @classmethod
    def store(cls, message: InboundMessage) -> None:
        """The message's guess rows: the requests its ``guesses`` name, best first."""
        wanted: list[int] = []
        for guess in (message.guesses or [])[: InboundMessage.MAX_GUESSES]:
            pk = guess.get("request") if isinstance(guess, dict) else None
            if isinstance(pk, int) and not isinstance(pk, bool) and pk not in wanted:
                wanted.append(pk)
        if wanted:
            FoiRequest = cls._meta.get_field("request").related_model
            exists = set(FoiRequest.objects.filter(pk__in=wanted).values_list("pk", flat=True))
            wanted = [pk for pk in wanted if pk in exists]
        rows = cls.objects.filter(message=message)
        if list(rows.order_by("rank").values_list("request", flat=True)) == wanted:
            return
        rows.delete()
        cls.objects.bulk_create(
            cls(message=message, request_id=pk, rank=rank)
            for rank, pk in enumerate(wanted, start=1)
        )


class DocumentDownload(models.Model):
    """Who downloaded which reply file (or raw email), and when."""

    document = models.ForeignKey(
        "responses_app.Document",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    message = models.ForeignKey(
        InboundMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="downloads"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.document or self.message} by {self.user} at {self.at:%Y-%m-%d %H:%M}"
