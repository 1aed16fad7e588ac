from django.contrib import admin

from roundtable.audit.admin import ReadOnlyAdminMixin
from roundtable.problems.models import (
    Assessment,
    Goal,
    Hypothesis,
    Problem,
    ProblemMeeting,
    ResponseAction,
    StageMove,
    StageSignOff,
    TeamMember,
)


class MemberInline(ReadOnlyAdminMixin, admin.TabularInline[TeamMember, Problem]):
    model = TeamMember
    extra = 0


class SignOffInline(ReadOnlyAdminMixin, admin.TabularInline[StageSignOff, Problem]):
    model = StageSignOff
    extra = 0


class MoveInline(ReadOnlyAdminMixin, admin.TabularInline[StageMove, Problem]):
    model = StageMove
    extra = 0


class HypothesisInline(ReadOnlyAdminMixin, admin.TabularInline[Hypothesis, Problem]):
    model = Hypothesis
    extra = 0


class ActionInline(ReadOnlyAdminMixin, admin.TabularInline[ResponseAction, Problem]):
    model = ResponseAction
    extra = 0


class GoalInline(ReadOnlyAdminMixin, admin.TabularInline[Goal, Problem]):
    model = Goal
    extra = 0


class AssessmentInline(ReadOnlyAdminMixin, admin.TabularInline[Assessment, Problem]):
    model = Assessment
    extra = 0


class MeetingInline(ReadOnlyAdminMixin, admin.TabularInline[ProblemMeeting, Problem]):
    model = ProblemMeeting
    extra = 0


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[Problem]):
    """Read-only: teams work on their own pages, whose writes are audited and
    whose stage moves need both co-leads."""

    list_display = ["title", "agency", "stage", "is_public", "created_at"]
    list_filter = ["agency", "stage", "is_public"]
    search_fields = ["title"]
    inlines = [
        MemberInline,
        SignOffInline,
        MoveInline,
        HypothesisInline,
        ActionInline,
        GoalInline,
        AssessmentInline,
        MeetingInline,
    ]
