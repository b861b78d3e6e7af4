from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Document,
    Figure,
    Finding,
    Release,
    ReleaseFigure,
    Reply,
    SavedMapping,
    StoredFile,
)


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ["sha256", "size", "content_type", "created_at"]
    search_fields = ["sha256"]
    readonly_fields = ["sha256", "size", "content_type", "content", "created_at"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "request", "event", "uploaded_by", "created_at"]
    search_fields = ["name", "request__reference"]
    raw_id_fields = ["request", "event", "stored"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["request", "document", "status", "outcome", "excluded_rows", "created_at"]
    list_filter = ["status", "outcome"]
    search_fields = ["request__reference"]
    raw_id_fields = ["request", "document"]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = ["force", "campaign", "period", "dimension", "category", "value", "status"]
    list_filter = ["status", "dimension", "campaign"]
    search_fields = ["force__name", "category", "source"]
    raw_id_fields = ["reply", "request"]


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["reply", "severity", "code", "message", "locator"]
    list_filter = ["severity", "code"]
    raw_id_fields = ["reply", "figure"]


@admin.register(SavedMapping)
class SavedMappingAdmin(admin.ModelAdmin):
    list_display = ["force", "campaign", "layout", "updated_at"]


class ReleaseFigureInline(admin.TabularInline):
    model = ReleaseFigure
    extra = 0
    can_delete = False
    fields = ["force", "period", "dimension", "category", "value", "suppressed", "source"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are immutable: they are published from the dataset page, read here."""

    list_display = ["__str__", "campaign", "series", "number", "figure_count", "created_at"]
    list_filter = ["campaign"]
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

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
