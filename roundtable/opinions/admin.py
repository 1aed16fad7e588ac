"""Read-only: conversations, statements and votes are written on Roundtable's
own pages, whose services keep the audit log, number participants and
statements under a lock and queue the map's recompute."""

from django.contrib import admin

from roundtable.audit.admin import ReadOnlyAdminMixin
from roundtable.opinions.models import Analysis, Conversation, Participant, Statement


@admin.register(Conversation)
class ConversationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Conversation]):
    list_display = ["title", "agency", "status", "moderation", "created_at"]
    list_filter = ["agency", "status", "moderation"]
    search_fields = ["title", "question"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Statement]):
    list_display = ["number", "conversation", "moderation", "is_seed", "is_meta", "created_at"]
    list_filter = ["moderation", "is_seed", "is_meta"]
    search_fields = ["text"]
    raw_id_fields = ["conversation", "author", "candidate"]


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Participant]):
    # Never the token hash: it is the anonymous participant's key.
    list_display = ["number", "conversation", "created_at"]
    fields = ["conversation", "number", "user", "external_id", "created_at"]
    readonly_fields = ["conversation", "number", "user", "external_id", "created_at"]
    raw_id_fields = ["conversation", "user"]


@admin.register(Analysis)
class AnalysisAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Analysis]):
    list_display = [
        "conversation",
        "computed_at",
        "vote_count",
        "participant_count",
        "group_count",
        "seconds",
    ]
    exclude = ["result"]
