from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from foitracker.filters import MAX_ID

from . import permissions as rules
from .json_input import JSONInputField
from .models import (
    Campaign,
    ClosureDay,
    FoiRequest,
    Force,
    Membership,
    OutboundMessage,
    PurgeRecord,
    RequestEvent,
    SendRun,
    Team,
)
from .services.closing import close_campaign, reopen_campaign
from .services.state import DERIVED_FIELDS


def could_be_ids(field: models.Field, values) -> list:
    """The ``values`` a row's ``field`` could hold: no text (or 10**40) where it is a number.

    Django looks these up as they are: SQLite cannot take an integer past 2**63 and
    raises OverflowError, and a text id raises ValueError; either would be a 500.
    """
    kept = []
    for value in values:
        if isinstance(field, models.IntegerField):
            if str(value).isdigit() and 0 < int(value) <= MAX_ID:
                kept.append(value)
            continue
        try:
            field.to_python(value)
        except ValidationError:
            continue
        kept.append(value)
    return kept


class RowsField(forms.ModelMultipleChoiceField):
    """Rows picked by id (``shared_with``): an id no row can have is an invalid choice."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            opts = self.queryset.model._meta
            key = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            for item in value:
                if not could_be_ids(key, [item]):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super().clean(value)


class IdAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete, showing a form sent back with an id no row can have as empty.

    Django's looks the sent value up as it is, to show it again: a ValueError (a 500)
    when it is not a number.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        opts = remote.model._meta
        key = opts.get_field(remote.field_name) if remote.field_name else opts.pk
        return super().optgroups(name, could_be_ids(key, value), attr)


class CheckedInput:
    """The admin's forms read JSON and ids as the site's own forms do: a bad one is a form error.

    JSON goes through ``json_input`` (nested too deeply, or holding text no database
    can store, is refused); a list of rows and an autocomplete take only ids a row could
    have. Every project admin with a JSON, many-to-many or autocomplete field uses it.
    """

    formfield_overrides = {
        models.JSONField: {"form_class": JSONInputField},
        models.ManyToManyField: {"form_class": RowsField},
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = IdAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AuditRecord:
    """Read only, never added or deleted here: rows that record what happened."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows under a record, their ``fields`` shown read only, never added or deleted here."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class TeamScoped:
    """Rows a campaign owns, directly or through a request: team-scoped for staff.

    A staff user who is not a superuser lists and opens only the rows their teams
    may see (another team's row, opened by id, is "does not exist", as in the
    pages), changes them as a researcher and deletes them as a coordinator there,
    and picks only rows they run in foreign keys to other team-scoped models, so
    nothing can be attached to another team's campaign or request. Superusers
    are not restricted. Set ``request_path`` (the way to the FoiRequest, "" for
    FoiRequest itself) or ``campaign_path``, or override ``scope_q``.
    """

    request_path: str | None = None
    campaign_path: str | None = None
    change_role = rules.Role.RESEARCHER
    delete_role = rules.Role.COORDINATOR

    def scope_q(self, user, at_least: str = rules.Role.VIEWER) -> Q:
        """Q over this model for the rows where ``user`` has at least ``at_least``."""
        if self.request_path is not None:
            return rules.request_q(user, self.request_path, at_least=at_least)
        return rules.campaign_q(user, self.campaign_path or "", at_least=at_least)

    def scoped(self, user, qs, at_least: str = rules.Role.VIEWER):
        return qs if user.is_superuser else qs.filter(self.scope_q(user, at_least))

    def get_queryset(self, request):
        return self.scoped(request.user, super().get_queryset(request))

    def holds(self, request, obj, role: str) -> bool:
        """Whether the user has ``role`` on ``obj`` as stored (one query, kept for the request)."""
        if obj is None or request.user.is_superuser:
            return True
        held = request.__dict__.setdefault("_team_scoped", {})
        key = (self.model._meta.label, obj.pk, role)
        if key not in held:
            rows = self.model._default_manager.filter(pk=obj.pk)
            held[key] = self.scoped(request.user, rows, role).exists()
        return held[key]

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and self.holds(request, obj, rules.Role.VIEWER)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self.holds(request, obj, self.change_role)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self.holds(request, obj, self.delete_role)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        target = self.admin_site._registry.get(db_field.related_model)
        if isinstance(target, TeamScoped) and "queryset" not in kwargs:
            rows = db_field.related_model._default_manager.all()
            kwargs["queryset"] = target.scoped(request.user, rows, rules.Role.RESEARCHER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    list_display = ["name", "id", "nation", "regime", "foi_email", "contact_checked_on", "active"]
    list_filter = ["regime", "nation", "active", "territorial_england_wales", "foi_email_broken"]
    search_fields = ["name", "id", "ons_code", "foi_email"]
    list_editable = ["active"]
    # A portal address typed without a scheme is an https one (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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
class CampaignAdmin(CheckedInput, TeamScoped, admin.ModelAdmin):
    """Campaigns a staff user's teams may see; chaser templates and sharing for coordinators."""

    campaign_path = ""
    list_display = ["title", "slug", "team", "owner", "on_hold", "closed_at", "created_at"]
    list_filter = [("team", admin.RelatedOnlyFieldListFilter), "on_hold"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["shared_with"]
    readonly_fields = ["closed_at"]
    actions = ["close", "reopen"]

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


class MembershipInline(CheckedInput, admin.TabularInline):
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
class PurgeRecordAdmin(AuditRecord, TeamScoped, admin.ModelAdmin):
    """Read-only: what the retention purge removed (manage.py purge_personal_data)."""

    campaign_path = "campaign"
    list_display = ["campaign", "at", "documents", "messages", "bytes_removed", "run_by"]
    list_filter = ["at"]
    search_fields = ["campaign__title", "campaign__slug"]
    list_select_related = ["campaign", "run_by"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(AuditRecord, admin.ModelAdmin):
    """Read-only: the outbox (requests, chasers, reminders, digests) as claimed and sent.

    Mail of a request is as visible as the request; a reminder or digest to a
    person (no request) only to that person. Retrying is the outbox's job.
    """

    list_display = ["created_at", "kind", "stage", "to_address", "subject", "status", "attempts",
                    "sent_at", "request"]  # fmt: skip
    list_filter = ["status", "kind"]
    search_fields = ["to_address", "subject", "message_id", "request__reference"]
    date_hierarchy = "created_at"
    list_select_related = ["request"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        of_request = Q(request__isnull=False) & rules.request_q(request.user, "request")
        return qs.filter(of_request | Q(request__isnull=True, recipient_user_id=request.user.pk))


class RequestEventInline(ReadOnlyInline):
    model = RequestEvent
    fields = ["on", "kind", "channel", "outcome", "exemptions", "note", "created_by"]


@admin.register(FoiRequest)
class FoiRequestAdmin(CheckedInput, TeamScoped, admin.ModelAdmin):
    request_path = ""
    list_display = ["reference", "force", "campaign", "status", "sent_on", "due_on", "on_hold"]
    list_filter = [
        "status",
        "clock",
        ("campaign", admin.RelatedOnlyFieldListFilter),
        "force__regime",
    ]
    search_fields = ["reference", "force_reference", "subject", "force__name"]
    # The derived fields are written only from the event log.
    readonly_fields = ["reply_token", *DERIVED_FIELDS]
    inlines = [RequestEventInline]


@admin.register(RequestEvent)
class RequestEventAdmin(AuditRecord, TeamScoped, admin.ModelAdmin):
    """Read-only: events are appended through the request page or the API."""

    request_path = "request"
    list_display = ["request", "kind", "on", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["request__reference", "note"]


@admin.register(SendRun)
class SendRunAdmin(AuditRecord, TeamScoped, admin.ModelAdmin):
    """Read-only: each campaign send as queued, taken up by a worker and ended (or stopped).

    As visible as its campaign; the sent and failed counts are the outbox's.
    """

    campaign_path = "campaign"
    list_display = ["created_at", "campaign", "status", "requested_by", "started_at",
                    "finished_at", "interrupted"]  # fmt: skip
    list_filter = ["status", ("campaign", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["campaign__title", "campaign__slug", "interrupted"]
    date_hierarchy = "created_at"
    list_select_related = ["campaign", "requested_by"]
