"""Read-only: themes, candidates, surveys and decisions are written on
Roundtable's own pages, whose services keep the audit log and tell the people
whose inputs are linked."""

from django.contrib import admin

from roundtable.audit.admin import ReadOnlyAdminMixin
from roundtable.priorities.models import (
    AdvisoryVote,
    Candidate,
    Decision,
    DotVote,
    PairwiseSurvey,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Theme]):
    list_display = ["name", "agency", "created_at"]
    list_filter = ["agency"]
    search_fields = ["name"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Candidate]):
    list_display = ["title", "agency", "status", "source", "harm", "feasibility"]
    list_filter = ["agency", "status", "source"]
    search_fields = ["title"]


@admin.register(PairwiseSurvey)
class PairwiseSurveyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[PairwiseSurvey]):
    list_display = ["question", "agency", "status", "opened_at", "closed_at"]
    list_filter = ["agency", "status"]


@admin.register(DotVote)
class DotVoteAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[DotVote]):
    list_display = ["candidate", "dots", "event", "entered_at"]


class VoteInline(ReadOnlyAdminMixin, admin.TabularInline[AdvisoryVote, Decision]):
    model = AdvisoryVote
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Decision]):
    list_display = ["title", "agency", "decided_on", "status", "published_at"]
    list_filter = ["agency", "status"]
    inlines = [VoteInline]
