"""The background task is a thin wrapper around the analysis service."""

from __future__ import annotations

import pytest

from roundtable.opinions.models import Analysis
from roundtable.opinions.tasks import analyse_conversation_task

pytestmark = pytest.mark.django_db


def test_the_task_recomputes_the_map_and_says_how_many_votes_it_counted(park, planted):
    park.analysis_requested_at = park.created_at
    park.save()
    result = analyse_conversation_task.enqueue(park.pk)
    assert result.return_value == 140
    assert Analysis.objects.get(conversation=park).group_count == 2
    park.refresh_from_db()
    assert park.analysis_requested_at is None


def test_a_deleted_conversation_is_skipped(park):
    pk = park.pk
    park.delete()
    assert analyse_conversation_task.enqueue(pk).return_value == -1
    assert not Analysis.objects.exists()
