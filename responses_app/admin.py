from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from requests_app.admin import AuditRecord, CheckedInput, ReadOnlyInline, TeamScoped
from requests_app.permissions import Role, request_q

from .access import messages_for, release_q
from .models import (
    Document,
    DocumentDownload,
    Figure,
    Finding,
    InboundMessage,
    Release,
    ReleaseFigure,
    ReleaseJob,
    Reply,
    SavedMapping,
    StoredFile,
)

# Rows a campaign owns, through a request or directly: team-scoped (see TeamScoped).


@admin.register(StoredFile)
class StoredFileAdmin(TeamScoped, admin.ModelAdmin):
    """Stored once however often sent: seen by whoever may see a document made of it."""

    list_display = ["sha256", "size", "content_type", "created_at"]
    search_fields = ["sha256"]
    # The bytes are downloaded through a document (permission checked, logged), never by
    # the storage path: MEDIA_ROOT is not served, and a direct link would bypass both.
    readonly_fields = ["sha256", "size", "content_type", "stored_as", "downloads", "created_at"]
    exclude = ["content"]

    @admin.display(description="stored as")
    def stored_as(self, obj):
        return obj.content.name

    @admin.display(description="download as")
    def downloads(self, obj):
        documents = obj.documents.order_by("pk") if obj.pk else []
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("document-download", args=[d.pk]), d.name) for d in documents),
        )
        return links or "-"

    def scope_q(self, user, at_least=Role.VIEWER):
        documents = Document.objects.filter(request_q(user, "request", at_least=at_least))
        return Q(pk__in=documents.values("stored_id"))


@admin.register(Document)
class DocumentAdmin(TeamScoped, admin.ModelAdmin):
    request_path = "request"
    list_display = ["name", "request", "event", "uploaded_by", "created_at"]
    search_fields = ["name", "request__reference"]
    raw_id_fields = ["request", "event", "stored"]


@admin.register(Reply)
class ReplyAdmin(CheckedInput, TeamScoped, admin.ModelAdmin):
    request_path = "request"
    list_display = ["request", "document", "status", "outcome", "excluded_rows", "created_at"]
    list_filter = ["status", "outcome"]
    search_fields = ["request__reference"]
    raw_id_fields = ["request", "document"]


@admin.register(Figure)
class FigureAdmin(CheckedInput, TeamScoped, SimpleHistoryAdmin):
    campaign_path = "campaign"
    list_display = ["force", "campaign", "period", "dimension", "category", "value", "status"]
    list_filter = ["status", "dimension", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["force__name", "category", "source"]
    raw_id_fields = ["reply", "request"]


@admin.register(Finding)
class FindingAdmin(CheckedInput, TeamScoped, admin.ModelAdmin):
    request_path = "reply__request"
    list_display = ["reply", "severity", "code", "message", "locator"]
    list_filter = ["severity", "code"]
    raw_id_fields = ["reply", "figure"]


@admin.register(SavedMapping)
class SavedMappingAdmin(CheckedInput, TeamScoped, admin.ModelAdmin):
    campaign_path = "campaign"
    list_display = ["force", "campaign", "layout", "updated_at"]


class ReleaseFigureInline(ReadOnlyInline):
    model = ReleaseFigure
    fields = ["force", "period", "dimension", "category", "value", "suppressed", "source"]


@admin.register(Release)
class ReleaseAdmin(TeamScoped, admin.ModelAdmin):
    """Releases are immutable: they are published from the dataset page, read here.

    A series' release is as visible as its series: every campaign in it visible
    (as on the release pages).
    """

    list_display = ["__str__", "campaign", "series", "number", "figure_count", "created_at"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = [
        "campaign",
        "series",
        "number",
        "methodology",
        "coverage",
        "figure_count",
        "created_by",
        "created_at",
    ]
    inlines = [ReleaseFigureInline]

    def scope_q(self, user, at_least=Role.VIEWER):
        return release_q(user, at_least)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReleaseJob)
class ReleaseJobAdmin(AuditRecord, TeamScoped, admin.ModelAdmin):
    """Read-only: each request to publish a release, as built by a worker (or refused).

    As visible as the release it asks for (``release_q``).
    """

    list_display = ["created_at", "__str__", "campaign", "series", "status", "release",
                    "requested_by", "finished_at"]  # fmt: skip
    list_filter = ["status", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["campaign__title", "campaign__slug", "series", "error"]
    date_hierarchy = "created_at"
    list_select_related = ["campaign", "release__campaign", "requested_by"]

    def scope_q(self, user, at_least=Role.VIEWER):
        return release_q(user, at_least)


# -- audit records: mail as received, and who downloaded what ----------------------------


@admin.register(InboundMessage)
class InboundMessageAdmin(AuditRecord, admin.ModelAdmin):
    """Read-only: every email as it reached us; assign or reject in the holding pen."""

    list_display = ["received_at", "subject", "from_address", "status", "kind", "match_method",
                    "request", "source"]  # fmt: skip
    list_filter = ["status", "kind", "source", "match_method"]
    search_fields = ["subject", "from_address", "message_id", "request__reference"]
    date_hierarchy = "received_at"
    list_select_related = ["request"]

    def get_queryset(self, request):
        return messages_for(request.user, qs=super().get_queryset(request))


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(AuditRecord, admin.ModelAdmin):
    """Read-only: who downloaded which reply file or raw email, and when."""

    list_display = ["at", "user", "document", "message"]
    list_filter = ["at"]
    search_fields = ["user__username", "document__name", "document__request__reference",
                     "message__subject"]  # fmt: skip
    date_hierarchy = "at"
    list_select_related = ["user", "document", "message"]

    def get_queryset(self, request):
        user = request.user
        if user.is_superuser:
            return super().get_queryset(request)
        of_document = Q(document__isnull=False) & request_q(user, "document__request")
        of_message = Q(message__in=messages_for(user).values("pk"))
        return super().get_queryset(request).filter(of_document | of_message)
