from django.contrib import admin

from .models import Campaign, ClosureDay, FoiRequest, Force, RequestEvent


@admin.register(Force)
class ForceAdmin(admin.ModelAdmin):
    list_display = ["name", "id", "nation", "regime", "ons_code", "foi_email", "active"]
    list_filter = ["regime", "nation", "active", "territorial_england_wales", "foi_email_broken"]
    search_fields = ["name", "id", "ons_code", "foi_email"]
    list_editable = ["active"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["date", "regime", "action", "reason", "created_by"]
    list_filter = ["regime", "action"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "owner", "on_hold", "created_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class RequestEventInline(admin.TabularInline):
    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ["on", "kind", "channel", "outcome", "exemptions", "note", "created_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FoiRequest)
class FoiRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "force", "campaign", "status", "sent_on", "due_on", "on_hold"]
    list_filter = ["status", "clock", "campaign", "force__regime"]
    search_fields = ["reference", "force_reference", "subject", "force__name"]
    readonly_fields = [
        "reply_token",
        "status",
        "clock",
        "sent_on",
        "received_on",
        "due_on",
        "very_overdue_on",
        "responded_on",
        "outcome",
        "exemptions",
        "review_due_on",
        "last_day_to_request_review",
        "last_day_to_complain",
        "on_hold",
        "last_event_on",
        "state_as_of",
    ]
    inlines = [RequestEventInline]


@admin.register(RequestEvent)
class RequestEventAdmin(admin.ModelAdmin):
    """Read-only: events are appended through the request page or the API."""

    list_display = ["request", "kind", "on", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["request__reference", "note"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
