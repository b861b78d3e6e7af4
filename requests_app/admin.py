from django.contrib import admin, messages

from . import permissions as rules
from .models import (
    Campaign,
    ClosureDay,
    FoiRequest,
    Force,
    Membership,
    PurgeRecord,
    RequestEvent,
    Team,
)
from .services.closing import close_campaign, reopen_campaign
from .services.state import DERIVED_FIELDS


class CoordinatorsManage:
    """Forces and calendars: changed by coordinators (of any team) and superusers only."""

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and rules.can_manage_forces(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and rules.can_manage_forces(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and rules.can_manage_forces(request.user)


@admin.register(Force)
class ForceAdmin(CoordinatorsManage, admin.ModelAdmin):
    list_display = ["name", "id", "nation", "regime", "ons_code", "foi_email", "active"]
    list_filter = ["regime", "nation", "active", "territorial_england_wales", "foi_email_broken"]
    search_fields = ["name", "id", "ons_code", "foi_email"]
    list_editable = ["active"]


@admin.register(ClosureDay)
class ClosureDayAdmin(CoordinatorsManage, admin.ModelAdmin):
    list_display = ["date", "regime", "action", "reason", "created_by"]
    list_filter = ["regime", "action"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if not obj.created_by_id:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    """Campaigns a staff user's teams may see; chaser templates and sharing for coordinators."""

    list_display = ["title", "slug", "team", "owner", "on_hold", "closed_at", "created_at"]
    list_filter = ["team", "on_hold"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["shared_with"]
    readonly_fields = ["closed_at"]
    actions = ["close", "reopen"]

    def get_queryset(self, request):
        return rules.visible_campaigns(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.can_coordinate(request.user, obj))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not rules.can_coordinate(request.user, obj):
            fields += ["chaser_stages", "team", "shared_with"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "team":
            kwargs["queryset"] = rules.editable_teams(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description="Close (starts the retention clock)")
    def close(self, request, queryset):
        done = [c for c in queryset if rules.can_coordinate(request.user, c)]
        for campaign in done:
            close_campaign(campaign=campaign)
        self.message_user(request, f"Closed {len(done)} of {queryset.count()} campaign(s).")

    @admin.action(description="Reopen")
    def reopen(self, request, queryset):
        done = [c for c in queryset if rules.can_coordinate(request.user, c)]
        for campaign in done:
            reopen_campaign(campaign=campaign)
        level = messages.SUCCESS if len(done) == queryset.count() else messages.WARNING
        self.message_user(request, f"Reopened {len(done)} of {queryset.count()}.", level)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(PurgeRecord)
class PurgeRecordAdmin(admin.ModelAdmin):
    """Read-only: what the retention purge removed (manage.py purge_personal_data)."""

    list_display = ["campaign", "at", "documents", "messages", "bytes_removed", "run_by"]
    readonly_fields = [f.name for f in PurgeRecord._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(rules.campaign_q(request.user, "campaign"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
    # The derived fields are written only from the event log.
    readonly_fields = ["reply_token", *DERIVED_FIELDS]
    inlines = [RequestEventInline]

    def get_queryset(self, request):
        return rules.visible_requests(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or rules.can_edit_request(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or rules.can_chase_request(request.user, obj))


@admin.register(RequestEvent)
class RequestEventAdmin(admin.ModelAdmin):
    """Read-only: events are appended through the request page or the API."""

    list_display = ["request", "kind", "on", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["request__reference", "note"]

    def get_queryset(self, request):
        return rules.visible_events(request.user, super().get_queryset(request))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
