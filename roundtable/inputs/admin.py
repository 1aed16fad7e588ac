from django.contrib import admin

from roundtable.audit.admin import ReadOnlyAdminMixin
from roundtable.inputs.models import (
    Input,
    InputLink,
    InputNote,
    InputReferral,
    Notification,
    PublicUpdate,
)


class NoteInline(ReadOnlyAdminMixin, admin.TabularInline[InputNote, Input]):
    model = InputNote
    extra = 0


class ReferralInline(ReadOnlyAdminMixin, admin.TabularInline[InputReferral, Input]):
    model = InputReferral
    extra = 0


class LinkInline(ReadOnlyAdminMixin, admin.TabularInline[InputLink, Input]):
    model = InputLink
    extra = 0


class UpdateInline(ReadOnlyAdminMixin, admin.TabularInline[PublicUpdate, Input]):
    model = PublicUpdate
    extra = 0


@admin.register(Input)
class InputAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Input]):
    """Read-only: coordinators work in the response ledger, whose writes are audited."""

    list_display = ["receipt_code", "agency", "channel", "topic", "status", "received_at"]
    list_filter = ["agency", "status", "channel", "topic", "moderation"]
    search_fields = ["receipt_code", "external_id"]
    inlines = [NoteInline, ReferralInline, LinkInline, UpdateInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Notification]):
    list_display = ["subject", "channel", "language", "state", "created_at", "sent_at"]
    list_filter = ["state", "channel", "language"]
